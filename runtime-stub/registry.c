/* registry.c — which code ranges are wasm code, for the signal handler and backtraces.
 *
 * ************************************************************************************
 * SAFETY-CRITICAL: the signal handler reads this table. A wrong answer either swallows
 * a real crash as a wasm trap or turns a wasm trap into a crash.
 * ************************************************************************************
 *
 * A fixed array of atomic descriptor pointers: writers (instantiate/free) serialize on a
 * mutex and keep a per-slot reference count; readers (the handler, on any thread) scan
 * with acquire loads and take no lock, so a lookup is async-signal-safe. Descriptors are
 * const data of the program, never freed, so a reader racing with a removal still reads
 * valid memory. Capacity: RT_MAX_MODULES distinct modules alive at once.
 */
#include "rt_internal.h"

#define RT_MAX_MODULES 1024

static _Atomic(const WasmcModuleDesc *) modules[RT_MAX_MODULES];
static uint32_t module_refs[RT_MAX_MODULES]; /* guarded by registry_lock */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

bool rt_registry_add(const WasmcModuleDesc *desc) {
  bool ok = false;
  int free_slot = -1;
  pthread_mutex_lock(&registry_lock);
  for (int i = 0; i < RT_MAX_MODULES; i++) {
    const WasmcModuleDesc *d = atomic_load_explicit(&modules[i], memory_order_relaxed);
    if (d == desc) {
      module_refs[i]++;
      ok = true;
      goto out;
    }
    if (!d && free_slot < 0) free_slot = i;
  }
  if (free_slot >= 0) {
    module_refs[free_slot] = 1;
    atomic_store_explicit(&modules[free_slot], desc, memory_order_release);
    ok = true;
  }
out:
  pthread_mutex_unlock(&registry_lock);
  return ok;
}

void rt_registry_remove(const WasmcModuleDesc *desc) {
  pthread_mutex_lock(&registry_lock);
  for (int i = 0; i < RT_MAX_MODULES; i++) {
    if (atomic_load_explicit(&modules[i], memory_order_relaxed) == desc) {
      if (--module_refs[i] == 0) atomic_store_explicit(&modules[i], NULL, memory_order_release);
      break;
    }
  }
  pthread_mutex_unlock(&registry_lock);
}

const WasmcModuleDesc *rt_registry_find(uintptr_t pc) {
  for (int i = 0; i < RT_MAX_MODULES; i++) {
    const WasmcModuleDesc *d = atomic_load_explicit(&modules[i], memory_order_acquire);
    if (d && pc >= (uintptr_t)d->code_start && pc - (uintptr_t)d->code_start < d->code_size)
      return d;
  }
  return NULL;
}

/* Binary search of the sorted trap table; exact match on the instruction's first byte. */
bool rt_trap_site_lookup(const WasmcModuleDesc *desc, uintptr_t pc, uint32_t *code) {
  uintptr_t off = pc - (uintptr_t)desc->code_start;
  uint32_t lo = 0, hi = desc->num_trap_sites;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t o = desc->trap_sites[mid].code_offset;
    if (o == off) {
      *code = desc->trap_sites[mid].trap;
      return true;
    }
    if (o < off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

bool wasmc_rt_lookup_pc(uintptr_t pc, const char **module, const char **func,
                        uint32_t *func_index) {
  const WasmcModuleDesc *d = rt_registry_find(pc);
  if (!d) return false;
  *module = d->name;
  *func = NULL;
  *func_index = UINT32_MAX;
  uint32_t n = d->num_funcs - d->num_imported_funcs;
  uint32_t lo = 0, hi = n; /* last function whose code starts at or before pc */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)d->funcs[mid].code <= pc)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo > 0 && pc - (uintptr_t)d->funcs[lo - 1].code < d->funcs[lo - 1].code_size) {
    *func = d->funcs[lo - 1].name;
    *func_index = d->num_imported_funcs + lo - 1;
  }
  return true;
}
