/* segmented sieve of Eratosthenes with 64-bit arithmetic: counts primes and sums them
   in a window high above 2^32, plus a 64-bit modular-exponentiation spot check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
    uint64_t r = 0;
    a %= m;
    while (b) {
        if (b & 1) { r += a; if (r >= m) r -= m; }
        a <<= 1; if (a >= m) a -= m;
        b >>= 1;
    }
    return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1;
    while (e) { if (e & 1) r = mulmod(r, b, m); b = mulmod(b, b, m); e >>= 1; }
    return r;
}

int main(int argc, char **argv) {
    uint64_t width = argc > 1 ? strtoull(argv[1], 0, 10) : 250000000ull;
    uint64_t lo = 1ull << 36, hi = lo + width;
    uint64_t lim = 1;
    while ((lim + 1) * (lim + 1) <= hi) lim++;
    uint8_t *small = calloc(lim + 1, 1);
    uint64_t *primes = malloc((lim + 1) * sizeof *primes);
    size_t np = 0;
    for (uint64_t i = 2; i <= lim; i++) {
        if (small[i]) continue;
        primes[np++] = i;
        for (uint64_t j = i * i; j <= lim; j += i) small[j] = 1;
    }
    const uint64_t seg = 1 << 18;
    uint8_t *mark = malloc(seg);
    uint64_t count = 0, sum = 0, x = 0;
    for (uint64_t base = lo; base < hi; base += seg) {
        uint64_t end = base + seg < hi ? base + seg : hi, n = end - base;
        memset(mark, 0, n);
        for (size_t k = 0; k < np; k++) {
            uint64_t p = primes[k];
            uint64_t start = (base + p - 1) / p * p;
            if (start < p * p) start = p * p;
            for (uint64_t j = start; j < end; j += p) mark[j - base] = 1;
        }
        for (uint64_t i = 0; i < n; i++)
            if (!mark[i]) { count++; sum += base + i; x ^= (base + i) * 0x9E3779B97F4A7C15ull; }
    }
    /* Fermat check of a handful of the found primes region */
    uint64_t fsum = 0;
    for (uint64_t q = lo + 1; q < lo + 2000; q += 2) fsum += powmod(3, q - 1, q) == 1;
    printf("primes=%llu sum=%llu x=%016llx fermat=%llu\n", (unsigned long long)count,
           (unsigned long long)sum, (unsigned long long)x, (unsigned long long)fsum);
    free(small); free(primes); free(mark);
    return 0;
}
