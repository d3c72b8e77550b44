#ifndef WASMC_DRIVER_INPUT_H
#define WASMC_DRIVER_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole regular file (or stdin for "-"). On failure prints
 * "wasmc: error: PATH: reason" and returns NULL. */
uint8_t *read_input_file(const char *path, size_t *len);

#endif
