/* instance.c — instantiation (wasmc_rt.h section 4), instance lifetime, exports, stores,
 * and the named-instance registry.
 *
 * Invariants:
 *  - vmctx offset 0 holds the owning instance (helpers find everything from it);
 *  - an instance is destroyed when its reference count reaches 0: one reference for the
 *    embedder, one per instance that imported something from it;
 *  - instances linked by an import share one RtStore (union of both stores), so an entry
 *    can write the stack limit into every instance a call can reach;
 *  - an instance whose instantiation traps after writing its funcrefs into an imported
 *    table is never freed (the table may still call it);
 *  - the order of effects is the spec's: imports, memories/tables, init (globals, then
 *    offsets), table initial values, element segments, data segments, start. A trapping
 *    segment stops there; earlier segments' writes stay visible through imports.
 */
#include "rt_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local char error_text[256];

void rt_set_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error_text, sizeof error_text, fmt, ap);
  va_end(ap);
}

const char *wasmc_rt_error_message(void) { return error_text; }

WasmcFuncRef *rt_funcref(WasmcInstance *inst, uint32_t func) {
  return VMCTX_AT(inst->vmctx, inst->desc->funcrefs_offset + func * sizeof(WasmcFuncRef),
                  WasmcFuncRef);
}

WasmcRefType rt_canonical_ref(WasmcInstance *inst, const WasmcRefType *r) {
  WasmcRefType c = *r;
  if (c.heap != WASMC_HEAP_TYPE)
    c.type = 0;
  else /* 0 (never an id) for a bad index: it matches no real type */
    c.type = r->type < inst->desc->num_types
                 ? *VMCTX_AT(inst->vmctx, inst->desc->type_ids_offset + 4 * r->type, uint32_t)
                 : 0;
  return c;
}


/* A wasm name for a message: printable ASCII as is, other bytes as \xHH. */
static const char *printable(const char *s, size_t len, char *buf, size_t size) {
  static const char hex[] = "0123456789abcdef";
  size_t n = 0;
  for (size_t i = 0; i < len && n + 5 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      buf[n++] = (char)c;
    } else {
      buf[n++] = '\\';
      buf[n++] = 'x';
      buf[n++] = hex[c >> 4];
      buf[n++] = hex[c & 15];
    }
  }
  buf[n] = '\0';
  return buf;
}

WasmcVmctx *wasmc_rt_instance_vmctx(WasmcInstance *inst) { return inst->vmctx; }
const WasmcModuleDesc *wasmc_rt_instance_desc(WasmcInstance *inst) { return inst->desc; }
WasmcMemory *wasmc_rt_instance_memory(WasmcInstance *inst, uint32_t mem) {
  return mem < inst->desc->num_memories ? inst->memories[mem] : NULL;
}

/* ---- stores ------------------------------------------------------------------------------ */

static bool store_add(RtStore *s, WasmcInstance *inst) {
  if (s->count == s->cap) {
    uint32_t ncap = s->cap ? s->cap * 2 : 4;
    WasmcInstance **m = realloc(s->members, ncap * sizeof *m);
    if (!m) return false;
    s->members = m;
    s->cap = ncap;
  }
  s->members[s->count++] = inst;
  inst->store = s;
  return true;
}

static void store_remove(WasmcInstance *inst) {
  RtStore *s = inst->store;
  for (uint32_t i = 0; i < s->count; i++) {
    if (s->members[i] == inst) {
      s->members[i] = s->members[--s->count];
      break;
    }
  }
  if (s->count == 0) {
    free(s->members);
    free(s);
  }
}

/* Moves every member of the smaller store into the larger one. */
static bool store_merge(WasmcInstance *a, WasmcInstance *b) {
  RtStore *sa = a->store, *sb = b->store;
  if (sa == sb) return true;
  if (sa->count < sb->count) {
    RtStore *t = sa;
    sa = sb;
    sb = t;
  }
  while (sb->count) {
    if (!store_add(sa, sb->members[sb->count - 1])) return false;
    sb->count--;
  }
  free(sb->members);
  free(sb);
  return true;
}

