#include "link.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diagnostics.h"
#include "toolchain.h"

extern char **environ;

typedef struct {
    char **v;
    int n, cap;
} ArgList;

static void arg(ArgList *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void arg(ArgList *a, const char *fmt, ...)
{
    if (a->n + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->v = realloc(a->v, sizeof *a->v * (size_t)a->cap);
        if (!a->v) {
            fputs("wasmc: fatal: out of memory\n", stderr);
            exit(1);
        }
    }
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&a->v[a->n], fmt, ap) < 0) {
        fputs("wasmc: fatal: out of memory\n", stderr);
        exit(1);
    }
    va_end(ap);
    a->v[++a->n] = NULL;
}

static void free_args(ArgList *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

int run_command(char *const argv[], bool verbose)
{
    if (verbose) {
        for (int i = 0; argv[i]; i++)
            fprintf(stderr, "%s%s", i ? " " : "", argv[i]);
        fputc('\n', stderr);
    }
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        error_plain("cannot run %s: %s", argv[0], strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    error_plain("%s died of signal %d", argv[0], WTERMSIG(status));
    return -1;
}

bool link_executable(const DriverOptions *o, const char *const *objs, int nobjs,
                     char *const *undefs, int nundefs, const char *output)
{
    Toolchain tc;
    if (!toolchain_find(&tc, o->is_static))
        return false;
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp-%d", output, (int)getpid());

    ArgList a = { 0 };
    arg(&a, "%s", tc.ld);
    arg(&a, "--hash-style=gnu");
    arg(&a, "--build-id");
    arg(&a, "--eh-frame-hdr");
    arg(&a, "-m");
    arg(&a, "elf_x86_64");
    arg(&a, "-z");
    arg(&a, "noexecstack");
    if (o->is_static) {
        arg(&a, "-static");
        arg(&a, "%s/crt1.o", tc.libdir);
        arg(&a, "%s/crti.o", tc.libdir);
        arg(&a, "%s/crtbeginT.o", tc.gccdir);
    } else {
        arg(&a, "-pie");
        arg(&a, "-dynamic-linker");
        arg(&a, "%s", tc.dynlinker);
        arg(&a, "%s/Scrt1.o", tc.libdir);
        arg(&a, "%s/crti.o", tc.libdir);
        arg(&a, "%s/crtbeginS.o", tc.gccdir);
    }
    arg(&a, "-o");
    arg(&a, "%s", tmp);
    for (int i = 0; i < o->nlib_dirs; i++)
        arg(&a, "-L%s", o->lib_dirs[i]);
    for (int i = 0; i < nundefs; i++) {
        arg(&a, "-u");
        arg(&a, "%s", undefs[i]);
    }
    for (int i = 0; i < nobjs; i++)
        arg(&a, "%s", objs[i]);
    /* Native inputs in command-line order, so a C object can define
     * wasmc_import_* symbols that satisfy wasm imports. */
    for (int i = 0; i < o->ninputs; i++) {
        if (o->inputs[i].kind == INPUT_NATIVE)
            arg(&a, "%s", o->inputs[i].path);
        else if (o->inputs[i].kind == INPUT_LIB)
            arg(&a, "-l%s", o->inputs[i].path);
    }
    /* The glue is referenced only weakly (by compiled objects and by
     * wasmc_rt_main), and a weak reference never pulls an archive member:
     * force the WASI glue in. */
    arg(&a, "-u");
    arg(&a, "wasmc_wasi_init");
    arg(&a, "%s/libwasmc_wasi.a", tc.rtdir);
    arg(&a, "%s/libwasmc_rt.a", tc.rtdir);
    arg(&a, "-L%s", tc.gccdir);
    arg(&a, "-L%s", tc.libdir);
    if (o->is_static) {
        arg(&a, "--start-group");
        arg(&a, "-lgcc");
        arg(&a, "-lgcc_eh");
        arg(&a, "-lc");
        arg(&a, "--end-group");
        arg(&a, "%s/crtend.o", tc.gccdir);
    } else {
        arg(&a, "-lc");
        arg(&a, "-lgcc");
        arg(&a, "--as-needed");
        arg(&a, "-lgcc_s");
        arg(&a, "--no-as-needed");
        arg(&a, "%s/crtendS.o", tc.gccdir);
    }
    arg(&a, "%s/crtn.o", tc.libdir);

    int rc = run_command(a.v, o->verbose);
    free_args(&a);
    if (rc != 0) {
        unlink(tmp);
        if (rc > 0)
            error_plain("linker command failed with exit status %d (use -v to see the command)", rc);
        return false;
    }
    if (rename(tmp, output) != 0) {
        error_plain("cannot write %s: %s", output, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}
