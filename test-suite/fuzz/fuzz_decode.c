/* libFuzzer target: decode + validate arbitrary bytes. Any crash, hang,
 * sanitizer report or leak is a bug; rejection is the normal outcome. */
#include <stddef.h>
#include <stdint.h>

#include "../../frontend/module.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(data, size, &err);
    /* A failure must always come with a message. */
    if (!m && !err.set)
        __builtin_trap();
    wasm_module_free(m);
    return 0;
}