/* ---- lifetime ----------------------------------------------------------------------------- */

static void instance_release(WasmcInstance *inst) {
  if (atomic_fetch_sub(&inst->refs, 1) != 1) return;
  const WasmcModuleDesc *d = inst->desc;
  if (inst->store) store_remove(inst);
  for (uint32_t i = d->num_imported_memories; inst->memories && i < d->num_memories; i++)
    rt_memory_destroy(inst->memories[i]);
  for (uint32_t i = d->num_imported_tables; inst->tables && i < d->num_tables; i++)
    rt_table_destroy(inst->tables[i]);
  for (uint32_t i = 0; inst->elem_items && i < d->num_elems; i++) free(inst->elem_items[i]);
  for (uint32_t i = 0; i < inst->num_deps; i++) instance_release(inst->deps[i]);
  if (inst->registered_code) rt_registry_remove(d);
  free(inst->memories);
  free(inst->tables);
  free(inst->deps);
  free(inst->data_dropped);
  free(inst->elem_count);
  free(inst->elem_items);
  free(inst->import_global_types);
  free(inst->vmctx);
  free(inst);
}

void wasmc_rt_instance_free(WasmcInstance *inst) {
  if (inst) instance_release(inst);
}

/* ---- imports ------------------------------------------------------------------------------ */

static bool add_dep(WasmcInstance *inst, WasmcInstance *owner) {
  if (!owner || owner == inst) return true;
  for (uint32_t i = 0; i < inst->num_deps; i++)
    if (inst->deps[i] == owner) return true;
  if (!store_merge(inst, owner)) return false;
  atomic_fetch_add(&owner->refs, 1);
  inst->deps[inst->num_deps++] = owner;
  return true;
}

static WasmcStatus bind_import(WasmcInstance *inst, const WasmcImport *imp, WasmcResolveFn resolve,
                               void *user) {
  const WasmcModuleDesc *d = inst->desc;
  WasmcExtern ext;
  memset(&ext, 0, sizeof ext);
  bool found = resolve && resolve(user, d, imp, &ext);
  if (!found && imp->kind == WASMC_EXTERN_FUNC && imp->host_code) {
    ext.kind = WASMC_EXTERN_FUNC;
    ext.u.func.code = imp->host_code;
    found = true;
  }
  char mod_text[96], name_text[160];
  printable(imp->module, wasmc_rt_import_module_len(d, imp), mod_text, sizeof mod_text);
  printable(imp->name, wasmc_rt_import_name_len(d, imp), name_text, sizeof name_text);
  if (!found) {
    rt_set_error("unknown import \"%s\".\"%s\"", mod_text, name_text);
    return WASMC_ERR_LINK;
  }
  bool ok = ext.kind == imp->kind;
  uint32_t i = imp->index;
  if (ok) switch (imp->kind) {
    case WASMC_EXTERN_FUNC: {
      const char *want = d->types[d->func_types[i]];
      ok = ext.u.func.code && (!ext.u.func.signature || strcmp(ext.u.func.signature, want) == 0);
      WasmcImportSlot *slot = VMCTX_AT(inst->vmctx, d->import_func_offsets[i], WasmcImportSlot);
      slot->code = ext.u.func.code;
      slot->vmctx = ext.u.func.env;
      break;
    }
    case WASMC_EXTERN_MEMORY:
      ok = ext.u.memory && rt_memory_matches(ext.u.memory, &d->memories[i]);
      if (ok) {
        inst->memories[i] = ext.u.memory;
        *VMCTX_AT(inst->vmctx, d->memory_offsets[i], WasmcMemoryRecord *) = ext.u.memory->rec;
      }
      break;
    case WASMC_EXTERN_TABLE: {
      WasmcRefType want = rt_canonical_ref(inst, &d->tables[i].ref);
      ok = ext.u.table && rt_table_matches(ext.u.table, &d->tables[i], &want);
      if (ok) {
        inst->tables[i] = ext.u.table;
        *VMCTX_AT(inst->vmctx, d->table_offsets[i], WasmcTableRecord *) = ext.u.table->rec;
      }
      break;
    }
    case WASMC_EXTERN_GLOBAL: {
      /* Immutable: the exporter's type <: the import's; mutable: equal types. */
      const WasmcGlobalDef *g = &d->globals[i];
      WasmcRefType want = rt_canonical_ref(inst, &g->ref);
      const uint8_t have_t = ext.u.global.type;
      const WasmcRefType *have = &ext.u.global.ref;
      ok = ext.u.global.storage && !ext.u.global.mutable_ == !g->mutable_ &&
           (g->mutable_ ? rt_valtype_eq(have_t, have, g->type, &want)
                        : rt_valtype_sub(have_t, have, g->type, &want));
      *VMCTX_AT(inst->vmctx, d->global_offsets[i], WasmcVal *) = ext.u.global.storage;
      inst->import_global_types[i] = (RtGlobalType){have_t, ext.u.global.mutable_, *have};
      break;
    }
    default:
      ok = false;
  }
  if (!ok) {
    rt_set_error("incompatible import type for \"%s\".\"%s\"", mod_text, name_text);
    return WASMC_ERR_LINK;
  }
  if (!add_dep(inst, ext.owner)) {
    rt_set_error("out of memory");
    return WASMC_ERR_NOMEM;
  }
  return WASMC_OK;
}

