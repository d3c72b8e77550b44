/* Symbol names of a compiled module (wasmc_rt.h section 5, compile.h):
 * the module prefix, the local function symbols, the weak host-import
 * symbols (with the collision check the ABI asks for) and the global
 * C-callable aliases of exported functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

static bool is_ident_char(unsigned char ch, bool first)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
           (!first && ch >= '0' && ch <= '9');
}

bool wasmc_module_prefix(const char *module_name, const char *input_path, char *buf, size_t size,
                         WasmcError *err)
{
    if (module_name) {
        size_t n = strlen(module_name);
        bool ok = n > 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = is_ident_char((unsigned char)module_name[i], i == 0);
        if (!ok)
            return wasmc_fail(err, WASMC_NO_OFFSET, "module name '%s' is not a C identifier", module_name);
        if (n + 1 > size)
            return wasmc_fail(err, WASMC_NO_OFFSET, "module name '%s' is too long", module_name);
        memcpy(buf, module_name, n + 1);
        return true;
    }
    const char *base = "module";
    size_t n = strlen(base);
    if (input_path && strcmp(input_path, "-") != 0) {
        const char *slash = strrchr(input_path, '/');
        const char *b = slash ? slash + 1 : input_path;
        const char *dot = strrchr(b, '.');
        size_t len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
        if (len > 0) {
            base = b;
            n = len;
        }
    }
    size_t pos = 0;
    bool lead = base[0] >= '0' && base[0] <= '9';
    if (n + (lead ? 1 : 0) + 1 > size)
        return wasmc_fail(err, WASMC_NO_OFFSET, "module name derived from '%s' is too long", input_path);
    if (lead)
        buf[pos++] = '_';
    for (size_t i = 0; i < n; i++)
        buf[pos++] = is_ident_char((unsigned char)base[i], false) ? base[i] : '_';
    buf[pos] = '\0';
    return true;
}

void sym_escape(const char *s, size_t len, char *buf, size_t size, size_t *pos)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[4] = { '_', 'x', hex[ch >> 4], hex[ch & 15] };
        bool plain = is_ident_char(ch, false);
        for (int k = 0; k < (plain ? 1 : 4); k++, (*pos)++)
            if (*pos + 1 < size)
                buf[*pos] = plain ? (char)ch : esc[k];
    }
    if (size)
        buf[*pos < size ? *pos : size - 1] = '\0';
}

/* An import's host symbol name, malloc'd. */
static char *import_symbol(const WasmImport *imp)
{
    size_t n = wasmc_rt_import_symbol(imp->module, imp->field, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        wasmc_rt_import_symbol(imp->module, imp->field, s, n + 1);
    return s;
}

typedef struct NamedImport {
    char *sym;
    uint32_t import; /* index into m->imports */
} NamedImport;

static int cmp_named(const void *a, const void *b)
{
    const NamedImport *x = a, *y = b;
    int d = strcmp(x->sym, y->sym);
    return d ? d : (x->import > y->import) - (x->import < y->import);
}

/* The escaping maps distinct ("a_b","c") and ("a","b_c") to one name; the
 * ABI asks the compiler to refuse such a module (two imports sharing one
 * host symbol). Equal (module, name) pairs are fine: one function, one symbol.
 * Names containing NUL bytes are compared in full (the C strings stop early). */
static bool check_collisions(CompileCtx *c, NamedImport *v, uint32_t n)
{
    const WasmModule *m = c->m;
    qsort(v, n, sizeof *v, cmp_named);
    for (uint32_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1].sym, v[i].sym) != 0)
            continue;
        const WasmImport *a = &m->imports[v[i - 1].import], *b = &m->imports[v[i].import];
        bool same = a->module_len == b->module_len && a->field_len == b->field_len &&
                    memcmp(a->module, b->module, a->module_len) == 0 &&
                    memcmp(a->field, b->field, a->field_len) == 0;
        if (!same)
            return wasmc_fail(c->err, b->off,
                              "imports \"%s\".\"%s\" and \"%s\".\"%s\" both map to the host symbol %s",
                              a->module, a->field, b->module, b->field, v[i].sym);
    }
    return true;
}

