/* The code section (WebAssembly 3.0, 5.5.13): local declarations and the
 * byte range of each function body.
 *
 * Instructions are NOT decoded here: the validator walks them. The decoder
 * only guarantees that each body lies inside its declared size and ends
 * with the `end` opcode (0x0B), and bounds the number of locals. */
#include "decode_internal.h"

/* locals ::= n:u32 t:valtype
 * The sum of all n is limited to WASM_MAX_LOCALS (which also rules out
 * overflow: each n is a u32 and the sum is kept in 64 bits). */
static bool read_locals(Decoder *d, Reader *r, WasmFunc *f)
{
    uint32_t nruns;
    uint64_t total = 0;
    if (!rd_count(r, 1, &nruns))
        return false;
    f->nlocal_runs = nruns;
    f->local_runs = nruns ? arena_array(&d->m->arena, nruns, sizeof *f->local_runs) : NULL;
    for (uint32_t i = 0; i < nruns; i++) {
        WasmLocalRun *run = &f->local_runs[i];
        size_t at = rd_offset(r);
        if (!rd_u32(r, &run->count))
            return false;
        total += run->count;
        if (total > WASM_MAX_LOCALS)
            return wasmc_fail(d->err, at, "too many locals");
        if (!wasm_read_valtype(r, &run->type))
            return false;
    }
    f->nlocals = (uint32_t)total;
    return true;
}

/* code ::= size:u32 code:func   func ::= (t*)*:vec(locals) e:expr */
static bool read_code(Decoder *d, Reader *r, WasmFunc *f)
{
    uint32_t size;
    Reader body;
    if (!rd_u32(r, &size) || !rd_sub(r, size, &body))
        return false;
    f->body_off = dec_off(&body);
    f->body_len = size;
    if (!read_locals(d, &body, f))
        return false;
    f->code_off = dec_off(&body);
    f->code_len = (uint32_t)rd_left(&body);
    /* A body whose final `end` is missing: with nothing after it in the
     * input, the reference interpreter runs out of bytes looking for it. */
    if (f->code_len == 0 || body.end[-1] != 0x0B) {
        if (body.end == d->m->bytes + d->m->size)
            return wasmc_fail(d->err, rd_offset(&body), "unexpected end of section or function");
        return wasmc_fail(d->err, (size_t)(body.end - 1 - body.base), "END opcode expected");
    }
    return true;
}

/* codesec ::= section_10(vec(code)) */
bool wasm_decode_code_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n, ndefined = m->nfuncs - m->nimported_funcs;
    if (!rd_count(r, 1, &n))
        return false;
    d->has_code = true;
    d->ncode = n;
    /* A count that differs from the function section's is reported by
     * decode_module once all sections are read (a misplaced section is the
     * better diagnosis when there is one); surplus bodies go to a scratch. */
    for (uint32_t i = 0; i < n; i++) {
        WasmFunc scratch = { 0 };
        if (!read_code(d, r, i < ndefined ? &m->funcs[m->nimported_funcs + i] : &scratch))
            return false;
    }
    return true;
}
