// <string.h>, <ctype.h> and friends: copies, searches, tokens, conversions.
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int main(void) {
    char buf[128];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strncat(buf, "world!!!", 6);
    printf("[%s] len=%zu\n", buf, strlen(buf));
    printf("strcmp %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"));
    printf("strncmp %d strcasecmp %d strncasecmp %d\n", strncmp("abcdef", "abcxyz", 3),
           strcasecmp("HeLLo", "hello"), strncasecmp("ABCd", "abce", 3));
    printf("strchr [%s] strrchr [%s] strstr [%s]\n", strchr(buf, 'o'), strrchr(buf, 'o'), strstr(buf, "wor"));
    printf("strspn %zu strcspn %zu strpbrk [%s]\n", strspn("aaabbbccc", "ab"), strcspn("hello world", " "),
           strpbrk("key=value;x", "=;"));
    char text[] = "the quick,brown fox;;jumps  over,the lazy dog";
    int ntok = 0;
    for (char *save, *t = strtok_r(text, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save))
        printf("tok%d=%s%c", ntok++, t, ' ');
    printf("\n");
    char mem[32];
    memset(mem, 'x', sizeof mem);
    memcpy(mem, "0123456789", 10);
    memmove(mem + 2, mem, 8);
    mem[12] = 0;
    printf("memmove [%s] memcmp %d memchr [%s]\n", mem, memcmp("abc", "abd", 3) < 0, (char *)memchr(mem, '5', 12));
    char *d = strdup("duplicate");
    char *nd = strndup("truncate-me", 8);
    printf("strdup [%s] strndup [%s]\n", d, nd);
    free(d);
    free(nd);
    int n = snprintf(buf, 8, "%s", "this is too long");
    printf("snprintf returned %d, got [%s]\n", n, buf);
    printf("toupper: ");
    for (const char *p = "Mixed Case 123!"; *p; p++) putchar(toupper((unsigned char)*p));
    printf("\nclasses: %d%d%d%d%d\n", !!isalpha('q'), !!isdigit('7'), !!isspace('\t'), !!ispunct('!'), !!isxdigit('g'));
    printf("atoi %d strtol %ld strtoul %lu strtoll %lld\n", atoi("  -1234xyz"), strtol("0x1fz", NULL, 16),
           strtoul("777", NULL, 8), strtoll("-9223372036854775808", NULL, 10));
    errno = 0;
    long big = strtol("99999999999999999999", NULL, 10);
    printf("overflow: %ld errno=%s\n", big, errno == ERANGE ? "ERANGE" : "other");
    char *end;
    unsigned long long u = strtoull("18446744073709551615rest", &end, 0);
    printf("strtoull %llu rest [%s]\n", u, end);
    printf("%" PRId64 " %" PRIu64 " %" PRIx64 " %d %u\n", INT64_MIN, UINT64_MAX, (uint64_t)0xdeadbeefcafe, INT_MIN, UINT_MAX);
    printf("[%5s] [%-5s] [%.2s] [%*d] [%-*d] [%05d] [%x] [%#o] [%c]\n", "ab", "ab", "abcdef", 6, 42, 6, 42, -42, 255u, 8, 'Z');
    char out[64];
    int a, b;
    char word[16];
    int got = sscanf("12 34 word", "%d %d %15s", &a, &b, word);
    snprintf(out, sizeof out, "%d:%d:%d:%s", got, a, b, word);
    printf("sscanf %s\n", out);
    printf("strerror(ENOENT)=%s\n", strerror(ENOENT));
    /* A long string through strlen/strchr/memcpy at many alignments. */
    static char big_s[70000];
    for (int i = 0; i < 69999; i++) big_s[i] = (char)('a' + i % 26);
    big_s[69999] = 0;
    unsigned long acc = 0;
    for (int off = 0; off < 64; off++) acc += strlen(big_s + off) + (size_t)(strchr(big_s + off, 'z') - big_s);
    printf("alignment sweep %lu\n", acc);
    return 0;
}
