/* wasmc_compile_module: one validated module -> one relocatable object.
 *
 *   features check ─► prefix ─► vmctx layout (vmctx.c) ─► signatures
 *     ─► symbols (symbols.c) ─► per defined function:
 *          wasm_translate_func ─► ir_verify ─► opt_run (-O) ─► cg_compile_func ─► .text
 *        (-O2: translate all, opt_module_run (inlining), then per function
 *         opt_module_finish ─► cg_compile_func; see compile_functions)
 *     ─► array trampolines (one per distinct function signature)
 *     ─► init program (init_program.c) ─► cg_emit_init ─► .text
 *     ─► export aliases ─► descriptor (descriptor.c)
 *     ─► header (header.c, to a temporary) ─► obj_write ─► rename header
 *
 * .text holds the wasm functions first, then trampolines and init: the
 * descriptor's code range [code_start, code_start + code_size) covers exactly
 * the wasm functions (backtraces, trap lookup). Trap sites are function-
 * relative in each CodeBuf and made .text-relative here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../frontend/translate.h"
#include "../opt/opt.h"
#include "compile_internal.h"


/* Proposals the pipeline cannot lower at all; others (threads atomics,
 * call_ref, ...) are reported per instruction by translate. */
#define UNSUPPORTED_FEATURES                                                                  \
    (WASM_FEAT_SIMD | WASM_FEAT_RELAXED_SIMD | WASM_FEAT_GC | WASM_FEAT_EXCEPTIONS |          \
     WASM_FEAT_LEGACY_EXCEPTIONS)

static bool check_features(CompileCtx *c)
{
    uint32_t bad = c->m->features & UNSUPPORTED_FEATURES;
    if (!bad)
        return true;
    char names[160];
    wasm_feature_names(bad, names, sizeof names);
    return wasmc_fail(c->err, WASMC_NO_OFFSET, "%s %s not supported by the code generator yet", names,
                      (bad & (bad - 1)) ? "are" : "is");
}

/* ---- appending code -------------------------------------------------------- */

static ObjRelocKind reloc_kind(CgRelocKind k)
{
    /* Both sides use S + A (- P) with the addend in the relocation. */
    switch (k) {
    case CG_RELOC_ABS64: return OBJ_RELOC_ABS64;
    case CG_RELOC_PC32: return OBJ_RELOC_PC32;
    case CG_RELOC_CALL_PC32: return OBJ_RELOC_CALL_PLT32;
    }
    return OBJ_RELOC_ABS64;
}

static bool add_trap(CompileCtx *c, uint64_t offset, uint32_t code)
{
    if (offset > UINT32_MAX)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "code larger than 4 GiB");
    if (c->ntraps == c->cap_traps) {
        uint32_t cap = c->cap_traps ? c->cap_traps * 2 : 64;
        WasmcTrapSite *p = realloc(c->traps, cap * sizeof *p);
        if (!p)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        c->traps = p;
        c->cap_traps = cap;
    }
    c->traps[c->ntraps++] = (WasmcTrapSite){ (uint32_t)offset, code };
    return true;
}

/* Appends cb to .text (16-aligned) with its relocations and trap sites;
 * defines sym there. Returns the offset through *at. */
static bool append_code(CompileCtx *c, const CodeBuf *cb, ObjSymbol sym, uint64_t *at)
{
    obj_align(c->obj, c->text, 16);
    uint64_t off = cb->len ? obj_append(c->obj, c->text, cb->data, cb->len) : obj_section_size(c->obj, c->text);
    for (uint32_t i = 0; i < cb->nrelocs; i++) {
        const CgReloc *r = &cb->relocs[i];
        obj_add_reloc(c->obj, c->text, off + r->offset, reloc_kind(r->kind), (ObjSymbol){ r->symbol },
                      r->addend);
    }
    for (uint32_t i = 0; i < cb->ntraps; i++)
        if (!add_trap(c, off + cb->traps[i].offset, cb->traps[i].code))
            return false;
    obj_define_symbol(c->obj, sym, c->text, off, cb->len);
    if (at)
        *at = off;
    return true;
}

