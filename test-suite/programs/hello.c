// Hello world: stdout, stderr and a zero exit status.
// static: yes
#include <stdio.h>

int main(void) {
    puts("Hello, world!");
    printf("%s %d\n", "printf works:", 42);
    fprintf(stderr, "this goes to stderr\n");
    return 0;
}
