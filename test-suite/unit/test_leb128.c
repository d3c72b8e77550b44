/* Unit tests of the support Reader (support/reader.h): the LEB128 decoders
 * for every width the binary format uses (u32, s32, s33, u64, s64), the
 * malformed cases of the spec suite's binary-leb128 tests (too long, unused
 * bits set, truncated), counts, sub-readers and UTF-8 names. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../support/reader.h"

/* A reader over a byte-array literal. */
#define READER(name, err, ...)                                   \
    static const uint8_t name##_bytes[] = { __VA_ARGS__ };       \
    WasmcError err = { 0 };                                      \
    Reader name = reader_make(name##_bytes, sizeof name##_bytes, &err)

#define ASSERT_ERR(err, text, off)                               \
    do {                                                         \
        ck_assert((err).set);                                    \
        ck_assert_msg(strstr((err).msg, (text)) != NULL,         \
                      "got '%s', want '%s'", (err).msg, (text)); \
        ck_assert_uint_eq((err).offset, (off));                  \
    } while (0)

/* ---- u32 -------------------------------------------------------------- */

static bool u32_of(const uint8_t *b, size_t n, uint32_t *out, WasmcError *err)
{
    Reader r = reader_make(b, n, err);
    bool ok = rd_u32(&r, out);
    if (ok)
        ck_assert(rd_eof(&r)); /* consumed exactly the encoding */
    return ok;
}

START_TEST(u32_valid)
{
    static const struct {
        uint8_t b[5];
        size_t n;
        uint32_t v;
    } cases[] = {
        { { 0x00 }, 1, 0 },
        { { 0x7F }, 1, 127 },
        { { 0x80, 0x01 }, 2, 128 },
        { { 0xE5, 0x8E, 0x26 }, 3, 624485 },
        { { 0x80, 0x80, 0x80, 0x80, 0x00 }, 5, 0 },    /* non-minimal is fine */
        { { 0x82, 0x80, 0x80, 0x80, 0x00 }, 5, 2 },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 5, UINT32_MAX },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WasmcError err = { 0 };
        uint32_t v = 12345;
        ck_assert_msg(u32_of(cases[i].b, cases[i].n, &v, &err), "case %zu: %s", i, err.msg);
        ck_assert_uint_eq(v, cases[i].v);
    }
}
END_TEST

START_TEST(u32_too_long)
{
    READER(r, err, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    uint32_t v = 7;
    ck_assert(!rd_u32(&r, &v));
    ASSERT_ERR(err, "integer representation too long", 0);
    ck_assert_uint_eq(v, 7); /* output untouched on failure */
}
END_TEST

START_TEST(u32_unused_bits)
{
    static const uint8_t cases[][5] = {
        { 0x80, 0x80, 0x80, 0x80, 0x10 },
        { 0x80, 0x80, 0x80, 0x80, 0x40 },
        { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F },
        { 0x82, 0x80, 0x80, 0x80, 0x70 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WasmcError err = { 0 };
        uint32_t v;
        ck_assert(!u32_of(cases[i], 5, &v, &err));
        ASSERT_ERR(err, "integer too large", 0);
    }
}
END_TEST

START_TEST(u32_truncated)
{
    static const uint8_t b[] = { 0x80, 0x80, 0x80 };
    for (size_t n = 0; n <= 3; n++) {
        WasmcError err = { 0 };
        uint32_t v;
        ck_assert(!u32_of(b, n, &v, &err));
        ASSERT_ERR(err, "unexpected end", n);
    }
}
END_TEST

/* ---- s32 -------------------------------------------------------------- */

START_TEST(s32_valid)
{
    static const struct {
        uint8_t b[5];
        size_t n;
        int32_t v;
    } cases[] = {
        { { 0x00 }, 1, 0 },
        { { 0x7F }, 1, -1 },
        { { 0x3F }, 1, 63 },
        { { 0x40 }, 1, -64 },
        { { 0xC0, 0x00 }, 2, 64 },
        { { 0x80, 0x7F }, 2, -128 },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, 5, INT32_MAX },
        { { 0x80, 0x80, 0x80, 0x80, 0x78 }, 5, INT32_MIN },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, 5, -1 },  /* non-minimal */
        { { 0x80, 0x80, 0x80, 0x80, 0x00 }, 5, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WasmcError err = { 0 };
        Reader r = reader_make(cases[i].b, cases[i].n, &err);
        int32_t v;
        ck_assert_msg(rd_s32(&r, &v), "case %zu: %s", i, err.msg);
        ck_assert_int_eq(v, cases[i].v);
        ck_assert(rd_eof(&r));
    }
}
END_TEST

START_TEST(s32_malformed)
{
    static const struct {
        uint8_t b[6];
        size_t n;
        const char *msg;
    } cases[] = {
        { { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 6, "integer representation too long" },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, 6, "integer representation too long" },
        { { 0x80, 0x80, 0x80, 0x80, 0x70 }, 5, "integer too large" }, /* sign 0, high bits 1 */
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 5, "integer too large" }, /* sign 1, high bits 0 */
        { { 0x80, 0x80, 0x80, 0x80, 0x1F }, 5, "integer too large" },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x4F }, 5, "integer too large" },
        { { 0x80 }, 1, "unexpected end" },
        { { 0xFF, 0xFF, 0xFF, 0xFF }, 4, "unexpected end" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WasmcError err = { 0 };
        Reader r = reader_make(cases[i].b, cases[i].n, &err);
        int32_t v;
        ck_assert_msg(!rd_s32(&r, &v), "case %zu accepted", i);
        ck_assert_msg(strstr(err.msg, cases[i].msg), "case %zu: %s", i, err.msg);
    }
}
END_TEST

