/* The "name" custom section (WebAssembly 3.0, Appendix "Custom Sections",
 * name section): module name, function names and local names.
 *
 * A custom section never makes a module malformed, so any error here is
 * swallowed: the section is then ignored as a whole (nothing of it is
 * stored). Subsections must come in increasing id order and name maps in
 * strictly increasing index order, as the appendix requires; subsections
 * this compiler does not use (labels, types, fields, ...) are skipped. */
#include <string.h>

#include "decode_internal.h"

/* The decoded names, committed to the module only if the whole section is
 * well-formed. */
typedef struct NameInfo {
    const char *module_name;
    uint32_t nfunc_names;
    WasmNameAssoc *func_names;
    uint32_t nlocal_names;
    WasmLocalNames *local_names;
} NameInfo;

/* namemap ::= vec(nameassoc)   nameassoc ::= idx:u32 nm:name */
static bool read_namemap(WasmModule *m, Reader *r, uint32_t *n, WasmNameAssoc **out)
{
    if (!rd_count(r, 1, n))
        return false;
    WasmNameAssoc *v = *n ? arena_array(&m->arena, *n, sizeof *v) : NULL;
    for (uint32_t i = 0; i < *n; i++) {
        const char *s;
        if (!rd_u32(r, &v[i].idx) || !rd_name(r, &s, &v[i].name_len))
            return false;
        if (i > 0 && v[i].idx <= v[i - 1].idx)
            return wasmc_fail(r->err, rd_offset(r), "name map out of order");
        v[i].name = arena_strndup(&m->arena, s, v[i].name_len);
    }
    *out = v;
    return true;
}

/* indirectnamemap ::= vec(indirectnameassoc)
 * indirectnameassoc ::= idx:u32 nm:namemap */
static bool read_local_names(WasmModule *m, Reader *r, NameInfo *ni)
{
    if (!rd_count(r, 1, &ni->nlocal_names))
        return false;
    ni->local_names = ni->nlocal_names
                          ? arena_array(&m->arena, ni->nlocal_names, sizeof *ni->local_names)
                          : NULL;
    for (uint32_t i = 0; i < ni->nlocal_names; i++) {
        WasmLocalNames *ln = &ni->local_names[i];
        if (!rd_u32(r, &ln->func_idx) || !read_namemap(m, r, &ln->count, &ln->names))
            return false;
        if (i > 0 && ln->func_idx <= ni->local_names[i - 1].func_idx)
            return wasmc_fail(r->err, rd_offset(r), "name map out of order");
    }
    return true;
}

/* namedata ::= (id:byte size:u32 payload)*, ids increasing
 *   id 0: modulename ::= name
 *   id 1: funcnamesubsec ::= namemap
 *   id 2: localnamesubsec ::= indirectnamemap */
static bool read_names(WasmModule *m, Reader *r, NameInfo *ni)
{
    int last_id = -1;
    while (!rd_eof(r)) {
        uint8_t id;
        uint32_t size;
        Reader sub;
        if (!rd_u8(r, &id) || !rd_u32(r, &size) || !rd_sub(r, size, &sub))
            return false;
        if ((int)id <= last_id)
            return wasmc_fail(r->err, rd_offset(r), "name subsection out of order");
        last_id = id;
        bool ok = true;
        switch (id) {
        case 0: {
            const char *s;
            uint32_t len;
            ok = rd_name(&sub, &s, &len);
            if (ok)
                ni->module_name = arena_strndup(&m->arena, s, len);
            break;
        }
        case 1: ok = read_namemap(m, &sub, &ni->nfunc_names, &ni->func_names); break;
        case 2: ok = read_local_names(m, &sub, ni); break;
        default: sub.p = sub.end; break; /* a subsection we do not use */
        }
        if (!ok)
            return false;
        if (!rd_eof(&sub))
            return wasmc_fail(r->err, rd_offset(&sub), "name subsection size mismatch");
    }
    return true;
}

void wasm_decode_name_section(WasmModule *m, Reader payload)
{
    WasmcError scratch = { 0 };
    NameInfo ni = { 0 };
    payload.err = &scratch; /* never reaches the caller: a bad name section is ignored */
    if (!read_names(m, &payload, &ni))
        return;
    m->module_name = ni.module_name;
    m->nfunc_names = ni.nfunc_names;
    m->func_names = ni.func_names;
    m->nlocal_names = ni.nlocal_names;
    m->local_names = ni.local_names;
}
