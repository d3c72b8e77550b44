/* Placeholder: the binary decoder is being written (issue 2). */
#include "module.h"

WasmModule *wasm_decode(const uint8_t *bytes, size_t len, WasmcError *err)
{
    (void)bytes;
    (void)len;
    wasmc_fail(err, 0, "the binary decoder is not implemented yet");
    return NULL;
}
