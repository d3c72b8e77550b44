/* wasi_mem.h - bounds-checked access to guest linear memory (internal).
 *
 * SAFETY-CRITICAL: every byte the shim reads from or writes to guest memory
 * goes through these helpers.  The invariant: a range [ptr, ptr+len) is used
 * only after wasi_mem_ok() has checked ptr <= size && len <= size - ptr, which
 * cannot overflow (no ptr+len addition).  Guest pointers need no alignment:
 * values are copied byte-wise with memcpy and stored little-endian whatever
 * the host byte order.
 */
#ifndef WASMC_WASI_MEM_H
#define WASMC_WASI_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wasi_shim.h"

static inline bool wasi_mem_ok(const WasiMem *m, uint64_t ptr, uint64_t len)
{
    return m != NULL && ptr <= m->size && len <= m->size - ptr;
}

/* Range check for an array of n elements of `size` bytes each (n*size may overflow). */
static inline bool wasi_mem_ok_array(const WasiMem *m, uint64_t ptr, uint64_t n, uint64_t size)
{
    if (size != 0 && n > UINT64_MAX / size)
        return false;
    return wasi_mem_ok(m, ptr, n * size);
}

/* Host pointer for a range already checked with wasi_mem_ok. */
static inline uint8_t *wasi_mem_at(const WasiMem *m, uint64_t ptr)
{
    return m->base + ptr;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WASI_LE16(x) __builtin_bswap16(x)
#define WASI_LE32(x) __builtin_bswap32(x)
#define WASI_LE64(x) __builtin_bswap64(x)
#else
#define WASI_LE16(x) (x)
#define WASI_LE32(x) (x)
#define WASI_LE64(x) (x)
#endif

/* Unchecked loads/stores: callers check the enclosing range first. */
static inline void wasi_st8(const WasiMem *m, uint64_t p, uint8_t v) { m->base[p] = v; }
static inline void wasi_st16(const WasiMem *m, uint64_t p, uint16_t v)
{
    v = WASI_LE16(v);
    memcpy(m->base + p, &v, 2);
}
static inline void wasi_st32(const WasiMem *m, uint64_t p, uint32_t v)
{
    v = WASI_LE32(v);
    memcpy(m->base + p, &v, 4);
}
static inline void wasi_st64(const WasiMem *m, uint64_t p, uint64_t v)
{
    v = WASI_LE64(v);
    memcpy(m->base + p, &v, 8);
}
static inline uint8_t wasi_ld8(const WasiMem *m, uint64_t p) { return m->base[p]; }
static inline uint16_t wasi_ld16(const WasiMem *m, uint64_t p)
{
    uint16_t v;
    memcpy(&v, m->base + p, 2);
    return WASI_LE16(v);
}
static inline uint32_t wasi_ld32(const WasiMem *m, uint64_t p)
{
    uint32_t v;
    memcpy(&v, m->base + p, 4);
    return WASI_LE32(v);
}
static inline uint64_t wasi_ld64(const WasiMem *m, uint64_t p)
{
    uint64_t v;
    memcpy(&v, m->base + p, 8);
    return WASI_LE64(v);
}

/* Checked single-value stores: FAULT instead of writing out of bounds. */
static inline bool wasi_put32(const WasiMem *m, uint64_t p, uint32_t v)
{
    if (!wasi_mem_ok(m, p, 4))
        return false;
    wasi_st32(m, p, v);
    return true;
}
static inline bool wasi_put64(const WasiMem *m, uint64_t p, uint64_t v)
{
    if (!wasi_mem_ok(m, p, 8))
        return false;
    wasi_st64(m, p, v);
    return true;
}

#endif /* WASMC_WASI_MEM_H */