/* -S: glue code the listing would otherwise miss, as bytes. */
static void list_bytes(CompileCtx *c, const char *name, const char *what, const CodeBuf *cb)
{
    FILE *o = c->opts->asm_out;
    if (!o)
        return;
    fprintf(o, "\n# %s\n%s:\n", what, name);
    for (uint32_t i = 0; i < cb->len; i++)
        fprintf(o, "%s0x%02x%s", i % 16 ? ", " : "\t.byte ", cb->data[i], i % 16 == 15 || i + 1 == cb->len ? "\n" : "");
}

/* ---- functions ------------------------------------------------------------- */

static uint32_t sym_func(void *ctx, uint32_t func_idx)
{
    CompileCtx *c = ctx;
    return func_idx < c->m->nfuncs ? c->func_syms[func_idx].id : 0;
}

static uint32_t sym_named(void *ctx, const char *name)
{
    CompileCtx *c = ctx;
    return obj_add_undefined(c->obj, name).id;
}

static const char *sym_name(void *ctx, uint32_t sym)
{
    CompileCtx *c = ctx;
    return obj_symbol_name(c->obj, (ObjSymbol){ sym });
}

/* With a module pass in the pipeline (-O2: inlining), every function is
 * translated and goes through the module part of the pipeline before the
 * first one is code-generated, so all IR of the module is alive at once;
 * each IrFunc is freed right after its code generation (no caller needs it
 * any more by then). Otherwise one function at a time, as before. */
/* What to do with each function's optimised IR: generate code (objects,
 * listings) or print it (--emit-ir). The IR is freed after the call. */
typedef bool (*FuncSink)(CompileCtx *c, uint32_t func_idx, IrFunc *fn);

/* Translates every defined function, runs the -O pipeline and hands each
 * function to `sink` in index order. With a module pass in the pipeline (-O2:
 * inlining), every function is translated and goes through the module part
 * of the pipeline before the first one reaches the sink, so all IR of the
 * module is alive at once; each IrFunc is freed right after its sink call
 * (no caller needs it any more by then). Otherwise one function at a time. */
static bool for_each_optimized_func(CompileCtx *c, FuncSink sink)
{
    const WasmModule *m = c->m;
    OptOptions oo = { .level = c->opts->opt_level, .time_passes = c->opts->time_passes != NULL };
    OptStats stats;
    memset(&stats, 0, sizeof stats);
    bool ok = true;
    bool whole = opt_pipeline_has_module_pass(&oo);
    IrFunc **fns = NULL;
    OptModule om = { 0 };
    if (whole) {
        fns = calloc(m->nfuncs + 1, sizeof *fns);
        ok = fns ? true : wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t f = m->nimported_funcs; ok && f < m->nfuncs; f++) {
            fns[f] = wasm_translate_func(m, f, c->err);
            ok = fns[f] && ir_verify(fns[f], c->err);
            if (fns[f] && !ok && c->err->offset == WASMC_NO_OFFSET)
                c->err->offset = m->funcs[f].body_off;
        }
        om.funcs = fns;
        om.nfuncs = m->nfuncs;
        if (ok && !opt_module_init(&om))
            ok = wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        else if (ok && !opt_module_run(&om, &oo, &stats, c->err)) {
            ok = false;
            if (c->err->offset == WASMC_NO_OFFSET && om.current < m->nfuncs)
                c->err->offset = m->funcs[om.current].body_off;
        }
    }
    for (uint32_t f = m->nimported_funcs; ok && f < m->nfuncs; f++) {
        IrFunc *fn = whole ? fns[f] : wasm_translate_func(m, f, c->err);
        if (!fn) {
            ok = false;
            break;
        }
        if (whole)
            ok = opt_module_finish(&om, f, &oo, &stats, c->err);
        else
            ok = ir_verify(fn, c->err) && opt_run(fn, &oo, &stats, c->err);
        if (ok)
            ok = sink(c, f, fn);
        ir_func_free(fn);
        if (whole)
            fns[f] = NULL;
        if (!ok && c->err->offset == WASMC_NO_OFFSET)
            c->err->offset = m->funcs[f].body_off;
    }
    for (uint32_t f = 0; fns && f < m->nfuncs; f++)
        if (fns[f])
            ir_func_free(fns[f]);
    opt_module_free(&om);
    free(fns);
    if (ok && c->opts->time_passes)
        opt_print_times(c->opts->time_passes, &stats);
    return ok;
}

