/* memory.c — linear memories: reservation, growth, and the bulk-memory helpers.
 *
 * ************************************************************************************
 * SAFETY-CRITICAL: guarded memories are what make compiled code's missing bounds checks
 * safe. Invariant for WASMC_MEM_GUARDED: [base, base + 4 GiB + WASMC_GUARD_BYTES) is
 * always mapped by us; bytes below rec->length are read/write, every byte above it is
 * PROT_NONE, so any 32-bit index + static offset < guard faults instead of touching
 * foreign memory. The mapping never moves.
 * ************************************************************************************
 *
 * Strategies (chosen from WasmcMemoryDef.flags, see wasmc_rt.h):
 *  - guarded (32-bit, 64 KiB pages): reserve 4 GiB + guard PROT_NONE, mprotect to grow;
 *  - shared, not guarded: reserve max bytes PROT_NONE up front, mprotect to grow (shared
 *    memories may not move under other threads);
 *  - otherwise (memory64, custom page sizes, --bounds-checks=explicit): a plain mapping
 *    of the accurate length, grown with mremap(MREMAP_MAYMOVE); compiled code uses
 *    explicit checks and reloads the base after calls.
 * rec->length is always exact (pages << page_size_log2).
 */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEM64_LIMIT_BYTES ((uint64_t)1 << 48) /* implementation limit for memory64 */

static uint64_t os_page(void) {
  static uint64_t page;
  if (!page) page = (uint64_t)sysconf(_SC_PAGESIZE);
  return page;
}

static uint64_t round_up(uint64_t n, uint64_t to) {
  return (n + to - 1) / to * to;
}

/* Largest page count the index type allows (and this host supports). */
static uint64_t page_limit(const WasmcMemoryDef *def) {
  if (def->flags & WASMC_MEM_64) return MEM64_LIMIT_BYTES >> def->page_size_log2;
  uint64_t pages = ((uint64_t)1 << 32) >> def->page_size_log2;
  return def->page_size_log2 == 0 ? pages - 1 : pages; /* the size must fit in an i32 */
}

static bool reserves(const WasmcMemory *m) {
  return (m->flags & (WASMC_MEM_GUARDED | WASMC_MEM_SHARED)) != 0;
}

WasmcMemory *rt_memory_create(const WasmcMemoryDef *def, WasmcMemoryRecord *rec) {
  if ((def->flags & WASMC_MEM_GUARDED) &&
      (def->page_size_log2 != 16 || (def->flags & WASMC_MEM_64))) {
    rt_set_error("guarded memory must be 32-bit with 64 KiB pages");
    return NULL;
  }
  WasmcMemory *m = calloc(1, sizeof *m);
  if (!m) goto nomem;
  m->rec = rec ? rec : &m->own_rec;
  m->page_log2 = def->page_size_log2;
  m->flags = def->flags;
  m->declared_max = def->max;
  m->max_pages = page_limit(def);
  if ((def->flags & WASMC_MEM_HAS_MAX) && def->max < m->max_pages) m->max_pages = def->max;
  if (def->min > m->max_pages) {
    rt_set_error("memory minimum of %llu pages exceeds the limit", (unsigned long long)def->min);
    free(m);
    return NULL;
  }
  pthread_mutex_init(&m->grow_lock, NULL);
  uint64_t bytes = def->min << def->page_size_log2;
  if (reserves(m)) {
    m->mapped = (m->flags & WASMC_MEM_GUARDED)
                    ? WASMC_GUARDED_RESERVATION
                    : round_up((m->max_pages << m->page_log2) ? (m->max_pages << m->page_log2) : 1,
                               os_page());
    void *p = mmap(NULL, m->mapped, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) goto nomem_free;
    m->mapping = p;
    m->committed = round_up(bytes, os_page());
    if (m->committed && mprotect(p, m->committed, PROT_READ | PROT_WRITE) != 0) {
      munmap(p, m->mapped);
      goto nomem_free;
    }
  } else {
    m->mapped = round_up(bytes ? bytes : 1, os_page());
    void *p = mmap(NULL, m->mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) goto nomem_free;
    m->mapping = p;
    m->committed = m->mapped;
  }
  m->pages = def->min;
  m->rec->base = m->mapping;
  m->rec->length = bytes;
  return m;
nomem_free:
  pthread_mutex_destroy(&m->grow_lock);
  free(m);
nomem:
  rt_set_error("cannot allocate linear memory");
  return NULL;
}

void rt_memory_destroy(WasmcMemory *m) {
  if (!m) return;
  munmap(m->mapping, m->mapped);
  pthread_mutex_destroy(&m->grow_lock);
  free(m);
}

int64_t rt_memory_grow(WasmcMemory *m, uint64_t delta) {
  pthread_mutex_lock(&m->grow_lock);
  int64_t old = (int64_t)m->pages;
  if (delta > m->max_pages - m->pages) {
    old = -1;
    goto out;
  }
  if (delta == 0) goto out;
  uint64_t bytes = (m->pages + delta) << m->page_log2;
  if (reserves(m)) {
    uint64_t want = round_up(bytes, os_page());
    if (want > m->committed &&
        mprotect(m->mapping + m->committed, want - m->committed, PROT_READ | PROT_WRITE) != 0) {
      old = -1;
      goto out;
    }
    if (want > m->committed) m->committed = want;
  } else {
    uint64_t want = round_up(bytes, os_page());
    if (want > m->mapped) {
      void *p = mremap(m->mapping, m->mapped, want, MREMAP_MAYMOVE);
      if (p == MAP_FAILED) {
        old = -1;
        goto out;
      }
      m->mapping = p;
      m->mapped = m->committed = want;
      m->rec->base = p;
    }
  }
  m->pages += delta;
  /* Length last: another thread reading a larger length must find the bytes committed. */
  atomic_store_explicit((_Atomic uint64_t *)&m->rec->length, bytes, memory_order_release);
out:
  pthread_mutex_unlock(&m->grow_lock);
  return old;
}

