/* MachFunc containers (mach.h): growable arrays, nothing clever. */
#include "mach.h"

#include <stdlib.h>
#include <string.h>

#include "../support/arena.h"

#define GROW(arr, n, cap)                                                     \
    do {                                                                      \
        if ((n) == (cap)) {                                                   \
            (cap) = (cap) ? (cap) * 2 : 16;                                   \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));           \
        }                                                                     \
    } while (0)

void mach_init(MachFunc *mf)
{
    memset(mf, 0, sizeof *mf);
    mf->prestored_vreg = CG_NO_REG;
}

void mach_free(MachFunc *mf)
{
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        free(mf->blocks[b].params);
        free(mf->blocks[b].succs);
        free(mf->blocks[b].preds);
    }
    free(mf->blocks);
    free(mf->insts);
    free(mf->edge_args);
    free(mf->vreg_class);
    memset(mf, 0, sizeof *mf);
}

uint32_t mach_new_vreg(MachFunc *mf, CgRegClass cls)
{
    GROW(mf->vreg_class, mf->nvregs, mf->cap_vregs);
    mf->vreg_class[mf->nvregs] = (uint8_t)cls;
    return CG_FIRST_VREG + mf->nvregs++;
}

MachInst *mach_push(MachFunc *mf)
{
    GROW(mf->insts, mf->ninsts, mf->cap_insts);
    MachInst *mi = &mf->insts[mf->ninsts++];
    memset(mi, 0, sizeof *mi);
    return mi;
}

uint32_t mach_new_block(MachFunc *mf)
{
    GROW(mf->blocks, mf->nblocks, mf->cap_blocks);
    memset(&mf->blocks[mf->nblocks], 0, sizeof(MachBlock));
    return mf->nblocks++;
}

void mach_block_add_param(MachFunc *mf, uint32_t b, uint32_t vreg)
{
    MachBlock *mb = &mf->blocks[b];
    mb->params = xrealloc(mb->params, (mb->nparams + 1) * sizeof *mb->params);
    mb->params[mb->nparams++] = vreg;
}

void mach_block_add_succ(MachFunc *mf, uint32_t b, uint32_t succ, const uint32_t *src, uint32_t n)
{
    MachBlock *mb = &mf->blocks[b];
    mb->succs = xrealloc(mb->succs, (mb->nsuccs + 1) * sizeof *mb->succs);
    MachSucc *s = &mb->succs[mb->nsuccs++];
    s->block = succ;
    s->first_arg = mf->nedge_args;
    s->nargs = n;
    for (uint32_t i = 0; i < n; i++) {
        GROW(mf->edge_args, mf->nedge_args, mf->cap_edge_args);
        mf->edge_args[mf->nedge_args++] = (MachEdgeArg){ src[i], mf->blocks[succ].params[i] };
    }
}

void mach_compute_preds(MachFunc *mf)
{
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        free(mf->blocks[b].preds);
        mf->blocks[b].preds = NULL;
        mf->blocks[b].npreds = 0;
    }
    for (uint32_t b = 0; b < mf->nblocks; b++)
        for (uint32_t k = 0; k < mf->blocks[b].nsuccs; k++) {
            MachBlock *s = &mf->blocks[mf->blocks[b].succs[k].block];
            bool dup = false;
            for (uint32_t j = 0; j < s->npreds; j++)
                dup |= s->preds[j] == b;
            if (dup)
                continue;
            s->preds = xrealloc(s->preds, (s->npreds + 1) * sizeof *s->preds);
            s->preds[s->npreds++] = b;
        }
}
