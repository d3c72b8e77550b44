/* Unit tests of the binary decoder (frontend/decode*.c): each section
 * decoder with small hand-written binaries, accepted and rejected, plus
 * robustness (every truncation and many byte corruptions of a module that
 * uses every section must fail cleanly or decode, never crash). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../frontend/module.h"

#define HDR 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00

static WasmModule *decode_ok_(const uint8_t *b, size_t n, int line)
{
    WasmcError err = { 0 };
    WasmModule *m = wasm_decode(b, n, &err);
    ck_assert_msg(m != NULL, "line %d: decode failed at 0x%zx: %s", line, err.offset, err.msg);
    ck_assert(!err.set);
    return m;
}

static void decode_bad_(const uint8_t *b, size_t n, const char *msg, size_t off, int line)
{
    WasmcError err = { 0 };
    WasmModule *m = wasm_decode(b, n, &err);
    ck_assert_msg(m == NULL, "line %d: decoded, want '%s'", line, msg);
    ck_assert(err.set);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "line %d: got '%s', want '%s'", line, err.msg,
                  msg);
    if (off != (size_t)-1)
        ck_assert_msg(err.offset == off, "line %d: offset 0x%zx, want 0x%zx", line, err.offset,
                      off);
}

/* decode_ok(array) / decode_bad(array, message, offset or ANY) */
#define decode_ok(a) decode_ok_((a), sizeof(a), __LINE__)
#define decode_bad(a, msg, off) decode_bad_((a), sizeof(a), (msg), (off), __LINE__)
#define ANY ((size_t)-1)

/* ---- header and section framing ---------------------------------------- */

START_TEST(header)
{
    static const uint8_t empty_mod[] = { HDR };
    WasmModule *m = decode_ok(empty_mod);
    ck_assert_uint_eq(m->size, 8);
    ck_assert_uint_eq(m->nfuncs, 0);
    ck_assert(m->module_name == NULL);
    wasm_module_free(m);

    static const uint8_t none[1] = { 0 };
    decode_bad_(none, 0, "unexpected end", 0, __LINE__);
    static const uint8_t short_magic[] = { 0x00, 0x61, 0x73 };
    decode_bad(short_magic, "unexpected end", 0);
    static const uint8_t bad_magic[] = { 0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00 };
    decode_bad(bad_magic, "magic header not detected", 0);
    static const uint8_t short_version[] = { 0x00, 0x61, 0x73, 0x6D, 0x01 };
    decode_bad(short_version, "unexpected end", 4);
    static const uint8_t bad_version[] = { 0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x00, 0x00 };
    decode_bad(bad_version, "unknown binary version", 4);
}
END_TEST

START_TEST(section_framing)
{
    static const uint8_t unknown_id[] = { HDR, 0x0E, 0x01, 0x00 };
    decode_bad(unknown_id, "malformed section id", 8);
    static const uint8_t id_leb[] = { HDR, 0x80, 0x01, 0x00 };
    decode_bad(id_leb, "malformed section id", 8);
    /* Type section declares 5 bytes, content is 4 + 1 extra byte. */
    static const uint8_t size_mismatch[] = { HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00 };
    decode_bad(size_mismatch, "section size mismatch", 0x0E);
    static const uint8_t too_big[] = { HDR, 0x01, 0x10, 0x01, 0x60, 0x00, 0x00 };
    decode_bad(too_big, "unexpected end", ANY);
    static const uint8_t size_truncated[] = { HDR, 0x01 };
    decode_bad(size_truncated, "unexpected end", 9);
    static const uint8_t content_short[] = { HDR, 0x01, 0x03, 0x01, 0x60, 0x00 };
    decode_bad(content_short, "unexpected end", 0x0D);
    /* Two type sections. */
    static const uint8_t dup[] = { HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00 };
    decode_bad(dup, "unexpected content after last section", 11);
    /* Function section (3) after the memory section (5). */
    static const uint8_t order[] = { HDR, 0x05, 0x01, 0x00, 0x03, 0x01, 0x00 };
    decode_bad(order, "unexpected content after last section", 11);
    /* Data count (12) after code (10) is out of order; before it is fine. */
    static const uint8_t dc_late[] = { HDR, 0x0A, 0x01, 0x00, 0x0C, 0x01, 0x00 };
    decode_bad(dc_late, "unexpected content after last section", 11);
    static const uint8_t dc_early[] = { HDR, 0x0C, 0x01, 0x00, 0x0A, 0x01, 0x00 };
    wasm_module_free(decode_ok(dc_early));
    /* The tag section (13) sits between memory (5) and global (6). */
    static const uint8_t tag_order[] = { HDR, 0x05, 0x01, 0x00, 0x0D, 0x01, 0x00,
                                         0x06, 0x01, 0x00 };
    wasm_module_free(decode_ok(tag_order));
    static const uint8_t tag_late[] = { HDR, 0x06, 0x01, 0x00, 0x0D, 0x01, 0x00 };
    decode_bad(tag_late, "unexpected content after last section", 11);
}
END_TEST

START_TEST(custom_sections)
{
    static const uint8_t mod[] = {
        HDR,
        0x00, 0x04, 0x02, 'h', 'i', 0xAB,             /* custom "hi" before everything */
        0x01, 0x01, 0x00,                             /* empty type section */
        0x00, 0x03, 0x01, 'x', 0xCD,                  /* custom "x" after type */
        0x00, 0x01, 0x00,                             /* custom "" with no payload */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->ncustoms, 3);
    ck_assert_str_eq(m->customs[0].name, "hi");
    ck_assert_uint_eq(m->customs[0].name_len, 2);
    ck_assert_uint_eq(m->customs[0].data_off, 13);
    ck_assert_uint_eq(m->customs[0].data_len, 1);
    ck_assert_uint_eq(m->bytes[m->customs[0].data_off], 0xAB);
    ck_assert_uint_eq(m->customs[0].after_id, 0);
    ck_assert_str_eq(m->customs[1].name, "x");
    ck_assert_uint_eq(m->customs[1].after_id, 1);
    ck_assert_uint_eq(m->bytes[m->customs[1].data_off], 0xCD);
    ck_assert_uint_eq(m->customs[2].name_len, 0);
    ck_assert_uint_eq(m->customs[2].data_len, 0);
    wasm_module_free(m);

    static const uint8_t bad_utf8[] = { HDR, 0x00, 0x03, 0x02, 0xC0, 0x80 };
    decode_bad(bad_utf8, "malformed UTF-8 encoding", 11);
    static const uint8_t name_too_long[] = { HDR, 0x00, 0x02, 0x05, 'a' };
    decode_bad(name_too_long, "unexpected end", ANY);
    static const uint8_t empty_custom[] = { HDR, 0x00, 0x00 };
    decode_bad(empty_custom, "unexpected end", ANY);
    /* Many custom sections (exercises the growth of the list). */
    uint8_t many[8 + 3 * 40];
    memcpy(many, (const uint8_t[]){ HDR }, 8);
    for (int i = 0; i < 40; i++) {
        many[8 + 3 * i] = 0x00;
        many[9 + 3 * i] = 0x01;
        many[10 + 3 * i] = 0x00;
    }
    m = decode_ok(many);
    ck_assert_uint_eq(m->ncustoms, 40);
    wasm_module_free(m);
}
END_TEST

