/* Ackermann function A(3, n) by plain recursion, repeated (deep, call-heavy). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static unsigned ack(unsigned m, unsigned n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv) {
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 10;
    unsigned sum = 0;
    for (unsigned r = 0; r < 30; r++) sum += ack(3, n - (r & 1));
    printf("sum of A(3,%u)/A(3,%u) = %u\n", n, n - 1, sum);
    return 0;
}
