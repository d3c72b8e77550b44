// random_get: getentropy and arc4random give non-constant, non-zero bytes.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    int ra = getentropy(a, sizeof a), rb = getentropy(b, sizeof b);
    printf("getentropy: %d %d\n", ra, rb);
    printf("two draws differ: %s\n", memcmp(a, b, sizeof a) ? "yes" : "no");
    int distinct = 0, seen[256] = {0};
    for (size_t i = 0; i < sizeof a; i++) if (!seen[a[i]]++) distinct++;
    printf("at least 16 distinct byte values in 64: %s\n", distinct >= 16 ? "yes" : "no");
    uint32_t x = arc4random(), y = arc4random(), z = arc4random();
    printf("arc4random not constant: %s\n", !(x == y && y == z) ? "yes" : "no");
    unsigned hist[10] = {0};
    for (int i = 0; i < 100000; i++) hist[arc4random_uniform(10)]++;
    int fair = 1;
    for (int i = 0; i < 10; i++) fair &= hist[i] > 9000 && hist[i] < 11000;
    printf("arc4random_uniform roughly uniform: %s\n", fair ? "yes" : "no");
    static unsigned char big[100000];
    printf("getentropy of 100000 bytes in 256-byte pieces: ");
    int ok = 1;
    for (size_t off = 0; off < sizeof big; off += 256) {
        size_t n = sizeof big - off < 256 ? sizeof big - off : 256;
        ok &= getentropy(big + off, n) == 0;
    }
    unsigned long ones = 0;
    for (size_t i = 0; i < sizeof big; i++) ones += (unsigned)__builtin_popcount(big[i]);
    printf("%s, bit balance ok: %s\n", ok ? "ok" : "failed", ones > 390000 && ones < 410000 ? "yes" : "no");
    return 0;
}
