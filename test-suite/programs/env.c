// Environment: granted variables are visible with their values, others are not.
// env: FOO=bar
// env: EMPTY=
// env: WITH_EQ=a=b=c
// env: FROM_HOST
// host-env: FROM_HOST=host value
// host-env: NOT_GRANTED=secret
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *name) {
    const char *v = getenv(name);
    if (v) printf("%s=[%s]\n", name, v);
    else printf("%s unset\n", name);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    show("FOO");
    show("EMPTY");
    show("WITH_EQ");
    show("FROM_HOST");
    show("NOT_GRANTED");
    show("PATH");
    show("HOME");
    /* The whole environment, sorted: exactly the granted variables. */
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **copy = malloc((n + 1) * sizeof *copy);
    for (size_t i = 0; i < n; i++) copy[i] = environ[i];
    qsort(copy, n, sizeof *copy, cmp);
    printf("environ has %zu entries\n", n);
    for (size_t i = 0; i < n; i++) printf("  %s\n", copy[i]);
    free(copy);
    setenv("FOO", "changed", 1);
    show("FOO");
    unsetenv("FOO");
    show("FOO");
    return 0;
}
