/* opt-filetest: runs the optimiser filetests (test-suite/filetests/opt/\*.ir).
 *
 * A filetest opens with a block of `;` comment lines; one of them is
 *   ; test: opt PASS[,PASS...]     e.g. `; test: opt constfold,dce`
 * where a PASS is a pass name (opt_find_pass) or O1 / O2 for the whole
 * pipeline of that level. The rest of the file is the input IR. Somewhere
 * in the file (by convention after the input) a line `; expect:` starts the
 * expected output: each following line `; TEXT` is one line of it, up to
 * the first line that is not a comment.
 *
 * The file is one module: function k of the file is function index k, so
 * `fnK = local %name sig` in a caller names it (module passes such as
 * inline see every function; see run_opt). Each function must verify
 * before the passes; the runner then runs the
 * passes with verify_each on (the verifier after every pass) and prints
 * every function, separated by one blank line, or "verify error after pass
 * NAME: MSG" for a function a pass broke. Mismatches print a unified diff;
 * WASMC_BLESS=1 rewrites the expect section from the actual output (review
 * the diff!). The last line is "filetests: N passed, N failed"; the exit
 * status is 1 on any failure. */
#include "../opt.h"
#include "../../ir/tools/filetest_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Strings and lines --------------------------------------------------- */

/* ---- The test file ------------------------------------------------------------- */

typedef struct Test {
    const OptPass *passes[64];
    uint32_t npasses;
    char bad[128];        /* an unknown pass name, or a missing `; test:` */
    Buf expect;
    bool has_expect;
    size_t expect_start;  /* byte range of the expected lines, for blessing */
    size_t expect_end;
} Test;

static bool add_pass_list(Test *t, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '\t'))
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != ',' && s[j] != '\t')
            j++;
        if (j == i)
            break;
        const OptPass *rows = NULL;
        uint32_t nrows = 0;
        if (j - i == 2 && s[i] == 'O' && (s[i + 1] == '1' || s[i + 1] == '2')) {
            rows = opt_pipeline(s[i + 1] - '0', &nrows);
        } else {
            rows = opt_find_pass(s + i, j - i);
            nrows = rows ? 1 : 0;
            if (!rows) {
                snprintf(t->bad, sizeof t->bad, "unknown pass '%.*s'", (int)(j - i), s + i);
                return false;
            }
        }
        for (uint32_t k = 0; k < nrows && t->npasses < 64; k++)
            t->passes[t->npasses++] = &rows[k];
        i = j;
    }
    return true;
}

static void read_test(const char *src, size_t len, Test *t)
{
    memset(t, 0, sizeof *t);
    bool in_header = true, in_expect = false, has_kind = false;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && src[j] != '\n')
            j++;
        const char *s = src + i;
        size_t n = j - i;
        bool comment = n >= 1 && s[0] == ';';
        if (in_expect && !comment)
            in_expect = false;
        if (in_header && n >= 8 && memcmp(s, "; test: ", 8) == 0) {
            if (n >= 11 && memcmp(s + 8, "opt", 3) == 0 && (n == 11 || s[11] == ' ')) {
                has_kind = true;
                add_pass_list(t, s + 11, n - 11);
            } else {
                snprintf(t->bad, sizeof t->bad, "unknown test kind '%.*s'", (int)(n - 8), s + 8);
            }
        } else if (n == 9 && memcmp(s, "; expect:", 9) == 0) {
            in_expect = true;
            t->has_expect = true;
            t->expect_start = t->expect_end = j + 1 <= len ? j + 1 : len;
        } else if (in_expect) {
            size_t skip = n >= 2 && s[1] == ' ' ? 2 : 1;
            buf_add(&t->expect, s + skip, n - skip);
            buf_add(&t->expect, "\n", 1);
            t->expect_end = j + 1 <= len ? j + 1 : len;
        }
        if (!comment && n > 0)
            in_header = false;
        i = j + 1;
    }
    if (!has_kind && !t->bad[0])
        snprintf(t->bad, sizeof t->bad, "no '; test: opt PASSES' line");
    if (!t->expect.s)
        buf_add(&t->expect, "", 0);
}

