/* Shared between the x86-64 instruction selector (isel*.c), the emitter
 * (emit.c, emit_macro.c) and the driver (compile.c).
 *
 * A MachInst's target payload is an X64Inst template. Register fields in it
 * are either pregs (X64Reg < 32) or references to MachInst operand k,
 * written X64_OPREF(k); the emitter substitutes the allocated registers.
 * RIP_LABEL memory operands name constant-pool entries by index.
 * Memory operands with base RSP and mem.target == X64_FRAME_RESULTS address
 * the call-results area, which lies above the outgoing-argument area whose
 * size is known only after selection. */
#ifndef WASMC_CODEGEN_X86_64_INTERNAL_H
#define WASMC_CODEGEN_X86_64_INTERNAL_H

#include <string.h>

#include "../codegen.h"
#include "../mach.h"
#include "../regalloc.h"
#include "encode.h"

#define X64_OPREF(k) ((X64Reg)(0x40 + (k)))
static inline bool x64_is_opref(unsigned r) { return r >= 0x40 && r < 0x40 + CG_MAX_OPNDS; }
#define X64_FRAME_RESULTS 1u

/* MachInst.op for x86-64. */
typedef enum X64Pseudo {
    XP_INST,      /* the template as is; aux[0] = wasmc trap code of an implicit trap site, or 0 */
    XP_MOVE,      /* opnd0 <- opnd1, aux[0] = 4: 32-bit (zero-extending) GPR move */
    XP_JMP,       /* to succ 0 */
    XP_BR,        /* template = cmp/test/ucomis; aux[0] = X64Cond for succ 0 (else succ 1);
                     aux[2] = trap code of a load folded into the compare, or 0 (also XP_TRAPIF, XP_SETCC);
                     aux[1] = 1: float eq (ZF and not PF), 2: float ne (not ZF or PF) */
    XP_BRTABLE,   /* opnd0 index (i32/i64 zero-extended), opnd1 temp def; succ 0 default */
    XP_RET,       /* epilogue and ret */
    XP_TRAPIF,    /* template = cmp/test; aux[0] = X64Cond that traps; aux[1] = trap code */
    XP_TRAP,      /* jump to the trap stub of aux[1] (terminator) */
    XP_CALL,      /* template = call */
    XP_TAILCALL,  /* template = jmp target; epilogue first */
    XP_DIV,       /* opnd0 divisor; rax/rdx fixed; aux[0] = XD_* ; template.size */
    XP_SETCC,     /* template = cmp/test/ucomis; opnd0 def; aux[0] cond, aux[1] float eq/ne mode */
    XP_FMINMAX,   /* opnd0 def tied to opnd1, opnd2 late; aux[0] = 1 max; aux[1] = 8 f64 */
    XP_FCVT,      /* float -> int conversions; aux[0] = XC_* flags; see emit_macro.c */
    XP_UCVT,      /* u64 -> float: opnd0 def, opnd1 src, opnd2 temp; aux[1] = 8 f64 */
    XP_FSELECT,   /* opnd0 def tied opnd1 (false value), opnd2 true value, opnd3 cond; aux[1]=8 f64 */
    XP_BOUNDS,    /* explicit bounds check: opnd0 addr, opnd1 length, opnd2 temp; aux[0..1] = end offset
                     (offset + size, 64 bits); traps MEMORY_OOB when addr + end > length */
} X64Pseudo;

enum { XD_UDIV, XD_UREM, XD_SDIV, XD_SREM };

/* XP_FCVT flags */
enum {
    XC_F64 = 1,     /* source is f64 */
    XC_I64 = 2,     /* result is i64 */
    XC_UNSIGNED = 4,
    XC_SAT = 8,     /* saturating; else trapping */
};

static inline X64Inst *x64_tmpl(MachInst *mi) { return (X64Inst *)(void *)mi->tgt; }

/* The constant pool: 16-byte entries. */
typedef struct X64Const {
    uint64_t lo, hi;
} X64Const;

/* What selection hands to the emitter besides the MachFunc. */
typedef struct X64FuncInfo {
    X64Const *consts;
    uint32_t nconsts, cap_consts;
    uint32_t out_args;    /* bytes of outgoing stack arguments (max over calls) */
    uint32_t results;     /* bytes of the call-results area */
    uint32_t nstack_params; /* incoming stack argument words */
    bool has_calls;
} X64FuncInfo;

/* opt_level (CgOptions): >= 1 also folds loads into their users and hoists
 * memory bases out of call-free loops. */
bool x64_select(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms, int opt_level, MachFunc *mf,
                X64FuncInfo *fi, WasmcError *err);
uint32_t x64_const(X64FuncInfo *fi, uint64_t lo, uint64_t hi);
/* isel_simd.c: v128 values have no 16-byte spill slots yet; refuses (err
 * set) a function with v128 values that needed any spill slot. */
bool x64_simd_spill_check(const IrFunc *f, const MachFunc *mf, uint32_t nslots, WasmcError *err);

/* Emission (emit.c). */
typedef struct X64Emitter X64Emitter;
bool x64_emit_func(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms, const CgOptions *opt, MachFunc *mf,
                   X64FuncInfo *fi, RegAllocResult *ra, CodeBuf *cb, WasmcError *err);

extern const CgRegInfo x64_reginfo;

#endif