/* ---- instantiation ------------------------------------------------------------------------ */

/* Array trampoline for "() -> ()" (the start function needs no compiler-emitted one). */
static void void_tramp(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *slots) {
  (void)slots;
  ((void (*)(WasmcVmctx *, WasmcVmctx *))fn)(callee, caller);
}

/* Runs the compiler's init under an entry, so a trap there unwinds cleanly. */
static void init_tramp(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *slots) {
  (void)caller;
  ((WasmcInitFn)fn)(callee, (const WasmcInitOut *)(void *)slots);
}

static WasmcStatus segment_trap(WasmcTrap *trap, uint32_t code, uint32_t seg, const char *kind) {
  rt_record_trap(code, 0, 0, 0, 0);
  if (trap) *trap = (WasmcTrap)code;
  rt_set_error("%s segment %u: %s", kind, seg, wasmc_rt_trap_message(code));
  return WASMC_ERR_TRAP;
}

static WasmcStatus instantiate(WasmcInstance *inst, WasmcResolveFn resolve, void *user,
                               WasmcTrap *trap) {
  const WasmcModuleDesc *d = inst->desc;
  WasmcVmctx *vm = inst->vmctx;
  WasmcStatus st = WASMC_OK;
  _Alignas(16) WasmcInitOut out = {0};

  for (uint32_t t = 0; t < d->num_types; t++)
    if (!(*VMCTX_AT(vm, d->type_ids_offset + 4 * t, uint32_t) =
              wasmc_rt_intern_signature(d->types[t])))
      goto nomem;
  for (uint32_t i = 0; i < d->num_imports; i++)
    if ((st = bind_import(inst, &d->imports[i], resolve, user)) != WASMC_OK) return st;

  for (uint32_t i = d->num_imported_memories; i < d->num_memories; i++)
    if (!(inst->memories[i] = rt_memory_create(
              &d->memories[i], VMCTX_AT(vm, d->memory_offsets[i], WasmcMemoryRecord))))
      return WASMC_ERR_NOMEM;
  for (uint32_t i = d->num_imported_tables; i < d->num_tables; i++)
    if (!(inst->tables[i] =
              rt_table_create(&d->tables[i], VMCTX_AT(vm, d->table_offsets[i], WasmcTableRecord))))
      return WASMC_ERR_NOMEM;
    else
      inst->tables[i]->ref = rt_canonical_ref(inst, &d->tables[i].ref);

  for (uint32_t f = 0; f < d->num_funcs; f++) {
    WasmcFuncRef *fr = rt_funcref(inst, f);
    uint32_t type = d->func_types[f];
    fr->type_id = *VMCTX_AT(vm, d->type_ids_offset + 4 * type, uint32_t);
    fr->tramp = d->type_tramps ? d->type_tramps[type] : NULL;
    if (f < d->num_imported_funcs) {
      WasmcImportSlot *slot = VMCTX_AT(vm, d->import_func_offsets[f], WasmcImportSlot);
      fr->code = slot->code;
      fr->vmctx = slot->vmctx;
    } else {
      fr->code = d->funcs[f - d->num_imported_funcs].code;
      fr->vmctx = vm;
    }
  }

  /* Constant expressions: globals into the vmctx, the rest into `out`. */
  out.data_offsets = calloc(d->num_data + 1, sizeof(uint64_t));
  out.elem_offsets = calloc(d->num_elems + 1, sizeof(uint64_t));
  out.elem_items = calloc(d->num_elems + 1, sizeof(void **));
  out.table_inits = calloc(d->num_tables + 1, sizeof(void *));
  if (!out.data_offsets || !out.elem_offsets || !out.elem_items || !out.table_inits) goto nomem;
  for (uint32_t i = 0; i < d->num_elems; i++) {
    const WasmcElemSegment *es = &d->elems[i];
    void **items = calloc(es->count + 1, sizeof(void *));
    if (!items) goto nomem;
    if (es->func_indices) {
      for (uint32_t k = 0; k < es->count; k++)
        items[k] = es->func_indices[k] == WASMC_ELEM_NULL ? NULL
                                                          : rt_funcref(inst, es->func_indices[k]);
      inst->elem_items[i] = items;
    } else {
      out.elem_items[i] = inst->elem_items[i] = items; /* init fills them */
    }
    inst->elem_count[i] = es->count;
  }
  if (d->init) {
    WasmcTrap t = rt_enter(inst, init_tramp, vm, vm, (void *)d->init, (WasmcVal *)(void *)&out);
    if (t) {
      if (trap) *trap = t;
      rt_set_error("constant expression trapped: %s", wasmc_rt_trap_message(t));
      st = WASMC_ERR_TRAP;
      goto done;
    }
  }

  for (uint32_t i = d->num_imported_tables; i < d->num_tables; i++) {
    WasmcTableRecord *r = inst->tables[i]->rec;
    for (uint64_t k = 0; out.table_inits[i] && k < r->length; k++) r->base[k] = out.table_inits[i];
  }
  for (uint32_t i = 0; i < d->num_elems; i++) {
    const WasmcElemSegment *es = &d->elems[i];
    if (es->mode == WASMC_SEG_ACTIVE &&
        !rt_table_init_segment(inst, es->table, i, out.elem_offsets[i], 0, es->count)) {
      st = segment_trap(trap, WASMC_TRAP_TABLE_OOB, i, "element");
      goto done;
    }
    if (es->mode == WASMC_SEG_ACTIVE && es->count && es->table < d->num_imported_tables)
      inst->escaped = true;
    if (es->mode != WASMC_SEG_PASSIVE) inst->elem_count[i] = 0; /* elem.drop */
  }
  for (uint32_t i = 0; i < d->num_data; i++) {
    const WasmcDataSegment *ds = &d->data[i];
    if (ds->mode != WASMC_SEG_ACTIVE) continue;
    if (!rt_memory_init_segment(inst, ds->memory, i, out.data_offsets[i], 0, ds->size)) {
      st = segment_trap(trap, WASMC_TRAP_MEMORY_OOB, i, "data");
      goto done;
    }
    inst->data_dropped[i] = true;
  }

  if (d->start_func != UINT32_MAX) {
    WasmcFuncRef *fr = rt_funcref(inst, d->start_func);
    _Alignas(16) WasmcVal slot[1];
    WasmcTrap t = rt_enter(inst, fr->tramp ? fr->tramp : void_tramp, fr->vmctx, vm, fr->code, slot);
    if (t) {
      if (trap) *trap = t;
      rt_set_error("start function trapped: %s", wasmc_rt_trap_message(t));
      st = WASMC_ERR_TRAP;
    }
  }
  goto done;
nomem:
  rt_set_error("out of memory");
  st = WASMC_ERR_NOMEM;
done:
  free(out.data_offsets);
  free(out.elem_offsets);
  free(out.elem_items); /* the item arrays themselves belong to inst->elem_items */
  free(out.table_inits);
  return st;
}

