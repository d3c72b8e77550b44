#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagnostics.h"

static uint8_t *read_stream(FILE *f, const char *path, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            error_plain("%s: out of memory", path);
            return NULL;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    if (ferror(f)) {
        error_plain("%s: read error: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

uint8_t *read_input_file(const char *path, size_t *len)
{
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, "<stdin>", len);
    FILE *f = fopen(path, "rb");
    if (!f) {
        error_plain("%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        error_plain("%s: Is a directory", path);
        fclose(f);
        return NULL;
    }
    uint8_t *buf = read_stream(f, path, len);
    fclose(f);
    return buf;
}
