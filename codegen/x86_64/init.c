/* The module's init function for x86-64 (codegen.h, WasmcInitFn in wasmc_rt.h):
 *
 *     void init(WasmcVmctx *vmctx, const WasmcInitOut *out)
 *
 * emitted straight from the CgInitInsn program compile/ builds from the
 * module's constant expressions. It runs once per instance, so it is kept
 * simple: the value stack is the machine stack (push/pop of 8-byte values),
 * rbx holds vmctx and r12 holds out for the whole function. Nothing is
 * called, so the stack needs no particular alignment.
 *
 * Value representation: every value is 8 bytes; an i32 is kept zero-extended
 * (i32.const loads with a 32-bit mov and 32-bit arithmetic clears the upper
 * half), which is what the STORE_*_OFFSET ops promise. GLOBAL_GET pushes the
 * 8 low bytes of the global as is; compile/ adds a 32-bit no-op when it needs
 * a global's i32 value zero-extended.
 *
 * The program is checked as it is emitted (stack depth, indices against the
 * module info); a bad program is a compiler bug reported as an error. */
#include <stddef.h>

#include "../../runtime-stub/include/wasmc_rt.h"
#include "../codegen.h"
#include "encode.h"

_Static_assert(sizeof(WasmcFuncRef) == 32, "REF_FUNC scales function indices by 32");
_Static_assert(CG_INIT_I64_MUL + 1 == CG_INIT_STORE_GLOBAL, "pushing ops come before the stores");

static void emit(CodeBuf *cb, X64Inst in) { x64_encode(cb, &in); }

static void push(CodeBuf *cb, X64Reg r) { emit(cb, x64_inst1(X64_PUSH, 8, x64_r(r))); }
static void pop(CodeBuf *cb, X64Reg r) { emit(cb, x64_inst1(X64_POP, 8, x64_r(r))); }

/* rcx = out->field (an array pointer of WasmcInitOut). */
static void load_out_array(CodeBuf *cb, size_t field)
{
    emit(cb, x64_inst2(X64_MOV, 8, x64_r(X64_RCX), x64_m(X64_R12, (int32_t)field)));
}

/* 8 * index as a displacement; false when it does not fit. */
static bool scaled(uint32_t index, int32_t *disp)
{
    uint64_t d = (uint64_t)index * 8;
    if (d > INT32_MAX)
        return false;
    *disp = (int32_t)d;
    return true;
}

