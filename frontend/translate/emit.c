/* --emit-ir: every defined function, translated, verified and printed. */
#include "translate_internal.h"

bool wasm_emit_ir(const WasmModule *m, FILE *out, WasmcError *err)
{
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        IrFunc *f = wasm_translate_func(m, i, err);
        if (!f)
            return false;
        if (i > m->nimported_funcs)
            fputc('\n', out);
        ir_print_func(out, f);
        ir_func_free(f);
    }
    return true;
}
