#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

bool wasmc_fail(WasmcError *err, size_t offset, const char *fmt, ...)
{
    if (!err || err->set)
        return false;
    err->set = true;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return false;
}
