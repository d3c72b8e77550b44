#include "reader.h"

#include <string.h>

static bool eof_error(Reader *r)
{
    return wasmc_fail(r->err, rd_offset(r), "unexpected end of section or function");
}

bool rd_sub(Reader *r, size_t n, Reader *out)
{
    if (rd_left(r) < n)
        return wasmc_fail(r->err, rd_offset(r), "unexpected end: length out of bounds");
    out->base = r->base;
    out->p = r->p;
    out->end = r->p + n;
    out->err = r->err;
    r->p += n;
    return true;
}

bool rd_u8(Reader *r, uint8_t *out)
{
    if (r->p >= r->end)
        return eof_error(r);
    *out = *r->p++;
    return true;
}

bool rd_bytes(Reader *r, size_t n, const uint8_t **out)
{
    if (rd_left(r) < n)
        return wasmc_fail(r->err, rd_offset(r), "unexpected end: length out of bounds");
    *out = r->p;
    r->p += n;
    return true;
}

/* Shared LEB128 decoder. `bits` is the value width (32, 33 or 64). */
static bool read_leb(Reader *r, unsigned bits, bool is_signed, uint64_t *out)
{
    size_t start = rd_offset(r);
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t result = 0;
    unsigned shift = 0;
    for (unsigned i = 0;; i++) {
        if (r->p >= r->end)
            return eof_error(r);
        uint8_t byte = *r->p++;
        if (i == max_bytes - 1) {
            /* The last allowed byte: its continuation bit must be clear and
             * the bits beyond the value width must be zero (unsigned) or a
             * copy of the sign bit (signed). */
            if (byte & 0x80)
                return wasmc_fail(r->err, start, "integer representation too long");
            unsigned used = bits - shift; /* value bits held by this byte, 1..7 */
            uint8_t payload = byte & 0x7f;
            if (used < 7) {
                uint8_t extra = (uint8_t)(payload >> used);
                uint8_t mask = (uint8_t)(0x7f >> used);
                if (is_signed) {
                    bool neg = (payload >> (used - 1)) & 1;
                    if (extra != (neg ? mask : 0))
                        return wasmc_fail(r->err, start, "integer too large");
                } else if (extra != 0) {
                    return wasmc_fail(r->err, start, "integer too large");
                }
            }
            result |= (uint64_t)payload << shift;
            shift += 7;
            if (is_signed && shift < 64 && (payload & 0x40))
                result |= ~(uint64_t)0 << shift;
            break;
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (is_signed && shift < 64 && (byte & 0x40))
                result |= ~(uint64_t)0 << shift;
            break;
        }
    }
    *out = result;
    return true;
}

bool rd_u32(Reader *r, uint32_t *out)
{
    uint64_t v = 0;
    if (!read_leb(r, 32, false, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool rd_u64(Reader *r, uint64_t *out) { return read_leb(r, 64, false, out); }

bool rd_s32(Reader *r, int32_t *out)
{
    uint64_t v = 0;
    if (!read_leb(r, 32, true, &v))
        return false;
    *out = (int32_t)(uint32_t)v;
    return true;
}

bool rd_s33(Reader *r, int64_t *out)
{
    uint64_t v = 0;
    if (!read_leb(r, 33, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool rd_s64(Reader *r, int64_t *out)
{
    uint64_t v = 0;
    if (!read_leb(r, 64, true, &v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool rd_f32(Reader *r, uint32_t *bits)
{
    const uint8_t *p = NULL;
    if (!rd_bytes(r, 4, &p))
        return false;
    *bits = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return true;
}

bool rd_f64(Reader *r, uint64_t *bits)
{
    uint32_t lo, hi;
    if (!rd_f32(r, &lo) || !rd_f32(r, &hi))
        return false;
    *bits = (uint64_t)hi << 32 | lo;
    return true;
}

bool rd_count(Reader *r, uint32_t min_elem_size, uint32_t *out)
{
    size_t at = rd_offset(r);
    uint32_t n = 0;
    if (!rd_u32(r, &n))
        return false;
    if (min_elem_size && (uint64_t)n * min_elem_size > rd_left(r))
        return wasmc_fail(r->err, at, "unexpected end of section or function: count %u exceeds the remaining %zu bytes",
                          n, rd_left(r));
    *out = n;
    return true;
}

bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and code points past U+10FFFF. */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            return false;
        i += len;
    }
    return true;
}

bool rd_name(Reader *r, const char **name, uint32_t *len)
{
    uint32_t n = 0;
    const uint8_t *p = NULL;
    if (!rd_count(r, 1, &n))
        return false;
    size_t at = rd_offset(r);
    if (!rd_bytes(r, n, &p))
        return false;
    if (!utf8_valid(p, n))
        return wasmc_fail(r->err, at, "malformed UTF-8 encoding");
    *name = (const char *)p;
    *len = n;
    return true;
}
