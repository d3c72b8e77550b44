/* translate-suite: translates every defined function of every module of the
 * core spec test suite (../shared/wasm-testsuite/json/core: the .wasm of
 * each `"type": "module"` command) and verifies the IR.
 *
 *   translate-suite [-v] [JSON_DIR...]
 *
 * Each JSON_DIR holds one folder per .wast (default: the core suite).
 * Prints one line per .json file with its counts, then
 *   translate: N functions translated and verified, N modules rejected (feature), N failed
 * Modules the validator rejects are not counted (the spec runner covers
 * them). Exit status 1 iff something failed; a missing suite directory is
 * reported and exits 0. */
#include "module.h"
#include "translate.h"
#include "../../ir/tools/filetest_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef WASMC_SOURCE_DIR
#define WASMC_SOURCE_DIR "."
#endif

static unsigned long n_funcs, n_rejected, n_failed;
static int verbose;

/* One module: translate and verify every defined function. */
static void run_module(const char *path, unsigned long *funcs, unsigned long *rejected, unsigned long *failed)
{
    size_t len;
    char *bytes = read_file(path, &len);
    if (!bytes) {
        printf("  %s: cannot read\n", path);
        (*failed)++;
        return;
    }
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load((const uint8_t *)bytes, len, &err);
    free(bytes);
    if (!m)
        return; /* invalid modules are the validator's business */
    bool module_rejected = false;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        WasmcError e = { 0 };
        WasmTranslateStatus st;
        IrFunc *f = wasm_translate_func_status(m, i, &st, &e);
        if (f) {
            /* wasm_translate_func verified already; verify again as the
             * test's own check. */
            WasmcError ve = { 0 };
            if (!ir_verify(f, &ve)) {
                printf("  %s: function %u: verifier: %s\n", path, i, ve.msg);
                (*failed)++;
            } else {
                (*funcs)++;
            }
            ir_func_free(f);
        } else if (st == WASM_TRANSLATE_UNSUPPORTED) {
            if (verbose)
                printf("  %s: %s\n", path, e.msg);
            module_rejected = true;
        } else {
            printf("  %s: function %u: %s\n", path, i, e.msg);
            (*failed)++;
        }
    }
    if (module_rejected)
        (*rejected)++;
    wasm_module_free(m);
}

static void run_json(const char *dir, const char *json)
{
    size_t len;
    char *text = read_file(json, &len);
    if (!text)
        return;
    unsigned long funcs = 0, rejected = 0, failed = 0, modules = 0;
    /* Commands are one per line: {"type": "module", ..., "filename": "x.wasm"} */
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (strstr(line, "\"type\": \"module\"")) {
            char *fn = strstr(line, "\"filename\": \"");
            if (fn) {
                fn += strlen("\"filename\": \"");
                char *q = strchr(fn, '"');
                if (q) {
                    *q = 0;
                    char path[8192];
                    snprintf(path, sizeof path, "%.4000s/%.4000s", dir, fn);
                    run_module(path, &funcs, &rejected, &failed);
                    modules++;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    printf("%-40s %4lu modules %6lu functions %3lu rejected %3lu failed\n", json + strlen(dir) + 1, modules,
           funcs, rejected, failed);
    n_funcs += funcs;
    n_rejected += rejected;
    n_failed += failed;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_root(const char *root);

int main(int argc, char **argv)
{
    const char *roots[64];
    int nroots = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (nroots < 64)
            roots[nroots++] = argv[i];
    }
    if (nroots == 0)
        roots[nroots++] = WASMC_SOURCE_DIR "/../shared/wasm-testsuite/json/core";
    for (int r = 0; r < nroots; r++)
        run_root(roots[r]);
    printf("translate: %lu functions translated and verified, %lu modules rejected (feature), %lu failed\n", n_funcs,
           n_rejected, n_failed);
    return n_failed ? 1 : 0;
}

static void run_root(const char *root)
{
    DIR *d = opendir(root);
    if (!d) {
        printf("translate: %s is absent; nothing to do\n", root);
        return;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char sub[4096], json[8192];
        snprintf(sub, sizeof sub, "%.2000s/%.1000s", root, names[i]);
        snprintf(json, sizeof json, "%.4095s/%.1000s.json", sub, names[i]);
        struct stat stt;
        if (stat(json, &stt) == 0)
            run_json(sub, json);
        free(names[i]);
    }
    free(names);
}
