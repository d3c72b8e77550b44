/* ir-filetest: runs the IR filetests (test-suite/filetests/ir/\*.ir).
 *
 * A filetest opens with a block of `;` comment lines naming its kind:
 *   ; test: roundtrip      the rest of the file parses, verifies, and prints
 *                          back byte for byte (functions separated by one
 *                          blank line)
 *   ; test: verify-error   the file parses; every `; error: MSG` comment
 *                          marks the line the verifier must blame with MSG,
 *                          and functions without one must verify
 *   ; test: parse-error    the parse fails with the message under `; expect:`
 *   ; test: cfg            prints preds, succs and idom of every block, as
 *                          under `; expect:`
 * An `; expect:` line in the header starts the expected output: each later
 * header line `; TEXT` is one line of it. With WASMC_BLESS=1 the runner
 * rewrites that section from the actual output (review the diff!).
 *
 * Mismatches print a unified diff; the last line is
 * "filetests: N passed, N failed" and the exit status is 1 on any failure. */
#include "../ir.h"
#include "filetest_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Strings and lines --------------------------------------------------- */

/* ---- The header ---------------------------------------------------------- */

typedef struct Header {
    char kind[32];
    size_t body;          /* byte offset where the header comment block ends */
    Buf expect;           /* lines under `; expect:` */
    size_t expect_start;  /* byte range of those lines, for blessing */
    size_t expect_end;
    bool has_expect;
} Header;

static bool is_comment_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == n || s[i] == ';';
}

static void read_header(const char *src, size_t len, Header *h)
{
    memset(h, 0, sizeof *h);
    size_t i = 0;
    bool in_expect = false;
    while (i < len) {
        size_t j = i;
        while (j < len && src[j] != '\n')
            j++;
        const char *s = src + i;
        size_t n = j - i;
        if (!is_comment_line(s, n))
            break;
        if (n >= 8 && memcmp(s, "; test: ", 8) == 0) {
            snprintf(h->kind, sizeof h->kind, "%.*s", (int)(n - 8), s + 8);
        } else if (n == 9 && memcmp(s, "; expect:", 9) == 0) {
            in_expect = true;
            h->has_expect = true;
            h->expect_start = h->expect_end = j + 1 <= len ? j + 1 : len;
        } else if (in_expect && n >= 1 && s[0] == ';') {
            size_t skip = n >= 2 && s[1] == ' ' ? 2 : 1;
            buf_add(&h->expect, s + skip, n - skip);
            buf_add(&h->expect, "\n", 1);
            h->expect_end = j + 1 <= len ? j + 1 : len;
        } else {
            in_expect = false;
        }
        i = j + 1;
    }
    h->body = i < len ? i : len;
    if (!h->expect.s)
        buf_add(&h->expect, "", 0);
}

/* ---- Test kinds ------------------------------------------------------------ */

static void print_all(Buf *out, const IrFuncList *l)
{
    for (uint32_t k = 0; k < l->n; k++) {
        char *s = ir_func_to_string(l->funcs[k]);
        if (k)
            buf_add(out, "\n", 1);
        buf_add(out, s, strlen(s));
        free(s);
    }
}

static void parse_failure(Buf *out, const WasmcError *err) { buf_printf(out, "parse error: %s\n", err->msg); }

static void run_roundtrip(const char *src, size_t len, const Header *h, Buf *exp, Buf *act)
{
    const char *body = src + h->body;
    size_t blen = len - h->body;
    buf_add(exp, body, blen);
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(body, blen, &l, &err)) {
        parse_failure(act, &err);
        return;
    }
    for (uint32_t k = 0; k < l.n; k++) {
        WasmcError verr = { 0 };
        if (!ir_verify(l.funcs[k], &verr)) {
            unsigned line = 0, col = 0;
            if (verr.offset != WASMC_NO_OFFSET)
                ir_text_line_col(body, blen, verr.offset, &line, &col);
            buf_printf(act, "verify error in function %u: %u:%u: %s\n", k, line, col, verr.msg);
        }
    }
    print_all(act, &l);
    ir_func_list_free(&l);
}

typedef struct Annot {
    unsigned line;
    const char *msg;
    size_t len;
} Annot;

