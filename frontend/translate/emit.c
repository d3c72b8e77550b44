/* --emit-ir: every defined function, translated, verified and printed.
 * The text is buffered so that a failure leaves no partial output. */
#include "translate_internal.h"

#include <stdlib.h>

bool wasm_emit_ir(const WasmModule *m, FILE *out, WasmcError *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&buf, &len);
    if (!ms)
        return wasmc_fail(err, WASMC_NO_OFFSET, "out of memory");
    bool ok = true;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs && ok; i++) {
        IrFunc *f = wasm_translate_func(m, i, err);
        if (!f) {
            ok = false;
            break;
        }
        if (i > m->nimported_funcs)
            fputc('\n', ms);
        ir_print_func(ms, f);
        ir_func_free(f);
    }
    fclose(ms);
    if (ok && len && fwrite(buf, 1, len, out) != len)
        ok = wasmc_fail(err, WASMC_NO_OFFSET, "cannot write the IR: output error");
    free(buf);
    return ok;
}
