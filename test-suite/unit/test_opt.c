/* Unit tests of the pass manager (opt/opt.h): the pipelines as data,
 * --print-after, --time-passes statistics, --verify-each catching broken
 * IR, and a sweep that runs -O1 and -O2 with the verifier after every pass
 * over every function the other filetests hold (the IR filetests and the
 * IR expected from the translate filetests), so a pass that breaks
 * translated code fails here even without a dedicated opt filetest. The
 * passes themselves are tested by test-suite/filetests/opt. */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

static IrFunc *parse_one(const char *text)
{
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(text, strlen(text), &l, &err))
        ck_abort_msg("parse failed: %s", err.msg);
    ck_assert_uint_eq(l.n, 1);
    IrFunc *f = l.funcs[0];
    free(l.funcs);
    return f;
}

static const char *const sample = "function %f(i32) -> i32 {\n"
                                   "block1(v1: i32):\n"
                                   "    v2 = iconst.i32 2\n"
                                   "    v3 = iconst.i32 3\n"
                                   "    v4 = iadd.i32 v2, v3\n"
                                   "    v5 = imul.i32 v1, v4\n"
                                   "    v6 = imul.i32 v4, v1\n"
                                   "    v7 = iadd.i32 v5, v6\n"
                                   "    return v7\n"
                                   "}\n";

START_TEST(pipelines_are_named_passes)
{
    uint32_t n;
    ck_assert_ptr_null(opt_pipeline(0, &n));
    ck_assert_uint_eq(n, 0);
    for (int level = 1; level <= 3; level++) {
        const OptPass *rows = opt_pipeline(level, &n);
        ck_assert_uint_gt(n, 0);
        for (uint32_t k = 0; k < n; k++) {
            const OptPass *p = opt_find_pass(rows[k].name, strlen(rows[k].name));
            ck_assert_ptr_nonnull(p);
            ck_assert_ptr_eq((void *)p->fn, (void *)rows[k].fn);
        }
    }
    ck_assert_ptr_null(opt_find_pass("nope", 4));
    ck_assert_ptr_null(opt_find_pass("dc", 2));
}
END_TEST

START_TEST(o0_changes_nothing)
{
    IrFunc *f = parse_one(sample);
    OptOptions o = { .level = 0, .verify_each = true };
    WasmcError err = { 0 };
    ck_assert(opt_run(f, &o, NULL, &err));
    char *s = ir_func_to_string(f);
    ck_assert_str_eq(s, sample);
    free(s);
    ir_func_free(f);
}
END_TEST

START_TEST(o2_folds_and_numbers)
{
    IrFunc *f = parse_one(sample);
    OptOptions o = { .level = 2, .verify_each = true };
    WasmcError err = { 0 };
    ck_assert(opt_run(f, &o, NULL, &err));
    char *s = ir_func_to_string(f);
    /* 2 + 3 folds, the two products are one value, the dead constants go. */
    ck_assert_ptr_nonnull(strstr(s, "iconst.i32 5"));
    ck_assert_ptr_null(strstr(s, "iconst.i32 2\n"));
    const char *m = strstr(s, "imul");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(strstr(m + 1, "imul"));
    free(s);
    ir_func_free(f);
}
END_TEST

START_TEST(print_after_and_times)
{
    IrFunc *f = parse_one(sample);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    OptOptions o = { .level = 1, .print_after = "dce", .time_passes = true, .out = out };
    OptStats st = { 0 };
    WasmcError err = { 0 };
    ck_assert(opt_run(f, &o, &st, &err));
    ck_assert(opt_run(f, &o, &st, &err)); /* stats add up across runs */
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "; after dce\nfunction %f(i32) -> i32 {\n"));
    ck_assert_ptr_null(strstr(buf, "; after constfold"));
    free(buf);
    uint32_t n;
    opt_pipeline(1, &n);
    ck_assert_uint_eq(st.npass, n); /* -O1 runs each pass once */
    for (uint32_t k = 0; k < st.npass; k++)
        ck_assert_uint_eq(st.pass[k].runs, 2);
    ck_assert_str_eq(st.pass[0].name, "constfold");
    ck_assert_uint_eq(st.pass[0].changed, 1); /* nothing left to fold the second time */

    buf = NULL;
    out = open_memstream(&buf, &len);
    opt_print_times(out, &st);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "constfold"));
    ck_assert_ptr_nonnull(strstr(buf, "total"));
    free(buf);
    ir_func_free(f);
}
END_TEST

