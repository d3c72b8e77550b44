/* Errors as values: no stage below the driver prints or exits (DESIGN.md 2).
 * A stage that fails fills a WasmcError and returns false/NULL; the driver
 * formats it as "wasmc: error: FILE:0xOFFSET: message". */
#ifndef WASMC_SUPPORT_DIAG_H
#define WASMC_SUPPORT_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#define WASMC_NO_OFFSET ((size_t)-1)

typedef struct WasmcError {
    bool set;
    size_t offset; /* byte offset in the input, or WASMC_NO_OFFSET */
    char msg[256];
} WasmcError;

/* Records the first error only: later calls on an already-set error are
 * ignored, so the innermost (most precise) failure wins. Always returns false
 * so callers can write `return wasmc_fail(err, off, "...")`. */
bool wasmc_fail(WasmcError *err, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