/* ---- types -------------------------------------------------------------- */

START_TEST(type_section)
{
    static const uint8_t mod[] = {
        HDR, 0x01, 0x36, 0x07,
        /* 0: (func (param i32 i64 f32 f64 v128) (result funcref externref)) */
        0x60, 0x05, 0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x02, 0x70, 0x6F,
        /* 1: (struct (field i8) (field (mut i16)) (field (ref null 0))) */
        0x5F, 0x03, 0x78, 0x00, 0x77, 0x01, 0x63, 0x00, 0x00,
        /* 2: (array (mut (ref any))) */
        0x5E, 0x64, 0x6E, 0x01,
        /* 3, 4: (rec (sub (func)) (sub final 3 (func))) */
        0x4E, 0x02, 0x50, 0x00, 0x60, 0x00, 0x00, 0x4F, 0x01, 0x03, 0x60, 0x00, 0x00,
        /* 5: (sub 1 (struct)) */
        0x50, 0x01, 0x01, 0x5F, 0x00,
        /* (rec) with no types */
        0x4E, 0x00,
        /* 6: (func (param (ref 4294967295) eqref)) */
        0x60, 0x02, 0x64, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x6D, 0x00,
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->ntypes, 7);
    const WasmSubType *t = m->types;
    ck_assert_uint_eq(t[0].kind, COMP_FUNC);
    ck_assert(t[0].final && !t[0].has_super);
    ck_assert_uint_eq(t[0].rec_first, 0);
    ck_assert_uint_eq(t[0].rec_size, 1);
    ck_assert_uint_eq(t[0].nparams, 5);
    ck_assert_uint_eq(t[0].params[0].code, WT_I32);
    ck_assert_uint_eq(t[0].params[4].code, WT_V128);
    ck_assert_uint_eq(t[0].nresults, 2);
    ck_assert_uint_eq(t[0].results[0].code, WT_REF);
    ck_assert_uint_eq(t[0].results[0].heap, HT_FUNC);
    ck_assert(t[0].results[0].nullable);
    ck_assert_uint_eq(t[0].results[1].heap, HT_EXTERN);

    ck_assert_uint_eq(t[1].kind, COMP_STRUCT);
    ck_assert_uint_eq(t[1].nfields, 3);
    ck_assert_uint_eq(t[1].fields[0].type.code, WT_I8);
    ck_assert(!t[1].fields[0].mut);
    ck_assert_uint_eq(t[1].fields[1].type.code, WT_I16);
    ck_assert(t[1].fields[1].mut);
    ck_assert_uint_eq(t[1].fields[2].type.heap, HT_NONE_IDX);
    ck_assert_uint_eq(t[1].fields[2].type.type_idx, 0);
    ck_assert(t[1].fields[2].type.nullable);

    ck_assert_uint_eq(t[2].kind, COMP_ARRAY);
    ck_assert_uint_eq(t[2].nfields, 1);
    ck_assert(t[2].fields[0].mut);
    ck_assert(!t[2].fields[0].type.nullable);
    ck_assert_uint_eq(t[2].fields[0].type.heap, HT_ANY);

    ck_assert(!t[3].final && !t[3].has_super);
    ck_assert_uint_eq(t[3].rec_first, 3);
    ck_assert_uint_eq(t[3].rec_size, 2);
    ck_assert(t[4].final && t[4].has_super);
    ck_assert_uint_eq(t[4].super_idx, 3);
    ck_assert_uint_eq(t[4].rec_first, 3);
    ck_assert_uint_eq(t[4].rec_size, 2);

    ck_assert(!t[5].final && t[5].has_super);
    ck_assert_uint_eq(t[5].super_idx, 1);
    ck_assert_uint_eq(t[5].kind, COMP_STRUCT);
    ck_assert_uint_eq(t[5].nfields, 0);
    ck_assert_uint_eq(t[5].rec_first, 5);

    ck_assert_uint_eq(t[6].rec_first, 6);
    ck_assert_uint_eq(t[6].params[0].type_idx, 0xFFFFFFFFu);
    ck_assert(!t[6].params[0].nullable);
    ck_assert_uint_eq(t[6].params[1].heap, HT_EQ);
    wasm_module_free(m);
}
END_TEST

/* Every abbreviated reference type and both long forms with each heap type. */
START_TEST(ref_type_encodings)
{
    static const uint8_t abbrevs[] = { 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E,
                                       0x6F, 0x70, 0x71, 0x72, 0x73, 0x74 };
    for (size_t i = 0; i < sizeof abbrevs; i++) {
        /* (func (param <abbrev> (ref <ht>) (ref null <ht>))) */
        uint8_t mod[] = { HDR, 0x01, 0x09, 0x01, 0x60, 0x03, abbrevs[i],
                          0x64, abbrevs[i], 0x63, abbrevs[i], 0x00 };
        WasmModule *m = decode_ok(mod);
        const WasmSubType *t = &m->types[0];
        ck_assert_uint_eq(t->params[0].code, WT_REF);
        ck_assert_uint_eq(t->params[0].heap, abbrevs[i]);
        ck_assert(t->params[0].nullable);
        ck_assert_uint_eq(t->params[1].heap, abbrevs[i]);
        ck_assert(!t->params[1].nullable);
        ck_assert_uint_eq(t->params[2].heap, abbrevs[i]);
        ck_assert(t->params[2].nullable);
        wasm_module_free(m);
    }
    /* Bytes next to the abbreviation range are not value types. */
    static const uint8_t not_types[] = { 0x68, 0x75, 0x40, 0x78, 0x77, 0x00, 0x7A, 0x80 };
    for (size_t i = 0; i < sizeof not_types; i++) {
        uint8_t mod[] = { HDR, 0x01, 0x05, 0x01, 0x60, 0x01, not_types[i], 0x00 };
        decode_bad(mod, "malformed value type", 13);
    }
    /* A negative s33 that is not an abstract heap type, and a two-byte
     * encoding of an abstract one. */
    static const uint8_t bad_heap[] = { HDR, 0x01, 0x06, 0x01, 0x60, 0x01, 0x64, 0x40, 0x00 };
    decode_bad(bad_heap, "malformed heap type", 14);
    static const uint8_t long_heap[] = { HDR, 0x01, 0x07, 0x01, 0x60, 0x01, 0x63,
                                         0xF0, 0x7F, 0x00 };
    decode_bad(long_heap, "malformed heap type", 14);
    static const uint8_t big_idx[] = { HDR, 0x01, 0x0A, 0x01, 0x60, 0x01, 0x63,
                                       0x80, 0x80, 0x80, 0x80, 0x10, 0x00 };
    decode_bad(big_idx, "integer too large", 14);
}
END_TEST