static WasmcInstance *kept_list; /* failed instances still referenced by tables */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

WasmcStatus wasmc_rt_instantiate(const WasmcModuleDesc *d, WasmcResolveFn resolve, void *user,
                                 WasmcInstance **out, WasmcTrap *trap) {
  *out = NULL;
  if (trap) *trap = WASMC_TRAP_NONE;
  error_text[0] = '\0';
  if (d->abi_version != WASMC_RT_ABI_VERSION) {
    rt_set_error("module %s has runtime ABI %u, runtime has %u", d->name ? d->name : "?",
                 d->abi_version, WASMC_RT_ABI_VERSION);
    return WASMC_ERR_ABI;
  }
  /* The limit word must not alias the fixed instance pointer at offset 0. */
  if (d->stack_limit_offset < sizeof(void *) || d->stack_limit_offset + sizeof(uintptr_t) > d->vmctx_size) {
    rt_set_error("module %s: bad stack limit offset", d->name ? d->name : "?");
    return WASMC_ERR_ABI;
  }
  if (!rt_signals_install()) {
    rt_set_error("cannot install signal handlers");
    return WASMC_ERR_NOMEM;
  }
  WasmcInstance *inst = calloc(1, sizeof *inst);
  if (!inst) goto nomem;
  atomic_init(&inst->refs, 1);
  inst->desc = d;
  size_t vsize = ((size_t)d->vmctx_size + 63) / 64 * 64;
  if (vsize < 64) vsize = 64;
  inst->vmctx = aligned_alloc(64, vsize);
  inst->memories = calloc(d->num_memories + 1, sizeof *inst->memories);
  inst->tables = calloc(d->num_tables + 1, sizeof *inst->tables);
  inst->deps = calloc(d->num_imports + 1, sizeof *inst->deps);
  inst->data_dropped = calloc(d->num_data + 1, sizeof *inst->data_dropped);
  inst->elem_count = calloc(d->num_elems + 1, sizeof *inst->elem_count);
  inst->elem_items = calloc(d->num_elems + 1, sizeof *inst->elem_items);
  inst->import_global_types = calloc(d->num_imported_globals + 1, sizeof(RtGlobalType));
  RtStore *store = calloc(1, sizeof *store);
  if (!store || !inst->vmctx || !inst->memories || !inst->tables || !inst->deps ||
      !inst->data_dropped || !inst->elem_count || !inst->elem_items ||
      !inst->import_global_types || !store_add(store, inst)) {
    free(store);
    instance_release(inst);
    goto nomem;
  }
  memset(inst->vmctx, 0, vsize);
  *VMCTX_AT(inst->vmctx, WASMC_VMCTX_INSTANCE_OFFSET, WasmcInstance *) = inst;
  if (!(inst->registered_code = rt_registry_add(d))) {
    rt_set_error("too many modules registered");
    instance_release(inst);
    return WASMC_ERR_NOMEM;
  }
  WasmcStatus st = instantiate(inst, resolve, user, trap);
  if (st != WASMC_OK) {
    /* A trap after element segments stored this instance's funcrefs into an imported
     * table: those references must stay callable (spec linking.wast), so the failed
     * instance is deliberately kept until process exit. */
    if (st == WASMC_ERR_TRAP && inst->escaped) {
      pthread_mutex_lock(&kept_lock);
      inst->next_kept = kept_list; /* reachable, so leak checkers see it as intended */
      kept_list = inst;
      pthread_mutex_unlock(&kept_lock);
    } else {
      instance_release(inst);
    }
    return st;
  }
  *out = inst;
  return WASMC_OK;
nomem:
  rt_set_error("out of memory");
  return WASMC_ERR_NOMEM;
}