/* The register allocator's liveness uses a bit per (block, value); past
 * this many bytes a function is refused with a clear error instead of
 * exhausting memory or time (only adversarial inputs come near it: a real
 * large function, 10000 blocks x 50000 values, needs 60 MiB). */
#define CG_MAX_LIVENESS_BYTES ((uint64_t)1 << 30)

static bool codegen_sink(CompileCtx *c, uint32_t f, IrFunc *fn)
{
    uint64_t live_bytes = (uint64_t)fn->nblocks * fn->nvalues / 8;
    if (live_bytes > CG_MAX_LIVENESS_BYTES)
        return wasmc_fail(c->err, c->m->funcs[f].body_off,
                          "function %u is too large to compile (%u blocks, %u values: its liveness "
                          "would need %llu MiB; the limit is %llu MiB)",
                          f, fn->nblocks, fn->nvalues, (unsigned long long)(live_bytes >> 20),
                          (unsigned long long)(CG_MAX_LIVENESS_BYTES >> 20));
    CgSymbols syms = { c, sym_func, sym_named, sym_name };
    cb_reset(&c->cb);
    /* The listing names the function by its symbol (P.fN or
     * P.fN.<name-section name>) and gives its labels a unique prefix. */
    char labels[64];
    snprintf(labels, sizeof labels, ".Lf%u_", f);
    CgOptions o = { c->opts->opt_level, c->opts->asm_out, obj_symbol_name(c->obj, c->func_syms[f]), labels };
    if (!cg_compile_func(fn, &c->layout.cg, &syms, &o, &c->cb, c->err) ||
        !append_code(c, &c->cb, c->func_syms[f], &c->func_off[f]))
        return false;
    c->func_size[f] = c->cb.len;
    c->code_size = c->func_off[f] + c->cb.len;
    return true;
}

static bool compile_functions(CompileCtx *c)
{
    cb_init(&c->cb);
    bool ok = for_each_optimized_func(c, codegen_sink);
    cb_free(&c->cb);
    return ok;
}

static bool print_sink(CompileCtx *c, uint32_t f, IrFunc *fn)
{
    (void)f;
    if (c->printed++)
        fputc('\n', c->ir_out);
    ir_print_func(c->ir_out, fn);
    return !ferror(c->ir_out);
}

bool wasmc_emit_ir(const WasmModule *m, const CompileOptions *opts, FILE *out, WasmcError *err)
{
    CompileCtx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.opts = opts;
    c.err = err;
    c.ir_out = out;
    return for_each_optimized_func(&c, print_sink);
}

static int cmp_trap(const void *a, const void *b)
{
    const WasmcTrapSite *x = a, *y = b;
    if (x->code_offset != y->code_offset)
        return x->code_offset < y->code_offset ? -1 : 1;
    return (x->trap > y->trap) - (x->trap < y->trap);
}

/* The descriptor's table must be sorted and unique (binary search by PC). */
static void finish_traps(CompileCtx *c)
{
    if (!c->ntraps)
        return; /* traps may be NULL: qsort wants a valid pointer */
    qsort(c->traps, c->ntraps, sizeof *c->traps, cmp_trap);
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->ntraps; i++)
        if (n == 0 || c->traps[n - 1].code_offset != c->traps[i].code_offset)
            c->traps[n++] = c->traps[i];
    c->ntraps = n;
}

/* ---- trampolines and init ---------------------------------------------------- */

/* Types ordered by signature string (then index), so equal types are
 * adjacent and share one trampoline without a quadratic search. */