START_TEST(type_errors)
{
    static const uint8_t bad_form[] = { HDR, 0x01, 0x03, 0x01, 0x5D, 0x00 };
    decode_bad(bad_form, "malformed composite type", 11);
    static const uint8_t leb_form[] = { HDR, 0x01, 0x05, 0x01, 0xE0, 0x7F, 0x00, 0x00 };
    decode_bad(leb_form, "integer representation too long", 11);
    static const uint8_t bad_mut[] = { HDR, 0x01, 0x04, 0x01, 0x5E, 0x78, 0x02 };
    decode_bad(bad_mut, "malformed mutability", 13);
    /* Packed types only in fields. */
    static const uint8_t packed_param[] = { HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x78, 0x00 };
    decode_bad(packed_param, "malformed value type", 13);
    static const uint8_t two_supers[] = { HDR, 0x01, 0x08, 0x01, 0x50, 0x02, 0x00, 0x00,
                                          0x60, 0x00, 0x00 };
    decode_bad(two_supers, "multiple supertypes", 11);
    static const uint8_t sub_in_sub[] = { HDR, 0x01, 0x06, 0x01, 0x50, 0x00, 0x50, 0x00, 0x5F };
    decode_bad(sub_in_sub, "malformed composite type", 13);
    static const uint8_t huge_count[] = { HDR, 0x01, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x60 };
    decode_bad(huge_count, "unexpected end", ANY);
    static const uint8_t huge_rec[] = { HDR, 0x01, 0x07, 0x01, 0x4E, 0xFF, 0xFF, 0xFF, 0xFF,
                                        0x0F };
    decode_bad(huge_rec, "unexpected end", ANY);
    static const uint8_t huge_params[] = { HDR, 0x01, 0x07, 0x01, 0x60, 0xFF, 0xFF, 0xFF, 0xFF,
                                           0x0F };
    decode_bad(huge_params, "unexpected end", ANY);
}
END_TEST

/* ---- imports and index spaces ------------------------------------------ */

START_TEST(imports)
{
    static const uint8_t mod[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x2B, 0x06,
        0x01, 'm', 0x01, 'f', 0x00, 0x00,                 /* func 0: type 0 */
        0x01, 'm', 0x01, 't', 0x01, 0x70, 0x01, 0x01, 0x02, /* table: funcref 1..2 */
        0x01, 'm', 0x02, 'm', 'm', 0x02, 0x03, 0x01, 0x02, /* memory: shared 1..2 */
        0x01, 'm', 0x01, 'g', 0x03, 0x7E, 0x01,           /* global: mut i64 */
        0x01, 'm', 0x01, 'e', 0x04, 0x00, 0x00,           /* tag: type 0 */
        0x00, 0x00, 0x00, 0x00,                           /* func 1 with empty names */
        0x03, 0x02, 0x01, 0x00,                           /* one defined function */
        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nimports, 6);
    ck_assert_str_eq(m->imports[0].module, "m");
    ck_assert_str_eq(m->imports[0].field, "f");
    ck_assert_uint_eq(m->imports[0].kind, EXTERN_FUNC);
    ck_assert_uint_eq(m->imports[0].index, 0);
    ck_assert_uint_eq(m->imports[0].off, 17);
    ck_assert_uint_eq(m->imports[5].kind, EXTERN_FUNC);
    ck_assert_uint_eq(m->imports[5].index, 1);
    ck_assert_uint_eq(m->imports[5].module_len, 0);
    ck_assert_str_eq(m->imports[2].field, "mm");
    ck_assert_uint_eq(m->imports[2].field_len, 2);

    ck_assert_uint_eq(m->nfuncs, 3);
    ck_assert_uint_eq(m->nimported_funcs, 2);
    ck_assert(m->funcs[0].imported && m->funcs[1].imported && !m->funcs[2].imported);
    ck_assert_uint_eq(m->ntables, 1);
    ck_assert_uint_eq(m->nimported_tables, 1);
    ck_assert_uint_eq(m->tables[0].elem.heap, HT_FUNC);
    ck_assert(m->tables[0].limits.has_max);
    ck_assert_uint_eq(m->tables[0].limits.max, 2);
    ck_assert_uint_eq(m->nmemories, 1);
    ck_assert(m->memories[0].limits.shared);
    ck_assert_uint_eq(m->memories[0].limits.page_log2, 16);
    ck_assert_uint_eq(m->nglobals, 1);
    ck_assert_uint_eq(m->globals[0].type.code, WT_I64);
    ck_assert(m->globals[0].mut);
    ck_assert_uint_eq(m->globals[0].init.len, 0);
    ck_assert_uint_eq(m->ntags, 1);
    ck_assert_uint_eq(m->nimported_tags, 1);
    ck_assert_uint_eq(m->tags[0].type_idx, 0);
    wasm_module_free(m);
}
END_TEST

START_TEST(import_errors)
{
    static const uint8_t bad_kind[] = { HDR, 0x02, 0x04, 0x01, 0x00, 0x00, 0x05 };
    decode_bad(bad_kind, "malformed import kind", 13);
    static const uint8_t bad_kind2[] = { HDR, 0x02, 0x05, 0x01, 0x00, 0x00, 0x80, 0x00 };
    decode_bad(bad_kind2, "malformed import kind", 13);
    static const uint8_t bad_utf8[] = { HDR, 0x02, 0x06, 0x01, 0x01, 0xFF, 0x00, 0x00, 0x00 };
    decode_bad(bad_utf8, "malformed UTF-8 encoding", 12);
    static const uint8_t bad_mut[] = { HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x03, 0x7F, 0x02 };
    decode_bad(bad_mut, "malformed mutability", 15);
    static const uint8_t truncated[] = { HDR, 0x02, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00 };
    decode_bad(truncated, "unexpected end", ANY);
    static const uint8_t bad_tag[] = { HDR, 0x02, 0x06, 0x01, 0x00, 0x00, 0x04, 0x01, 0x00 };
    decode_bad(bad_tag, "malformed tag attribute", 14);
}
END_TEST

/* The compact-import-section encodings (which WABT emits for the suite). */
START_TEST(compact_imports)
{
    static const uint8_t mod[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x1A, 0x02,
        0x01, 'a', 0x00, 0x7F, 0x02,                      /* "a": 2 items with own types */
        0x01, 'x', 0x00, 0x00, 0x01, 'y', 0x03, 0x7F, 0x00,
        0x01, 'b', 0x00, 0x7E, 0x00, 0x00, 0x02, 0x01, 'p', 0x01, 'q', /* "b": 2 funcs */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nimports, 4);
    ck_assert_str_eq(m->imports[0].module, "a");
    ck_assert_str_eq(m->imports[0].field, "x");
    ck_assert_uint_eq(m->imports[1].kind, EXTERN_GLOBAL);
    ck_assert_str_eq(m->imports[1].field, "y");
    ck_assert_str_eq(m->imports[2].module, "b");
    ck_assert_str_eq(m->imports[3].field, "q");
    ck_assert_uint_eq(m->imports[3].index, 2);
    ck_assert_uint_eq(m->nfuncs, 3);
    ck_assert_uint_eq(m->nglobals, 1);
    wasm_module_free(m);

    /* WABT's variant: the leading count is the number of imports. */
    static const uint8_t wabt[] = {
        HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x02, 0x0E, 0x02, 0x01, 'a', 0x00, 0x7F, 0x02,
        0x01, 'x', 0x00, 0x00, 0x01, 'y', 0x00, 0x00,
    };
    m = decode_ok(wabt);
    ck_assert_uint_eq(m->nimports, 2);
    ck_assert_uint_eq(m->nfuncs, 2);
    wasm_module_free(m);
}
END_TEST

