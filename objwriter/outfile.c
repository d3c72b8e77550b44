/* objwriter/outfile.c — atomic output for every format writer.
 *
 * The object is written to "<path>.tmp-<pid>-<n>" in the destination's own
 * directory (so rename() stays within one file system and is atomic), then
 * renamed over path. Every failure path removes the temporary, so a reader
 * of path sees the old file or the complete new one, never a partial one.
 * The temporary is created with mode 0666 (minus the umask), like any file a
 * compiler writes; O_EXCL keeps two writers from sharing a temporary. */
#include "obj_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool obj_out_open(ObjOutFile *f, const char *path, WasmcError *err)
{
    f->fd = -1;
    f->path = path;
    f->tmp = NULL;
    if (!path || !*path)
        return wasmc_fail(err, WASMC_NO_OFFSET, "no output file name");
    size_t cap = strlen(path) + 48;
    f->tmp = xmalloc(cap);
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        snprintf(f->tmp, cap, "%s.tmp-%ld-%u", path, (long)getpid(), attempt);
        f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (f->fd >= 0)
            return true;
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(f->tmp);
    f->tmp = NULL;
    return wasmc_fail(err, WASMC_NO_OFFSET, "cannot create '%s': %s", path, strerror(e));
}

bool obj_out_commit(ObjOutFile *f, WasmcError *err)
{
    int fd = f->fd;
    f->fd = -1;
    /* close() can report a delayed write error (NFS, full disk). */
    if (close(fd) != 0) {
        int e = errno;
        obj_out_abort(f);
        return wasmc_fail(err, WASMC_NO_OFFSET, "cannot write '%s': %s", f->path, strerror(e));
    }
    if (rename(f->tmp, f->path) != 0) {
        int e = errno;
        obj_out_abort(f);
        return wasmc_fail(err, WASMC_NO_OFFSET, "cannot write '%s': %s", f->path, strerror(e));
    }
    free(f->tmp);
    f->tmp = NULL;
    return true;
}

void obj_out_abort(ObjOutFile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp) {
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
    }
}
