/* The vmctx layout (wasmc_rt.h section 2; DESIGN.md 4): the ONE place the
 * compiler decides where things live in an instance context. The result
 * feeds both codegen (CgModuleInfo) and the runtime descriptor (the offset
 * arrays), so the two agree by construction.
 *
 * Layout, in this order, each part aligned as noted:
 *     0    WasmcInstance *                      (fixed by the ABI)
 *     8    stack limit word (uintptr_t)         (small offset: short prologue compares)
 *          memories: defined WasmcMemoryRecord (16) / imported pointer (8)   align 8
 *          tables:   defined WasmcTableRecord (24) / imported pointer (8)    align 8
 *          globals:  defined 16-byte storage / imported pointer (8)          align 16 / 8
 *          import slots: WasmcImportSlot (16)                                align 16
 *          funcrefs: WasmcFuncRef[nfuncs] (32 each)                          align 16
 *          type ids: uint32_t[ntypes]                                        align 4
 *     size rounded up to 16.
 * Every offset must stay below 2^31 so codegen can use it as a disp32; a
 * module that would need more is rejected (implementation limit).
 *
 * Bounds-check strategy per memory: GUARD for 32-bit memories with 64 KiB
 * pages (shared or not: the runtime reserves 4 GiB + guard for both), unless
 * --bounds-checks=explicit; EXPLICIT for memory64 and 1-byte pages. */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

#define VMCTX_LIMIT ((uint64_t)INT32_MAX)

_Static_assert(sizeof(WasmcFuncRef) == 32, "funcrefs are 32 bytes (codegen.h)");
_Static_assert(sizeof(WasmcMemoryRecord) == 16, "memory record size");
_Static_assert(sizeof(WasmcTableRecord) == 24, "table record size");
_Static_assert(sizeof(WasmcImportSlot) == 16, "import slot size");
_Static_assert(sizeof(WasmcVal) == 16, "global storage size");

static uint64_t align_up(uint64_t n, uint64_t a) { return (n + a - 1) & ~(a - 1); }

/* Reserves n bytes at alignment a; returns the offset. */
static uint32_t take(uint64_t *next, uint64_t n, uint64_t a)
{
    uint64_t off = align_up(*next, a);
    *next = off + n;
    return off > VMCTX_LIMIT ? UINT32_MAX : (uint32_t)off;
}

void vmctx_layout_free(VmctxLayout *l)
{
    free(l->memory_offsets);
    free(l->table_offsets);
    free(l->global_offsets);
    free(l->import_func_offsets);
    free(l->memories);
    free(l->tables);
    free(l->globals);
    memset(l, 0, sizeof *l);
}

bool vmctx_layout_compute(const WasmModule *m, WasmcBoundsChecks bounds, VmctxLayout *l,
                          WasmcError *err)
{
    memset(l, 0, sizeof *l);
    /* +1: calloc(0) may return NULL, which would look like a failure. */
    l->memory_offsets = calloc(m->nmemories + 1, sizeof *l->memory_offsets);
    l->memories = calloc(m->nmemories + 1, sizeof *l->memories);
    l->table_offsets = calloc(m->ntables + 1, sizeof *l->table_offsets);
    l->tables = calloc(m->ntables + 1, sizeof *l->tables);
    l->global_offsets = calloc(m->nglobals + 1, sizeof *l->global_offsets);
    l->globals = calloc(m->nglobals + 1, sizeof *l->globals);
    l->import_func_offsets = calloc(m->nimported_funcs + 1, sizeof *l->import_func_offsets);
    if (!l->memory_offsets || !l->memories || !l->table_offsets || !l->tables || !l->global_offsets ||
        !l->globals || !l->import_func_offsets) {
        vmctx_layout_free(l);
        return wasmc_fail(err, WASMC_NO_OFFSET, "out of memory");
    }

    uint64_t next = sizeof(void *); /* offset 0: the instance pointer */
    l->cg.stack_limit_offset = take(&next, sizeof(uintptr_t), 8);

    for (uint32_t i = 0; i < m->nmemories; i++) {
        const WasmLimits *lim = &m->memories[i].limits;
        bool imported = i < m->nimported_memories;
        CgMemoryInfo *mi = &l->memories[i];
        mi->imported = imported;
        mi->is64 = lim->is64;
        mi->strategy = (!lim->is64 && lim->page_log2 == 16 && bounds == WASMC_BOUNDS_CHECKS_GUARD)
                           ? CG_BOUNDS_GUARD
                           : CG_BOUNDS_EXPLICIT;
        mi->offset = l->memory_offsets[i] =
            take(&next, imported ? sizeof(void *) : sizeof(WasmcMemoryRecord), 8);
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        bool imported = i < m->nimported_tables;
        CgTableInfo *ti = &l->tables[i];
        ti->imported = imported;
        ti->is64 = m->tables[i].limits.is64;
        ti->offset = l->table_offsets[i] = take(&next, imported ? sizeof(void *) : sizeof(WasmcTableRecord), 8);
    }
    for (uint32_t i = 0; i < m->nglobals; i++) {
        bool imported = i < m->nimported_globals;
        CgGlobalInfo *gi = &l->globals[i];
        gi->imported = imported;
        gi->offset = l->global_offsets[i] =
            imported ? take(&next, sizeof(void *), 8) : take(&next, sizeof(WasmcVal), 16);
    }
    for (uint32_t i = 0; i < m->nimported_funcs; i++)
        l->import_func_offsets[i] = take(&next, sizeof(WasmcImportSlot), 16);
    l->cg.funcrefs_offset = take(&next, (uint64_t)m->nfuncs * sizeof(WasmcFuncRef), 16);
    l->cg.type_ids_offset = take(&next, (uint64_t)m->ntypes * sizeof(uint32_t), 4);
    next = align_up(next, 16);
    /* take() saturates to UINT32_MAX past the limit; checking the end is enough
     * because offsets only grow. */
    if (next > VMCTX_LIMIT)
        return vmctx_layout_free(l),
               wasmc_fail(err, WASMC_NO_OFFSET,
                          "the instance context would need %llu bytes (implementation limit 2 GiB)",
                          (unsigned long long)next);
    l->size = (uint32_t)next;

    l->cg.nfuncs = m->nfuncs;
    l->cg.nimported_funcs = m->nimported_funcs;
    l->cg.import_slot_offsets = l->import_func_offsets;
    l->cg.nmemories = m->nmemories;
    l->cg.memories = l->memories;
    l->cg.ntables = m->ntables;
    l->cg.tables = l->tables;
    l->cg.nglobals = m->nglobals;
    l->cg.globals = l->globals;
    return true;
}
