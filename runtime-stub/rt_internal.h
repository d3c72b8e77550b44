/* rt_internal.h — the runtime's private objects and cross-file functions.
 *
 * Grouped by file, as a table of contents. Only the runtime-stub sources include this; the
 * public contract is include/wasmc_rt.h.
 */
#ifndef WASMC_RT_INTERNAL_H
#define WASMC_RT_INTERNAL_H

#include "wasmc_rt.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>

/* Raw vmctx field access: the vmctx is bytes laid out by the compiler. */
#define VMCTX_AT(vmctx, off, type) ((type *)((uint8_t *)(vmctx) + (off)))

struct WasmcMemory {
  WasmcMemoryRecord *rec;   /* where compiled code reads base/length: owner's vmctx, or
                               own_rec for host-created memories */
  WasmcMemoryRecord own_rec;
  uint8_t *mapping;         /* start of the mmap (== rec->base) */
  uint64_t mapped;          /* bytes mapped (reserved, whatever their protection) */
  uint64_t committed;       /* bytes readable/writable from mapping (guarded/shared) */
  uint64_t pages;           /* current size in pages */
  uint64_t max_pages;       /* effective maximum (declared max, clamped to the limit) */
  uint64_t declared_max;    /* as declared, for import matching (if WASMC_MEM_HAS_MAX) */
  uint8_t page_log2;
  uint8_t flags;            /* WASMC_MEM_* */
  pthread_mutex_t grow_lock; /* shared memories may grow from several threads */
};

struct WasmcTable {
  WasmcTableRecord *rec; /* owner's vmctx, or own_rec */
  WasmcTableRecord own_rec;
  uint8_t elem_type;
  WasmcRefType ref;      /* canonical: a concrete type is a canonical type id */
  uint8_t flags;         /* WASMC_TABLE_* as created (WASMC_TABLE_64 for matching) */
};

/* The type of a global as import matching sees it (canonical reference type). */
typedef struct RtGlobalType {
  uint8_t type; /* WasmcValType */
  uint8_t mutable_;
  WasmcRefType ref;
} RtGlobalType;

/* A store: instances linked by imports, used by one thread at a time. The entry writes the
 * stack limit into every member (an import call may land in any of them). */
typedef struct RtStore {
  WasmcInstance **members;
  uint32_t count, cap;
} RtStore;

struct WasmcInstance {
  const WasmcModuleDesc *desc;
  WasmcVmctx *vmctx;
  atomic_int refs;          /* 1 for the owner + 1 per importing instance */
  bool registered_code;     /* holds a reference in the module registry */
  bool escaped;             /* its funcrefs were written into an imported table */
  WasmcInstance *next_kept; /* link in the list of failed-but-kept instances */
  RtStore *store;
  WasmcMemory **memories;   /* [num_memories], imported ones are not owned */
  WasmcTable **tables;      /* [num_tables] */
  WasmcInstance **deps;     /* instances we imported from (each holds one of our refs) */
  uint32_t num_deps;
  bool *data_dropped;       /* [num_data] */
  uint32_t *elem_count;     /* [num_elems] current length (0 once dropped) */
  RtGlobalType *import_global_types; /* [num_imported_globals] the exporters' actual types */
  void ***elem_items;       /* [num_elems] resolved references */
};

/* types.c */
uint32_t rt_sig_params(const char *sig);
uint32_t rt_sig_results(const char *sig);
/* Subtyping of value types a <: b; references canonical (wasmc_rt.h, WasmcRefType). */
bool rt_valtype_sub(uint8_t ta, const WasmcRefType *a, uint8_t tb, const WasmcRefType *b);
bool rt_valtype_eq(uint8_t ta, const WasmcRefType *a, uint8_t tb, const WasmcRefType *b);

/* registry.c: modules whose code may fault, for the signal handler (lock-free reads) */
bool rt_registry_add(const WasmcModuleDesc *desc);
void rt_registry_remove(const WasmcModuleDesc *desc);
const WasmcModuleDesc *rt_registry_find(uintptr_t pc);
bool rt_trap_site_lookup(const WasmcModuleDesc *desc, uintptr_t pc, uint32_t *code);

/* memory.c */
WasmcMemory *rt_memory_create(const WasmcMemoryDef *def, WasmcMemoryRecord *rec);
void rt_memory_destroy(WasmcMemory *mem);
int64_t rt_memory_grow(WasmcMemory *mem, uint64_t delta_pages);
bool rt_memory_matches(const WasmcMemory *mem, const WasmcMemoryDef *want);
WasmcMemory *rt_memory_of(WasmcVmctx *vmctx, uint32_t mem);
bool rt_memory_init_segment(WasmcInstance *inst, uint32_t mem, uint32_t seg, uint64_t dst,
                            uint64_t src, uint64_t len);

/* table.c */
WasmcTable *rt_table_create(const WasmcTableDef *def, WasmcTableRecord *rec);
void rt_table_destroy(WasmcTable *table);
/* want_ref: want->ref made canonical by the importer */
bool rt_table_matches(const WasmcTable *table, const WasmcTableDef *want,
                      const WasmcRefType *want_ref);
bool rt_table_init_segment(WasmcInstance *inst, uint32_t table, uint32_t seg, uint64_t dst,
                           uint64_t src, uint64_t len);

/* instance.c */
static inline WasmcInstance *rt_instance_of(WasmcVmctx *vmctx) {
  return *VMCTX_AT(vmctx, WASMC_VMCTX_INSTANCE_OFFSET, WasmcInstance *);
}
WasmcFuncRef *rt_funcref(WasmcInstance *inst, uint32_t func);
/* A descriptor's reference type with a concrete type index made a canonical id. */
WasmcRefType rt_canonical_ref(WasmcInstance *inst, const WasmcRefType *r);
void rt_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* entry.c: the per-thread chain of entries that traps unwind to */
typedef struct RtEntry {
  struct RtEntry *prev;
  sigjmp_buf jmp;
  volatile uint32_t trap;
  uintptr_t frame_top; /* highest address of wasm frames: bound for the frame walk */
} RtEntry;
RtEntry *rt_innermost_entry(void);
/* Runs tramp(callee, caller, fn, slots) under a new entry; returns the trap or 0. */
WasmcTrap rt_enter(WasmcInstance *inst, WasmcArrayTramp tramp, WasmcVmctx *callee,
                   WasmcVmctx *caller, void *fn, WasmcVal *slots);

/* trap.c */
/* Records code, pc and the wasm frames reachable from fp (bounded by [lo, hi)) into the
 * thread's WasmcTrapInfo. Async-signal-safe. */
void rt_record_trap(uint32_t code, uintptr_t pc, uintptr_t fp, uintptr_t lo, uintptr_t hi);
_Noreturn void rt_unwind_or_die(uint32_t code);

/* signals.c */
bool rt_signals_install(void);      /* once per process; thread-safe */
void rt_thread_altstack_ensure(void); /* once per thread */

#endif