START_TEST(verify_each_reports_the_pass)
{
    /* An i64 operand of an i32 add: parses, does not verify. */
    IrFunc *f = parse_one("function %bad(i64) -> i32 {\n"
                          "block1(v1: i64):\n"
                          "    v2 = iadd.i32 v1, v1\n"
                          "    return v2\n"
                          "}\n");
    OptOptions o = { .level = 1, .verify_each = true };
    WasmcError err = { 0 };
    ck_assert(!opt_run(f, &o, NULL, &err));
    ck_assert_msg(strncmp(err.msg, "after pass constfold: ", 22) == 0, "%s", err.msg);
    ir_func_free(f);
}
END_TEST

/* ---- The sweep over other folders' filetests ------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    *len = fread(s, 1, (size_t)n, in);
    s[*len] = 0;
    fclose(in);
    return s;
}

/* From a translate filetest, the IR under `;; expect:` with the `;; `
 * prefixes taken off. */
static char *expected_ir(const char *src, size_t *len)
{
    const char *p = strstr(src, "\n;; expect:\n");
    size_t cap = strlen(src) + 1, n = 0;
    char *out = malloc(cap);
    if (p) {
        p = strchr(p + 1, '\n') + 1;
        while (*p == ';' && p[1] == ';') {
            p += 2;
            if (*p == ' ')
                p++;
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            memcpy(out + n, p, l);
            n += l;
            out[n++] = '\n';
            p += l + (e != NULL);
        }
    }
    out[n] = 0;
    *len = n;
    return out;
}

static unsigned sweep_dir(const char *dir, const char *ext, bool from_wat)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    unsigned nfuncs = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name), el = strlen(ext);
        if (l <= el || strcmp(e->d_name + l - el, ext) != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *src = slurp(path, &len);
        if (!src)
            continue;
        if (from_wat) {
            char *ir = expected_ir(src, &len);
            free(src);
            src = ir;
        }
        IrFuncList fl;
        WasmcError err = { 0 };
        if (ir_parse(src, len, &fl, &err)) {
            for (uint32_t k = 0; k < fl.n; k++) {
                WasmcError verr = { 0 };
                if (!ir_verify(fl.funcs[k], &verr))
                    continue; /* a verifier test: nothing to optimise */
                for (int level = 1; level <= 2; level++) {
                    OptOptions o = { .level = level, .verify_each = true };
                    ck_assert_msg(opt_run(fl.funcs[k], &o, NULL, &verr), "%s function %u -O%d: %s", path, k,
                                  level, verr.msg);
                }
                nfuncs++;
            }
            ir_func_list_free(&fl);
        }
        free(src);
    }
    closedir(d);
    return nfuncs;
}

START_TEST(sweep_other_filetests)
{
    unsigned n = sweep_dir(WASMC_SOURCE_DIR "/test-suite/filetests/ir", ".ir", false);
    n += sweep_dir(WASMC_SOURCE_DIR "/test-suite/filetests/translate", ".wat", true);
    n += sweep_dir(WASMC_SOURCE_DIR "/test-suite/filetests/opt", ".ir", false);
    ck_assert_uint_gt(n, 50);
}
END_TEST

static Suite *opt_suite(void)
{
    Suite *s = suite_create("opt");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pipelines_are_named_passes);
    tcase_add_test(tc, o0_changes_nothing);
    tcase_add_test(tc, o2_folds_and_numbers);
    tcase_add_test(tc, print_after_and_times);
    tcase_add_test(tc, verify_each_reports_the_pass);
    tcase_add_test(tc, sweep_other_filetests);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(opt_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
