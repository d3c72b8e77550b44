/* objwriter/outfile.c — atomic output for every format writer.
 *
 * The object is written to "<path>.tmp-<pid>-<n>" in the destination's own
 * directory (so rename() stays within one file system and is atomic), then
 * renamed over path. Every failure path removes the temporary, so a reader
 * of path sees the old file or the complete new one, never a partial one.
 * The temporary is created with mode 0666 (minus the umask), like any file a
 * compiler writes; O_EXCL keeps two writers from sharing a temporary.
 *
 * A destination that exists and is not a regular file (/dev/null, a FIFO,
 * a terminal) cannot be renamed over: that would replace the device node
 * itself, which for root means clobbering /dev/null. The writer then works
 * on an anonymous tmpfile() (libelf needs a seekable file) that is copied to
 * the destination on commit. A directory is refused before anything is
 * created. A symlink to a regular file is replaced by the new file, as ld
 * does. */
#include "obj_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail_errno(WasmcError *err, const char *what, const char *path, int e)
{
    return wasmc_fail(err, WASMC_NO_OFFSET, "cannot %s '%s': %s", what, path, strerror(e));
}

static bool open_spooled(ObjOutFile *f, WasmcError *err)
{
    f->dest_fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (f->dest_fd < 0)
        return fail_errno(err, "write", f->path, errno);
    f->spool = tmpfile();
    if (!f->spool) {
        int e = errno;
        close(f->dest_fd);
        f->dest_fd = -1;
        return fail_errno(err, "create a temporary file for", f->path, e);
    }
    f->fd = fileno(f->spool);
    return true;
}

bool obj_out_open(ObjOutFile *f, const char *path, WasmcError *err)
{
    f->fd = -1;
    f->dest_fd = -1;
    f->path = path;
    f->tmp = NULL;
    f->spool = NULL;
    if (!path || !*path)
        return wasmc_fail(err, WASMC_NO_OFFSET, "no output file name");
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return fail_errno(err, "write", path, EISDIR);
        return open_spooled(f, err);
    }
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
    return fail_errno(err, "create", path, e);
}

/* Copies the spooled object to the destination descriptor. */
static bool copy_spool(ObjOutFile *f, WasmcError *err)
{
    if (lseek(f->fd, 0, SEEK_SET) != 0)
        return fail_errno(err, "write", f->path, errno);
    char buf[1 << 14];
    for (;;) {
        ssize_t n = read(f->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail_errno(err, "write", f->path, errno);
        if (n == 0)
            return true;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(f->dest_fd, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return fail_errno(err, "write", f->path, errno);
            done += w;
        }
    }
}

bool obj_out_commit(ObjOutFile *f, WasmcError *err)
{
    if (f->spool) {
        bool ok = copy_spool(f, err);
        /* close() can report a delayed write error (NFS, full disk). */
        if (close(f->dest_fd) != 0 && ok)
            ok = fail_errno(err, "write", f->path, errno);
        f->dest_fd = -1;
        obj_out_abort(f);
        return ok;
    }
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0 || rename(f->tmp, f->path) != 0) {
        int e = errno;
        obj_out_abort(f);
        return fail_errno(err, "write", f->path, e);
    }
    free(f->tmp);
    f->tmp = NULL;
    return true;
}

void obj_out_abort(ObjOutFile *f)
{
    if (f->spool) {
        fclose(f->spool); /* closes f->fd too; tmpfile() removes itself */
        f->spool = NULL;
        f->fd = -1;
    }
    if (f->dest_fd >= 0)
        close(f->dest_fd);
    f->dest_fd = -1;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp) {
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
    }
}
