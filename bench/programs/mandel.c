/* Mandelbrot set: iteration counts over a grid, checksum of the counts (floating point). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    const int max_iter = 200;
    uint32_t sum = 0, inside = 0;
    for (int py = 0; py < n; py++) {
        double ci = 2.0 * py / n - 1.0;
        for (int px = 0; px < n; px++) {
            double cr = 3.0 * px / n - 2.0;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < max_iter && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            if (it == max_iter) inside++;
            sum = sum * 31u + (uint32_t)it;
        }
    }
    printf("inside=%u checksum=%08x\n", inside, sum);
    return 0;
}