/* The file is the module: function k of the file is function index k
 * (`fnK = local %name sig` in a caller refers to it). Each row runs over
 * every function (a module pass, like inline, bottom-up over the call
 * graph); a function that fails verification, before or after a pass,
 * reports the error in its place and takes no further part. */
static void run_opt(const char *src, size_t len, const Test *t, Buf *act)
{
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(src, len, &l, &err)) {
        buf_printf(act, "parse error: %s\n", err.msg);
        return;
    }
    OptOptions o = { .level = 2, .verify_each = true, .disable = "" };
    char **msg = calloc(l.n + 1, sizeof *msg);
    IrFunc **funcs = calloc(l.n + 1, sizeof *funcs);
    for (uint32_t k = 0; k < l.n; k++) {
        WasmcError verr = { 0 };
        if (ir_verify(l.funcs[k], &verr)) {
            funcs[k] = l.funcs[k];
        } else {
            size_t n = strlen(verr.msg) + 64;
            msg[k] = malloc(n);
            snprintf(msg[k], n, "input does not verify: %s\n", verr.msg);
        }
    }
    OptModule m = { .funcs = funcs, .nfuncs = l.n };
    for (uint32_t r = 0; r < t->npasses; r++) {
        /* The call graph as it is now (an earlier row may have changed it). */
        opt_module_free(&m);
        if (!opt_module_init(&m)) {
            buf_printf(act, "out of memory\n");
            break;
        }
        const OptPass *p = t->passes[r];
        uint32_t n = p->module ? m.norder : m.nfuncs;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t idx = p->module ? m.order[k] : k;
            WasmcError verr = { 0 };
            if (!funcs[idx] || opt_module_run_func(&m, idx, &p, 1, &o, NULL, &verr))
                continue;
            size_t sz = strlen(verr.msg) + 64;
            msg[idx] = malloc(sz);
            snprintf(msg[idx], sz, "verify error %s\n", verr.msg);
            funcs[idx] = NULL;
        }
    }
    opt_module_free(&m);
    for (uint32_t k = 0; k < l.n; k++) {
        if (k)
            buf_add(act, "\n", 1);
        if (msg[k]) {
            buf_add(act, msg[k], strlen(msg[k]));
            free(msg[k]);
            continue;
        }
        char *s = ir_func_to_string(l.funcs[k]);
        buf_add(act, s, strlen(s));
        free(s);
    }
    free(msg);
    free(funcs);
    ir_func_list_free(&l);
}

/* ---- Driver ---------------------------------------------------------------------- */

static bool run_file(const char *path)
{
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        printf("FAIL %s: cannot read\n", path);
        return false;
    }
    Test t;
    read_test(src, len, &t);
    bool ok = false;
    if (t.bad[0]) {
        printf("FAIL %s: %s\n", path, t.bad);
    } else if (!t.has_expect) {
        printf("FAIL %s: no '; expect:' section\n", path);
    } else {
        Buf act = { 0 };
        buf_add(&act, "", 0);
        run_opt(src, len, &t, &act);
        ok = strcmp(t.expect.s, act.s) == 0;
        if (!ok) {
            const char *b = getenv("WASMC_BLESS");
            if (b && strcmp(b, "1") == 0 && t.has_expect && bless_expect(path, src, len, t.expect_start, t.expect_end, act.s)) {
                printf("BLESSED %s\n", path);
                ok = true;
            } else {
                printf("FAIL %s\n", path);
                print_diff(path, t.expect.s, act.s);
            }
        }
        free(act.s);
    }
    free(t.expect.s);
    free(src);
    return ok;
}

int main(int argc, char **argv) { return filetest_main(argc, argv, ".ir", run_file); }
