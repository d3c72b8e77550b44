// _Exit(n) leaves at once: no atexit handlers, no stdio flush (so the
// unflushed text below is lost, in node as natively).
// expect-status: 7
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void handler(void) { puts("atexit handler must not run"); }

int main(void) {
    atexit(handler);
    write(1, "written directly\n", 17);
    printf("buffered, lost by _Exit");
    _Exit(7);
}
