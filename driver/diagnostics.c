#include "diagnostics.h"

#include <stdarg.h>
#include <stdio.h>

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "wasmc: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_plain(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", fmt, ap);
    va_end(ap);
}

void warning_plain(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", fmt, ap);
    va_end(ap);
}

void error_at(const char *file, const WasmcError *err)
{
    if (err->offset == WASMC_NO_OFFSET)
        fprintf(stderr, "wasmc: error: %s: %s\n", file, err->msg);
    else
        fprintf(stderr, "wasmc: error: %s:0x%zx: %s\n", file, err->offset, err->msg);
}
