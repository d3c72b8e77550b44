/* The driver is the only place that prints diagnostics (DESIGN.md 2). */
#ifndef WASMC_DRIVER_DIAGNOSTICS_H
#define WASMC_DRIVER_DIAGNOSTICS_H

#include "../support/diag.h"

void error_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "wasmc: error: FILE:0xOFFSET: message", or without the offset when the
 * error has none. */
void error_at(const char *file, const WasmcError *err);

#endif
