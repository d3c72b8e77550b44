#include "filetest_util.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../support/arena.h"

void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

Lines split_lines(const char *s, size_t n)
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

void lines_free(Lines *l)
{
    free(l->s);
    free(l->len);
}

static bool line_eq(const Lines *a, size_t i, const Lines *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

void print_diff(const char *name, const char *exp, const char *act)
{
    Lines a = split_lines(exp, strlen(exp)), b = split_lines(act, strlen(act));
    size_t n = a.n, m = b.n;
    unsigned *lcs = xcalloc((n + 1) * (m + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L(i, j) = line_eq(&a, i, &b, j) ? L(i + 1, j + 1) + 1
                                            : (L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1));
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

char *read_file(const char *path, size_t *len)
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

bool bless_expect(const char *path, const char *src, size_t len, size_t expect_start,
                  size_t expect_end, const char *actual)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return false;
    fwrite(src, 1, expect_start, out);
    Lines l = split_lines(actual, strlen(actual));
    for (size_t k = 0; k < l.n; k++)
        fprintf(out, "; %.*s\n", (int)l.len[k], l.s[k]);
    lines_free(&l);
    fwrite(src + expect_end, 1, len - expect_end, out);
    return fclose(out) == 0;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int filetest_main(int argc, char **argv, const char *ext, bool (*run_file)(const char *path))
{
    unsigned passed = 0, failed = 0;
    size_t extlen = strlen(ext);
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
            if (l <= extlen || strcmp(e->d_name + l - extlen, ext) != 0)
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
