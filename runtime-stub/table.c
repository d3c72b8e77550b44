/* table.c — tables and the table/element helpers compiled code calls.
 *
 * A table is an array of void * (WasmcFuncRef * for funcref, an opaque host pointer for
 * externref; NULL is the null reference) described to compiled code by a
 * WasmcTableRecord {base, length, max}. table.grow may realloc the array, so compiled
 * code reloads base and length after any call. Every helper bounds-checks per the spec
 * and traps "out of bounds table access"; call_indirect's own check is the compiler's.
 */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

#define TABLE_LIMIT ((uint64_t)1 << 28) /* implementation limit on elements */

WasmcTable *rt_table_create(const WasmcTableDef *def, WasmcTableRecord *rec) {
  uint64_t max = (def->flags & WASMC_TABLE_HAS_MAX) ? def->max : UINT64_MAX;
  if (def->min > TABLE_LIMIT || def->min > max) {
    rt_set_error("table minimum of %llu elements exceeds the limit",
                 (unsigned long long)def->min);
    return NULL;
  }
  WasmcTable *t = calloc(1, sizeof *t);
  void **base = calloc(def->min ? def->min : 1, sizeof(void *));
  if (!t || !base) {
    free(t);
    free(base);
    rt_set_error("cannot allocate table");
    return NULL;
  }
  t->rec = rec ? rec : &t->own_rec;
  t->elem_type = def->elem_type;
  t->ref = def->ref; /* the importer's instantiate makes a descriptor's type canonical */
  t->flags = def->flags;
  t->rec->base = base;
  t->rec->length = def->min;
  t->rec->max = max;
  return t;
}

void rt_table_destroy(WasmcTable *t) {
  if (!t) return;
  free(t->rec->base);
  free(t);
}

bool rt_table_matches(const WasmcTable *t, const WasmcTableDef *want,
                      const WasmcRefType *want_ref) {
  if (!rt_valtype_eq(t->elem_type, &t->ref, want->elem_type, want_ref)) return false;
  if ((t->flags & WASMC_TABLE_64) != (want->flags & WASMC_TABLE_64)) return false;
  if (t->rec->length < want->min) return false;
  if (want->flags & WASMC_TABLE_HAS_MAX) return t->rec->max <= want->max;
  return true;
}

static int64_t table_grow(WasmcTable *t, void *init, uint64_t delta) {
  WasmcTableRecord *r = t->rec;
  uint64_t old = r->length;
  uint64_t limit = r->max < TABLE_LIMIT ? r->max : TABLE_LIMIT;
  if (delta > limit - old) return -1;
  if (delta == 0) return (int64_t)old;
  void **nb = realloc(r->base, (old + delta) * sizeof(void *));
  if (!nb) return -1;
  for (uint64_t i = old; i < old + delta; i++) nb[i] = init;
  r->base = nb;
  r->length = old + delta;
  return (int64_t)old;
}

static bool in_bounds(uint64_t start, uint64_t len, uint64_t limit) {
  return start <= limit && len <= limit - start;
}

static WasmcTable *table_of(WasmcVmctx *vmctx, uint32_t table) {
  return rt_instance_of(vmctx)->tables[table];
}

bool rt_table_init_segment(WasmcInstance *inst, uint32_t table, uint32_t seg, uint64_t dst,
                           uint64_t src, uint64_t len) {
  WasmcTableRecord *r = inst->tables[table]->rec;
  if (!in_bounds(src, len, inst->elem_count[seg]) || !in_bounds(dst, len, r->length))
    return false;
  if (len) memcpy(r->base + dst, inst->elem_items[seg] + src, len * sizeof(void *));
  return true;
}

/* ---- public ---------------------------------------------------------------------------- */

WasmcTable *wasmc_rt_table_new(const WasmcTableDef *def) { return rt_table_create(def, NULL); }
void wasmc_rt_table_free(WasmcTable *table) { rt_table_destroy(table); }
const WasmcTableRecord *wasmc_rt_table_record(const WasmcTable *table) { return table->rec; }

void *wasmc_rt_table_get(WasmcVmctx *vmctx, uint32_t table, uint64_t idx) {
  WasmcTableRecord *r = table_of(vmctx, table)->rec;
  if (idx >= r->length) wasmc_rt_trap(vmctx, WASMC_TRAP_TABLE_OOB);
  return r->base[idx];
}

void wasmc_rt_table_set(WasmcVmctx *vmctx, uint32_t table, uint64_t idx, void *ref) {
  WasmcTableRecord *r = table_of(vmctx, table)->rec;
  if (idx >= r->length) wasmc_rt_trap(vmctx, WASMC_TRAP_TABLE_OOB);
  r->base[idx] = ref;
}

uint64_t wasmc_rt_table_size(WasmcVmctx *vmctx, uint32_t table) {
  return table_of(vmctx, table)->rec->length;
}

int64_t wasmc_rt_table_grow(WasmcVmctx *vmctx, uint32_t table, void *init, uint64_t delta) {
  return table_grow(table_of(vmctx, table), init, delta);
}

void wasmc_rt_table_fill(WasmcVmctx *vmctx, uint32_t table, uint64_t dst, void *ref,
                         uint64_t len) {
  WasmcTableRecord *r = table_of(vmctx, table)->rec;
  if (!in_bounds(dst, len, r->length)) wasmc_rt_trap(vmctx, WASMC_TRAP_TABLE_OOB);
  for (uint64_t i = 0; i < len; i++) r->base[dst + i] = ref;
}

void wasmc_rt_table_copy(WasmcVmctx *vmctx, uint32_t dst_table, uint32_t src_table,
                         uint64_t dst, uint64_t src, uint64_t len) {
  WasmcTableRecord *d = table_of(vmctx, dst_table)->rec;
  WasmcTableRecord *s = table_of(vmctx, src_table)->rec;
  if (!in_bounds(dst, len, d->length) || !in_bounds(src, len, s->length))
    wasmc_rt_trap(vmctx, WASMC_TRAP_TABLE_OOB);
  if (len) memmove(d->base + dst, s->base + src, len * sizeof(void *));
}

void wasmc_rt_table_init(WasmcVmctx *vmctx, uint32_t table, uint32_t seg, uint64_t dst,
                         uint32_t src, uint32_t len) {
  if (!rt_table_init_segment(rt_instance_of(vmctx), table, seg, dst, src, len))
    wasmc_rt_trap(vmctx, WASMC_TRAP_TABLE_OOB);
}

void wasmc_rt_elem_drop(WasmcVmctx *vmctx, uint32_t seg) {
  rt_instance_of(vmctx)->elem_count[seg] = 0;
}