static int annot_cmp(const void *a, const void *b)
{
    const Annot *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

static void run_verify_error(const char *src, size_t len, Buf *exp, Buf *act)
{
    /* Expected: every `; error: MSG`, by line. */
    Lines lines = split_lines(src, len);
    for (size_t k = 0; k < lines.n; k++) {
        const char *p = memmem(lines.s[k], lines.len[k], "; error: ", 9);
        if (p)
            buf_printf(exp, "%zu: %.*s\n", k + 1, (int)(lines.s[k] + lines.len[k] - p - 9), p + 9);
    }
    lines_free(&lines);
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(src, len, &l, &err)) {
        parse_failure(act, &err);
        return;
    }
    Annot *got = xcalloc(l.n + 1, sizeof *got);
    uint32_t ngot = 0;
    WasmcError *errs = xcalloc(l.n + 1, sizeof *errs);
    for (uint32_t k = 0; k < l.n; k++) {
        if (ir_verify(l.funcs[k], &errs[k]))
            continue;
        unsigned line = 0, col = 0;
        if (errs[k].offset != WASMC_NO_OFFSET)
            ir_text_line_col(src, len, errs[k].offset, &line, &col);
        got[ngot++] = (Annot){ line, errs[k].msg, strlen(errs[k].msg) };
    }
    qsort(got, ngot, sizeof *got, annot_cmp);
    for (uint32_t k = 0; k < ngot; k++)
        buf_printf(act, "%u: %.*s\n", got[k].line, (int)got[k].len, got[k].msg);
    free(got);
    free(errs);
    ir_func_list_free(&l);
}

static void run_parse_error(const char *src, size_t len, const Header *h, Buf *exp, Buf *act)
{
    buf_add(exp, h->expect.s, h->expect.n);
    IrFuncList l;
    WasmcError err = { 0 };
    if (ir_parse(src, len, &l, &err)) {
        buf_printf(act, "parsed without error\n");
        ir_func_list_free(&l);
        return;
    }
    buf_printf(act, "%s\n", err.msg);
}

static void list_blocks(Buf *out, const IrBlockList *l)
{
    buf_add(out, "[", 1);
    for (uint32_t k = 0; k < l->n; k++)
        buf_printf(out, "%sblock%u", k ? ", " : "", l->ids[k]);
    buf_add(out, "]", 1);
}

static void run_cfg(const char *src, size_t len, const Header *h, Buf *exp, Buf *act)
{
    buf_add(exp, h->expect.s, h->expect.n);
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(src, len, &l, &err)) {
        parse_failure(act, &err);
        return;
    }
    for (uint32_t k = 0; k < l.n; k++) {
        IrFunc *f = l.funcs[k];
        IrCfg *cfg = ir_compute_cfg(f);
        IrDomTree *dom = ir_compute_domtree(f, cfg);
        buf_printf(act, "function %s\n", f->name);
        for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
            buf_printf(act, "  block%u: preds ", b.id);
            list_blocks(act, &cfg->preds[b.id]);
            buf_printf(act, " succs ");
            list_blocks(act, &cfg->succs[b.id]);
            if (!ir_dom_is_reachable(dom, b))
                buf_printf(act, " unreachable\n");
            else if (dom->idom[b.id])
                buf_printf(act, " idom block%u\n", dom->idom[b.id]);
            else
                buf_printf(act, " entry\n");
        }
    }
    ir_func_list_free(&l);
}

/* ---- Driver ---------------------------------------------------------------- */

static bool run_file(const char *path)
{
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        printf("FAIL %s: cannot read\n", path);
        return false;
    }
    Header h;
    read_header(src, len, &h);
    Buf exp = { 0 }, act = { 0 };
    buf_add(&exp, "", 0);
    buf_add(&act, "", 0);
    bool known = true;
    if (strcmp(h.kind, "roundtrip") == 0)
        run_roundtrip(src, len, &h, &exp, &act);
    else if (strcmp(h.kind, "verify-error") == 0)
        run_verify_error(src, len, &exp, &act);
    else if (strcmp(h.kind, "parse-error") == 0)
        run_parse_error(src, len, &h, &exp, &act);
    else if (strcmp(h.kind, "cfg") == 0)
        run_cfg(src, len, &h, &exp, &act);
    else
        known = false;
    bool ok = known && strcmp(exp.s, act.s) == 0;
    if (!known) {
        printf("FAIL %s: unknown test kind '%s'\n", path, h.kind);
    } else if (!ok) {
        const char *b = getenv("WASMC_BLESS");
        if (b && strcmp(b, "1") == 0 && h.has_expect && bless_expect(path, src, len, h.expect_start, h.expect_end, act.s)) {
            printf("BLESSED %s\n", path);
            ok = true;
        } else {
            printf("FAIL %s\n", path);
            print_diff(path, exp.s, act.s);
        }
    }
    free(exp.s);
    free(act.s);
    free(h.expect.s);
    free(src);
    return ok;
}

int main(int argc, char **argv) { return filetest_main(argc, argv, ".ir", run_file); }
