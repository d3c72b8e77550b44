/* Register allocation over a MachFunc (regalloc.c) and parallel moves
 * (parmove.c). Target-neutral: the target describes its registers with
 * CgRegInfo and gets back operands rewritten to pregs plus move groups to
 * emit. */
#ifndef WASMC_CODEGEN_REGALLOC_H
#define WASMC_CODEGEN_REGALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mach.h"

typedef struct CgRegInfo {
    uint64_t allocatable[CG_NUM_CLASSES]; /* pregs the allocator may hand out */
    uint64_t callee_saved;                /* preserved across calls (used ones get saved) */
    const uint8_t *order[CG_NUM_CLASSES]; /* preference order (caller-saved first) */
    uint32_t norder[CG_NUM_CLASSES];
} CgRegInfo;

/* A value location: a preg or a spill slot (8 bytes each; the frame maps
 * slot numbers to addresses). */
typedef struct CgLoc {
    uint8_t is_slot;
    uint32_t n; /* preg number or slot index */
} CgLoc;

static inline bool cg_loc_eq(CgLoc a, CgLoc b) { return a.is_slot == b.is_slot && a.n == b.n; }

typedef struct CgMove {
    CgLoc src, dst;
    uint8_t cls; /* CgRegClass */
} CgMove;

/* Where a group of parallel moves goes. */
typedef enum CgMoveAnchor {
    CG_AT_BLOCK_START, /* before the block's first instruction (after edge moves) */
    CG_BEFORE_INST,    /* before instruction `inst` */
    CG_EDGE_IN_SUCC,   /* edge moves placed at the start of `block` (its only pred) */
    CG_EDGE_IN_PRED,   /* edge moves placed before `block`'s terminator */
} CgMoveAnchor;

typedef struct CgMoveGroup {
    uint8_t anchor;   /* CgMoveAnchor */
    uint32_t block, inst;
    uint32_t first, n; /* into RegAllocResult.moves: one parallel move */
} CgMoveGroup;

typedef struct RegAllocResult {
    CgMove *moves;
    uint32_t nmoves, cap_moves;
    CgMoveGroup *groups;  /* sorted: by block, then anchor order, then inst */
    uint32_t ngroups, cap_groups;
    uint32_t nslots;      /* spill slots used (including the prestored one) */
    uint64_t used_callee_saved;
    /* statistics, for tests */
    uint32_t nsplits, nspilled_vregs;
} RegAllocResult;

/* Allocates registers: rewrites every operand of mf to a preg and fills
 * `out`. Returns false with a message in err if constraints cannot be met
 * (a compiler bug in isel, reported as a value). */
bool cg_regalloc(MachFunc *mf, const CgRegInfo *ri, RegAllocResult *out, char *err, size_t errlen);
void cg_regalloc_free(RegAllocResult *r);

/* Sequentializes one parallel move (distinct destinations; all sources are
 * read before any destination is written). Emits moves in order through
 * `emit`; a cycle is broken by saving one destination's old value in
 * scratch[cls] (a preg that is never a source or destination of a parallel
 * move). The target must do slot-to-slot moves without that scratch
 * (x86-64: push/pop), since it may hold a saved value at the time. */
typedef void (*CgMoveEmitFn)(void *ctx, const CgMove *m);
void cg_parallel_move(const CgMove *moves, uint32_t n, const uint32_t scratch[CG_NUM_CLASSES],
                      CgMoveEmitFn emit, void *ctx);

#endif
