/* Target-neutral machine code on virtual registers (STYLE.md 4).
 *
 * A MachFunc is what instruction selection produces and the register
 * allocator consumes: blocks in layout (= emission) order, each a run of
 * MachInsts ending in a terminator. The allocator reads only the operand
 * constraints below; the target payload (`tgt`) is opaque to it.
 *
 * Registers: numbers below CG_FIRST_VREG are physical registers of the
 * target (pregs; x86-64 uses 0..31), numbers from CG_FIRST_VREG on are
 * virtual registers (vregs). Every vreg is defined exactly once (SSA): by
 * one instruction operand or as a block parameter.
 *
 * Positions: instruction i (numbered across the function in layout order)
 * reads its early uses at 2i and writes its defs at 2i+1. Live ranges are
 * half-open [from, to). A late use stays live through 2i+1, so it can never
 * share a register with a def of the same instruction; an early def starts
 * at 2i, so it never shares one with any use. A tied def (reuse of input 0)
 * is written by the target as "copy input 0 into the def, then operate": the
 * instruction's other uses must therefore be late (isel guarantees it).
 *
 * Fixed registers: isel copies values into and out of pregs with MOVE
 * instructions and names pregs directly in operands or in the use/def
 * masks; the allocator turns those into fixed intervals that keep vregs
 * out of the preg while it holds a value. Calls list what they destroy in
 * `clobbers`. */
#ifndef WASMC_CODEGEN_MACH_H
#define WASMC_CODEGEN_MACH_H

#include <stdbool.h>
#include <stdint.h>

#define CG_FIRST_VREG 64u
#define CG_MAX_OPNDS 6
#define CG_NO_REG UINT32_MAX

static inline bool cg_is_vreg(uint32_t r) { return r >= CG_FIRST_VREG && r != CG_NO_REG; }

typedef enum CgRegClass { CG_CLASS_INT, CG_CLASS_FLOAT, CG_NUM_CLASSES } CgRegClass;

typedef enum CgOpndKind {
    CG_USE,       /* read at 2i */
    CG_USE_LATE,  /* read at 2i, live until 2i+2 */
    CG_DEF,       /* written at 2i+1 */
    CG_DEF_EARLY, /* written at 2i (temporaries that must not overlap inputs) */
    CG_DEF_TIED,  /* written at 2i+1; prefers input operand 0's register */
} CgOpndKind;

typedef struct CgOperand {
    uint32_t reg; /* vreg, or preg (then fixed); rewritten to the preg by regalloc */
    uint8_t kind; /* CgOpndKind */
} CgOperand;

enum {
    CG_MI_MOVE = 1u << 0, /* register copy: opnd[0] def <- opnd[1] use (hints) */
    CG_MI_TERM = 1u << 1, /* block terminator */
};

#define CG_TGT_BYTES 88 /* target payload, opaque to the framework */

typedef struct MachInst {
    uint8_t nopnds;
    uint8_t flags;          /* CG_MI_* */
    uint16_t op;            /* target opcode (pseudo or real) */
    CgOperand opnd[CG_MAX_OPNDS];
    uint64_t preg_uses;     /* pregs read besides the operands (call arguments) */
    uint64_t preg_defs;     /* pregs written besides the operands (call results) */
    uint64_t clobbers;      /* pregs destroyed at 2i+1 (caller-saved at calls) */
    uint32_t aux[3];        /* target data: successor slots, label ids, codes */
    _Alignas(8) unsigned char tgt[CG_TGT_BYTES];
} MachInst;

/* One value passed along a CFG edge to a block parameter. */
typedef struct MachEdgeArg {
    uint32_t src, dst; /* vregs: argument at the end of pred -> parameter of succ */
} MachEdgeArg;

typedef struct MachSucc {
    uint32_t block;    /* successor MachBlock index */
    uint32_t first_arg, nargs; /* into MachFunc.edge_args */
} MachSucc;

typedef struct MachBlock {
    uint32_t first, n;          /* instructions [first, first+n) of MachFunc.insts */
    uint32_t *params;           /* vregs defined at block entry */
    uint32_t nparams;
    MachSucc *succs;
    uint32_t nsuccs;
    uint32_t *preds;
    uint32_t npreds;
    uint32_t label;             /* target label id (filled by the emitter) */
} MachBlock;

typedef struct MachFunc {
    MachInst *insts;
    uint32_t ninsts, cap_insts;
    MachBlock *blocks;          /* layout order; block 0 is the entry */
    uint32_t nblocks, cap_blocks;
    MachEdgeArg *edge_args;
    uint32_t nedge_args, cap_edge_args;
    uint8_t *vreg_class;        /* CgRegClass by vreg - CG_FIRST_VREG */
    uint32_t nvregs, cap_vregs;
    /* A vreg whose stack slot is written by the prologue and never changes
     * (x86-64: vmctx at [rbp-8]): spills of it need no store. CG_NO_REG if none. */
    uint32_t prestored_vreg;
    uint32_t prestored_slot;
} MachFunc;

void mach_init(MachFunc *mf);
void mach_free(MachFunc *mf);
uint32_t mach_new_vreg(MachFunc *mf, CgRegClass cls);
static inline CgRegClass mach_vreg_class(const MachFunc *mf, uint32_t v)
{
    return (CgRegClass)mf->vreg_class[v - CG_FIRST_VREG];
}
/* Appends an instruction to the function's instruction array (the caller
 * arranges blocks as ranges of it). */
MachInst *mach_push(MachFunc *mf);
uint32_t mach_new_block(MachFunc *mf);
void mach_block_add_param(MachFunc *mf, uint32_t b, uint32_t vreg);
/* Adds successor `succ` with edge arguments src[i] -> succ's params. */
void mach_block_add_succ(MachFunc *mf, uint32_t b, uint32_t succ, const uint32_t *src, uint32_t n);
/* Fills preds from succs. */
void mach_compute_preds(MachFunc *mf);

#endif
