/* v128: SIMD and relaxed SIMD.
 *
 * Lane operations become vop1/vop2/vop3 instructions whose code is the
 * IrVecOp of the same name (ir/vecops.def mirrors the 0xFD opcode table).
 * Lane immediates become iconst operands; i8x16.shuffle's 16 indices a
 * vconst operand. The memory forms are composed from scalar accesses of the
 * width wasm reads or writes, so bounds checks stay the scalar ones:
 *   load8x8_s    = i16x8.extend_low_i8x16_s (i64x2.splat (load.i64))
 *   load32_splat = i32x4.splat (load.i32)
 *   load32_zero  = i32x4.replace_lane (vconst 0, 0, load.i32)
 *   load16_lane  = i16x8.replace_lane (v, lane, uload16.i32)
 *   store8_lane  = istore8.i32 (i8x16.extract_lane_u v, lane) */
#include "translate_internal.h"

static IrValue vop(Translator *t, IrVecOp vo, const IrValue *args)
{
    static const IrOpcode by_arity[] = { IR_OP_INVALID, IR_OP_VOP1, IR_OP_VOP2, IR_OP_VOP3 };
    uint32_t n = ir_vecop_num_operands(vo);
    IrInstSpec s = { .op = by_arity[n], .type = ir_vecop_result_type(vo), .code = (uint8_t)vo, .args = args,
                     .nargs = n };
    IrInst i = ir_build(&t->b, &s);
    return ir_inst_result(t->f, i, 0);
}

static IrValue vop1(Translator *t, IrVecOp vo, IrValue a) { return vop(t, vo, &a); }

static IrValue lane_const(Translator *t, uint8_t lane) { return ir_ins_iconst(&t->b, IR_TYPE_I32, lane); }

/* The wasm opcode's vector op, or IR_VOP_COUNT if it is not a lane op. */
static IrVecOp vecop_of(WasmOpcode op)
{
    switch (op) {
#define IR_VECOP(e, text, sig, lanes) \
    case WASM_OP_##e:                 \
        return IR_VOP_##e;
#include "vecops.def"
    default:
        return IR_VOP_COUNT;
    }
}

static bool load_scalar(Translator *t, const WasmInstr *in, IrOpcode op, IrType ty, IrValue *out)
{
    if (!tr_decl_mem(t, in->mem.mem_idx, in->off))
        return false;
    IrValue addr = tr_pop(t);
    *out = ir_ins_load(&t->b, op, ty, IR_TRAP_HEAP_OOB, in->mem.mem_idx, addr, in->mem.offset);
    return true;
}

static bool load_extend(Translator *t, const WasmInstr *in, IrVecOp ext)
{
    IrValue x;
    if (!load_scalar(t, in, IR_OP_LOAD, IR_TYPE_I64, &x))
        return false;
    tr_push(t, vop1(t, ext, vop1(t, IR_VOP_I64X2_SPLAT, x)));
    return true;
}

static bool load_splat(Translator *t, const WasmInstr *in, IrOpcode op, IrType ty, IrVecOp splat)
{
    IrValue x;
    if (!load_scalar(t, in, op, ty, &x))
        return false;
    tr_push(t, vop1(t, splat, x));
    return true;
}

static bool load_zero(Translator *t, const WasmInstr *in, IrType ty, IrVecOp replace)
{
    static const uint8_t zeros[16];
    IrValue x;
    if (!load_scalar(t, in, IR_OP_LOAD, ty, &x))
        return false;
    IrValue args[3] = { ir_ins_vconst(&t->b, zeros), lane_const(t, 0), x };
    tr_push(t, vop(t, replace, args));
    return true;
}

static bool load_lane(Translator *t, const WasmInstr *in, IrOpcode op, IrType ty, IrVecOp replace)
{
    IrValue v = tr_pop(t), x;
    if (!load_scalar(t, in, op, ty, &x))
        return false;
    IrValue args[3] = { v, lane_const(t, in->lane), x };
    tr_push(t, vop(t, replace, args));
    return true;
}

static bool store_lane(Translator *t, const WasmInstr *in, IrOpcode op, IrVecOp extract)
{
    if (!tr_decl_mem(t, in->mem.mem_idx, in->off))
        return false;
    IrValue v = tr_pop(t), addr = tr_pop(t);
    IrValue args[2] = { v, lane_const(t, in->lane) };
    IrValue x = vop(t, extract, args);
    ir_ins_store(&t->b, op, IR_TRAP_HEAP_OOB, in->mem.mem_idx, addr, in->mem.offset, x);
    return true;
}

