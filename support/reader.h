/* A bounds-checked cursor over the input bytes with the LEB128 decoders of
 * the wasm binary format. Every read checks the remaining length first; a
 * failure fills the WasmcError with the offset of the offending byte and
 * returns false, leaving the output untouched. */
#ifndef WASMC_SUPPORT_READER_H
#define WASMC_SUPPORT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct Reader {
    const uint8_t *base; /* start of the whole input: offsets are relative to it */
    const uint8_t *p;
    const uint8_t *end;
    WasmcError *err;
} Reader;

static inline Reader reader_make(const uint8_t *base, size_t len, WasmcError *err)
{
    Reader r = { base, base, base + len, err };
    return r;
}
/* A sub-reader over the next n bytes (which must be available); r skips them. */
bool rd_sub(Reader *r, size_t n, Reader *out);
static inline size_t rd_offset(const Reader *r) { return (size_t)(r->p - r->base); }
static inline size_t rd_left(const Reader *r) { return (size_t)(r->end - r->p); }
static inline bool rd_eof(const Reader *r) { return r->p >= r->end; }

bool rd_u8(Reader *r, uint8_t *out);
bool rd_bytes(Reader *r, size_t n, const uint8_t **out);
/* Unsigned LEB128 of at most N bits: at most ceil(N/7) bytes, and the unused
 * bits of the last byte must be zero ("integer too large" /
 * "integer representation too long"). */
bool rd_u32(Reader *r, uint32_t *out);
bool rd_u64(Reader *r, uint64_t *out);
/* Signed LEB128: unused bits of the last byte must be a sign extension. */
bool rd_s32(Reader *r, int32_t *out);
bool rd_s33(Reader *r, int64_t *out);
bool rd_s64(Reader *r, int64_t *out);
bool rd_f32(Reader *r, uint32_t *bits);
bool rd_f64(Reader *r, uint64_t *bits);
/* A vector length whose elements take at least min_elem_size bytes each:
 * rejects counts that cannot fit in the remaining input, so no allocation is
 * ever sized from an unchecked count. */
bool rd_count(Reader *r, uint32_t min_elem_size, uint32_t *out);
/* A length-prefixed name, checked to be valid UTF-8 ("malformed UTF-8
 * encoding"). The result points into the input. */
bool rd_name(Reader *r, const char **name, uint32_t *len);

bool utf8_valid(const uint8_t *s, size_t n);

#endif
