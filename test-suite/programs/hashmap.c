// A chained hash map with string keys: 200000 inserts, lookups, deletions and
// rehashing, with a malloc/free per node and per key.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Node {
    char *key;
    long value;
    struct Node *next;
} Node;

typedef struct {
    Node **buckets;
    size_t nbuckets, count;
} Map;

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603ull;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static void rehash(Map *m, size_t nb) {
    Node **nbk = calloc(nb, sizeof *nbk);
    for (size_t i = 0; i < m->nbuckets; i++) {
        Node *n = m->buckets[i];
        while (n) {
            Node *next = n->next;
            size_t b = hash(n->key) % nb;
            n->next = nbk[b];
            nbk[b] = n;
            n = next;
        }
    }
    free(m->buckets);
    m->buckets = nbk;
    m->nbuckets = nb;
}

static void put(Map *m, const char *key, long value) {
    size_t b = hash(key) % m->nbuckets;
    for (Node *n = m->buckets[b]; n; n = n->next)
        if (strcmp(n->key, key) == 0) { n->value = value; return; }
    Node *n = malloc(sizeof *n);
    n->key = strdup(key);
    n->value = value;
    n->next = m->buckets[b];
    m->buckets[b] = n;
    if (++m->count > m->nbuckets * 2) rehash(m, m->nbuckets * 2 + 1);
}

static Node *get(Map *m, const char *key) {
    for (Node *n = m->buckets[hash(key) % m->nbuckets]; n; n = n->next)
        if (strcmp(n->key, key) == 0) return n;
    return NULL;
}

static int del(Map *m, const char *key) {
    Node **p = &m->buckets[hash(key) % m->nbuckets];
    for (; *p; p = &(*p)->next)
        if (strcmp((*p)->key, key) == 0) {
            Node *n = *p;
            *p = n->next;
            free(n->key);
            free(n);
            m->count--;
            return 1;
        }
    return 0;
}

int main(void) {
    Map m = {calloc(7, sizeof(Node *)), 7, 0};
    char key[32];
    for (long i = 0; i < 200000; i++) {
        snprintf(key, sizeof key, "key-%ld-%lx", i % 150000, i * 7919);
        put(&m, key, i);
    }
    printf("count after inserts: %zu buckets: %zu\n", m.count, m.nbuckets);
    long hits = 0, sum = 0;
    for (long i = 0; i < 200000; i += 3) {
        snprintf(key, sizeof key, "key-%ld-%lx", i % 150000, i * 7919);
        Node *n = get(&m, key);
        if (n) { hits++; sum += n->value; }
    }
    printf("hits %ld sum %ld\n", hits, sum);
    long deleted = 0;
    for (long i = 0; i < 200000; i += 2) {
        snprintf(key, sizeof key, "key-%ld-%lx", i % 150000, i * 7919);
        deleted += del(&m, key);
    }
    printf("deleted %ld count %zu\n", deleted, m.count);
    /* Churn: allocations of varied sizes, interleaved with frees. */
    void *slots[1024] = {0};
    size_t total = 0;
    for (unsigned i = 0; i < 300000; i++) {
        unsigned s = (i * 2654435761u) >> 22;
        free(slots[s]);
        size_t sz = 1 + (i * 40503u) % 4000;
        slots[s] = malloc(sz);
        memset(slots[s], (int)(i & 0xff), sz);
        total += sz;
    }
    unsigned check = 0;
    for (unsigned s = 0; s < 1024; s++) if (slots[s]) { check += *(unsigned char *)slots[s]; free(slots[s]); }
    printf("churned %zu bytes check %u\n", total, check);
    /* A big realloc chain. */
    char *buf = NULL;
    size_t len = 0;
    for (int i = 0; i < 20000; i++) {
        char piece[16];
        int k = snprintf(piece, sizeof piece, "%d,", i);
        buf = realloc(buf, len + k + 1);
        memcpy(buf + len, piece, k + 1);
        len += k;
    }
    printf("realloc chain length %zu tail %s\n", len, buf + len - 12);
    free(buf);
    size_t left = 0;
    for (size_t i = 0; i < m.nbuckets; i++)
        for (Node *n = m.buckets[i], *next; n; n = next) { next = n->next; free(n->key); free(n); left++; }
    free(m.buckets);
    printf("freed %zu remaining nodes\n", left);
    return 0;
}
