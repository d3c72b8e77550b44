// Bounded but deep recursion (100000 frames of naive code) must not trap.
#include <stdio.h>

static long depth_sum(long n) { return n == 0 ? 0 : n + depth_sum(n - 1); }

static unsigned ackermann(unsigned m, unsigned n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

int main(void) {
    volatile long n = 50000;
    printf("sum 1..%ld = %ld\n", (long)n, depth_sum(n));
    printf("ackermann(2, 300) = %u\n", ackermann(2, 300));
    return 0;
}