/* ---- function and code ---------------------------------------------------- */

START_TEST(function_and_code)
{
    static const uint8_t mod[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x03, 0x02, 0x00, 0x00,
        0x0A, 0x0D, 0x02,
        0x02, 0x00, 0x0B,                               /* func 0: no locals */
        0x08, 0x02, 0x02, 0x7F, 0x03, 0x63, 0x00, 0x01, 0x0B, /* 2 i32, 3 (ref null 0); nop */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nfuncs, 2);
    const WasmFunc *f0 = &m->funcs[0], *f1 = &m->funcs[1];
    ck_assert(!f0->imported);
    ck_assert_uint_eq(f0->body_off, 23);
    ck_assert_uint_eq(f0->body_len, 2);
    ck_assert_uint_eq(f0->nlocals, 0);
    ck_assert_uint_eq(f0->code_off, 24);
    ck_assert_uint_eq(f0->code_len, 1);
    ck_assert_uint_eq(f1->body_off, 26);
    ck_assert_uint_eq(f1->body_len, 8);
    ck_assert_uint_eq(f1->nlocal_runs, 2);
    ck_assert_uint_eq(f1->local_runs[0].count, 2);
    ck_assert_uint_eq(f1->local_runs[0].type.code, WT_I32);
    ck_assert_uint_eq(f1->local_runs[1].count, 3);
    ck_assert_uint_eq(f1->local_runs[1].type.code, WT_REF);
    ck_assert_uint_eq(f1->nlocals, 5);
    ck_assert_uint_eq(f1->code_off, 32);
    ck_assert_uint_eq(f1->code_len, 2);
    ck_assert_uint_eq(m->bytes[f1->code_off + f1->code_len - 1], 0x0B);
    wasm_module_free(m);
}
END_TEST

START_TEST(code_errors)
{
    static const uint8_t no_code[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                       0x03, 0x02, 0x01, 0x00 };
    decode_bad(no_code, "function and code section have inconsistent lengths", ANY);
    static const uint8_t no_funcs[] = { HDR, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B };
    decode_bad(no_funcs, "function and code section have inconsistent lengths", ANY);
    static const uint8_t two_code[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                        0x03, 0x03, 0x02, 0x00, 0x00,
                                        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
                                        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B };
    decode_bad(two_code, "unexpected content after last section", 25);
    /* Missing `end`: followed by more input, and at the end of the input. */
    static const uint8_t no_end[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                      0x03, 0x02, 0x01, 0x00,
                                      0x0A, 0x04, 0x01, 0x02, 0x00, 0x01,
                                      0x00, 0x01, 0x00 };
    decode_bad(no_end, "END opcode expected", 23);
    static const uint8_t no_end_eof[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                          0x03, 0x02, 0x01, 0x00,
                                          0x0A, 0x04, 0x01, 0x02, 0x00, 0x01 };
    decode_bad(no_end_eof, "unexpected end", ANY);
    static const uint8_t empty_body[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                          0x03, 0x02, 0x01, 0x00,
                                          0x0A, 0x03, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00 };
    decode_bad(empty_body, "END opcode expected", ANY);
    static const uint8_t body_past_section[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                                 0x03, 0x02, 0x01, 0x00,
                                                 0x0A, 0x04, 0x01, 0x05, 0x00, 0x0B };
    decode_bad(body_past_section, "unexpected end", ANY);
    /* 50000 locals are fine, 50001 are not; nor is a u32 overflow. */
    static const uint8_t max_locals[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                          0x03, 0x02, 0x01, 0x00,
                                          0x0A, 0x08, 0x01, 0x06, 0x01, 0xD0, 0x86, 0x03, 0x7F,
                                          0x0B };
    WasmModule *m = decode_ok(max_locals);
    ck_assert_uint_eq(m->funcs[0].nlocals, 50000);
    wasm_module_free(m);
    static const uint8_t too_many[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                        0x03, 0x02, 0x01, 0x00,
                                        0x0A, 0x0A, 0x01, 0x08, 0x02, 0xD0, 0x86, 0x03, 0x7F,
                                        0x01, 0x7E, 0x0B };
    decode_bad(too_many, "too many locals", 27);
    static const uint8_t overflow[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                        0x03, 0x02, 0x01, 0x00,
                                        0x0A, 0x11, 0x01, 0x0F, 0x02,
                                        0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F,
                                        0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x0B };
    decode_bad(overflow, "too many locals", 23);
    static const uint8_t count_too_large[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                               0x03, 0x02, 0x01, 0x00,
                                               0x0A, 0x0C, 0x01, 0x0A, 0x02,
                                               0x80, 0x80, 0x80, 0x80, 0x10, 0x7F,
                                               0x02, 0x7E, 0x0B };
    decode_bad(count_too_large, "integer too large", 23);
    static const uint8_t bad_local_type[] = { HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                              0x03, 0x02, 0x01, 0x00,
                                              0x0A, 0x06, 0x01, 0x04, 0x01, 0x01, 0x40, 0x0B };
    decode_bad(bad_local_type, "malformed value type", 24);
}
END_TEST

/* ---- tables, memories, limits ------------------------------------------ */

START_TEST(tables)
{
    static const uint8_t mod[] = {
        HDR, 0x04, 0x19, 0x04,
        0x70, 0x00, 0x05,                             /* funcref 5.. */
        0x6F, 0x01, 0x00, 0x0A,                       /* externref 0..10 */
        0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xD2, 0x00, 0x0B, /* (ref func) 1.. init ref.func 0 */
        0x70, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10, /* table64 1..2^32 */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->ntables, 4);
    ck_assert_uint_eq(m->nimported_tables, 0);
    ck_assert_uint_eq(m->tables[0].limits.min, 5);
    ck_assert(!m->tables[0].limits.has_max);
    ck_assert(!m->tables[0].has_init);
    ck_assert_uint_eq(m->tables[1].elem.heap, HT_EXTERN);
    ck_assert_uint_eq(m->tables[1].limits.max, 10);
    ck_assert(m->tables[2].has_init);
    ck_assert(!m->tables[2].elem.nullable);
    ck_assert_uint_eq(m->tables[2].init.off, 24);
    ck_assert_uint_eq(m->tables[2].init.len, 3);
    ck_assert(m->tables[3].limits.is64);
    ck_assert(m->tables[3].limits.max == (1ull << 32));
    wasm_module_free(m);

    static const uint8_t bad_flags[] = { HDR, 0x04, 0x03, 0x01, 0x70, 0x08 };
    decode_bad(bad_flags, "malformed limits flags", 12);
    static const uint8_t shared_table[] = { HDR, 0x04, 0x05, 0x01, 0x70, 0x03, 0x00, 0x00 };
    decode_bad(shared_table, "malformed limits flags", 12);
    static const uint8_t leb_flags[] = { HDR, 0x04, 0x05, 0x01, 0x70, 0x81, 0x00, 0x00 };
    decode_bad(leb_flags, "malformed limits flags", 12);
    static const uint8_t bad_ref[] = { HDR, 0x04, 0x04, 0x01, 0x7F, 0x00, 0x00 };
    decode_bad(bad_ref, "malformed reference type", 11);
    static const uint8_t bad_init[] = { HDR, 0x04, 0x07, 0x01, 0x40, 0x01, 0x70, 0x00, 0x00,
                                        0x0B };
    decode_bad(bad_init, "malformed table", 12);
    static const uint8_t truncated[] = { HDR, 0x04, 0x01, 0x01 };
    decode_bad(truncated, "unexpected end", ANY);
}
END_TEST

