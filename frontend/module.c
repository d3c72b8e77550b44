/* Module life cycle and small lookups. */
#include "module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

WasmModule *wasm_module_load(const uint8_t *bytes, size_t len, WasmcError *err)
{
    return wasm_module_load_features(bytes, len, 0, err);
}

WasmModule *wasm_module_load_features(const uint8_t *bytes, size_t len, uint32_t disabled,
                                      WasmcError *err)
{
    WasmModule *m = wasm_decode(bytes, len, err);
    if (!m)
        return NULL;
    if (!wasm_validate_features(m, disabled, err)) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

void wasm_module_free(WasmModule *m)
{
    if (!m)
        return;
    arena_free(&m->arena);
    free(m->bytes);
    free(m);
}

const char *wasm_func_name(const WasmModule *m, uint32_t func_idx)
{
    uint32_t lo = 0, hi = m->nfunc_names;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->func_names[mid].idx < func_idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->nfunc_names && m->func_names[lo].idx == func_idx)
        return m->func_names[lo].name;
    return NULL;
}

/* Command-line names of the features, in the order of the bits. */
static const struct {
    uint32_t bit;
    const char *option;
} feature_options[] = {
    { WASM_FEAT_SIMD, "simd" },
    { WASM_FEAT_RELAXED_SIMD, "relaxed-simd" },
    { WASM_FEAT_GC, "gc" },
    { WASM_FEAT_EXCEPTIONS, "exceptions" },
    { WASM_FEAT_LEGACY_EXCEPTIONS, "legacy-exceptions" },
    { WASM_FEAT_THREADS, "threads" },
    { WASM_FEAT_MEMORY64, "memory64" },
    { WASM_FEAT_MULTI_MEMORY, "multi-memory" },
    { WASM_FEAT_TAIL_CALL, "tail-call" },
    { WASM_FEAT_FUNC_REFS, "function-references" },
    { WASM_FEAT_WIDE_ARITH, "wide-arithmetic" },
    { WASM_FEAT_CUSTOM_PAGES, "custom-page-sizes" },
    { WASM_FEAT_REF_TYPES, "reference-types" },
    { WASM_FEAT_BULK_MEMORY, "bulk-memory" },
};

const char wasm_feature_option_names[] =
    "simd, relaxed-simd, gc, exceptions, legacy-exceptions, threads, memory64, multi-memory, "
    "tail-call, function-references, wide-arithmetic, custom-page-sizes, reference-types, "
    "bulk-memory";

bool wasm_feature_parse(const char *name, uint32_t *bit)
{
    for (size_t i = 0; i < sizeof feature_options / sizeof feature_options[0]; i++)
        if (strcmp(name, feature_options[i].option) == 0) {
            *bit = feature_options[i].bit;
            return true;
        }
    return false;
}

const char *wasm_feature_names(uint32_t features, char *buf, size_t bufsize)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {
        { WASM_FEAT_SIMD, "SIMD" },
        { WASM_FEAT_RELAXED_SIMD, "relaxed SIMD" },
        { WASM_FEAT_GC, "GC types" },
        { WASM_FEAT_EXCEPTIONS, "exception handling" },
        { WASM_FEAT_LEGACY_EXCEPTIONS, "legacy exception handling" },
        { WASM_FEAT_THREADS, "threads" },
        { WASM_FEAT_MEMORY64, "memory64" },
        { WASM_FEAT_MULTI_MEMORY, "multi-memory" },
        { WASM_FEAT_TAIL_CALL, "tail calls" },
        { WASM_FEAT_FUNC_REFS, "function references" },
        { WASM_FEAT_WIDE_ARITH, "wide arithmetic" },
        { WASM_FEAT_CUSTOM_PAGES, "custom page sizes" },
        { WASM_FEAT_REF_TYPES, "reference types" },
        { WASM_FEAT_BULK_MEMORY, "bulk memory" },
    };
    size_t used = 0;
    if (bufsize)
        buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(features & names[i].bit))
            continue;
        int n = snprintf(buf + used, bufsize > used ? bufsize - used : 0, "%s%s",
                         used ? ", " : "", names[i].name);
        if (n > 0)
            used += (size_t)n;
    }
    return buf;
}
