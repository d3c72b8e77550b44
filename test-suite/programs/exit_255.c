// exit(255): the largest status survives as is.
// expect-status: 255
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    puts("exit 255");
    exit(255);
}