START_TEST(memories)
{
    static const uint8_t mod[] = {
        HDR, 0x05, 0x1A, 0x06,
        0x00, 0x01,                                   /* 1.. */
        0x01, 0x00, 0x80, 0x80, 0x04,                 /* 0..65536 */
        0x03, 0x01, 0x02,                             /* shared 1..2 */
        0x05, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02, /* i64 0..2^36 */
        0x08, 0x00, 0x00,                             /* pagesize 1 */
        0x09, 0x02, 0x03, 0x10,                       /* 2..3, pagesize 64 KiB */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nmemories, 6);
    const WasmLimits *l = &m->memories[0].limits;
    ck_assert(l->min == 1 && !l->has_max && !l->shared && !l->is64 && l->page_log2 == 16);
    l = &m->memories[1].limits;
    ck_assert(l->has_max && l->max == 65536);
    l = &m->memories[2].limits;
    ck_assert(l->shared && l->has_max && l->max == 2);
    l = &m->memories[3].limits;
    ck_assert(l->is64 && l->max == (1ull << 36));
    l = &m->memories[4].limits;
    ck_assert(l->page_log2 == 0 && !l->has_max);
    l = &m->memories[5].limits;
    ck_assert(l->page_log2 == 16 && l->min == 2 && l->max == 3);
    wasm_module_free(m);

    /* Out-of-range values are the validator's: stored as read. */
    static const uint8_t big[] = { HDR, 0x05, 0x07, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10 };
    m = decode_ok(big);
    ck_assert(m->memories[0].limits.min == (1ull << 32));
    wasm_module_free(m);
    static const uint8_t pagesize_2[] = { HDR, 0x05, 0x04, 0x01, 0x08, 0x00, 0x01 };
    m = decode_ok(pagesize_2);
    ck_assert_uint_eq(m->memories[0].limits.page_log2, 1);
    wasm_module_free(m);

    static const uint8_t bad_flags[] = { HDR, 0x05, 0x03, 0x01, 0x10, 0x00 };
    decode_bad(bad_flags, "malformed limits flags", 11);
    static const uint8_t leb_flags[] = { HDR, 0x05, 0x04, 0x01, 0x81, 0x01, 0x00 };
    decode_bad(leb_flags, "malformed limits flags", 11);
    static const uint8_t huge_page[] = { HDR, 0x05, 0x04, 0x01, 0x08, 0x00, 0x41 };
    decode_bad(huge_page, "invalid custom page size", 13);
    static const uint8_t too_long[] = { HDR, 0x05, 0x0D, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80,
                                        0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
    decode_bad(too_long, "integer representation too long", 12);
    static const uint8_t missing_max[] = { HDR, 0x05, 0x03, 0x01, 0x01, 0x00 };
    decode_bad(missing_max, "unexpected end", ANY);
}
END_TEST

START_TEST(tags)
{
    static const uint8_t mod[] = { HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00,
                                   0x0D, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00 };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->ntags, 2);
    ck_assert_uint_eq(m->nimported_tags, 0);
    ck_assert_uint_eq(m->tags[1].type_idx, 0);
    wasm_module_free(m);
    static const uint8_t bad_attr[] = { HDR, 0x0D, 0x03, 0x01, 0x01, 0x00 };
    decode_bad(bad_attr, "malformed tag attribute", 11);
}
END_TEST

/* ---- globals and constant expressions ---------------------------------- */

START_TEST(globals)
{
    static const uint8_t mod[] = {
        HDR, 0x06, 0x1B, 0x04,
        0x7F, 0x00, 0x41, 0x7F, 0x0B,                   /* i32 const -1 */
        0x7E, 0x01, 0x42, 0x01, 0x42, 0x02, 0x7C, 0x0B, /* mut i64 (1 + 2) */
        0x7D, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B, /* f32 1.0 */
        0x70, 0x00, 0xD0, 0x70, 0x0B,                   /* funcref null */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nglobals, 4);
    ck_assert_uint_eq(m->nimported_globals, 0);
    ck_assert_uint_eq(m->globals[0].type.code, WT_I32);
    ck_assert(!m->globals[0].mut);
    ck_assert_uint_eq(m->globals[0].init.off, 13);
    ck_assert_uint_eq(m->globals[0].init.len, 3);
    ck_assert(m->globals[1].mut);
    ck_assert_uint_eq(m->globals[1].init.off, 18);
    ck_assert_uint_eq(m->globals[1].init.len, 6);
    ck_assert_uint_eq(m->globals[2].init.len, 6);
    ck_assert_uint_eq(m->globals[3].type.code, WT_REF);
    ck_assert_uint_eq(m->globals[3].init.len, 3);
    wasm_module_free(m);

    static const uint8_t bad_mut[] = { HDR, 0x06, 0x05, 0x01, 0x7F, 0x02, 0x41, 0x00, 0x0B };
    decode_bad(bad_mut, "malformed mutability", 12);
    static const uint8_t no_end[] = { HDR, 0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00 };
    decode_bad(no_end, "unexpected end", 15);
    static const uint8_t non_const[] = { HDR, 0x06, 0x06, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x68,
                                         0x0B };
    decode_bad(non_const, "constant expression required", 15);
    static const uint8_t nop[] = { HDR, 0x06, 0x04, 0x01, 0x7F, 0x00, 0x01, 0x0B };
    decode_bad(nop, "constant expression required", 13);
    static const uint8_t illegal[] = { HDR, 0x06, 0x04, 0x01, 0x7F, 0x00, 0xFF, 0x0B };
    decode_bad(illegal, "illegal opcode ff", 13);
}
END_TEST

/* Walks one constant expression as the only global of a module. */
static void const_expr_case(const uint8_t *expr, size_t n, const char *err_msg, int line)
{
    uint8_t mod[64] = { HDR, 0x06, 0x00, 0x01, 0x7F, 0x00 };
    ck_assert(n + 13 <= sizeof mod);
    mod[9] = (uint8_t)(n + 3);
    memcpy(mod + 13, expr, n);
    if (!err_msg) {
        WasmModule *m = decode_ok_(mod, n + 13, line);
        ck_assert_uint_eq(m->globals[0].init.off, 13);
        ck_assert_uint_eq(m->globals[0].init.len, n);
        wasm_module_free(m);
    } else {
        decode_bad_(mod, n + 13, err_msg, ANY, line);
    }
}
#define CONST_OK(...)                                                       \
    do {                                                                    \
        static const uint8_t e_[] = { __VA_ARGS__ };                        \
        const_expr_case(e_, sizeof e_, NULL, __LINE__);                     \
    } while (0)
