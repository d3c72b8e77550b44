/* libFuzzer target: decode + validate + translate every defined function to
 * verified IR. A feature rejection is a normal outcome; a translation that
 * fails for any other reason (the verifier rejecting our own IR) is a bug. */
#include <stddef.h>
#include <stdint.h>

#include "../../frontend/module.h"
#include "../../frontend/translate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(data, size, &err);
    if (!m)
        return 0;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        WasmcError terr = { 0 };
        WasmTranslateStatus st;
        IrFunc *f = wasm_translate_func_status(m, i, &st, &terr);
        if (!f && st == WASM_TRANSLATE_FAILED)
            __builtin_trap();
        if (f)
            ir_func_free(f);
    }
    wasm_module_free(m);
    return 0;
}
