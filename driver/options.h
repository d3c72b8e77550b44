/* The wasmc command line, parsed like a C compiler's: options may come
 * before or after inputs; the last -O wins; `--opt=value` and `--opt value`
 * are both accepted for long options that take a value. */
#ifndef WASMC_DRIVER_OPTIONS_H
#define WASMC_DRIVER_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    MODE_LINK,        /* default: a native executable */
    MODE_OBJECT,      /* -c */
    MODE_ASM,         /* -S */
    MODE_EMIT_IR,     /* --emit-ir */
    MODE_SYNTAX_ONLY, /* -fsyntax-only */
} DriverMode;

typedef enum { INPUT_WASM, INPUT_NATIVE, INPUT_LIB } InputKind;

typedef struct {
    const char *path; /* file name, or the NAME of -lNAME */
    InputKind kind;
} DriverInput;

typedef struct {
    DriverMode mode;
    int opt_level; /* 0, 1, 2 */
    bool debug_info;
    bool verbose;
    bool is_static;
    bool inherit_env;
    bool time_passes; /* --time-passes: per-pass times of the optimiser on stderr */
    const char *output;
    const char *target;
    const char *header;
    const char *module_name;
    const char *bounds_checks; /* "guard" or "explicit" */
    DriverInput *inputs;
    int ninputs;
    const char **lib_dirs; /* -L */
    int nlib_dirs;
    const char **dirs; /* --dir HOST[::GUEST] */
    int ndirs;
    const char **envs; /* --env NAME[=VAL] */
    int nenvs;
    uint32_t disabled_features; /* WASM_FEAT_* bits from --disable-feature */
    bool help, version;
} DriverOptions;

/* Returns false after printing a diagnostic for a usage error. */
bool parse_options(int argc, char **argv, DriverOptions *o);
void free_options(DriverOptions *o);
void print_help(void);

#endif