#define CONST_BAD(msg, ...)                                                 \
    do {                                                                    \
        static const uint8_t e_[] = { __VA_ARGS__ };                        \
        const_expr_case(e_, sizeof e_, (msg), __LINE__);                    \
    } while (0)

START_TEST(const_exprs)
{
    CONST_OK(0x0B); /* empty: a type error, not malformed */
    CONST_OK(0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x0B);
    CONST_OK(0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, 0x0B);
    CONST_OK(0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x0B);
    CONST_OK(0x23, 0x05, 0x0B);
    CONST_OK(0xD2, 0x80, 0x01, 0x0B);
    CONST_OK(0xD0, 0x05, 0x0B);                    /* ref.null of a type index */
    CONST_OK(0x41, 0x01, 0x41, 0x02, 0x6A, 0x41, 0x03, 0x6B, 0x41, 0x04, 0x6C, 0x0B);
    CONST_OK(0x42, 0x01, 0x42, 0x02, 0x7D, 0x42, 0x03, 0x7E, 0x0B);
    CONST_OK(0xFD, 0x0C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x0B);
    CONST_OK(0xFB, 0x00, 0x01, 0x0B);              /* struct.new 1 */
    CONST_OK(0xFB, 0x01, 0x01, 0x0B);              /* struct.new_default 1 */
    CONST_OK(0xFB, 0x06, 0x02, 0x0B);              /* array.new 2 */
    CONST_OK(0xFB, 0x07, 0x02, 0x0B);              /* array.new_default 2 */
    CONST_OK(0xFB, 0x08, 0x02, 0x03, 0x0B);        /* array.new_fixed 2 3 */
    CONST_OK(0x41, 0x00, 0xFB, 0x1C, 0x0B);        /* ref.i31 */
    CONST_OK(0xFB, 0x1A, 0xFB, 0x1B, 0x0B);        /* any.convert_extern, extern.convert_any */
    CONST_OK(0xFB, 0x80, 0x00, 0x00, 0x0B);        /* a non-minimal sub-opcode */

    CONST_BAD("constant expression required", 0x20, 0x00, 0x0B);  /* local.get */
    CONST_BAD("constant expression required", 0x24, 0x00, 0x0B);  /* global.set */
    CONST_BAD("constant expression required", 0x6D, 0x0B);        /* i32.div_s */
    CONST_BAD("constant expression required", 0x7F, 0x0B);        /* i64.div_s */
    CONST_BAD("constant expression required", 0x1A, 0x0B);        /* drop */
    CONST_BAD("constant expression required", 0xFB, 0x02, 0x00, 0x00, 0x0B); /* struct.get */
    CONST_BAD("constant expression required", 0xFD, 0x0D, 0x0B);  /* i8x16.shuffle */
    CONST_BAD("constant expression required", 0xFC, 0x00, 0x0B);  /* i32.trunc_sat */
    CONST_BAD("illegal opcode", 0xF3, 0x0B);
    CONST_BAD("unexpected end", 0xFD, 0x0C, 1, 2, 3, 0x0B);
    CONST_BAD("unexpected end", 0x44, 0x00, 0x0B);
    CONST_BAD("integer representation too long", 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B);
    CONST_BAD("integer too large", 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0B);
    CONST_BAD("malformed heap type", 0xD0, 0x40, 0x0B);
}
END_TEST

/* ---- exports and start -------------------------------------------------- */

START_TEST(exports_and_start)
{
    static const uint8_t mod[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x02, 0x01, 0x00,
        0x07, 0x0F, 0x03,
        0x01, 'f', 0x00, 0x00,
        0x03, 'm', 'e', 'm', 0x02, 0x00,
        0x00, 0x04, 0x80, 0x01,                       /* "" tag 128 */
        0x08, 0x01, 0x00,
        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nexports, 3);
    ck_assert_str_eq(m->exports[0].name, "f");
    ck_assert_uint_eq(m->exports[0].kind, EXTERN_FUNC);
    ck_assert_uint_eq(m->exports[0].off, 21);
    ck_assert_str_eq(m->exports[1].name, "mem");
    ck_assert_uint_eq(m->exports[1].name_len, 3);
    ck_assert_uint_eq(m->exports[1].kind, EXTERN_MEMORY);
    ck_assert_uint_eq(m->exports[2].kind, EXTERN_TAG);
    ck_assert_uint_eq(m->exports[2].index, 128);
    ck_assert(m->has_start);
    ck_assert_uint_eq(m->start_func, 0);
    wasm_module_free(m);

    static const uint8_t bad_kind[] = { HDR, 0x07, 0x04, 0x01, 0x00, 0x05, 0x00 };
    decode_bad(bad_kind, "malformed export kind", 12);
    static const uint8_t bad_name[] = { HDR, 0x07, 0x05, 0x01, 0x01, 0x80, 0x00, 0x00 };
    decode_bad(bad_name, "malformed UTF-8 encoding", 12);
    static const uint8_t two_starts[] = { HDR, 0x08, 0x01, 0x00, 0x08, 0x01, 0x00 };
    decode_bad(two_starts, "unexpected content after last section", 11);
    static const uint8_t start_extra[] = { HDR, 0x08, 0x02, 0x00, 0x00 };
    decode_bad(start_extra, "section size mismatch", 11);
}
END_TEST

/* ---- element segments: all 8 forms -------------------------------------- */

