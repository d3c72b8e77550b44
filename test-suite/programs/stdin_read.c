// Reads stdin to the end: counts lines, words and bytes, echoes lines reversed.
// stdin-file: fixtures/stdin.txt
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[512];
    long lines = 0, words = 0, bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        bytes += (long)n;
        if (n && line[n - 1] == '\n') { lines++; line[--n] = 0; }
        int in_word = 0;
        for (size_t i = 0; i < n; i++) {
            if (isspace((unsigned char)line[i])) in_word = 0;
            else if (!in_word) { in_word = 1; words++; }
        }
        for (size_t i = 0; i < n / 2; i++) { char t = line[i]; line[i] = line[n - 1 - i]; line[n - 1 - i] = t; }
        printf("%s\n", line);
    }
    printf("lines=%ld words=%ld bytes=%ld eof=%d error=%d\n", lines, words, bytes, feof(stdin), ferror(stdin));
    return 0;
}
