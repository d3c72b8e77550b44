/* sorts 5M pseudo-random ints: an own introsort-like quicksort, then a bottom-up merge sort. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void insertion(int32_t *a, long n) {
    for (long i = 1; i < n; i++) {
        int32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quick(int32_t *a, long n) {
    while (n > 24) {
        int32_t x = a[0], y = a[n / 2], z = a[n - 1];
        int32_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < piv) i++;
            while (a[j] > piv) j--;
            if (i >= j) break;
            int32_t t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        /* recurse into the smaller part */
        if (j + 1 < n - j - 1) { quick(a, j + 1); a += j + 1; n -= j + 1; }
        else { quick(a + j + 1, n - j - 1); n = j + 1; }
    }
    insertion(a, n);
}

static void merge_sort(int32_t *a, int32_t *tmp, long n) {
    for (long w = 1; w < n; w *= 2) {
        for (long lo = 0; lo < n; lo += 2 * w) {
            long mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        int32_t *t = a; a = tmp; tmp = t;
        memcpy(tmp, a, n * sizeof *a); /* keep the result in both buffers */
    }
}

static uint32_t checksum(const int32_t *a, long n) {
    uint32_t h = 2166136261u;
    for (long i = 0; i < n; i += 97) h = (h ^ (uint32_t)a[i]) * 16777619u;
    return h;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    int32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *tmp = malloc(n * sizeof *tmp);
    uint32_t s = 1;
    for (long i = 0; i < n; i++) { s = s * 1664525u + 1013904223u; a[i] = (int32_t)(s ^ (s >> 15)); }
    memcpy(b, a, n * sizeof *a);
    quick(a, n);
    merge_sort(b, tmp, n);
    for (long i = 1; i < n; i++)
        if (a[i - 1] > a[i] || a[i] != b[i]) { printf("not sorted at %ld\n", i); return 1; }
    /* sort again: partly sorted input (reverse runs) */
    for (long i = 0; i < n / 2; i++) { int32_t t = a[i]; a[i] = a[n - 1 - i]; a[n - 1 - i] = t; }
    for (long i = 0; i < n; i += 1000) a[i] ^= 0x5555;
    quick(a, n);
    printf("%08x %08x %d %d\n", checksum(b, n), checksum(a, n), a[0], a[n - 1]);
    free(a); free(b); free(tmp);
    return 0;
}
