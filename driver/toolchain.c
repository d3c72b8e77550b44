#include "toolchain.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagnostics.h"

static bool file_exists(const char *dir, const char *name)
{
    char p[PATH_MAX];
    int n = snprintf(p, sizeof p, "%s/%s", dir, name);
    return n > 0 && (size_t)n < sizeof p && access(p, R_OK) == 0;
}

/* First directory of `dirs` that holds `name`. */
static bool find_in(const char *const *dirs, const char *name, char *out, size_t n)
{
    for (; *dirs; dirs++)
        if (file_exists(*dirs, name)) {
            snprintf(out, n, "%s", *dirs);
            return true;
        }
    return false;
}

static bool find_program(const char *name, char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    const char *p = path;
    while (*p) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%.*s/%s", (int)len, p, name);
        if (access(cand, X_OK) == 0) {
            snprintf(out, n, "%s", cand);
            return true;
        }
        p += len + (colon ? 1 : 0);
    }
    return false;
}

/* The GCC support directory with the highest version number, as gcc's own
 * driver would pick its installed version. */
static bool find_gcc_dir(char *out, size_t n)
{
    static const char *const roots[] = { "/usr/lib/gcc/x86_64-linux-gnu", "/usr/lib64/gcc/x86_64-linux-gnu",
                                         "/usr/lib/gcc/x86_64-pc-linux-gnu", NULL };
    int best = -1;
    for (const char *const *r = roots; *r; r++) {
        DIR *d = opendir(*r);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            char cand[PATH_MAX];
            snprintf(cand, sizeof cand, "%s/%s", *r, e->d_name);
            int v = atoi(e->d_name);
            if (v > best && file_exists(cand, "crtbeginS.o")) {
                best = v;
                snprintf(out, n, "%s", cand);
            }
        }
        closedir(d);
    }
    return best >= 0;
}

/* The directory of the running wasmc executable. */
static bool self_dir(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = 0;
    snprintf(out, n, "%s", exe);
    return true;
}

static bool find_runtime(char *out, size_t n)
{
    const char *env = getenv("WASMC_RT_DIR");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return file_exists(out, "libwasmc_rt.a") && file_exists(out, "libwasmc_wasi.a");
    }
    char self[PATH_MAX];
    if (self_dir(self, sizeof self)) {
        /* Installed layout: bin/wasmc next to lib/wasmc/. */
        char cand[PATH_MAX + 16];
        int len = snprintf(cand, sizeof cand, "%s/../lib/wasmc", self);
        if (len > 0 && (size_t)len < n && file_exists(cand, "libwasmc_rt.a") &&
            file_exists(cand, "libwasmc_wasi.a")) {
            return snprintf(out, n, "%s", cand) < (int)n;
        }
    }
#ifdef WASMC_BUILD_RT_DIR
    /* Build tree: both libraries are built into lib/wasmc (top-level CMakeLists.txt). */
    if (file_exists(WASMC_BUILD_RT_DIR, "libwasmc_rt.a") &&
        file_exists(WASMC_BUILD_RT_DIR, "libwasmc_wasi.a")) {
        snprintf(out, n, "%s", WASMC_BUILD_RT_DIR);
        return true;
    }
#endif
    return false;
}

bool toolchain_find(Toolchain *tc, bool is_static)
{
    memset(tc, 0, sizeof *tc);
    const char *ld = getenv("WASMC_LD");
    if (ld && *ld)
        snprintf(tc->ld, sizeof tc->ld, "%s", ld);
    else if (!find_program("ld.lld", tc->ld, sizeof tc->ld) &&
             !find_program("ld.lld-14", tc->ld, sizeof tc->ld)) {
        error_plain("cannot find ld.lld (install Debian's lld, or set WASMC_LD)");
        return false;
    }
    static const char *const libdirs[] = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                                           "/usr/lib64", "/usr/lib", NULL };
    const char *crt = is_static ? "crt1.o" : "Scrt1.o";
    if (!find_in(libdirs, crt, tc->libdir, sizeof tc->libdir)) {
        error_plain("cannot find the C runtime start file %s (install libc6-dev)", crt);
        return false;
    }
    if (!file_exists(tc->libdir, is_static ? "libc.a" : "libc.so")) {
        error_plain("cannot find %s in %s (install libc6-dev)", is_static ? "libc.a" : "libc.so",
                    tc->libdir);
        return false;
    }
    if (!find_gcc_dir(tc->gccdir, sizeof tc->gccdir)) {
        error_plain("cannot find crtbeginS.o (install gcc)");
        return false;
    }
    if (!find_runtime(tc->rtdir, sizeof tc->rtdir)) {
        error_plain("cannot find libwasmc_rt.a and libwasmc_wasi.a (set WASMC_RT_DIR)");
        return false;
    }
    snprintf(tc->dynlinker, sizeof tc->dynlinker, "/lib64/ld-linux-x86-64.so.2");
    return true;
}