bool tr_simd(Translator *t, const WasmInstr *in, bool *handled)
{
    const WasmOpInfo *oi = wasm_op_info(in->op);
    if (oi->prefix != 0xFD) {
        *handled = false;
        return true;
    }
    *handled = true;
    if (t->f->simd_srcloc == IR_NO_SRCLOC) {
        t->f->simd_srcloc = in->off;
        t->f->simd_name = oi->name;
    }
    switch (in->op) {
    case WASM_OP_V128_CONST:
        tr_push(t, ir_ins_vconst(&t->b, in->u.v128));
        return true;
    case WASM_OP_V128_LOAD: {
        IrValue x;
        if (!load_scalar(t, in, IR_OP_LOAD, IR_TYPE_V128, &x))
            return false;
        tr_push(t, x);
        return true;
    }
    case WASM_OP_V128_STORE: {
        if (!tr_decl_mem(t, in->mem.mem_idx, in->off))
            return false;
        IrValue v = tr_pop(t), addr = tr_pop(t);
        ir_ins_store(&t->b, IR_OP_STORE, IR_TRAP_HEAP_OOB, in->mem.mem_idx, addr, in->mem.offset, v);
        return true;
    }
    case WASM_OP_V128_LOAD8X8_S: return load_extend(t, in, IR_VOP_I16X8_EXTEND_LOW_I8X16_S);
    case WASM_OP_V128_LOAD8X8_U: return load_extend(t, in, IR_VOP_I16X8_EXTEND_LOW_I8X16_U);
    case WASM_OP_V128_LOAD16X4_S: return load_extend(t, in, IR_VOP_I32X4_EXTEND_LOW_I16X8_S);
    case WASM_OP_V128_LOAD16X4_U: return load_extend(t, in, IR_VOP_I32X4_EXTEND_LOW_I16X8_U);
    case WASM_OP_V128_LOAD32X2_S: return load_extend(t, in, IR_VOP_I64X2_EXTEND_LOW_I32X4_S);
    case WASM_OP_V128_LOAD32X2_U: return load_extend(t, in, IR_VOP_I64X2_EXTEND_LOW_I32X4_U);
    case WASM_OP_V128_LOAD8_SPLAT: return load_splat(t, in, IR_OP_ULOAD8, IR_TYPE_I32, IR_VOP_I8X16_SPLAT);
    case WASM_OP_V128_LOAD16_SPLAT: return load_splat(t, in, IR_OP_ULOAD16, IR_TYPE_I32, IR_VOP_I16X8_SPLAT);
    case WASM_OP_V128_LOAD32_SPLAT: return load_splat(t, in, IR_OP_LOAD, IR_TYPE_I32, IR_VOP_I32X4_SPLAT);
    case WASM_OP_V128_LOAD64_SPLAT: return load_splat(t, in, IR_OP_LOAD, IR_TYPE_I64, IR_VOP_I64X2_SPLAT);
    case WASM_OP_V128_LOAD32_ZERO: return load_zero(t, in, IR_TYPE_I32, IR_VOP_I32X4_REPLACE_LANE);
    case WASM_OP_V128_LOAD64_ZERO: return load_zero(t, in, IR_TYPE_I64, IR_VOP_I64X2_REPLACE_LANE);
    case WASM_OP_V128_LOAD8_LANE: return load_lane(t, in, IR_OP_ULOAD8, IR_TYPE_I32, IR_VOP_I8X16_REPLACE_LANE);
    case WASM_OP_V128_LOAD16_LANE: return load_lane(t, in, IR_OP_ULOAD16, IR_TYPE_I32, IR_VOP_I16X8_REPLACE_LANE);
    case WASM_OP_V128_LOAD32_LANE: return load_lane(t, in, IR_OP_LOAD, IR_TYPE_I32, IR_VOP_I32X4_REPLACE_LANE);
    case WASM_OP_V128_LOAD64_LANE: return load_lane(t, in, IR_OP_LOAD, IR_TYPE_I64, IR_VOP_I64X2_REPLACE_LANE);
    case WASM_OP_V128_STORE8_LANE: return store_lane(t, in, IR_OP_ISTORE8, IR_VOP_I8X16_EXTRACT_LANE_U);
    case WASM_OP_V128_STORE16_LANE: return store_lane(t, in, IR_OP_ISTORE16, IR_VOP_I16X8_EXTRACT_LANE_U);
    case WASM_OP_V128_STORE32_LANE: return store_lane(t, in, IR_OP_STORE, IR_VOP_I32X4_EXTRACT_LANE);
    case WASM_OP_V128_STORE64_LANE: return store_lane(t, in, IR_OP_STORE, IR_VOP_I64X2_EXTRACT_LANE);
    case WASM_OP_I8X16_SHUFFLE: {
        IrValue mask = ir_ins_vconst(&t->b, in->u.v128);
        IrValue y = tr_pop(t), x = tr_pop(t);
        IrValue args[3] = { x, y, mask };
        tr_push(t, vop(t, IR_VOP_I8X16_SHUFFLE, args));
        return true;
    }
    default:
        break;
    }
    IrVecOp vo = vecop_of(in->op);
    if (vo == IR_VOP_COUNT) {
        *handled = false;
        return true;
    }
    const char *sig = ir_vecop_info[vo].sig;
    uint32_t n = ir_vecop_num_operands(vo);
    /* Operands in order; a lane index comes from the immediate, not the stack. */
    uint32_t nstack = 0;
    for (uint32_t k = 0; k < n; k++)
        nstack += sig[k] != 'L';
    IrValue args[3], from_stack[3], *top = tr_top(t, nstack);
    for (uint32_t k = 0; k < nstack; k++)
        from_stack[k] = top[k];
    tr_popn(t, nstack);
    for (uint32_t k = 0, j = 0; k < n; k++)
        args[k] = sig[k] == 'L' ? lane_const(t, in->lane) : from_stack[j++];
    tr_push(t, vop(t, vo, args));
    return true;
}