/* ---- exports ------------------------------------------------------------------------------ */

bool wasmc_rt_instance_export(WasmcInstance *inst, const char *name, WasmcExtern *out) {
  return wasmc_rt_instance_export_n(inst, name, strlen(name), out);
}

bool wasmc_rt_instance_export_n(WasmcInstance *inst, const char *name, size_t len,
                                WasmcExtern *out) {
  const WasmcModuleDesc *d = inst->desc;
  for (uint32_t e = 0; e < d->num_exports; e++) {
    const WasmcExport *x = &d->exports[e];
    if (wasmc_rt_export_name_len(d, e) != len || memcmp(x->name, name, len) != 0) continue;
    memset(out, 0, sizeof *out);
    out->kind = x->kind;
    out->owner = inst;
    uint32_t i = x->index;
    switch (x->kind) {
      case WASMC_EXTERN_FUNC: {
        WasmcFuncRef *fr = rt_funcref(inst, i);
        out->u.func.code = fr->code;
        out->u.func.env = fr->vmctx;
        out->u.func.signature = d->types[d->func_types[i]];
        return true;
      }
      case WASMC_EXTERN_MEMORY:
        out->u.memory = inst->memories[i];
        return true;
      case WASMC_EXTERN_TABLE:
        out->u.table = inst->tables[i];
        return true;
      case WASMC_EXTERN_GLOBAL:
        out->u.global.storage = i < d->num_imported_globals
                                    ? *VMCTX_AT(inst->vmctx, d->global_offsets[i], WasmcVal *)
                                    : VMCTX_AT(inst->vmctx, d->global_offsets[i], WasmcVal);
        if (i < d->num_imported_globals) { /* the exporter's actual type */
          const RtGlobalType *g = &inst->import_global_types[i];
          out->u.global.type = g->type;
          out->u.global.mutable_ = g->mutable_;
          out->u.global.ref = g->ref;
        } else {
          out->u.global.type = d->globals[i].type;
          out->u.global.mutable_ = d->globals[i].mutable_;
          out->u.global.ref = rt_canonical_ref(inst, &d->globals[i].ref);
        }
        return true;
      default:
        return false;
    }
  }
  return false;
}

