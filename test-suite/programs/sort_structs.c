// qsort of 100000 malloc'd structs under several orders, checked and summarised.
// static: yes
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t key;
    int32_t value;
    double weight;
    char name[12];
} Rec;

static uint32_t rng_state = 12345;
static uint32_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int by_key(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->value > y->value) - (x->value < y->value);
}
static int by_weight_desc(const void *a, const void *b) {
    const Rec *x = a, *y = b;
    if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
    return strcmp(x->name, y->name);
}
static int by_name(const void *a, const void *b) {
    int c = strcmp(((const Rec *)a)->name, ((const Rec *)b)->name);
    return c ? c : by_key(a, b);
}
static int ptr_by_value(const void *a, const void *b) {
    const Rec *x = *(Rec *const *)a, *y = *(Rec *const *)b;
    if (x->value != y->value) return (x->value > y->value) - (x->value < y->value);
    return by_key(x, y);
}

static uint64_t digest(const Rec *r, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ r[i].key) * 1099511628211ull;
        h = (h ^ (uint32_t)r[i].value) * 1099511628211ull;
    }
    return h;
}

enum { N = 100000 };

int main(void) {
    Rec *recs = malloc(N * sizeof *recs);
    if (!recs) { puts("malloc failed"); return 1; }
    for (size_t i = 0; i < N; i++) {
        recs[i].key = rng() % 50000;
        recs[i].value = (int32_t)rng();
        recs[i].weight = (double)(rng() % 1000000) / 1000.0;
        snprintf(recs[i].name, sizeof recs[i].name, "n%08x", rng() & 0xfffffff);
    }
    printf("unsorted digest %016llx\n", (unsigned long long)digest(recs, N));

    qsort(recs, N, sizeof *recs, by_key);
    int ok = 1;
    for (size_t i = 1; i < N; i++) ok &= by_key(&recs[i - 1], &recs[i]) <= 0;
    printf("by key: %s first=%u last=%u digest %016llx\n", ok ? "sorted" : "NOT SORTED",
           recs[0].key, recs[N - 1].key, (unsigned long long)digest(recs, N));

    qsort(recs, N, sizeof *recs, by_weight_desc);
    ok = 1;
    for (size_t i = 1; i < N; i++) ok &= by_weight_desc(&recs[i - 1], &recs[i]) <= 0;
    printf("by weight: %s first=%.3f last=%.3f\n", ok ? "sorted" : "NOT SORTED", recs[0].weight, recs[N - 1].weight);

    qsort(recs, N, sizeof *recs, by_name);
    ok = 1;
    for (size_t i = 1; i < N; i++) ok &= by_name(&recs[i - 1], &recs[i]) <= 0;
    printf("by name: %s first=%s last=%s\n", ok ? "sorted" : "NOT SORTED", recs[0].name, recs[N - 1].name);

    /* An array of pointers to individually allocated copies. */
    Rec **ptrs = malloc(N * sizeof *ptrs);
    for (size_t i = 0; i < N; i++) {
        ptrs[i] = malloc(sizeof **ptrs);
        *ptrs[i] = recs[i];
    }
    qsort(ptrs, N, sizeof *ptrs, ptr_by_value);
    ok = 1;
    for (size_t i = 1; i < N; i++) ok &= ptr_by_value(&ptrs[i - 1], &ptrs[i]) <= 0;
    printf("pointers by value: %s min=%d max=%d\n", ok ? "sorted" : "NOT SORTED", ptrs[0]->value, ptrs[N - 1]->value);
    long long sum = 0;
    for (size_t i = 0; i < N; i++) { sum += ptrs[i]->value % 1000; free(ptrs[i]); }
    free(ptrs);
    printf("sum %lld\n", sum);

    /* bsearch for a few keys after re-sorting by key. */
    qsort(recs, N, sizeof *recs, by_key);
    int found = 0;
    for (uint32_t k = 0; k < 50000; k += 997) {
        Rec probe = {.key = k, .value = INT32_MIN};
        size_t lo = 0, hi = N;
        while (lo < hi) { size_t mid = (lo + hi) / 2; if (by_key(&recs[mid], &probe) < 0) lo = mid + 1; else hi = mid; }
        found += lo < N && recs[lo].key == k;
    }
    printf("keys found: %d\n", found);
    free(recs);
    return 0;
}
