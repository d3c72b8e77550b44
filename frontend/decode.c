/* The binary decoder's entry point: the module header, the section loop with
 * its order and size checks, custom sections, and the checks that relate
 * two sections (function/code counts, data count/data).
 *
 * Follows the "Binary Format" chapter of the WebAssembly 3.0 specification
 * (modules, 5.5) plus the threads and custom-page-sizes proposals. Error
 * texts are the spec test suite's. */
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

/* Position of each known section id in the required order; 0 = unknown.
 * The tag section (13) sits between memory and global, the data count
 * section (12) between element and code. */
static unsigned section_rank(uint8_t id)
{
    static const unsigned rank[14] = {
        [SEC_TYPE] = 1,     [SEC_IMPORT] = 2,  [SEC_FUNCTION] = 3,  [SEC_TABLE] = 4,
        [SEC_MEMORY] = 5,   [SEC_TAG] = 6,     [SEC_GLOBAL] = 7,    [SEC_EXPORT] = 8,
        [SEC_START] = 9,    [SEC_ELEMENT] = 10, [SEC_DATACOUNT] = 11, [SEC_CODE] = 12,
        [SEC_DATA] = 13,
    };
    return id < 14 ? rank[id] : 0;
}

/* customsec ::= section_0(name byte*) */
static bool decode_custom_section(Decoder *d, Reader *r, uint8_t after_id)
{
    WasmModule *m = d->m;
    const char *name = NULL;
    uint32_t name_len = 0;
    if (!rd_name(r, &name, &name_len))
        return false;
    /* Grow by doubling; the section count is bounded by the input size. */
    if ((m->ncustoms & (m->ncustoms - 1)) == 0) {
        size_t cap = m->ncustoms ? (size_t)m->ncustoms * 2 : 4;
        WasmCustomSection *grown = arena_array(&m->arena, cap, sizeof *grown);
        if (m->ncustoms)
            memcpy(grown, m->customs, m->ncustoms * sizeof *grown);
        m->customs = grown;
    }
    WasmCustomSection *c = &m->customs[m->ncustoms++];
    c->name = arena_strndup(&m->arena, name, name_len);
    c->name_len = name_len;
    c->data_off = dec_off(r);
    c->data_len = (uint32_t)rd_left(r);
    c->after_id = after_id;
    if (name_len == 4 && memcmp(name, "name", 4) == 0 && !d->seen_names) {
        d->seen_names = true;
        wasm_decode_name_section(m, *r);
    }
    r->p = r->end; /* the payload is opaque */
    return true;
}

static bool decode_section(Decoder *d, uint8_t id, Reader *r)
{
    switch (id) {
    case SEC_TYPE: return wasm_decode_type_section(d, r);
    case SEC_IMPORT: return wasm_decode_import_section(d, r);
    case SEC_FUNCTION: return wasm_decode_function_section(d, r);
    case SEC_TABLE: return wasm_decode_table_section(d, r);
    case SEC_MEMORY: return wasm_decode_memory_section(d, r);
    case SEC_TAG: return wasm_decode_tag_section(d, r);
    case SEC_GLOBAL: return wasm_decode_global_section(d, r);
    case SEC_EXPORT: return wasm_decode_export_section(d, r);
    case SEC_START: return wasm_decode_start_section(d, r);
    case SEC_ELEMENT: return wasm_decode_element_section(d, r);
    case SEC_DATACOUNT: return wasm_decode_datacount_section(d, r);
    case SEC_CODE: return wasm_decode_code_section(d, r);
    case SEC_DATA: return wasm_decode_data_section(d, r);
    default: return wasmc_fail(d->err, dec_off(r), "malformed section id");
    }
}

/* magic ::= 0x00 0x61 0x73 0x6D   version ::= 0x01 0x00 0x00 0x00 */
static bool decode_header(Reader *r)
{
    static const uint8_t magic[4] = { 0x00, 0x61, 0x73, 0x6D };
    static const uint8_t version[4] = { 0x01, 0x00, 0x00, 0x00 };
    const uint8_t *p = NULL;
    if (!rd_bytes(r, 4, &p))
        return wasmc_fail(r->err, 0, "unexpected end");
    if (memcmp(p, magic, 4) != 0)
        return wasmc_fail(r->err, 0, "magic header not detected");
    if (!rd_bytes(r, 4, &p))
        return wasmc_fail(r->err, 4, "unexpected end");
    if (memcmp(p, version, 4) != 0)
        return wasmc_fail(r->err, 4, "unknown binary version");
    return true;
}

/* module ::= magic version customsec* typesec? customsec* importsec? ... */
static bool decode_module(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    unsigned last_rank = 0;
    uint8_t last_id = 0;
    if (!decode_header(r))
        return false;
    while (!rd_eof(r)) {
        size_t sec_off = rd_offset(r);
        uint8_t id = 0;
        uint32_t size = 0;
        Reader sec;
        if (!rd_u8(r, &id))
            return false;
        if (id != SEC_CUSTOM) {
            unsigned rank = section_rank(id);
            if (rank == 0)
                return wasmc_fail(d->err, sec_off, "malformed section id");
            /* The reference interpreter reads the sections in order and then
             * finds the misplaced (or repeated) one left over. */
            if (rank <= last_rank)
                return wasmc_fail(d->err, sec_off, "unexpected content after last section");
            last_rank = rank;
        }
        if (!rd_u32(r, &size) || !rd_sub(r, size, &sec))
            return false;
        bool ok = id == SEC_CUSTOM ? decode_custom_section(d, &sec, last_id)
                                   : decode_section(d, id, &sec);
        if (!ok)
            return false;
        if (!rd_eof(&sec))
            return wasmc_fail(d->err, rd_offset(&sec), "section size mismatch");
        if (id != SEC_CUSTOM)
            last_id = id;
    }
    /* Cross-section counts, checked at the end so absent sections count 0. */
    uint32_t ndefined = m->nfuncs - m->nimported_funcs;
    if (ndefined != (d->has_code ? d->ncode : 0))
        return wasmc_fail(d->err, rd_offset(r),
                          "function and code section have inconsistent lengths");
    if (m->has_data_count && m->data_count != m->ndatas)
        return wasmc_fail(d->err, rd_offset(r),
                          "data count and data section have inconsistent lengths");
    return true;
}

WasmModule *wasm_decode(const uint8_t *bytes, size_t len, WasmcError *err)
{
    /* Every *_off field is a uint32_t. */
    if (len > UINT32_MAX) {
        wasmc_fail(err, WASMC_NO_OFFSET, "module too large (%zu bytes)", len);
        return NULL;
    }
    WasmModule *m = xcalloc(1, sizeof *m);
    arena_init(&m->arena);
    m->bytes = xmalloc(len);
    if (len)
        memcpy(m->bytes, bytes, len);
    m->size = len;

    Decoder d = { .m = m, .err = err };
    Reader r = reader_make(m->bytes, len, err);
    if (!decode_module(&d, &r)) {
        wasmc_fail(err, rd_offset(&r), "malformed module"); /* no-op if already set */
        wasm_module_free(m);
        return NULL;
    }
    return m;
}
