// --inherit-env grants the whole host environment; --env replaces a name in place.
// inherit-env
// env: OVERRIDDEN=from-flag
// host-env: INHERITED_ONE=one
// host-env: OVERRIDDEN=from-host
#include <stdio.h>
#include <stdlib.h>

static void show(const char *name) {
    const char *v = getenv(name);
    if (v) printf("%s=[%s]\n", name, v);
    else printf("%s unset\n", name);
}

int main(void) {
    show("INHERITED_ONE");
    show("OVERRIDDEN");
    show("WASMC_PROGRAMS_RUNNER");
    return 0;
}