typedef struct TypeSig {
    const char *sig;
    uint32_t type;
} TypeSig;

static int cmp_type_sig(const void *a, const void *b)
{
    const TypeSig *x = a, *y = b;
    int d = strcmp(x->sig, y->sig);
    return d ? d : (x->type > y->type) - (x->type < y->type);
}

static bool emit_one_trampoline(CompileCtx *c, uint32_t t, CodeBuf *cb)
{
    const WasmSubType *st = &c->m->types[t];
    uint32_t n = st->nparams + st->nresults;
    uint8_t *types = malloc(n + 1);
    if (!types)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < st->nparams; i++)
        types[i] = (uint8_t)sig_valtype_ir(&st->params[i]);
    for (uint32_t i = 0; i < st->nresults; i++)
        types[st->nparams + i] = (uint8_t)sig_valtype_ir(&st->results[i]);
    IrSig sig = { types, types + st->nparams, st->nparams, st->nresults, true };
    cb_reset(cb);
    bool ok = cg_emit_array_trampoline(&sig, cb, c->err);
    free(types);
    if (!ok)
        return false;
    char name[256];
    snprintf(name, sizeof name, "%s.tramp.%u", c->prefix, t);
    ObjSymbolDef d = { .name = name, .bind = OBJ_BIND_LOCAL, .type = OBJ_SYMT_FUNC };
    c->type_tramps[t] = obj_add_symbol(c->obj, &d);
    char what[160];
    snprintf(what, sizeof what, "array trampoline for type %u (%.100s)", t, c->type_sigs[t]);
    list_bytes(c, name, what, cb);
    return append_code(c, cb, c->type_tramps[t], NULL);
}

/* One trampoline per distinct signature string, shared by equal types (every
 * function type gets one: exports, funcrefs, imports and tables may all need
 * it). Types with v128 get none (NULL in type_tramps; SIMD is refused earlier
 * anyway). */
static bool emit_trampolines(CompileCtx *c)
{
    const WasmModule *m = c->m;
    c->type_tramps = calloc(m->ntypes + 1, sizeof *c->type_tramps);
    TypeSig *order = calloc(m->ntypes + 1, sizeof *order);
    if (!c->type_tramps || !order) {
        free(order);
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    }
    for (uint32_t t = 0; t < m->ntypes; t++)
        order[t] = (TypeSig){ c->type_sigs[t], t };
    if (m->ntypes)
        qsort(order, m->ntypes, sizeof *order, cmp_type_sig);
    CodeBuf cb;
    cb_init(&cb);
    bool ok = true;
    for (uint32_t k = 0; ok && k < m->ntypes; k++) {
        uint32_t t = order[k].type;
        if (!sig_is_v128_free(&m->types[t]))
            continue;
        if (k > 0 && strcmp(order[k - 1].sig, order[k].sig) == 0)
            c->type_tramps[t] = c->type_tramps[order[k - 1].type];
        else
            ok = emit_one_trampoline(c, t, &cb);
    }
    cb_free(&cb);
    free(order);
    return ok;
}

static bool emit_init(CompileCtx *c)
{
    if (!init_program_build(c))
        return false;
    if (c->ninit == 0)
        return true; /* WasmcModuleDesc.init may be NULL */
    CodeBuf cb;
    cb_init(&cb);
    bool ok = cg_emit_init(&c->layout.cg, c->init, c->ninit, &cb, c->err);
    if (ok) {
        char name[160];
        snprintf(name, sizeof name, "%s.init", c->prefix);
        ObjSymbolDef d = { .name = name, .bind = OBJ_BIND_LOCAL, .type = OBJ_SYMT_FUNC };
        c->init_sym = obj_add_symbol(c->obj, &d);
        ok = append_code(c, &cb, c->init_sym, NULL);
        list_bytes(c, name, "init: constant expressions", &cb);
    }
    cb_free(&cb);
    return ok;
}

/* ---- output --------------------------------------------------------------------- */

