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
 * Each function must verify before the passes; the runner then runs the
 * passes with verify_each on (the verifier after every pass) and prints
 * every function, separated by one blank line, or "verify error after pass
 * NAME: MSG" for a function a pass broke. Mismatches print a unified diff;
 * WASMC_BLESS=1 rewrites the expect section from the actual output (review
 * the diff!). The last line is "filetests: N passed, N failed"; the exit
 * status is 1 on any failure. */
#include "../opt.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Strings and lines --------------------------------------------------- */

typedef struct Buf {
    char *s;
    size_t n, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(Buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

typedef struct Lines {
    const char **s;
    size_t *len;
    size_t n;
} Lines;

static Lines split_lines(const char *s, size_t n)
{
    Lines l = { 0 };
    size_t cap = 16;
    l.s = xmalloc(cap * sizeof *l.s);
    l.len = xmalloc(cap * sizeof *l.len);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n')
            j++;
        if (l.n == cap) {
            cap *= 2;
            l.s = xrealloc(l.s, cap * sizeof *l.s);
            l.len = xrealloc(l.len, cap * sizeof *l.len);
        }
        l.s[l.n] = s + i;
        l.len[l.n++] = j - i;
        i = j + 1;
    }
    return l;
}

static void lines_free(Lines *l)
{
    free(l->s);
    free(l->len);
}

static bool line_eq(const Lines *a, size_t i, const Lines *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

/* A unified diff of two texts as one hunk, from a longest common
 * subsequence (filetests are small). */
static void print_diff(const char *name, const char *exp, const char *act)
{
    Lines a = split_lines(exp, strlen(exp)), b = split_lines(act, strlen(act));
    size_t n = a.n, m = b.n;
    unsigned *lcs = xcalloc((n + 1) * (m + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L(i, j) = line_eq(&a, i, &b, j) ? L(i + 1, j + 1) + 1 : (L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
    printf("--- %s (expected)\n+++ %s (actual)\n@@ -1,%zu +1,%zu @@\n", name, name, n, m);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && line_eq(&a, i, &b, j)) {
            printf(" %.*s\n", (int)a.len[i], a.s[i]);
            i++, j++;
        } else if (j < m && (i == n || L(i, j + 1) >= L(i + 1, j))) {
            printf("+%.*s\n", (int)b.len[j], b.s[j]);
            j++;
        } else {
            printf("-%.*s\n", (int)a.len[i], a.s[i]);
            i++;
        }
    }
#undef L
    free(lcs);
    lines_free(&a);
    lines_free(&b);
}

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

static bool bless(const char *path, const char *src, size_t len, const Test *t, const char *actual)
{
    if (!t->has_expect)
        return false;
    FILE *out = fopen(path, "wb");
    if (!out)
        return false;
    fwrite(src, 1, t->expect_start, out);
    Lines l = split_lines(actual, strlen(actual));
    for (size_t k = 0; k < l.n; k++)
        fprintf(out, "; %.*s\n", (int)l.len[k], l.s[k]);
    lines_free(&l);
    fwrite(src + t->expect_end, 1, len - t->expect_end, out);
    fclose(out);
    return true;
}

static void run_opt(const char *src, size_t len, const Test *t, Buf *act)
{
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(src, len, &l, &err)) {
        buf_printf(act, "parse error: %s\n", err.msg);
        return;
    }
    OptOptions o = { .level = 2, .verify_each = true };
    for (uint32_t k = 0; k < l.n; k++) {
        IrFunc *f = l.funcs[k];
        if (k)
            buf_add(act, "\n", 1);
        WasmcError verr = { 0 };
        if (!ir_verify(f, &verr)) {
            buf_printf(act, "input does not verify: %s\n", verr.msg);
            continue;
        }
        if (!opt_run_passes(f, t->passes, t->npasses, &o, NULL, &verr)) {
            buf_printf(act, "verify error %s\n", verr.msg);
            continue;
        }
        char *s = ir_func_to_string(f);
        buf_add(act, s, strlen(s));
        free(s);
    }
    ir_func_list_free(&l);
}

/* ---- Driver ---------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    Buf b = { 0 };
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, in)) > 0)
        buf_add(&b, tmp, n);
    fclose(in);
    if (!b.s)
        buf_add(&b, "", 0);
    *len = b.n;
    return b.s;
}

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
            if (b && strcmp(b, "1") == 0 && bless(path, src, len, &t, act.s)) {
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

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    unsigned passed = 0, failed = 0;
    for (int a = 1; a < argc; a++) {
        DIR *d = opendir(argv[a]);
        if (!d) {
            run_file(argv[a]) ? passed++ : failed++;
            continue;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t l = strlen(e->d_name);
            if (l < 4 || strcmp(e->d_name + l - 3, ".ir") != 0)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                names = xrealloc(names, cap * sizeof *names);
            }
            size_t pl = strlen(argv[a]) + l + 2;
            names[n] = xmalloc(pl);
            snprintf(names[n], pl, "%s/%s", argv[a], e->d_name);
            n++;
        }
        closedir(d);
        qsort(names, n, sizeof *names, name_cmp);
        for (size_t k = 0; k < n; k++) {
            run_file(names[k]) ? passed++ : failed++;
            free(names[k]);
        }
        free(names);
    }
    printf("filetests: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