/* ---- named instances ---------------------------------------------------------------------- */

typedef struct Named {
  struct Named *next;
  WasmcInstance *inst;
  char name[];
} Named;

static Named *named_list;
static pthread_mutex_t named_lock = PTHREAD_MUTEX_INITIALIZER;

bool wasmc_rt_register_instance(const char *name, WasmcInstance *inst) {
  Named *n = malloc(sizeof *n + strlen(name) + 1);
  if (!n) return false;
  strcpy(n->name, name);
  n->inst = inst;
  pthread_mutex_lock(&named_lock);
  n->next = named_list; /* newest first: re-registering a name shadows the old one */
  named_list = n;
  pthread_mutex_unlock(&named_lock);
  return true;
}

void wasmc_rt_unregister_instance(const char *name) {
  pthread_mutex_lock(&named_lock);
  for (Named **p = &named_list; *p; p = &(*p)->next) {
    if (strcmp((*p)->name, name) == 0) {
      Named *dead = *p;
      *p = dead->next;
      free(dead);
      break;
    }
  }
  pthread_mutex_unlock(&named_lock);
}

bool wasmc_rt_resolve_registered(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                                 WasmcExtern *out) {
  (void)user;
  WasmcInstance *inst = NULL;
  size_t mod_len = wasmc_rt_import_module_len(desc, imp);
  pthread_mutex_lock(&named_lock);
  for (Named *n = named_list; n; n = n->next)
    if (strlen(n->name) == mod_len && memcmp(n->name, imp->module, mod_len) == 0) {
      inst = n->inst;
      break;
    }
  pthread_mutex_unlock(&named_lock);
  return inst &&
         wasmc_rt_instance_export_n(inst, imp->name, wasmc_rt_import_name_len(desc, imp), out);
}