/* Import matching (spec "import subtyping" for memory types). A guarded importer needs a
 * guarded memory; a guarded memory can serve an explicitly checked importer. */
bool rt_memory_matches(const WasmcMemory *m, const WasmcMemoryDef *want) {
  const uint8_t same = WASMC_MEM_64 | WASMC_MEM_SHARED;
  if ((m->flags & same) != (want->flags & same) || m->page_log2 != want->page_size_log2)
    return false;
  if ((want->flags & WASMC_MEM_GUARDED) && !(m->flags & WASMC_MEM_GUARDED)) return false;
  if (m->pages < want->min) return false;
  if (want->flags & WASMC_MEM_HAS_MAX)
    return (m->flags & WASMC_MEM_HAS_MAX) && m->declared_max <= want->max;
  return true;
}

WasmcMemory *rt_memory_of(WasmcVmctx *vmctx, uint32_t mem) {
  return rt_instance_of(vmctx)->memories[mem];
}

/* ---- public accessors and compiled-code helpers ---------------------------------------- */

WasmcMemory *wasmc_rt_memory_new(const WasmcMemoryDef *def) {
  return rt_memory_create(def, NULL);
}
void wasmc_rt_memory_free(WasmcMemory *mem) { rt_memory_destroy(mem); }
const WasmcMemoryRecord *wasmc_rt_memory_record(const WasmcMemory *mem) { return mem->rec; }
int64_t wasmc_rt_memory_grow_object(WasmcMemory *mem, uint64_t delta) {
  return rt_memory_grow(mem, delta);
}

uint8_t *wasmc_rt_memory_base(WasmcVmctx *vmctx, uint32_t mem) {
  return rt_memory_of(vmctx, mem)->rec->base;
}
uint64_t wasmc_rt_memory_length(WasmcVmctx *vmctx, uint32_t mem) {
  return rt_memory_of(vmctx, mem)->rec->length;
}

int64_t wasmc_rt_memory_grow(WasmcVmctx *vmctx, uint32_t mem, uint64_t delta_pages) {
  return rt_memory_grow(rt_memory_of(vmctx, mem), delta_pages);
}

uint64_t wasmc_rt_memory_size(WasmcVmctx *vmctx, uint32_t mem) {
  WasmcMemory *m = rt_memory_of(vmctx, mem);
  return m->rec->length >> m->page_log2;
}

/* start + len <= limit, without overflow. */
static bool in_bounds(uint64_t start, uint64_t len, uint64_t limit) {
  return start <= limit && len <= limit - start;
}

void wasmc_rt_memory_fill(WasmcVmctx *vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                          uint64_t len) {
  WasmcMemoryRecord *r = rt_memory_of(vmctx, mem)->rec;
  if (!in_bounds(dst, len, r->length)) wasmc_rt_trap(vmctx, WASMC_TRAP_MEMORY_OOB);
  memset(r->base + dst, (int)(value & 0xff), len);
}

void wasmc_rt_memory_copy(WasmcVmctx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                          uint64_t src, uint64_t len) {
  WasmcMemoryRecord *d = rt_memory_of(vmctx, dst_mem)->rec;
  WasmcMemoryRecord *s = rt_memory_of(vmctx, src_mem)->rec;
  if (!in_bounds(dst, len, d->length) || !in_bounds(src, len, s->length))
    wasmc_rt_trap(vmctx, WASMC_TRAP_MEMORY_OOB);
  memmove(d->base + dst, s->base + src, len);
}

/* memory.init semantics; also used for active segments at instantiation. A dropped
 * segment has length 0. false = out of bounds (nothing written). */
bool rt_memory_init_segment(WasmcInstance *inst, uint32_t mem, uint32_t seg, uint64_t dst,
                            uint64_t src, uint64_t len) {
  const WasmcDataSegment *ds = &inst->desc->data[seg];
  uint64_t seg_len = inst->data_dropped[seg] ? 0 : ds->size;
  WasmcMemoryRecord *r = inst->memories[mem]->rec;
  if (!in_bounds(src, len, seg_len) || !in_bounds(dst, len, r->length)) return false;
  if (len) memcpy(r->base + dst, ds->bytes + src, len);
  return true;
}

void wasmc_rt_memory_init(WasmcVmctx *vmctx, uint32_t mem, uint32_t seg, uint64_t dst,
                          uint32_t src, uint32_t len) {
  if (!rt_memory_init_segment(rt_instance_of(vmctx), mem, seg, dst, src, len))
    wasmc_rt_trap(vmctx, WASMC_TRAP_MEMORY_OOB);
}

void wasmc_rt_data_drop(WasmcVmctx *vmctx, uint32_t seg) {
  rt_instance_of(vmctx)->data_dropped[seg] = true;
}