bool cg_emit_init(const CgModuleInfo *mi, const CgInitInsn *prog, uint32_t n, CodeBuf *out,
                  WasmcError *err)
{
    emit(out, x64_inst1(X64_PUSH, 8, x64_r(X64_RBP)));
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RBP), x64_r(X64_RSP)));
    push(out, X64_RBX);
    push(out, X64_R12);
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RBX), x64_r(X64_RDI)));
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_R12), x64_r(X64_RSI)));

    uint32_t depth = 0; /* values on the machine stack */
    for (uint32_t k = 0; k < n; k++) {
        const CgInitInsn *in = &prog[k];
        int32_t disp;
        unsigned pops = 0;
        switch ((CgInitOp)in->op) {
        case CG_INIT_I32_ADD: case CG_INIT_I32_SUB: case CG_INIT_I32_MUL:
        case CG_INIT_I64_ADD: case CG_INIT_I64_SUB: case CG_INIT_I64_MUL:
            pops = 2;
            break;
        case CG_INIT_STORE_GLOBAL: case CG_INIT_STORE_DATA_OFFSET: case CG_INIT_STORE_ELEM_OFFSET:
        case CG_INIT_STORE_ELEM_ITEM: case CG_INIT_STORE_TABLE_INIT:
            pops = 1;
            break;
        default:
            break;
        }
        if (depth < pops)
            return wasmc_fail(err, WASMC_NO_OFFSET, "init program: stack underflow at instruction %u", k);
        depth -= pops;

        switch ((CgInitOp)in->op) {
        case CG_INIT_I32_CONST:
        case CG_INIT_F32_CONST:
            emit(out, x64_mov_imm(X64_RAX, 4, (int64_t)(uint32_t)in->imm));
            push(out, X64_RAX);
            break;
        case CG_INIT_I64_CONST:
        case CG_INIT_F64_CONST:
            emit(out, x64_mov_imm(X64_RAX, 8, (int64_t)in->imm));
            push(out, X64_RAX);
            break;
        case CG_INIT_REF_NULL:
            emit(out, x64_inst1(X64_PUSH, 8, x64_i(0)));
            break;
        case CG_INIT_GLOBAL_GET: {
            if (in->index >= mi->nglobals)
                return wasmc_fail(err, WASMC_NO_OFFSET, "init program: global %u out of range", in->index);
            const CgGlobalInfo *g = &mi->globals[in->index];
            X64Opnd slot = x64_m(X64_RBX, (int32_t)g->offset);
            if (g->imported) { /* the vmctx holds a pointer to the exporter's storage */
                emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RAX), slot));
                slot = x64_m(X64_RAX, 0);
            }
            emit(out, x64_inst1(X64_PUSH, 8, slot));
            break;
        }
        case CG_INIT_REF_FUNC: {
            uint64_t off = mi->funcrefs_offset + (uint64_t)in->index * 32; /* sizeof(WasmcFuncRef) */
            if (in->index >= mi->nfuncs || off > INT32_MAX)
                return wasmc_fail(err, WASMC_NO_OFFSET, "init program: function %u out of range", in->index);
            emit(out, x64_inst2(X64_LEA, 8, x64_r(X64_RAX), x64_m(X64_RBX, (int32_t)off)));
            push(out, X64_RAX);
            break;
        }
        case CG_INIT_I32_ADD: case CG_INIT_I32_SUB: case CG_INIT_I32_MUL:
        case CG_INIT_I64_ADD: case CG_INIT_I64_SUB: case CG_INIT_I64_MUL: {
            bool is32 = in->op <= CG_INIT_I32_MUL;
            unsigned size = is32 ? 4 : 8; /* 32-bit ops zero the upper half */
            pop(out, X64_RCX); /* right operand */
            pop(out, X64_RAX); /* left operand */
            X64Op op = X64_ADD;
            if (in->op == CG_INIT_I32_SUB || in->op == CG_INIT_I64_SUB)
                op = X64_SUB;
            if (in->op == CG_INIT_I32_MUL || in->op == CG_INIT_I64_MUL)
                op = X64_IMUL;
            emit(out, x64_inst2(op, size, x64_r(X64_RAX), x64_r(X64_RCX)));
            push(out, X64_RAX);
            break;
        }
        case CG_INIT_STORE_GLOBAL: {
            if (in->index >= mi->nglobals || mi->globals[in->index].imported)
                return wasmc_fail(err, WASMC_NO_OFFSET, "init program: global %u is not a defined global",
                                  in->index);
            pop(out, X64_RAX);
            emit(out, x64_inst2(X64_MOV, 8, x64_m(X64_RBX, (int32_t)mi->globals[in->index].offset),
                                x64_r(X64_RAX)));
            break;
        }
        case CG_INIT_STORE_DATA_OFFSET:
        case CG_INIT_STORE_ELEM_OFFSET:
        case CG_INIT_STORE_TABLE_INIT: {
            if (!scaled(in->index, &disp))
                return wasmc_fail(err, WASMC_NO_OFFSET, "init program: index %u too large", in->index);
            size_t field = in->op == CG_INIT_STORE_DATA_OFFSET   ? offsetof(WasmcInitOut, data_offsets)
                           : in->op == CG_INIT_STORE_ELEM_OFFSET ? offsetof(WasmcInitOut, elem_offsets)
                                                                 : offsetof(WasmcInitOut, table_inits);
            pop(out, X64_RAX);
            load_out_array(out, field);
            emit(out, x64_inst2(X64_MOV, 8, x64_m(X64_RCX, disp), x64_r(X64_RAX)));
            break;
        }
        case CG_INIT_STORE_ELEM_ITEM: {
            int32_t disp2;
            if (!scaled(in->index, &disp) || !scaled(in->index2, &disp2))
                return wasmc_fail(err, WASMC_NO_OFFSET, "init program: index %u/%u too large", in->index,
                                  in->index2);
            pop(out, X64_RAX);
            load_out_array(out, offsetof(WasmcInitOut, elem_items));
            emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RCX), x64_m(X64_RCX, disp)));
            emit(out, x64_inst2(X64_MOV, 8, x64_m(X64_RCX, disp2), x64_r(X64_RAX)));
            break;
        }
        default:
            return wasmc_fail(err, WASMC_NO_OFFSET, "init program: unknown op %u", in->op);
        }
        if (in->op <= CG_INIT_I64_MUL)
            depth++; /* every op up to the stores pushes one value */
    }
    if (depth != 0)
        return wasmc_fail(err, WASMC_NO_OFFSET, "init program leaves %u values on the stack", depth);

    pop(out, X64_R12);
    pop(out, X64_RBX);
    pop(out, X64_RBP);
    emit(out, x64_inst0(X64_RET, 0));
    return cb_finalize(out, err);
}
