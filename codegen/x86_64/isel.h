/* Instruction selection state shared by isel.c (blocks, control flow, calls)
 * and isel_ops.c (arithmetic, floats, memory, instance state). */
#ifndef WASMC_CODEGEN_X86_64_ISEL_H
#define WASMC_CODEGEN_X86_64_ISEL_H

#include "x64_internal.h"

typedef struct Isel {
    IrFunc *f;
    const CgModuleInfo *mi;
    const CgSymbols *syms;
    int opt_level;
    MachFunc *mf;
    X64FuncInfo *fi;
    WasmcError *err;
    bool failed;

    uint32_t *vreg_of;   /* by IR value id, CG_NO_REG until first referenced */
    uint32_t *uses;      /* use counts by IR value id */
    uint8_t *consumed;   /* by IR inst id: folded into its user */
    uint32_t *mblock_of; /* IR block id -> MachBlock */
    uint32_t *nin_edges; /* IR block id -> incoming CFG edges */
    uint32_t vmctx;      /* vreg holding the callee vmctx */
    uint32_t results_ptr; /* vreg: hidden results pointer (>= 2 results), else CG_NO_REG */
    IrBlock cur_block;
    IrInst cur_inst;     /* the IR instruction being lowered (where folded loads execute) */
    int cond_trap_aux;   /* isel_condition may fold a load into the compare and put
                            its trap code in mi->aux[cond_trap_aux]; -1: no folding */

    /* The current IR instruction's machine code, in forward order, and the
     * block's chunks collected backwards. */
    MachInst *chunk;
    uint32_t nchunk, cap_chunk;
    MachInst *rev;       /* block code, chunk after chunk in reverse order */
    uint32_t nrev, cap_rev;
    uint32_t *chunk_at;  /* start of each chunk in rev */
    uint32_t nchunks, cap_chunks;

    /* Memory base/length vregs needed after the current point, to be loaded
     * at the start of the current call-free segment. */
    uint32_t *mem_base, *mem_len;

    /* Loop hoisting of memory bases/lengths (isel.c plan_hoisting): the
     * outermost call-free loops keep them in vregs loaded once in the loop's
     * preheader. By IR block id: owning loop + 1 (0: none), preheader of
     * loop + 1. hoist[2 * (loop * nmemories + m) + k]: base (k = 0) or
     * length (k = 1) vreg of memory m, CG_NO_REG when not hoisted. */
    uint32_t *loop_owner, *pre_loop;
    uint32_t *hoist;
    uint32_t *seeded; /* [2m + k]: the vreg seeded for the current block, else CG_NO_REG */

    /* Edge blocks created for critical edges: (mach block, IR dest, args). */
    struct EdgeBlock { uint32_t mb, from; uint32_t target; uint32_t *args; uint32_t nargs; } *edges;
    uint32_t nedges, cap_edges;
} Isel;

/* isel.c */
MachInst *isel_mk(Isel *s, X64Pseudo op);
uint8_t isel_opnd(MachInst *mi, uint32_t reg, CgOpndKind kind);
uint32_t isel_reg(Isel *s, IrValue v);        /* value in a vreg (constants materialized here) */
uint32_t isel_def(Isel *s, IrValue v);        /* the vreg that holds v */
uint32_t isel_new(Isel *s, IrType t);
bool isel_const(Isel *s, IrValue v, int64_t *out); /* v is an iconst (sign-extended from its type) */
IrInst isel_sinkable(Isel *s, IrValue v, IrOpcode op); /* single-use pure def in this block, or none */
bool isel_fail(Isel *s, const char *fmt, const char *what);
void isel_move(Isel *s, uint32_t dst, uint32_t src, unsigned size);
uint32_t isel_mem_base(Isel *s, uint32_t mem);
uint32_t isel_mem_len(Isel *s, uint32_t mem);
uint32_t isel_trap_code(IrTrapCode c);
/* A runtime helper call: args are (vmctx, then the given vregs/immediates). */
typedef struct RtArg { uint32_t vreg; bool is_imm; int64_t imm; bool is_float; } RtArg;
uint32_t isel_rt_call(Isel *s, const char *name, const RtArg *args, uint32_t n, IrType ret);

/* Sets up the flags for condition c in mi (a sunk icmp/fcmp or a test) and
 * returns the x86 condition; fmode (may be NULL: then float eq/ne are not
 * sunk) receives 1/2 for float eq/ne, which also need the parity flag. */
X64Cond isel_condition(Isel *s, MachInst *mi, IrValue c, uint32_t *fmode, CgOpndKind kind);

/* isel_simd.c: refuses (with err set) a function whose v128 values cannot
 * be lowered yet; lowers vconst and the supported lane operations (vop1/2/3)
 * into d. */
bool isel_simd_check(IrFunc *f, WasmcError *err);
bool isel_simd_op(Isel *s, IrInst i, uint32_t d);

/* isel_ops.c: one IR instruction that is not control flow or a call. */
bool isel_op(Isel *s, IrInst i);

/* Load folding (opt_level >= 1): v is a single-use plain `load.t` in the
 * current block and everything between it and s->cur_inst is pure, so it
 * may execute as a memory operand of the current instruction. Returns the
 * load, or none. */
IrInst isel_foldable_load(Isel *s, IrValue v, IrType t);
typedef struct FoldMem {
    uint32_t base, addr; /* vregs */
    int32_t disp;
    bool trap;           /* the access is an implicit trap site (MEMORY_OOB) */
} FoldMem;
/* Consumes the load and emits what its address needs (bounds check). */
void isel_fold_prepare(Isel *s, IrInst ld, FoldMem *fm);
/* Adds the address operands to mi (kind: CG_USE_LATE next to a tied def). */
X64Opnd isel_fold_opnd(MachInst *mi, const FoldMem *fm, CgOpndKind kind);

static inline CgRegClass isel_class(IrType t)
{
    return ir_type_is_float(t) || t == IR_TYPE_V128 ? CG_CLASS_FLOAT : CG_CLASS_INT; /* v128: an XMM register */
}
static inline unsigned isel_size(IrType t) { return t == IR_TYPE_I32 || t == IR_TYPE_F32 ? 4 : 8; }

#endif
