/* binary trees: allocate, check and free many complete binary trees (malloc/free heavy). */
#include <stdio.h>
#include <stdlib.h>

typedef struct node { struct node *l, *r; int v; } node;

static node *make(int depth, int v) {
    node *n = malloc(sizeof *n);
    n->v = v;
    if (depth > 0) { n->l = make(depth - 1, 2 * v); n->r = make(depth - 1, 2 * v + 1); }
    else n->l = n->r = NULL;
    return n;
}

static long check(const node *n) {
    return n->l ? (long)n->v + check(n->l) - check(n->r) + 1 : (long)n->v;
}

static void release(node *n) {
    if (n->l) { release(n->l); release(n->r); }
    free(n);
}

int main(int argc, char **argv) {
    int maxd = argc > 1 ? atoi(argv[1]) : 17;
    node *longlived = make(maxd, 1);
    long total = 0;
    for (int d = 4; d <= maxd; d += 2) {
        long iters = 1L << (maxd - d + 4), sum = 0;
        for (long i = 0; i < iters; i++) {
            node *t = make(d, (int)(i & 1023));
            sum += check(t);
            release(t);
        }
        printf("%ld trees of depth %d check %ld\n", iters, d, sum);
        total += sum;
    }
    printf("long lived tree of depth %d check %ld total %ld\n", maxd, check(longlived), total);
    release(longlived);
    return 0;
}
