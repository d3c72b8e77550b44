// Capabilities granted at run time (WASMC_DIR / WASMC_ENV) instead of baked in.
// capabilities: runtime
// dir: fixtures::/data
// env: GREETING
// host-env: GREETING=hello from the host
// host-env: HIDDEN=not granted
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const char *g = getenv("GREETING"), *h = getenv("HIDDEN");
    printf("GREETING=%s\nHIDDEN=%s\n", g ? g : "(unset)", h ? h : "(unset)");
    FILE *f = fopen("/data/hello.txt", "r");
    char line[64];
    if (f && fgets(line, sizeof line, f)) printf("read: %s", line);
    else puts("cannot read /data/hello.txt");
    if (f) fclose(f);
    return 0;
}
