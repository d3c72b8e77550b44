/* cg_compile_func for x86-64: select -> allocate -> emit (codegen.h). */
#include <stdio.h>
#include <stdlib.h>

#include "x64_internal.h"

/* Caller-saved first so short values leave callee-saved registers (which
 * cost a save and restore) to values that live across calls. R11 and XMM15
 * are reserved as scratch for parallel moves and multi-instruction macros;
 * RSP and RBP are the stack and frame pointers. */
static const uint8_t gpr_order[] = { X64_RAX, X64_RCX, X64_RDX, X64_RSI, X64_RDI, X64_R8,  X64_R9,
                                     X64_R10, X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15 };
static const uint8_t xmm_order[] = { X64_XMM0, X64_XMM1, X64_XMM2,  X64_XMM3,  X64_XMM4,  X64_XMM5,  X64_XMM6, X64_XMM7,
                                     X64_XMM8, X64_XMM9, X64_XMM10, X64_XMM11, X64_XMM12, X64_XMM13, X64_XMM14 };

#define GPR_MASK                                                                                     \
    ((1ull << X64_RAX) | (1ull << X64_RCX) | (1ull << X64_RDX) | (1ull << X64_RSI) | (1ull << X64_RDI) | \
     (1ull << X64_R8) | (1ull << X64_R9) | (1ull << X64_R10) | (1ull << X64_RBX) | (1ull << X64_R12) |  \
     (1ull << X64_R13) | (1ull << X64_R14) | (1ull << X64_R15))

const CgRegInfo x64_reginfo = {
    .allocatable = { GPR_MASK, 0x7fffull << X64_XMM0 },
    .callee_saved = (1ull << X64_RBX) | (1ull << X64_R12) | (1ull << X64_R13) | (1ull << X64_R14) | (1ull << X64_R15),
    .order = { gpr_order, xmm_order },
    .norder = { sizeof gpr_order, sizeof xmm_order },
};

bool cg_compile_func(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms, const CgOptions *opt, CodeBuf *out,
                     WasmcError *err)
{
    MachFunc mf;
    X64FuncInfo fi = { 0 };
    RegAllocResult ra = { 0 };
    bool ok = false;
    mach_init(&mf);
    if (!x64_select(f, mi, syms, opt ? opt->opt_level : 1, &mf, &fi, err))
        goto done;
    char msg[200];
    if (!cg_regalloc(&mf, &x64_reginfo, &ra, msg, sizeof msg)) {
        wasmc_fail(err, f->srcloc == IR_NO_SRCLOC ? WASMC_NO_OFFSET : f->srcloc, "internal error: %s", msg);
        goto done;
    }
    if (!x64_simd_spill_check(f, &mf, ra.nslots, err))
        goto done;
    ok = x64_emit_func(f, mi, syms, opt, &mf, &fi, &ra, out, err);
done:
    cg_regalloc_free(&ra);
    mach_free(&mf);
    free(fi.consts);
    return ok;
}
