#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../frontend/module.h"
#include "diagnostics.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void push(const char ***vec, int *n, const char *s)
{
    *vec = realloc(*vec, sizeof **vec * (size_t)(*n + 1));
    if (!*vec) {
        fputs("wasmc: fatal: out of memory\n", stderr);
        exit(1);
    }
    (*vec)[(*n)++] = s;
}

static void push_input(DriverOptions *o, const char *path, InputKind kind)
{
    o->inputs = realloc(o->inputs, sizeof *o->inputs * (size_t)(o->ninputs + 1));
    if (!o->inputs) {
        fputs("wasmc: fatal: out of memory\n", stderr);
        exit(1);
    }
    o->inputs[o->ninputs++] = (DriverInput){ path, kind };
}

/* Matches `--name=value`, `--name value` (consuming the next argument) and,
 * for short options, `-xvalue` / `-x value`. Returns NULL when argv[*i] is
 * not this option; sets *missing when the value is absent. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return NULL;
    bool is_long = name[1] == '-';
    if (a[n] == 0) {
        if (*i + 1 >= argc) {
            *missing = true;
            return NULL;
        }
        return argv[++*i];
    }
    if (is_long && a[n] == '=')
        return a + n + 1;
    if (!is_long)
        return a + n;
    return NULL;
}

/* "a,b,c" of feature names into WASM_FEAT_* bits. */
static bool parse_feature_list(const char *list, uint32_t *bits)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        uint32_t bit;
        if (!wasm_feature_parse(tok, &bit)) {
            error_plain("unknown feature '%s' (known: %s)", tok, wasm_feature_option_names);
            return false;
        }
        *bits |= bit;
    }
    return true;
}

