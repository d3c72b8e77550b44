#ifndef WASMC_DRIVER_ENTRY_H
#define WASMC_DRIVER_ENTRY_H

#include <stdbool.h>

#include "options.h"

/* Writes the object that makes a compiled module a program: `main`, which
 * calls wasmc_rt_main(&<prefix>_module, argc, argv), and the WASI
 * capabilities of the command line (--dir, --env, --inherit-env) as the
 * `wasmc_wasi_config` data the WASI glue reads (wasmc_wasi_config.h). */
bool write_entry_object(const DriverOptions *o, const char *module_prefix, const char *path);

#endif
