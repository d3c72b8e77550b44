#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagnostics.h"

bool output_open(OutputFile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return true;
    }
    o->path = strdup(path);
    if (asprintf(&o->tmp, "%s.tmp-%d", path, (int)getpid()) < 0 || !o->path) {
        error_plain("out of memory");
        return false;
    }
    o->f = fopen(o->tmp, "w");
    if (!o->f) {
        error_plain("cannot write %s: %s", path, strerror(errno));
        free(o->path);
        free(o->tmp);
        return false;
    }
    return true;
}

bool output_close(OutputFile *o, bool ok)
{
    if (!o->path) {
        if (fflush(stdout) != 0) {
            error_plain("error writing to standard output: %s", strerror(errno));
            return false;
        }
        return ok;
    }
    bool write_ok = !ferror(o->f);
    if (fclose(o->f) != 0)
        write_ok = false;
    if (ok && !write_ok)
        error_plain("error writing %s", o->path);
    ok = ok && write_ok;
    if (ok && rename(o->tmp, o->path) != 0) {
        error_plain("cannot write %s: %s", o->path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    return ok;
}