bool parse_options(int argc, char **argv, DriverOptions *o)
{
    memset(o, 0, sizeof *o);
    o->mode = MODE_LINK;
    o->opt_level = 2;
    bool inputs_only = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool missing = false;
        const char *v;
        if (inputs_only || a[0] != '-' || strcmp(a, "-") == 0) {
            InputKind kind = INPUT_WASM;
            if (ends_with(a, ".o") || ends_with(a, ".a") || ends_with(a, ".so") ||
                strstr(a, ".so."))
                kind = INPUT_NATIVE;
            push_input(o, a, kind);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            inputs_only = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else if (strcmp(a, "--version") == 0) {
            o->version = true;
        } else if (strcmp(a, "-c") == 0) {
            o->mode = MODE_OBJECT;
        } else if (strcmp(a, "-S") == 0) {
            o->mode = MODE_ASM;
        } else if (strcmp(a, "--emit-ir") == 0) {
            o->mode = MODE_EMIT_IR;
        } else if (strcmp(a, "-fsyntax-only") == 0) {
            o->mode = MODE_SYNTAX_ONLY;
        } else if (strcmp(a, "-g") == 0) {
            o->debug_info = true;
        } else if (strcmp(a, "-g0") == 0) {
            o->debug_info = false;
        } else if (strcmp(a, "-v") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "-static") == 0) {
            o->is_static = true;
        } else if (strcmp(a, "--time-passes") == 0) {
            o->time_passes = true;
        } else if (strcmp(a, "--inherit-env") == 0) {
            o->inherit_env = true;
        } else if (strncmp(a, "-O", 2) == 0) {
            const char *lvl = a + 2;
            if (*lvl == 0)
                o->opt_level = 1; /* plain -O, as in cc */
            else if (lvl[1] == 0 && lvl[0] >= '0' && lvl[0] <= '3')
                o->opt_level = lvl[0] == '3' ? 2 : lvl[0] - '0';
            else {
                error_plain("invalid optimization level '%s' (use -O0, -O1 or -O2)", a);
                return false;
            }
        } else if ((v = option_value(argc, argv, &i, "-o", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            o->output = v;
        } else if ((v = option_value(argc, argv, &i, "-l", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            push_input(o, v, INPUT_LIB);
        } else if ((v = option_value(argc, argv, &i, "-L", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            push(&o->lib_dirs, &o->nlib_dirs, v);
        } else if ((v = option_value(argc, argv, &i, "--target", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            o->target = v;
        } else if ((v = option_value(argc, argv, &i, "--header", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            o->header = v;
        } else if ((v = option_value(argc, argv, &i, "--module-name", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            o->module_name = v;
        } else if ((v = option_value(argc, argv, &i, "--bounds-checks", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            if (strcmp(v, "guard") != 0 && strcmp(v, "explicit") != 0) {
                error_plain("invalid value '%s' for --bounds-checks (use guard or explicit)", v);
                return false;
            }
            o->bounds_checks = v;
        } else if ((v = option_value(argc, argv, &i, "--disable-feature", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            if (!parse_feature_list(v, &o->disabled_features))
                return false;
        } else if ((v = option_value(argc, argv, &i, "--dir", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            push(&o->dirs, &o->ndirs, v);
        } else if ((v = option_value(argc, argv, &i, "--env", &missing)) || missing) {
            if (missing)
                goto missing_arg;
            if (v[0] == 0 || v[0] == '=') {
                error_plain("invalid --env '%s' (use NAME or NAME=VALUE)", v);
                return false;
            }
            push(&o->envs, &o->nenvs, v);
        } else {
            error_plain("unknown option '%s' (see wasmc --help)", a);
            return false;
        }
        continue;
    missing_arg:
        error_plain("missing argument to '%s'", a);
        return false;
    }
    return true;
}

void free_options(DriverOptions *o)
{
    free(o->inputs);
    free(o->lib_dirs);
    free(o->dirs);
    free(o->envs);
}

void print_help(void)
{
    fputs(
        "Usage: wasmc [options] file...\n"
        "\n"
        "Compiles WebAssembly modules ahead of time to native code.\n"
        "\n"
        "Inputs:\n"
        "  FILE.wasm             a WebAssembly module (binary format; '-' reads stdin)\n"
        "  FILE.o FILE.a FILE.so native objects and libraries to link in\n"
        "  -lNAME, -LDIR         native libraries and their search directories\n"
        "\n"
        "What to produce (default: a native executable):\n"
        "  -fsyntax-only         decode and validate only; print nothing on success\n"
        "  -c                    a relocatable object (FILE.o)\n"
        "  -S                    an assembly listing (FILE.s)\n"
        "  --emit-ir             the IR after the -O pipeline, as text\n"
        "  (none)                a native executable (a.out), linked with ld.lld\n"
        "  -o FILE               write the output to FILE\n"
        "\n"
        "Code generation:\n"
        "  -O0, -O1, -O2         optimisation level (default -O2; -O is -O1, -O3 is -O2)\n"
        "  -g                    emit DWARF debug information      [not implemented yet]\n"
        "  --time-passes         print the time each optimisation pass took (stderr)\n"
        "  --target=TRIPLE       x86_64-linux (the default and only target so far)\n"
        "  --bounds-checks=MODE  guard (default) or explicit\n"
        "  --module-name=NAME    prefix of the object's symbols (default: from the file)\n"
        "  --header=FILE         with -c, also write a C header for embedders\n"
        "  -static               link the executable statically\n"
        "\n"
        "WASI capabilities baked into the executable:\n"
        "  --dir=HOST[::GUEST]   preopen directory HOST, seen by the program as GUEST\n"
        "  --env=NAME[=VALUE]    pass an environment variable (VALUE, or NAME's current value)\n"
        "  --inherit-env         pass the whole environment at run time\n"
        "\n"
        "Other:\n"
        "  --disable-feature=F[,F...]  reject modules using these WebAssembly features\n"
        "                        (simd, gc, threads, multi-memory, reference-types, ...)\n"
        "  -v                    print the sub-commands that are run\n"
        "  --help                print this help and exit\n"
        "  --version             print the version and exit\n"
        "\n"
        "Exit status: 0 on success, 1 on any error. Diagnostics have the form\n"
        "  wasmc: error: FILE:0xOFFSET: message\n",
        stdout);
}