bool sym_declare_funcs(CompileCtx *c)
{
    const WasmModule *m = c->m;
    c->func_syms = calloc(m->nfuncs + 1, sizeof *c->func_syms);
    c->import_syms = calloc(m->nimports + 1, sizeof *c->import_syms);
    NamedImport *named = calloc(m->nimports + 1, sizeof *named);
    uint32_t nnamed = 0;
    bool ok = c->func_syms && c->import_syms && named;
    if (!ok)
        wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");

    for (uint32_t i = 0; ok && i < m->nimports; i++) {
        const WasmImport *imp = &m->imports[i];
        if (imp->kind != EXTERN_FUNC)
            continue;
        char *s = import_symbol(imp);
        if (!s) {
            ok = wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
            break;
        }
        named[nnamed++] = (NamedImport){ s, i };
        ObjSymbol sym = obj_find_symbol(c->obj, s);
        if (!sym.id) {
            ObjSymbolDef d = { .name = s, .bind = OBJ_BIND_WEAK, .type = OBJ_SYMT_NONE };
            sym = obj_add_symbol(c->obj, &d);
        }
        c->import_syms[i] = sym;
        c->func_syms[imp->index] = sym;
    }
    if (ok)
        ok = check_collisions(c, named, nnamed);
    for (uint32_t i = 0; i < nnamed; i++)
        free(named[i].sym);
    free(named);
    if (!ok)
        return false;

    /* Defined functions: local, declared now (calls may precede definitions) and
     * defined as each body is appended to .text. */
    for (uint32_t f = m->nimported_funcs; f < m->nfuncs; f++) {
        char name[512];
        size_t pos = (size_t)snprintf(name, sizeof name, "%s.f%u", c->prefix, f);
        const char *fname = wasm_func_name(m, f);
        if (fname && pos + 1 < sizeof name) {
            name[pos++] = '.';
            sym_escape(fname, strlen(fname), name, sizeof name, &pos);
        }
        ObjSymbolDef d = { .name = name, .bind = OBJ_BIND_LOCAL, .type = OBJ_SYMT_FUNC };
        c->func_syms[f] = obj_add_symbol(c->obj, &d);
    }
    return true;
}

/* Names in these spaces belong to the runtime, the WASI shim and host imports. */
static bool is_reserved(const char *name)
{
    return strncmp(name, "wasmc_rt_", 9) == 0 || strncmp(name, "wasmc_import_", 13) == 0 ||
           strncmp(name, "wasmc_wasi_", 11) == 0;
}

/* Orders pointers to alias-name slots by the names. */
static int cmp_str_ptr_ref(const void *a, const void *b)
{
    char **const *x = a, **const *y = b;
    return strcmp(**x, **y);
}

bool sym_plan_export_aliases(CompileCtx *c)
{
    const WasmModule *m = c->m;
    c->export_alias = calloc(m->nexports + 1, sizeof *c->export_alias);
    char ***sorted = calloc(m->nexports + 1, sizeof *sorted); /* -> export_alias entries */
    if (!c->export_alias || !sorted) {
        free(sorted);
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    }
    char desc[160];
    snprintf(desc, sizeof desc, "%s_module", c->prefix);
    uint32_t n = 0;
    for (uint32_t e = 0; e < m->nexports; e++) {
        const WasmExport *x = &m->exports[e];
        if (x->kind != EXTERN_FUNC || x->index < m->nimported_funcs)
            continue;
        size_t pos = 0;
        sym_escape(x->name, x->name_len, NULL, 0, &pos);
        size_t size = strlen(c->prefix) + 1 + pos + 1;
        char *name = malloc(size);
        if (!name) {
            free(sorted);
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        }
        pos = (size_t)snprintf(name, size, "%s_", c->prefix);
        sym_escape(x->name, x->name_len, name, size, &pos);
        if (is_reserved(name) || strcmp(name, desc) == 0) {
            free(name);
            continue;
        }
        c->export_alias[e] = name;
        sorted[n++] = &c->export_alias[e];
    }
    /* Two export names escaping to one symbol: none of them gets an alias, so
     * the result does not depend on export order. */
    qsort(sorted, n, sizeof *sorted, cmp_str_ptr_ref);
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i + 1;
        while (j < n && strcmp(*sorted[i], *sorted[j]) == 0)
            j++;
        for (uint32_t k = i; j - i > 1 && k < j; k++) {
            free(*sorted[k]);
            *sorted[k] = NULL;
        }
        i = j;
    }
    free(sorted);
    return true;
}

bool sym_define_export_aliases(CompileCtx *c)
{
    const WasmModule *m = c->m;
    for (uint32_t e = 0; e < m->nexports; e++) {
        const char *name = c->export_alias[e];
        if (!name)
            continue;
        uint32_t f = m->exports[e].index;
        ObjSymbolDef d = { .name = name,
                           .section = c->text,
                           .offset = c->func_off[f],
                           .size = c->func_size[f],
                           .bind = OBJ_BIND_GLOBAL,
                           .type = OBJ_SYMT_FUNC };
        obj_add_symbol(c->obj, &d);
    }
    return true;
}
