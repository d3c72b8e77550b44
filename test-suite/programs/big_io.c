// Large I/O: 4 MiB to stdout in pieces of many sizes, a 1 MiB file written
// and read back through the preopen, and many small fwrite/fread calls.
// dir: fixtures::/sandbox
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    static char chunk[65536];
    for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = (char)('A' + i % 26);
    chunk[sizeof chunk - 1] = '\n';
    size_t total = 0;
    for (int i = 0; total < 4u << 20; i++) {
        size_t n = 1 + (size_t)(i * 7919) % sizeof chunk;
        fwrite(chunk + sizeof chunk - n, 1, n, stdout);
        total += n;
    }
    fflush(stdout);
    FILE *f = fopen("/sandbox/big.bin", "wb");
    unsigned sum = 0;
    for (unsigned i = 0; i < (1u << 20); i++) { unsigned char c = (unsigned char)(i * 131 + (i >> 9)); fputc(c, f); sum += c; }
    fclose(f);
    f = fopen("/sandbox/big.bin", "rb");
    char *buf = malloc(1u << 20);
    size_t got = fread(buf, 1, 1u << 20, f);
    fclose(f);
    unsigned back = 0;
    for (size_t i = 0; i < got; i++) back += (unsigned char)buf[i];
    free(buf);
    fprintf(stdout, "\nwrote %zu bytes to stdout; file %zu bytes, sums %u %u %s\n", total, got, sum, back,
            sum == back ? "equal" : "DIFFER");
    unlink("/sandbox/big.bin");
    return 0;
}