START_TEST(elements)
{
    static const uint8_t mod[] = {
        HDR, 0x09, 0x36, 0x08,
        0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x01,                   /* 0: active t0, funcs */
        0x01, 0x00, 0x01, 0x02,                                     /* 1: passive, funcs */
        0x02, 0x03, 0x41, 0x01, 0x0B, 0x00, 0x01, 0x04,             /* 2: active t3, funcs */
        0x03, 0x00, 0x00,                                           /* 3: declarative, none */
        0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B,             /* 4: active t0, exprs */
        0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,                         /* 5: passive externref */
        0x06, 0x01, 0x41, 0x02, 0x0B, 0x63, 0x00, 0x01, 0xD0, 0x00, 0x0B, /* 6: active t1 */
        0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B,                         /* 7: declarative */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_uint_eq(m->nelems, 8);
    const WasmElemSeg *e = m->elems;
    ck_assert_uint_eq(e[0].mode, SEG_ACTIVE);
    ck_assert_uint_eq(e[0].table_idx, 0);
    ck_assert_uint_eq(e[0].offset.off, 12);
    ck_assert_uint_eq(e[0].offset.len, 3);
    ck_assert_uint_eq(e[0].count, 2);
    ck_assert(e[0].func_idxs && !e[0].exprs);
    ck_assert_uint_eq(e[0].func_idxs[1], 1);
    ck_assert_uint_eq(e[0].type.heap, HT_FUNC);
    ck_assert(!e[0].type.nullable);
    ck_assert_uint_eq(e[0].off, 11);

    ck_assert_uint_eq(e[1].mode, SEG_PASSIVE);
    ck_assert_uint_eq(e[1].count, 1);
    ck_assert_uint_eq(e[1].func_idxs[0], 2);
    ck_assert_uint_eq(e[2].mode, SEG_ACTIVE);
    ck_assert_uint_eq(e[2].table_idx, 3);
    ck_assert_uint_eq(e[2].func_idxs[0], 4);
    ck_assert_uint_eq(e[3].mode, SEG_DECLARATIVE);
    ck_assert_uint_eq(e[3].count, 0);

    ck_assert_uint_eq(e[4].mode, SEG_ACTIVE);
    ck_assert(e[4].exprs && !e[4].func_idxs);
    ck_assert(e[4].type.nullable);
    ck_assert_uint_eq(e[4].type.heap, HT_FUNC);
    ck_assert_uint_eq(e[4].exprs[0].len, 3);
    ck_assert_uint_eq(e[5].mode, SEG_PASSIVE);
    ck_assert_uint_eq(e[5].type.heap, HT_EXTERN);
    ck_assert_uint_eq(e[6].mode, SEG_ACTIVE);
    ck_assert_uint_eq(e[6].table_idx, 1);
    ck_assert_uint_eq(e[6].type.heap, HT_NONE_IDX);
    ck_assert_uint_eq(e[6].type.type_idx, 0);
    ck_assert_uint_eq(e[7].mode, SEG_DECLARATIVE);
    ck_assert_uint_eq(e[7].count, 1);
    wasm_module_free(m);

    static const uint8_t bad_flags[] = { HDR, 0x09, 0x03, 0x01, 0x08, 0x00 };
    decode_bad(bad_flags, "malformed elements segment kind", 11);
    static const uint8_t bad_kind[] = { HDR, 0x09, 0x04, 0x01, 0x01, 0x01, 0x00 };
    decode_bad(bad_kind, "malformed element kind", 12);
    static const uint8_t bad_reftype[] = { HDR, 0x09, 0x07, 0x01, 0x05, 0x7F, 0x01, 0xD2,
                                           0x00, 0x0B };
    decode_bad(bad_reftype, "malformed reference type", 12);
    static const uint8_t non_const[] = { HDR, 0x09, 0x07, 0x01, 0x05, 0x70, 0x01, 0x20,
                                         0x00, 0x0B };
    decode_bad(non_const, "constant expression required", 14);
    static const uint8_t huge[] = { HDR, 0x09, 0x08, 0x01, 0x01, 0x00, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0x0F };
    decode_bad(huge, "unexpected end", ANY);
}
END_TEST

/* ---- data count and data ------------------------------------------------- */

START_TEST(data)
{
    static const uint8_t mod[] = {
        HDR,
        0x0C, 0x01, 0x03,
        0x0B, 0x11, 0x03,
        0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i',       /* active mem 0 at 8 */
        0x01, 0x01, 'x',                              /* passive */
        0x02, 0x01, 0x41, 0x00, 0x0B, 0x00,           /* active mem 1, empty */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert(m->has_data_count);
    ck_assert_uint_eq(m->data_count, 3);
    ck_assert_uint_eq(m->ndatas, 3);
    const WasmDataSeg *s = m->datas;
    ck_assert_uint_eq(s[0].mode, SEG_ACTIVE);
    ck_assert_uint_eq(s[0].mem_idx, 0);
    ck_assert_uint_eq(s[0].offset.off, 15);
    ck_assert_uint_eq(s[0].offset.len, 3);
    ck_assert_uint_eq(s[0].data_len, 2);
    ck_assert(memcmp(m->bytes + s[0].data_off, "hi", 2) == 0);
    ck_assert_uint_eq(s[0].off, 14);
    ck_assert_uint_eq(s[1].mode, SEG_PASSIVE);
    ck_assert_uint_eq(s[1].data_len, 1);
    ck_assert_uint_eq(m->bytes[s[1].data_off], 'x');
    ck_assert_uint_eq(s[2].mode, SEG_ACTIVE);
    ck_assert_uint_eq(s[2].mem_idx, 1);
    ck_assert_uint_eq(s[2].data_len, 0);
    wasm_module_free(m);

    static const uint8_t no_count[] = { HDR, 0x0B, 0x03, 0x01, 0x01, 0x00 };
    m = decode_ok(no_count);
    ck_assert(!m->has_data_count);
    wasm_module_free(m);

    static const uint8_t count_mismatch[] = { HDR, 0x0C, 0x01, 0x02,
                                              0x0B, 0x03, 0x01, 0x01, 0x00 };
    decode_bad(count_mismatch, "data count and data section have inconsistent lengths", ANY);
    static const uint8_t count_no_data[] = { HDR, 0x0C, 0x01, 0x01 };
    decode_bad(count_no_data, "data count and data section have inconsistent lengths", ANY);
    static const uint8_t zero_no_data[] = { HDR, 0x0C, 0x01, 0x00 };
    wasm_module_free(decode_ok(zero_no_data));
    static const uint8_t bad_flags[] = { HDR, 0x0B, 0x03, 0x01, 0x03, 0x00 };
    decode_bad(bad_flags, "malformed data segment kind", 11);
    static const uint8_t too_long[] = { HDR, 0x0B, 0x04, 0x01, 0x01, 0x05, 'a' };
    decode_bad(too_long, "unexpected end", ANY);
    static const uint8_t leb_flags[] = { HDR, 0x0B, 0x07, 0x01, 0x80, 0x00, 0x41, 0x00,
                                         0x0B, 0x00 };
    wasm_module_free(decode_ok(leb_flags)); /* a non-minimal flags encoding is fine */
}
END_TEST

/* ---- the name section ----------------------------------------------------- */

START_TEST(names)
{
    static const uint8_t mod[] = {
        HDR,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x03, 0x03, 0x02, 0x00, 0x00,
        0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B,
        0x00, 0x24, 0x04, 'n', 'a', 'm', 'e',
        0x00, 0x04, 0x03, 'm', 'o', 'd',                         /* module name */
        0x01, 0x09, 0x02, 0x00, 0x02, 'f', '0', 0x01, 0x02, 'f', '1', /* func names */
        0x02, 0x08, 0x01, 0x01, 0x01, 0x00, 0x03, 'a', 'r', 'g', /* local names */
        0x07, 0x02, 0xAA, 0xBB,                                  /* unknown: skipped */
    };
    WasmModule *m = decode_ok(mod);
    ck_assert_str_eq(m->module_name, "mod");
    ck_assert_uint_eq(m->nfunc_names, 2);
    ck_assert_str_eq(wasm_func_name(m, 0), "f0");
    ck_assert_str_eq(wasm_func_name(m, 1), "f1");
    ck_assert(wasm_func_name(m, 2) == NULL);
    ck_assert_uint_eq(m->nlocal_names, 1);
    ck_assert_uint_eq(m->local_names[0].func_idx, 1);
    ck_assert_uint_eq(m->local_names[0].count, 1);
    ck_assert_str_eq(m->local_names[0].names[0].name, "arg");
    ck_assert_uint_eq(m->ncustoms, 1);
    ck_assert_str_eq(m->customs[0].name, "name");
    wasm_module_free(m);
}
END_TEST

START_TEST(bad_names_ignored)
{
    /* Each payload is malformed in its own way; the module must decode and
     * no names may be recorded. */
    static const uint8_t payloads[][12] = {
        { 0x00, 0x05, 0x03, 'm', 'o', 'd' },          /* subsection longer than section */
        { 0x00, 0x02, 0x01, 0xFF },                   /* bad UTF-8 */
        { 0x01, 0x06, 0x02, 0x01, 0x00, 0x00, 0x00 }, /* indices out of order */
        { 0x01, 0x01, 0x00, 0x00, 0x01, 0x00 },       /* subsection id repeated */
        { 0x01, 0x03, 0x01, 0x00, 0x00, 0x00 },       /* leftover bytes in a subsection */
        { 0x01, 0x02, 0x05, 0x00 },                   /* count past the end */
        { 0x02, 0x04, 0x01, 0x00, 0x01, 0x00 },       /* truncated local map */
        { 0x00 },                                     /* missing size */
    };
    static const size_t lens[] = { 6, 4, 7, 6, 6, 4, 6, 1 };
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t mod[32] = { HDR, 0x00, 0x00, 0x04, 'n', 'a', 'm', 'e' };
        mod[9] = (uint8_t)(5 + lens[i]);
        memcpy(mod + 15, payloads[i], lens[i]);
        WasmModule *m = decode_ok_(mod, 15 + lens[i], __LINE__);
        ck_assert_msg(m->module_name == NULL && m->nfunc_names == 0 && m->nlocal_names == 0,
                      "payload %zu", i);
        ck_assert_uint_eq(m->ncustoms, 1);
        wasm_module_free(m);
    }
}
END_TEST

/* ---- robustness ---------------------------------------------------------- */

/* A module with every section (and a name section), used for truncation
 * and corruption. */
static const uint8_t full_mod[] = {
    HDR,
    0x01, 0x07, 0x02, 0x60, 0x00, 0x00, 0x5E, 0x78, 0x01,
    0x02, 0x07, 0x01, 0x01, 'e', 0x01, 'f', 0x00, 0x00,
    0x03, 0x02, 0x01, 0x00,
    0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
    0x05, 0x04, 0x01, 0x08, 0x01, 0x00,
    0x0D, 0x03, 0x01, 0x00, 0x00,
    0x06, 0x06, 0x01, 0x7F, 0x01, 0x41, 0x2A, 0x0B,
    0x07, 0x05, 0x01, 0x01, 'g', 0x03, 0x00,
    0x08, 0x01, 0x01,
    0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x01,
    0x0C, 0x01, 0x01,
    0x0A, 0x08, 0x01, 0x06, 0x01, 0x02, 0x7F, 0x01, 0x01, 0x0B,
    0x0B, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x5A,
    0x00, 0x0E, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x07, 0x01, 0x01, 0x04, 'm', 'a', 'i', 'n',
};

START_TEST(full_module)
{
    WasmModule *m = decode_ok(full_mod);
    ck_assert_uint_eq(m->ntypes, 2);
    ck_assert_uint_eq(m->nimports, 1);
    ck_assert_uint_eq(m->nfuncs, 2);
    ck_assert_uint_eq(m->ntables, 1);
    ck_assert_uint_eq(m->nmemories, 1);
    ck_assert_uint_eq(m->memories[0].limits.page_log2, 0);
    ck_assert_uint_eq(m->ntags, 1);
    ck_assert_uint_eq(m->nglobals, 1);
    ck_assert_uint_eq(m->nexports, 1);
    ck_assert(m->has_start);
    ck_assert_uint_eq(m->nelems, 1);
    ck_assert(m->has_data_count);
    ck_assert_uint_eq(m->ndatas, 1);
    ck_assert_str_eq(wasm_func_name(m, 1), "main");
    ck_assert_uint_eq(m->funcs[1].nlocals, 2);
    ck_assert(m->bytes != full_mod); /* an owned copy */
    wasm_module_free(m);
}
END_TEST

START_TEST(every_truncation)
{
    /* Every proper prefix either decodes (it ends on a section boundary and
     * is consistent) or fails with an error; ASan/UBSan watch the rest. */
    size_t accepted = 0;
    for (size_t n = 0; n < sizeof full_mod; n++) {
        WasmcError err = { 0 };
        WasmModule *m = wasm_decode(full_mod, n, &err);
        if (m) {
            accepted++;
            wasm_module_free(m);
        } else {
            ck_assert(err.set && err.msg[0]);
            ck_assert(err.offset == WASMC_NO_OFFSET || err.offset <= n);
        }
    }
    ck_assert(accepted >= 1 && accepted < 20);
}
END_TEST

START_TEST(corruptions)
{
    /* Every single-byte change to a few interesting values, at every
     * position. Deterministic, no randomness. */
    static const uint8_t values[] = { 0x00, 0x01, 0x0B, 0x40, 0x7F, 0x80, 0xFF };
    uint8_t buf[sizeof full_mod];
    for (size_t i = 8; i < sizeof full_mod; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(buf, full_mod, sizeof buf);
            buf[i] = values[v];
            WasmcError err = { 0 };
            WasmModule *m = wasm_decode(buf, sizeof buf, &err);
            if (m)
                wasm_module_free(m);
            else
                ck_assert(err.set && err.offset <= sizeof buf);
        }
    }
}
END_TEST

