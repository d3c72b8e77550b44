/* Shared by the filetest runners (ir-filetest, opt-filetest): growable text
 * buffers, a unified diff of expected vs actual text, reading files, and the
 * directory walk with the closing "filetests: N passed, N failed" line. */
#ifndef WASMC_IR_FILETEST_UTIL_H
#define WASMC_IR_FILETEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Buf {
    char *s; /* NUL-terminated once anything was added */
    size_t n, cap;
} Buf;

void buf_add(Buf *b, const char *s, size_t n);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A text split at '\n' (pointers into it; no copies). */
typedef struct Lines {
    const char **s;
    size_t *len;
    size_t n;
} Lines;

Lines split_lines(const char *s, size_t n);
void lines_free(Lines *l);

/* Prints a unified diff (one hunk, from a longest common subsequence) of
 * the expected and the actual text to stdout. */
void print_diff(const char *name, const char *expected, const char *actual);

/* Rewrites the expected-output section [expect_start, expect_end) of the
 * file at path (whose text is src) with `actual`, one "; LINE" comment per
 * line (WASMC_BLESS=1). */
bool bless_expect(const char *path, const char *src, size_t len, size_t expect_start,
                  size_t expect_end, const char *actual);

/* The whole file, NUL-terminated (xmalloc'ed), or NULL. */
char *read_file(const char *path, size_t *len);

/* Runs run_file on every argument that is a file, and on every file ending
 * in `ext` of every argument that is a directory (sorted by name); prints
 * "filetests: N passed, N failed" and returns the exit status. */
int filetest_main(int argc, char **argv, const char *ext, bool (*run_file)(const char *path));

#endif
