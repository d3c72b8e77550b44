#ifndef WASMC_DRIVER_LINK_H
#define WASMC_DRIVER_LINK_H

#include <stdbool.h>

#include "options.h"

/* Links `objs` (wasmc's own objects, in order) with the native inputs of the
 * command line, the runtime libraries and libc into `output`, atomically:
 * ld.lld writes a temporary next to it that is renamed on success. `undefs`
 * are symbols to pull from archives (-u): compiled objects refer to their
 * import functions only weakly, and a weak reference never pulls an archive
 * member. Prints the command with -v, and a diagnostic on failure. */
bool link_executable(const DriverOptions *o, const char *const *objs, int nobjs,
                     char *const *undefs, int nundefs, const char *output);

/* Runs argv (NULL-terminated); prints it first when verbose. Returns the
 * exit status, or -1 if it could not run or died of a signal. */
int run_command(char *const argv[], bool verbose);

#endif
