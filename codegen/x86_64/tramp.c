/* Array-call trampolines for x86-64 System V (wasmc_rt.h section 1).
 *
 *     void tramp(WasmcVmctx *callee_vmctx,  rdi
 *                WasmcVmctx *caller_vmctx,  rsi
 *                void *fn,                  rdx
 *                WasmcVal *slots);          rcx
 *
 * loads parameter i from slots[i] (16 bytes each) into the register or stack
 * position System V gives it, calls fn(callee_vmctx, caller_vmctx, params...)
 * and stores the result(s) back into slots[0..nresults). A function with two
 * or more results takes a hidden last pointer argument `WasmcVal *results`
 * and writes them itself: we pass `slots`, which has max(nparams, nresults)
 * entries, so the results land where the runtime reads them. Parameters are
 * all loaded before the call, so the callee overwriting slots is harmless.
 *
 * Frame:  push rbp; mov rbp, rsp; push rbx; push r12   (rsp is 16-aligned here)
 *         rbx = slots, r12 = fn (callee-saved, so they survive the call)
 *         sub rsp, 16 * ceil(nstack / 2)               (outgoing stack arguments)
 * rdi and rsi already hold the first two arguments and are never touched.
 *
 * v128 values are rejected (SIMD is not lowered yet); references are iptr
 * (i64) values in the IR signature. */
#include <stddef.h>
#include <stdlib.h>

#include "../codegen.h"
#include "encode.h"

#define SLOT_BYTES 16 /* sizeof(WasmcVal) */

static void emit(CodeBuf *cb, X64Inst in) { x64_encode(cb, &in); }

/* Where System V puts one argument: a register, or stack slot `stack` (8 bytes each). */
typedef struct ArgLoc {
    X64Reg reg;     /* X64_NOREG when on the stack */
    uint32_t stack; /* index of its 8-byte stack slot */
} ArgLoc;

static bool sig_has_v128(const IrSig *sig)
{
    for (uint32_t i = 0; i < sig->nparams; i++)
        if (sig->params[i] == IR_TYPE_V128)
            return true;
    for (uint32_t i = 0; i < sig->nresults; i++)
        if (sig->results[i] == IR_TYPE_V128)
            return true;
    return false;
}

/* Loads (or stores, when `store`) a value of type t between reg and mem. Integers
 * use the value's own width: a 32-bit load zero-extends, which keeps i32 arguments
 * clean in their 64-bit registers. */
static void move_value(CodeBuf *cb, IrType t, X64Reg reg, X64Opnd mem, bool store)
{
    X64Opnd r = x64_r(reg);
    switch (t) {
    case IR_TYPE_F32:
        emit(cb, store ? x64_inst2(X64_MOVSS, 4, mem, r) : x64_inst2(X64_MOVSS, 4, r, mem));
        return;
    case IR_TYPE_F64:
        emit(cb, store ? x64_inst2(X64_MOVSD, 8, mem, r) : x64_inst2(X64_MOVSD, 8, r, mem));
        return;
    default: {
        unsigned size = t == IR_TYPE_I32 ? 4 : 8;
        emit(cb, store ? x64_inst2(X64_MOV, size, mem, r) : x64_inst2(X64_MOV, size, r, mem));
        return;
    }
    }
}

bool cg_emit_array_trampoline(const IrSig *sig, CodeBuf *out, WasmcError *err)
{
    if (sig_has_v128(sig))
        return wasmc_fail(err, WASMC_NO_OFFSET,
                          "SIMD (v128 parameters or results) is not supported in array trampolines yet");
    bool hidden = sig->nresults >= 2; /* results through a pointer argument */
    uint32_t nargs = sig->nparams + (hidden ? 1 : 0);

    /* Assign locations: integer registers after rdi/rsi (taken by the two vmctx
     * pointers), then SSE registers; the rest go to the stack in argument order. */
    uint32_t next_int = 2, next_sse = 0, nstack = 0;
    ArgLoc *locs = nargs ? calloc(nargs, sizeof *locs) : NULL;
    if (nargs && !locs)
        return wasmc_fail(err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < nargs; i++) {
        bool is_float = i < sig->nparams && ir_type_is_float((IrType)sig->params[i]);
        locs[i].reg = X64_NOREG;
        if (is_float && next_sse < 8)
            locs[i].reg = x64_sysv_float_args[next_sse++];
        else if (!is_float && next_int < 6)
            locs[i].reg = x64_sysv_int_args[next_int++];
        else
            locs[i].stack = nstack++;
    }
    uint32_t frame = (nstack * 8 + 15) & ~15u; /* keeps rsp 16-aligned at the call */

    emit(out, x64_inst1(X64_PUSH, 8, x64_r(X64_RBP)));
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RBP), x64_r(X64_RSP)));
    emit(out, x64_inst1(X64_PUSH, 8, x64_r(X64_RBX)));
    emit(out, x64_inst1(X64_PUSH, 8, x64_r(X64_R12)));
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RBX), x64_r(X64_RCX)));
    emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_R12), x64_r(X64_RDX)));
    if (frame)
        emit(out, x64_inst2(X64_SUB, 8, x64_r(X64_RSP), x64_i(frame)));

    /* Stack arguments first, copied through rax (not an argument register). */
    for (uint32_t i = 0; i < nargs; i++) {
        if (locs[i].reg != X64_NOREG)
            continue;
        X64Opnd dst = x64_m(X64_RSP, (int32_t)(locs[i].stack * 8));
        if (i == sig->nparams) { /* the hidden results pointer */
            emit(out, x64_inst2(X64_MOV, 8, dst, x64_r(X64_RBX)));
            continue;
        }
        /* 8 bytes whatever the type: the callee reads only the low part. */
        emit(out, x64_inst2(X64_MOV, 8, x64_r(X64_RAX), x64_m(X64_RBX, (int32_t)(i * SLOT_BYTES))));
        emit(out, x64_inst2(X64_MOV, 8, dst, x64_r(X64_RAX)));
    }
    for (uint32_t i = 0; i < nargs; i++) {
        if (locs[i].reg == X64_NOREG)
            continue;
        if (i == sig->nparams)
            emit(out, x64_inst2(X64_MOV, 8, x64_r(locs[i].reg), x64_r(X64_RBX)));
        else
            move_value(out, (IrType)sig->params[i], locs[i].reg,
                       x64_m(X64_RBX, (int32_t)(i * SLOT_BYTES)), false);
    }
    free(locs);

    emit(out, x64_inst1(X64_CALL, 8, x64_r(X64_R12)));

    if (sig->nresults == 1) {
        IrType t = (IrType)sig->results[0];
        move_value(out, t, ir_type_is_float(t) ? X64_XMM0 : X64_RAX, x64_m(X64_RBX, 0), true);
    }
    /* Restore rbx, r12 from just below the saved rbp, whatever the frame size. */
    emit(out, x64_inst2(X64_LEA, 8, x64_r(X64_RSP), x64_m(X64_RBP, -16)));
    emit(out, x64_inst1(X64_POP, 8, x64_r(X64_R12)));
    emit(out, x64_inst1(X64_POP, 8, x64_r(X64_RBX)));
    emit(out, x64_inst1(X64_POP, 8, x64_r(X64_RBP)));
    emit(out, x64_inst0(X64_RET, 0));
    return cb_finalize(out, err);
}