/* ---- s33 (heap types, block types) ------------------------------------- */

START_TEST(s33_cases)
{
    static const struct {
        uint8_t b[6];
        size_t n;
        bool ok;
        int64_t v;
    } cases[] = {
        { { 0x00 }, 1, true, 0 },
        { { 0x40 }, 1, true, -64 },                                /* the empty block type */
        { { 0x70 }, 1, true, -16 },                                /* funcref */
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 5, true, 0xFFFFFFFFll }, /* largest type index */
        { { 0x80, 0x80, 0x80, 0x80, 0x70 }, 5, true, -(1ll << 32) },
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, 5, true, -1 },
        { { 0x80, 0x80, 0x80, 0x80, 0x10 }, 5, false, 0 },         /* sign 1, high bits 0 */
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0x2F }, 5, false, 0 },         /* sign 0, high bits set */
        { { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 6, false, 0 },   /* too long */
        { { 0x80, 0x80 }, 2, false, 0 },                           /* truncated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        WasmcError err = { 0 };
        Reader r = reader_make(cases[i].b, cases[i].n, &err);
        int64_t v;
        bool ok = rd_s33(&r, &v);
        ck_assert_msg(ok == cases[i].ok, "case %zu: %s", i, err.msg);
        if (ok)
            ck_assert_int_eq(v, cases[i].v);
    }
    WasmcError err = { 0 };
    static const uint8_t large[] = { 0x80, 0x80, 0x80, 0x80, 0x10 };
    Reader r = reader_make(large, sizeof large, &err);
    int64_t v;
    ck_assert(!rd_s33(&r, &v));
    ASSERT_ERR(err, "integer too large", 0);
}
END_TEST

/* ---- u64 / s64 -------------------------------------------------------- */

START_TEST(u64_cases)
{
    {
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        uint64_t v;
        ck_assert(rd_u64(&r, &v));
        ck_assert(v == UINT64_MAX);
    }
    {
        READER(r, err, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        uint64_t v;
        ck_assert(rd_u64(&r, &v));
        ck_assert(v == 2);
    }
    {
        READER(r, err, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        uint64_t v;
        ck_assert(!rd_u64(&r, &v));
        ASSERT_ERR(err, "integer representation too long", 0);
    }
    {
        READER(r, err, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02);
        uint64_t v;
        ck_assert(!rd_u64(&r, &v));
        ASSERT_ERR(err, "integer too large", 0);
    }
    {
        READER(r, err, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70);
        uint64_t v;
        ck_assert(!rd_u64(&r, &v));
        ASSERT_ERR(err, "integer too large", 0);
    }
    {
        READER(r, err, 0x82, 0x80, 0x80);
        uint64_t v;
        ck_assert(!rd_u64(&r, &v));
        ASSERT_ERR(err, "unexpected end", 3);
    }
}
END_TEST

START_TEST(s64_cases)
{
    {
        READER(r, err, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F);
        int64_t v;
        ck_assert(rd_s64(&r, &v));
        ck_assert(v == INT64_MIN);
    }
    {
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
        int64_t v;
        ck_assert(rd_s64(&r, &v));
        ck_assert(v == INT64_MAX);
    }
    {
        READER(r, err, 0x7F);
        int64_t v;
        ck_assert(rd_s64(&r, &v));
        ck_assert(v == -1);
    }
    {
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
        int64_t v;
        ck_assert(rd_s64(&r, &v));
        ck_assert(v == -1);
    }
    {   /* sign bit 1 but the unused bits are 0 */
        READER(r, err, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
        int64_t v;
        ck_assert(!rd_s64(&r, &v));
        ASSERT_ERR(err, "integer too large", 0);
    }
    {   /* sign bit 0 but an unused bit set */
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E);
        int64_t v;
        ck_assert(!rd_s64(&r, &v));
        ASSERT_ERR(err, "integer too large", 0);
    }
    {
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
        int64_t v;
        ck_assert(!rd_s64(&r, &v));
        ASSERT_ERR(err, "integer representation too long", 0);
    }
    {
        READER(r, err, 0xFF);
        int64_t v;
        ck_assert(!rd_s64(&r, &v));
        ASSERT_ERR(err, "unexpected end", 1);
    }
}
END_TEST

/* The error offset is relative to the whole input, also in sub-readers. */
START_TEST(offsets_in_sub_reader)
{
    READER(r, err, 0x01, 0x02, 0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
    Reader sub;
    const uint8_t *p;
    ck_assert(rd_bytes(&r, 3, &p));
    ck_assert(rd_sub(&r, 6, &sub));
    ck_assert(rd_eof(&r));
    uint32_t v;
    ck_assert(!rd_u32(&sub, &v));
    ASSERT_ERR(err, "integer representation too long", 3);
}
END_TEST

START_TEST(sub_reader_bounds)
{
    READER(r, err, 0x01, 0x80, 0x01);
    Reader sub;
    ck_assert(rd_sub(&r, 2, &sub));
    uint8_t b;
    uint32_t v;
    ck_assert(rd_u8(&sub, &b));
    ck_assert(!rd_u32(&sub, &v)); /* 0x80 continues into bytes the sub-reader does not own */
    ASSERT_ERR(err, "unexpected end", 2);
    WasmcError err2 = { 0 };
    Reader r2 = reader_make(r_bytes, sizeof r_bytes, &err2);
    ck_assert(!rd_sub(&r2, 4, &sub));
    ASSERT_ERR(err2, "unexpected end", 0);
}
END_TEST

START_TEST(floats)
{
    READER(r, err, 0x00, 0x00, 0x80, 0x3F, 0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40, 0x01);
    uint32_t f;
    uint64_t d;
    ck_assert(rd_f32(&r, &f));
    ck_assert_uint_eq(f, 0x3F800000u);
    ck_assert(rd_f64(&r, &d));
    ck_assert(d == 0x400921FB54442D18ull);
    ck_assert(!rd_f32(&r, &f));
    ASSERT_ERR(err, "unexpected end", 12);
}
END_TEST

START_TEST(counts)
{
    {
        READER(r, err, 0x03, 0xAA, 0xBB, 0xCC);
        uint32_t n;
        ck_assert(rd_count(&r, 1, &n));
        ck_assert_uint_eq(n, 3);
    }
    {
        READER(r, err, 0x03, 0xAA, 0xBB, 0xCC);
        uint32_t n = 99;
        ck_assert(!rd_count(&r, 2, &n));
        ASSERT_ERR(err, "unexpected end", 0);
        ck_assert_uint_eq(n, 99);
    }
    {   /* a 4-billion count with nothing behind it is rejected before any allocation */
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        uint32_t n;
        ck_assert(!rd_count(&r, 1, &n));
        ASSERT_ERR(err, "unexpected end", 0);
    }
    {
        READER(r, err, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
        uint32_t n;
        ck_assert(!rd_count(&r, 1, &n));
        ASSERT_ERR(err, "integer too large", 0);
    }
}
END_TEST

/* ---- UTF-8 ------------------------------------------------------------ */

START_TEST(utf8_accepts)
{
    static const struct {
        const char *s;
        size_t n;
    } ok[] = {
        { "", 0 },
        { "hello", 5 },
        { "a\0b", 3 },                     /* NUL is a valid code point */
        { "\xC2\x80", 2 },                 /* U+0080 */
        { "\xDF\xBF", 2 },                 /* U+07FF */
        { "\xE0\xA0\x80", 3 },             /* U+0800 */
        { "\xED\x9F\xBF", 3 },             /* U+D7FF */
        { "\xEE\x80\x80", 3 },             /* U+E000 */
        { "\xEF\xBF\xBF", 3 },             /* U+FFFF */
        { "\xF0\x90\x80\x80", 4 },         /* U+10000 */
        { "\xF4\x8F\xBF\xBF", 4 },         /* U+10FFFF */
        { "\xE2\x82\xAC\xF0\x9F\x98\x80", 7 },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(utf8_valid((const uint8_t *)ok[i].s, ok[i].n), "case %zu", i);
}
END_TEST

START_TEST(utf8_rejects)
{
    static const struct {
        const char *s;
        size_t n;
    } bad[] = {
        { "\x80", 1 },                     /* lone continuation byte */
        { "\xBF", 1 },
        { "\xC0\x80", 2 },                 /* overlong NUL */
        { "\xC1\xBF", 2 },                 /* overlong */
        { "\xE0\x9F\xBF", 3 },             /* overlong 3-byte */
        { "\xF0\x8F\xBF\xBF", 4 },         /* overlong 4-byte */
        { "\xED\xA0\x80", 3 },             /* surrogate U+D800 */
        { "\xED\xBF\xBF", 3 },             /* surrogate U+DFFF */
        { "\xF4\x90\x80\x80", 4 },         /* U+110000 */
        { "\xF5\x80\x80\x80", 4 },
        { "\xF8\x88\x80\x80\x80", 5 },     /* 5-byte form */
        { "\xFC\x84\x80\x80\x80\x80", 6 }, /* 6-byte form */
        { "\xFE", 1 },
        { "\xFF", 1 },
        { "\xC2", 1 },                     /* truncated */
        { "\xE2\x82", 2 },
        { "\xF0\x9F\x98", 3 },
        { "\xC2\x41", 2 },                 /* continuation byte missing */
        { "\xE2\x28\xA1", 3 },
        { "a\xC0", 2 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!utf8_valid((const uint8_t *)bad[i].s, bad[i].n), "case %zu", i);
}
END_TEST

START_TEST(names)
{
    {
        READER(r, err, 0x03, 'a', 'b', 'c', 0x00);
        const char *s;
        uint32_t n;
        ck_assert(rd_name(&r, &s, &n));
        ck_assert_uint_eq(n, 3);
        ck_assert(memcmp(s, "abc", 3) == 0);
        ck_assert_uint_eq(rd_left(&r), 1);
    }
    {
        READER(r, err, 0x02, 0xC0, 0x80);
        const char *s;
        uint32_t n;
        ck_assert(!rd_name(&r, &s, &n));
        ASSERT_ERR(err, "malformed UTF-8 encoding", 1);
    }
    {
        READER(r, err, 0x05, 'a', 'b');
        const char *s;
        uint32_t n;
        ck_assert(!rd_name(&r, &s, &n));
        ASSERT_ERR(err, "unexpected end", 0);
    }
    {   /* the length itself is a u32 LEB128 */
        READER(r, err, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
        const char *s;
        uint32_t n;
        ck_assert(!rd_name(&r, &s, &n));
        ASSERT_ERR(err, "integer representation too long", 0);
    }
}
END_TEST

/* The first error wins: later failures do not overwrite it. */
START_TEST(first_error_wins)
{
    READER(r, err, 0x80);
    uint32_t v;
    ck_assert(!rd_u32(&r, &v));
    ck_assert(!wasmc_fail(&err, 42, "later"));
    ASSERT_ERR(err, "unexpected end", 1);
}
END_TEST

static Suite *leb128_suite(void)
{
    Suite *s = suite_create("leb128");
    TCase *tc = tcase_create("leb128");
    tcase_add_test(tc, u32_valid);
    tcase_add_test(tc, u32_too_long);
    tcase_add_test(tc, u32_unused_bits);
    tcase_add_test(tc, u32_truncated);
    tcase_add_test(tc, s32_valid);
    tcase_add_test(tc, s32_malformed);
    tcase_add_test(tc, s33_cases);
    tcase_add_test(tc, u64_cases);
    tcase_add_test(tc, s64_cases);
    tcase_add_test(tc, offsets_in_sub_reader);
    tcase_add_test(tc, sub_reader_bounds);
    tcase_add_test(tc, floats);
    tcase_add_test(tc, counts);
    suite_add_tcase(s, tc);
    TCase *tu = tcase_create("utf8");
    tcase_add_test(tu, utf8_accepts);
    tcase_add_test(tu, utf8_rejects);
    tcase_add_test(tu, names);
    tcase_add_test(tu, first_error_wins);
    suite_add_tcase(s, tu);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(leb128_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