/* An empty recursion group (rec with 0 types) is valid and adds no type.
 * Regression: it used to index the still-NULL type array (UBSan). */
START_TEST(empty_rec_group)
{
    static const uint8_t only_empty[] = { HDR, 0x01, 0x03, 0x01, 0x4E, 0x00 };
    WasmModule *m = decode_ok(only_empty);
    ck_assert_uint_eq(m->ntypes, 0);
    wasm_module_free(m);
    static const uint8_t empty_then_func[] = { HDR, 0x01, 0x06, 0x02, 0x4E, 0x00, 0x60, 0x00, 0x00 };
    m = decode_ok(empty_then_func);
    ck_assert_uint_eq(m->ntypes, 1);
    wasm_module_free(m);
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("sections");
    tcase_add_test(tc, header);
    tcase_add_test(tc, section_framing);
    tcase_add_test(tc, custom_sections);
    tcase_add_test(tc, type_section);
    tcase_add_test(tc, empty_rec_group);
    tcase_add_test(tc, ref_type_encodings);
    tcase_add_test(tc, type_errors);
    tcase_add_test(tc, imports);
    tcase_add_test(tc, import_errors);
    tcase_add_test(tc, compact_imports);
    tcase_add_test(tc, function_and_code);
    tcase_add_test(tc, code_errors);
    tcase_add_test(tc, tables);
    tcase_add_test(tc, memories);
    tcase_add_test(tc, tags);
    tcase_add_test(tc, globals);
    tcase_add_test(tc, const_exprs);
    tcase_add_test(tc, exports_and_start);
    tcase_add_test(tc, elements);
    tcase_add_test(tc, data);
    tcase_add_test(tc, names);
    tcase_add_test(tc, bad_names_ignored);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("robustness");
    tcase_set_timeout(tr, 60);
    tcase_add_test(tr, full_module);
    tcase_add_test(tr, every_truncation);
    tcase_add_test(tr, corruptions);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(decode_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
