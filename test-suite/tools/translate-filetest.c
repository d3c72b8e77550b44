/* translate-filetest: the wasm -> IR filetests (test-suite/filetests/translate).
 *
 *   translate-filetest WAT2WASM DIR [FILE.wat...]
 *
 * Each .wat file is a module in the text format. Its expected IR follows a
 * `;; expect:` line, one `;; TEXT` comment line per line of output (`;;`
 * alone is an empty line) up to the end of the file or the first line not
 * starting with `;;`. The runner assembles the module with wat2wasm
 * (--debug-names and the tail-call, multi-memory, memory64
 * and exceptions features), loads and validates it, and compares wasm_emit_ir()'s
 * output; a module whose translation is rejected prints `error: MESSAGE`
 * instead. Mismatches show a unified diff (diff -u). With WASMC_BLESS=1 the
 * expected section is rewritten from the actual output (review the diff!).
 * The last line is "filetests: N passed, N failed"; exit status 1 on any
 * failure. Without wat2wasm the tests are reported as skipped. */
#include "module.h"
#include "translate.h"
#include "../../ir/tools/filetest_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool write_file(const char *path, const char *s, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return false;
    bool ok = fwrite(s, 1, n, fp) == n;
    return fclose(fp) == 0 && ok;
}

/* Splits the file at its `;; expect:` line: returns the offset of the line
 * after it (or the file's length when absent), and the expected text. */
static size_t expected_text(const char *src, size_t len, char **out)
{
    const char *mark = strstr(src, "\n;; expect:");
    size_t body_end = mark ? (size_t)(mark - src) + 1 : len;
    size_t cap = len + 1, n = 0;
    char *e = malloc(cap);
    if (mark) {
        const char *p = strchr(mark + 1, '\n');
        p = p ? p + 1 : src + len;
        while (p < src + len && !strncmp(p, ";;", 2)) {
            const char *nl = strchr(p, '\n');
            size_t ll = nl ? (size_t)(nl - p) : strlen(p);
            const char *text = p + 2;
            size_t tl = ll - 2;
            if (tl > 0 && *text == ' ')
                text++, tl--;
            memcpy(e + n, text, tl);
            n += tl;
            e[n++] = '\n';
            p = nl ? nl + 1 : src + len;
        }
    }
    e[n] = 0;
    *out = e;
    return body_end;
}

/* The IR of the module, or "error: ..." */
static char *actual_output(const char *wat2wasm, const char *path)
{
    char tmp[] = "/tmp/wasmc-trXXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        return strdup("error: mkstemp failed\n");
    close(fd);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' --enable-tail-call --enable-multi-memory --enable-memory64 --enable-exceptions --debug-names '%s' -o '%s' 2>&1", wat2wasm, path, tmp);
    FILE *pp = popen(cmd, "r");
    char msg[4096] = "";
    size_t mn = pp ? fread(msg, 1, sizeof msg - 1, pp) : 0;
    msg[mn] = 0;
    int rc = pp ? pclose(pp) : -1;
    if (rc != 0) {
        unlink(tmp);
        char *r = malloc(mn + 64);
        snprintf(r, mn + 64, "error: wat2wasm failed:\n%s", msg);
        return r;
    }
    size_t len;
    char *bytes = read_file(tmp, &len);
    unlink(tmp);
    WasmcError err = { 0 };
    WasmModule *m = bytes ? wasm_module_load((const uint8_t *)bytes, len, &err) : NULL;
    free(bytes);
    char *buf = NULL;
    size_t bl = 0;
    FILE *ms = open_memstream(&buf, &bl);
    if (!m) {
        fprintf(ms, "error: %s\n", err.msg);
    } else {
        if (!wasm_emit_ir(m, ms, &err))
            fprintf(ms, "error: %s\n", err.msg);
        wasm_module_free(m);
    }
    fclose(ms);
    return buf;
}

static void show_diff(const char *want, const char *got)
{
    char a[] = "/tmp/wasmc-tr-expectXXXXXX", b[] = "/tmp/wasmc-tr-actualXXXXXX";
    int fa = mkstemp(a), fb = mkstemp(b);
    if (fa < 0 || fb < 0)
        return;
    close(fa);
    close(fb);
    write_file(a, want, strlen(want));
    write_file(b, got, strlen(got));
    char cmd[256];
    snprintf(cmd, sizeof cmd, "diff -u --label expected --label actual '%s' '%s'", a, b);
    fflush(stdout);
    if (system(cmd) < 0)
        printf("(diff failed)\n");
    unlink(a);
    unlink(b);
}

static bool bless(const char *path, const char *src, size_t body_end, const char *got)
{
    size_t cap = body_end + strlen(got) * 2 + 64, n = 0;
    char *out = malloc(cap);
    memcpy(out, src, body_end);
    n = body_end;
    n += (size_t)sprintf(out + n, ";; expect:\n");
    for (const char *p = got; *p;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (ll) {
            memcpy(out + n, ";; ", 3);
            n += 3;
            memcpy(out + n, p, ll);
            n += ll;
        } else {
            memcpy(out + n, ";;", 2);
            n += 2;
        }
        out[n++] = '\n';
        p = nl ? nl + 1 : p + ll;
    }
    bool ok = write_file(path, out, n);
    free(out);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: translate-filetest WAT2WASM DIR [FILE.wat...]\n");
        return 2;
    }
    const char *wat2wasm = argv[1], *dir = argv[2];
    if (access(wat2wasm, X_OK) != 0) {
        printf("filetests: wat2wasm (%s) not found; skipped\n", wat2wasm);
        return 0;
    }
    bool do_bless = getenv("WASMC_BLESS") && !strcmp(getenv("WASMC_BLESS"), "1");
    char **files = NULL;
    size_t nfiles = 0;
    if (argc > 3) {
        for (int i = 3; i < argc; i++) {
            files = realloc(files, (nfiles + 1) * sizeof *files);
            files[nfiles++] = strdup(argv[i]);
        }
    } else {
        DIR *d = opendir(dir);
        if (!d) {
            printf("filetests: cannot open %s\n", dir);
            return 1;
        }
        for (struct dirent *e; (e = readdir(d));) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".wat"))
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%.2000s/%.1000s", dir, e->d_name);
            files = realloc(files, (nfiles + 1) * sizeof *files);
            files[nfiles++] = strdup(path);
        }
        closedir(d);
        qsort(files, nfiles, sizeof *files, cmp_str);
    }
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        char *src = read_file(files[i], &len);
        if (!src) {
            printf("FAIL %s: cannot read\n", files[i]);
            failed++;
            continue;
        }
        char *want;
        size_t body_end = expected_text(src, len, &want);
        char *got = actual_output(wat2wasm, files[i]);
        if (!strcmp(want, got)) {
            passed++;
        } else if (do_bless) {
            printf("BLESS %s\n", files[i]);
            if (bless(files[i], src, body_end, got))
                passed++;
            else
                failed++;
        } else {
            printf("FAIL %s\n", files[i]);
            show_diff(want, got);
            failed++;
        }
        free(want);
        free(got);
        free(src);
        free(files[i]);
    }
    free(files);
    printf("filetests: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
