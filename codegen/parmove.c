/* Parallel moves -> a sequence of moves (regalloc.h).
 *
 * Repeatedly emit a move whose destination no pending move still reads.
 * When none is left, the pending moves form cycles: save one destination's
 * current value in the class scratch register, redirect its readers to the
 * scratch, and go on (the move into that destination is now free). One
 * scratch per class suffices because a saved value is consumed before the
 * next cycle is broken: a cycle, once opened, drains completely, and its
 * last move reads the scratch. */
#include <stdlib.h>
#include <string.h>

#include "../support/arena.h"
#include "regalloc.h"

void cg_parallel_move(const CgMove *moves, uint32_t n, const uint32_t scratch[CG_NUM_CLASSES],
                      CgMoveEmitFn emit, void *ctx)
{
    CgMove *p = xmalloc((n ? n : 1) * sizeof *p);
    uint32_t np = 0;
    for (uint32_t i = 0; i < n; i++)
        if (!cg_loc_eq(moves[i].src, moves[i].dst))
            p[np++] = moves[i];
    while (np) {
        bool progress = false;
        for (uint32_t i = 0; i < np; i++) {
            bool read = false;
            for (uint32_t j = 0; j < np && !read; j++)
                read = j != i && cg_loc_eq(p[j].src, p[i].dst);
            if (read)
                continue;
            emit(ctx, &p[i]);
            p[i] = p[--np];
            progress = true;
            i--;
        }
        if (progress || !np)
            continue;
        /* Only cycles remain: free p[0]'s destination. */
        CgLoc d = p[0].dst;
        uint8_t cls = p[0].cls;
        for (uint32_t j = 0; j < np; j++)
            if (cg_loc_eq(p[j].src, d))
                cls = p[j].cls; /* the class of the value held in d */
        CgMove save = { d, { 0, scratch[cls] }, cls };
        emit(ctx, &save);
        for (uint32_t j = 0; j < np; j++)
            if (cg_loc_eq(p[j].src, d))
                p[j].src = save.dst;
    }
    free(p);
}
