// Numbers from stdin, summed (the stdin directive takes C-style escapes).
// stdin: 3 4 5\n10\n-2 x 7\n
#include <stdio.h>

int main(void) {
    long sum = 0, v;
    int count = 0;
    for (;;) {
        int r = scanf("%ld", &v);
        if (r == 1) { sum += v; count++; }
        else if (r == 0) { int c = getchar(); printf("skipped [%c]\n", c); }
        else break;
    }
    printf("count=%d sum=%ld\n", count, sum);
    return 0;
}
