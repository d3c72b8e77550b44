/* Placeholder: the validator is being written (issue 2). */
#include "module.h"

bool wasm_validate(WasmModule *m, WasmcError *err)
{
    (void)m;
    return wasmc_fail(err, 0, "the validator is not implemented yet");
}