/* Writes the header to a temporary next to path; *tmp receives its name. */
static bool header_to_temp(CompileCtx *c, const char *path, char **tmp)
{
    size_t n = strlen(path) + 16;
    *tmp = malloc(n);
    if (!*tmp)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    snprintf(*tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(*tmp);
    if (fd < 0) {
        wasmc_fail(c->err, WASMC_NO_OFFSET, "cannot create %s: %s", path, strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return false;
    }
    FILE *f = fdopen(fd, "w");
    bool ok = f && header_write(c, f);
    if (f) {
        ok = !ferror(f) && ok;
        ok = fclose(f) == 0 && ok;
    } else {
        close(fd);
    }
    if (!ok) {
        wasmc_fail(c->err, WASMC_NO_OFFSET, "cannot write %s", path);
        unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return ok;
}

static void ctx_free(CompileCtx *c)
{
    for (uint32_t t = 0; c->type_sigs && t < c->m->ntypes; t++)
        free(c->type_sigs[t]);
    free(c->type_sigs);
    for (uint32_t e = 0; c->export_alias && e < c->m->nexports; e++)
        free(c->export_alias[e]);
    free(c->export_alias);
    for (uint32_t e = 0; c->elem_funcs && e < c->m->nelems; e++)
        free(c->elem_funcs[e]);
    free(c->elem_funcs);
    free(c->func_syms);
    free(c->func_off);
    free(c->func_size);
    free(c->traps);
    free(c->type_tramps);
    free(c->import_syms);
    free(c->init);
    vmctx_layout_free(&c->layout);
    if (c->obj)
        obj_free(c->obj);
}

bool wasmc_compile_module(const WasmModule *m, const CompileOptions *opts, const char *out_path,
                          WasmcError *err)
{
    CompileCtx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.opts = opts;
    c.err = err;
    char *header_tmp = NULL;

    bool ok = wasmc_module_prefix(opts->module_name, opts->input_path, c.prefix, sizeof c.prefix, err) &&
              vmctx_layout_compute(m, opts->bounds_checks, &c.layout, err) && sig_build_all(&c);
    if (!ok)
        goto done;
    c.obj = obj_new(OBJ_TARGET_X86_64_LINUX);
    c.func_off = calloc(m->nfuncs + 1, sizeof *c.func_off);
    c.func_size = calloc(m->nfuncs + 1, sizeof *c.func_size);
    if (!c.obj || !c.func_off || !c.func_size) {
        ok = wasmc_fail(err, WASMC_NO_OFFSET, "out of memory");
        goto done;
    }
    c.text = obj_add_section(c.obj, ".text", OBJ_SEC_TEXT, 16);
    c.rodata = obj_add_section(c.obj, ".rodata", OBJ_SEC_RODATA, 16);
    c.relro = obj_add_section(c.obj, ".data.rel.ro", OBJ_SEC_DATA, 16);
    if (opts->asm_out)
        fprintf(opts->asm_out, "# wasmc listing of module %s\n", c.prefix);

    /* Function bodies first: translate reports an unsupported feature at
     * the offending instruction; check_features then catches what no body
     * uses (a tag, a v128 global), without a location. */
    ok = sym_declare_funcs(&c) && sym_plan_export_aliases(&c) && compile_functions(&c) &&
         check_features(&c);
    if (ok) {
        finish_traps(&c);
        ok = emit_trampolines(&c) && emit_init(&c) && sym_define_export_aliases(&c) && descriptor_emit(&c);
    }
    if (ok && opts->header_path)
        ok = header_to_temp(&c, opts->header_path, &header_tmp);
    if (ok && out_path)
        ok = obj_write(c.obj, out_path, err);
    if (ok && header_tmp && rename(header_tmp, opts->header_path) != 0) {
        ok = wasmc_fail(err, WASMC_NO_OFFSET, "cannot write %s: %s", opts->header_path, strerror(errno));
        if (out_path)
            unlink(out_path); /* all or nothing */
    }
    if (!ok && header_tmp)
        unlink(header_tmp);
done:
    free(header_tmp);
    ctx_free(&c);
    return ok;
}
