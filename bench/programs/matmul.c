/* dense double matrix multiply, i-k-j loop order, checksum of the result. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 850;
    double *a = malloc((size_t)n * n * sizeof *a), *b = malloc((size_t)n * n * sizeof *b);
    double *c = calloc((size_t)n * n, sizeof *c);
    unsigned s = 12345;
    for (int i = 0; i < n * n; i++) {
        s = s * 1103515245u + 12345u; a[i] = (double)((s >> 16) & 1023) / 512.0 - 1.0;
        s = s * 1103515245u + 12345u; b[i] = (double)((s >> 16) & 1023) / 512.0 - 1.0;
    }
    for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
            }
        /* feed back so the repetitions are not independent */
        for (int i = 0; i < n * n; i++) a[i] = c[i] * (1.0 / 256.0);
    }
    double sum = 0;
    for (int i = 0; i < n * n; i++) sum += c[i] * (double)((i % 7) + 1);
    printf("%.6e\n", sum);
    free(a); free(b); free(c);
    return 0;
}
