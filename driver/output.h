/* Text outputs written atomically: to a temporary next to the target that
 * is renamed over it on success and removed on failure, so an error never
 * leaves a partial file. "-" (or no path) means stdout. */
#ifndef WASMC_DRIVER_OUTPUT_H
#define WASMC_DRIVER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct OutputFile {
    FILE *f;
    char *path; /* NULL for stdout */
    char *tmp;
} OutputFile;

bool output_open(OutputFile *o, const char *path);
/* Closes and renames (ok) or removes (!ok). Returns false on a write error. */
bool output_close(OutputFile *o, bool ok);

#endif
