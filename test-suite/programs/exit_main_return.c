// Returning from main: the value is the exit status; stdio is flushed.
// expect-status: 3
#include <stdio.h>

int main(void) {
    printf("buffered output without a newline, flushed at exit");
    return 3;
}
