/* spec_driver.h — the execution half of test-suite/run-spec.
 *
 * run-spec turns one wast2json command file into a C driver: the compiled modules'
 * descriptors (m<N>_module, from `wasmc -c --module-name=m<N>`), a table of values and a
 * table of commands, and a main() that calls spec_run() below. This header is included
 * into that one translation unit (everything here is static), and provides:
 *   - the `spectest` host module of the test suite's README (functions, globals, the
 *     shared table/table64/memory; `shared_memory` for the threads proposal only),
 *   - a resolver: registered instances (`register`) first, then `spectest`,
 *   - the command interpreter: instantiate, register, invoke/get, compare results
 *     (bit-exact floats, nan:canonical / nan:arithmetic, null / non-null funcref,
 *     externref identity), and report traps.
 *
 * Output, one line per command, flushed at once so a crash part-way leaves the earlier
 * results (run-spec reads only lines starting with "R "):
 *     R <index> <line> PASS
 *     R <index> <line> FAIL <what happened>
 *     R <index> <line> TRAP <code> <message>     (assert_trap / assert_uninstantiable:
 *                                                  run-spec compares the trap kind)
 * The print functions of `spectest` write to stderr.
 */
#ifndef WASMC_SPEC_DRIVER_H
#define WASMC_SPEC_DRIVER_H

#include "wasmc_rt.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values --------------------------------------------------------------------------- */

enum {
  SV_EXACT = 0,     /* lo/hi hold the bits */
  SV_NAN_CANON = 1, /* nan:canonical */
  SV_NAN_ARITH = 2, /* nan:arithmetic */
  SV_NULL = 3,      /* null reference */
  SV_NONNULL = 4,   /* funcref "0": any non-null reference */
  SV_EXTERN = 5,    /* ref.extern lo */
  SV_ANY = 6,       /* type only (assert_trap expectations) */
};

typedef struct SpecVal {
  char type;          /* WasmcValType */
  uint8_t kind;       /* SV_* */
  char lane;          /* v128: lane type 'b' i8, 'h' i16, 'i' i32, 'I' i64, 'f' f32, 'F' f64 */
  uint8_t lane_kinds; /* v128 float lanes: 2 bits (SV_EXACT/NAN_CANON/NAN_ARITH) per lane */
  uint64_t lo, hi;    /* bits; v128: bytes 0..7 and 8..15, little endian */
} SpecVal;

enum SpecOp {
  OP_MODULE,         /* instantiate spec_modules[obj] into slot obj */
  OP_UNLINKABLE,     /* instantiating spec_modules[obj] fails with a link error */
  OP_UNINSTANTIABLE, /* instantiating spec_modules[obj] traps: prints TRAP */
  OP_REGISTER,       /* register slot obj as str */
  OP_RETURN,         /* action; results equal exp[0..nexp) */
  OP_EITHER,         /* action; the one result equals one of exp[0..nexp) */
  OP_ACTION,         /* action; must not trap; results ignored (nexp of them) */
  OP_TRAP,           /* action traps: prints TRAP */
  OP_EXHAUSTION,     /* action traps with call stack exhausted */
  OP_EXCEPTION,      /* action does not return normally */
};

typedef struct SpecCmd {
  uint8_t op;
  uint8_t get;        /* action is "get" (an exported global), not "invoke" */
  uint32_t index;     /* command index in the .json */
  uint32_t line;      /* line in the .wast */
  uint32_t obj;       /* module object / instance slot */
  const char *str;    /* field (actions) or the registered name */
  uint32_t str_len;   /* bytes of str: wasm names may contain NUL */
  uint32_t nargs, args; /* spec_vals[args .. args + nargs) */
  uint32_t nexp, exp;   /* spec_vals[exp .. exp + nexp) */
} SpecCmd;

/* ---- the spectest host module ----------------------------------------------------------- */

static void spectest_print(WasmcVmctx *self, WasmcVmctx *caller) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print\n");
}
static void spectest_print_i32(WasmcVmctx *self, WasmcVmctx *caller, int32_t a) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_i32: %" PRId32 "\n", a);
}
static void spectest_print_i64(WasmcVmctx *self, WasmcVmctx *caller, int64_t a) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_i64: %" PRId64 "\n", a);
}
static void spectest_print_f32(WasmcVmctx *self, WasmcVmctx *caller, float a) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_f32: %g\n", (double)a);
}
static void spectest_print_f64(WasmcVmctx *self, WasmcVmctx *caller, double a) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_f64: %g\n", a);
}
static void spectest_print_i32_f32(WasmcVmctx *self, WasmcVmctx *caller, int32_t a, float b) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_i32_f32: %" PRId32 " %g\n", a, (double)b);
}
static void spectest_print_f64_f64(WasmcVmctx *self, WasmcVmctx *caller, double a, double b) {
  (void)self, (void)caller;
  fprintf(stderr, "spectest.print_f64_f64: %g %g\n", a, b);
}

static const struct {
  const char *name, *signature;
  void *code;
} spectest_funcs[] = {
    {"print", ":", (void *)spectest_print},
    {"print_i32", "i:", (void *)spectest_print_i32},
    {"print_i64", "I:", (void *)spectest_print_i64},
    {"print_f32", "f:", (void *)spectest_print_f32},
    {"print_f64", "F:", (void *)spectest_print_f64},
    {"print_i32_f32", "if:", (void *)spectest_print_i32_f32},
    {"print_f64_f64", "FF:", (void *)spectest_print_f64_f64},
};

/* Immutable globals: host-owned storage that outlives every instance. */
static WasmcVal spectest_global_i32, spectest_global_i64, spectest_global_f32,
    spectest_global_f64;
static WasmcTable *spectest_table, *spectest_table64;
static WasmcMemory *spectest_memory, *spectest_shared_memory;
static bool spectest_with_shared_memory;

static void spectest_init(bool with_shared_memory) {
  spectest_global_i32.i32 = 666;
  spectest_global_i64.i64 = 666;
  uint32_t f32_bits = 0x4426A666u; /* 666.6f */
  uint64_t f64_bits = 0x4084D4CCCCCCCCCDull; /* 666.6 */
  memcpy(&spectest_global_f32.f32, &f32_bits, 4);
  memcpy(&spectest_global_f64.f64, &f64_bits, 8);
  spectest_with_shared_memory = with_shared_memory;
}

static bool spectest_fail(const char *what) {
  printf("R - - FAIL could not create spectest.%s: %s\n", what, wasmc_rt_error_message());
  fflush(stdout);
  return false;
}

/* Created on first use: a guarded memory serves both guarded and explicitly checked
 * importers (wasmc_rt.h); all importers share one object, as the README requires. */
static bool spectest_resolve(const WasmcModuleDesc *desc, const WasmcImport *imp,
                             WasmcExtern *out) {
  const char *n = imp->name;
  memset(out, 0, sizeof *out);
  if (wasmc_rt_import_name_len(desc, imp) != strlen(n)) return false; /* a NUL inside */
  for (size_t i = 0; i < sizeof spectest_funcs / sizeof spectest_funcs[0]; i++)
    if (strcmp(n, spectest_funcs[i].name) == 0) {
      out->kind = WASMC_EXTERN_FUNC;
      out->u.func.code = spectest_funcs[i].code;
      out->u.func.env = NULL;
      out->u.func.signature = spectest_funcs[i].signature;
      return true;
    }
  static const struct {
    const char *name;
    WasmcVal *storage;
    uint8_t type;
  } globals[] = {
      {"global_i32", &spectest_global_i32, WASMC_TYPE_I32},
      {"global_i64", &spectest_global_i64, WASMC_TYPE_I64},
      {"global_f32", &spectest_global_f32, WASMC_TYPE_F32},
      {"global_f64", &spectest_global_f64, WASMC_TYPE_F64},
  };
  for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
    if (strcmp(n, globals[i].name) == 0) {
      out->kind = WASMC_EXTERN_GLOBAL;
      out->u.global.storage = globals[i].storage;
      out->u.global.type = globals[i].type;
      out->u.global.mutable_ = 0;
      out->u.global.ref = (WasmcRefType){0, 0, 0}; /* not a reference */
      return true;
    }
  if (strcmp(n, "table") == 0 || strcmp(n, "table64") == 0) {
    bool t64 = n[5] == '6';
    WasmcTable **t = t64 ? &spectest_table64 : &spectest_table;
    if (!*t) {
      /* (table 10 20 funcref), i.e. (ref null func); table64: the same with i64 indices */
      WasmcTableDef def = {.min = 10, .max = 20, .elem_type = WASMC_TYPE_FUNCREF,
                           .flags = (uint8_t)(WASMC_TABLE_HAS_MAX | (t64 ? WASMC_TABLE_64 : 0)),
                           .ref = {.heap = WASMC_HEAP_TOP, .non_null = 0, .type = 0}};
      if (!(*t = wasmc_rt_table_new(&def))) return spectest_fail(n);
    }
    out->kind = WASMC_EXTERN_TABLE;
    out->u.table = *t;
    return true;
  }
  if (strcmp(n, "memory") == 0 ||
      (spectest_with_shared_memory && strcmp(n, "shared_memory") == 0)) {
    bool shared = n[0] == 's';
    WasmcMemory **m = shared ? &spectest_shared_memory : &spectest_memory;
    if (!*m) {
      WasmcMemoryDef def = {.min = 1, .max = 2, .page_size_log2 = 16,
                            .flags = (uint8_t)(WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED |
                                               (shared ? WASMC_MEM_SHARED : 0))};
      if (!(*m = wasmc_rt_memory_new(&def))) return spectest_fail(n);
    }
    out->kind = WASMC_EXTERN_MEMORY;
    out->u.memory = *m;
    return true;
  }
  return false; /* "spectest" "unknown" and friends: a link error */
}

static bool spec_resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                         WasmcExtern *out) {
  if (wasmc_rt_resolve_registered(user, desc, imp, out)) return true;
  if (wasmc_rt_import_module_len(desc, imp) == 8 && strcmp(imp->module, "spectest") == 0)
    return spectest_resolve(desc, imp, out);
  return false;
}

/* ---- externref values: one opaque host object per `ref.extern N` ------------------------ */

typedef struct SpecExtern {
  uint64_t n;
  struct SpecExtern *next;
} SpecExtern;
static SpecExtern *spec_externs;

static void *spec_extern_ref(uint64_t n) {
  for (SpecExtern *e = spec_externs; e; e = e->next)
    if (e->n == n) return e;
  SpecExtern *e = malloc(sizeof *e);
  if (!e) abort();
  e->n = n;
  e->next = spec_externs;
  spec_externs = e;
  return e;
}

/* ---- results ------------------------------------------------------------------------------ */

static const SpecCmd *spec_cur;

static void spec_result(const char *verdict, const char *fmt, ...) {
  printf("R %" PRIu32 " %" PRIu32 " %s", spec_cur->index, spec_cur->line, verdict);
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    putchar(' ');
    vprintf(fmt, ap);
    va_end(ap);
  }
  putchar('\n');
  fflush(stdout);
}

static WasmcVal spec_to_arg(const SpecVal *v) {
  WasmcVal a;
  memset(&a, 0, sizeof a);
  switch (v->type) {
  case WASMC_TYPE_I32:
  case WASMC_TYPE_F32: {
    uint32_t b = (uint32_t)v->lo;
    memcpy(&a, &b, 4);
    break;
  }
  case WASMC_TYPE_I64:
  case WASMC_TYPE_F64:
    memcpy(&a, &v->lo, 8);
    break;
  case WASMC_TYPE_V128:
    memcpy(a.v128, &v->lo, 8);
    memcpy(a.v128 + 8, &v->hi, 8);
    break;
  case WASMC_TYPE_FUNCREF: /* only null can be written in the suite's arguments */
    a.ref = NULL;
    break;
  case WASMC_TYPE_EXTERNREF:
    a.ref = v->kind == SV_EXTERN ? spec_extern_ref(v->lo) : NULL;
    break;
  }
  return a;
}

static bool spec_float_ok(unsigned kind, uint64_t bits, uint64_t want, bool f64) {
  uint64_t exp_mask = f64 ? 0x7ff0000000000000ull : 0x7f800000ull;
  uint64_t quiet = f64 ? 0x0008000000000000ull : 0x00400000ull;
  uint64_t sign = f64 ? 0x8000000000000000ull : 0x80000000ull;
  switch (kind) {
  case SV_NAN_CANON: return (bits & ~sign) == (exp_mask | quiet);
  case SV_NAN_ARITH: return (bits & (exp_mask | quiet)) == (exp_mask | quiet);
  default: return bits == want;
  }
}

static bool spec_val_ok(const SpecVal *e, const WasmcVal *r) {
  switch (e->type) {
  case WASMC_TYPE_I32: {
    uint32_t b;
    memcpy(&b, r, 4);
    return b == (uint32_t)e->lo;
  }
  case WASMC_TYPE_I64: {
    uint64_t b;
    memcpy(&b, r, 8);
    return b == e->lo;
  }
  case WASMC_TYPE_F32: {
    uint32_t b;
    memcpy(&b, r, 4);
    return spec_float_ok(e->kind, b, (uint32_t)e->lo, false);
  }
  case WASMC_TYPE_F64: {
    uint64_t b;
    memcpy(&b, r, 8);
    return spec_float_ok(e->kind, b, e->lo, true);
  }
  case WASMC_TYPE_V128: {
    uint8_t want[16];
    memcpy(want, &e->lo, 8);
    memcpy(want + 8, &e->hi, 8);
    if (e->lane == 'f' || e->lane == 'F') {
      unsigned w = e->lane == 'f' ? 4 : 8;
      for (unsigned l = 0; l < 16 / w; l++) {
        uint64_t got = 0, exp = 0;
        memcpy(&got, r->v128 + l * w, w);
        memcpy(&exp, want + l * w, w);
        if (!spec_float_ok((e->lane_kinds >> (2 * l)) & 3, got, exp, w == 8)) return false;
      }
      return true;
    }
    return memcmp(r->v128, want, 16) == 0;
  }
  case WASMC_TYPE_FUNCREF:
  case WASMC_TYPE_EXTERNREF:
    if (e->kind == SV_NULL) return r->ref == NULL;
    if (e->kind == SV_NONNULL) return r->ref != NULL;
    if (e->kind == SV_EXTERN) return r->ref == spec_extern_ref(e->lo);
    return false;
  }
  return false;
}

/* Appends "type:bits" of a value to buf. */
static void spec_fmt(char *buf, size_t size, char type, const WasmcVal *r) {
  size_t n = strlen(buf);
  if (n >= size) return;
  switch (type) {
  case WASMC_TYPE_I32:
  case WASMC_TYPE_F32: {
    uint32_t b;
    memcpy(&b, r, 4);
    snprintf(buf + n, size - n, " %c:0x%08" PRIx32, type, b);
    break;
  }
  case WASMC_TYPE_I64:
  case WASMC_TYPE_F64: {
    uint64_t b;
    memcpy(&b, r, 8);
    snprintf(buf + n, size - n, " %c:0x%016" PRIx64, type, b);
    break;
  }
  case WASMC_TYPE_V128: {
    uint64_t lo, hi;
    memcpy(&lo, r->v128, 8);
    memcpy(&hi, r->v128 + 8, 8);
    snprintf(buf + n, size - n, " v128:0x%016" PRIx64 "%016" PRIx64, hi, lo);
    break;
  }
  default:
    snprintf(buf + n, size - n, " %s:%p", type == WASMC_TYPE_FUNCREF ? "funcref" : "externref",
             r->ref);
  }
}

static void spec_fmt_expected(char *buf, size_t size, const SpecVal *e) {
  size_t n = strlen(buf);
  if (n >= size) return;
  static const char *const kinds[] = {"", "nan:canonical", "nan:arithmetic", "null",
                                      "non-null", "ref.extern", "any"};
  if (e->kind == SV_EXACT || e->kind == SV_EXTERN || e->type == WASMC_TYPE_V128) {
    WasmcVal v = spec_to_arg(e);
    if (e->kind == SV_EXTERN) {
      snprintf(buf + n, size - n, " ref.extern %" PRIu64, e->lo);
      return;
    }
    spec_fmt(buf, size, e->type, &v);
    if (e->lane_kinds) {
      n = strlen(buf);
      snprintf(buf + n, size - n, "(nan lanes 0x%x)", e->lane_kinds);
    }
  } else {
    const char *t = e->type == WASMC_TYPE_FUNCREF ? "funcref" : "externref";
    if (e->type != WASMC_TYPE_FUNCREF && e->type != WASMC_TYPE_EXTERNREF)
      snprintf(buf + n, size - n, " %c:%s", e->type, kinds[e->kind < 7 ? e->kind : 0]);
    else
      snprintf(buf + n, size - n, " %s:%s", t, kinds[e->kind < 7 ? e->kind : 0]);
  }
}

/* ---- the interpreter ---------------------------------------------------------------------- */

/* Number of results of exported function `name`, from its signature (actions ignore their
 * results, and wast2json lists none for them); -1 if there is no such export. */
static int spec_export_results(WasmcInstance *in, const char *name, size_t len) {
  const WasmcModuleDesc *d = wasmc_rt_instance_desc(in);
  for (uint32_t e = 0; e < d->num_exports; e++)
    if (d->exports[e].kind == WASMC_EXTERN_FUNC && wasmc_rt_export_name_len(d, e) == len &&
        memcmp(d->exports[e].name, name, len) == 0) {
      const char *colon = strchr(d->types[d->func_types[d->exports[e].index]], ':');
      return colon ? (int)strlen(colon + 1) : -1;
    }
  return -1;
}

#define SPEC_MAX_VALS 64

/* For the runner's self-test: WASMC_SPEC_CRASH_AT=<source_filename>:<line> makes the
 * driver abort at that command, as a crash in compiled code would. */
static uint32_t spec_crash_line(const char *source) {
  const char *e = getenv("WASMC_SPEC_CRASH_AT");
  const char *colon = e ? strrchr(e, ':') : NULL;
  if (!colon || (size_t)(colon - e) != strlen(source) || strncmp(e, source, strlen(source)))
    return 0;
  return (uint32_t)strtoul(colon + 1, NULL, 10);
}

static int spec_run(const char *source, const WasmcModuleDesc *const *modules,
                    uint32_t nmodules, const SpecCmd *cmds, uint32_t ncmds,
                    const SpecVal *vals, bool with_shared_memory) {
  spectest_init(with_shared_memory);
  uint32_t crash_line = spec_crash_line(source);
  WasmcInstance **inst = calloc(nmodules + 1, sizeof *inst);
  if (!inst) return 2;
  for (uint32_t c = 0; c < ncmds; c++) {
    const SpecCmd *cmd = spec_cur = &cmds[c];
    if (crash_line && cmd->line == crash_line) abort();
    switch (cmd->op) {
    case OP_MODULE:
    case OP_UNLINKABLE:
    case OP_UNINSTANTIABLE: {
      WasmcInstance *in = NULL;
      WasmcTrap trap = WASMC_TRAP_NONE;
      WasmcStatus st = wasmc_rt_instantiate(modules[cmd->obj], spec_resolve, NULL, &in, &trap);
      if (cmd->op == OP_MODULE) {
        if (st == WASMC_OK) {
          inst[cmd->obj] = in;
          spec_result("PASS", NULL);
        } else if (st == WASMC_ERR_TRAP) {
          spec_result("FAIL", "instantiation trapped: %s", wasmc_rt_trap_message(trap));
        } else {
          spec_result("FAIL", "instantiation failed (status %d): %s", (int)st,
                      wasmc_rt_error_message());
        }
      } else if (cmd->op == OP_UNLINKABLE) {
        if (st == WASMC_ERR_LINK)
          spec_result("PASS", NULL);
        else if (st == WASMC_OK)
          spec_result("FAIL", "instantiated, expected a link error");
        else
          spec_result("FAIL", "expected a link error, got status %d: %s", (int)st,
                      wasmc_rt_error_message());
      } else {
        if (st == WASMC_ERR_TRAP)
          spec_result("TRAP", "%u %s", (unsigned)trap, wasmc_rt_trap_message(trap));
        else if (st == WASMC_OK)
          spec_result("FAIL", "instantiated, expected a trap");
        else
          spec_result("FAIL", "expected a trap, got status %d: %s", (int)st,
                      wasmc_rt_error_message());
      }
      break;
    }
    case OP_REGISTER:
      if (!inst[cmd->obj]) {
        spec_result("FAIL", "register: the module was not instantiated");
      } else {
        wasmc_rt_unregister_instance(cmd->str);
        if (wasmc_rt_register_instance(cmd->str, inst[cmd->obj]))
          spec_result("PASS", NULL);
        else
          spec_result("FAIL", "wasmc_rt_register_instance failed");
      }
      break;
    default: { /* actions */
      WasmcInstance *in = inst[cmd->obj];
      if (!in) {
        spec_result("FAIL", "the module was not instantiated");
        break;
      }
      uint32_t nres = cmd->op == OP_EITHER ? 1 : cmd->nexp;
      if (cmd->op == OP_ACTION && !cmd->get) {
        int n = spec_export_results(in, cmd->str, cmd->str_len);
        if (n >= 0) nres = (uint32_t)n;
      }
      WasmcVal args[SPEC_MAX_VALS], res[SPEC_MAX_VALS];
      if (cmd->nargs > SPEC_MAX_VALS || nres > SPEC_MAX_VALS) {
        spec_result("FAIL", "runner limit: more than %d values", SPEC_MAX_VALS);
        break;
      }
      memset(res, 0, sizeof res);
      WasmcTrap trap = WASMC_TRAP_NONE;
      if (cmd->get) {
        WasmcExtern ext;
        if (!wasmc_rt_instance_export_n(in, cmd->str, cmd->str_len, &ext) ||
            ext.kind != WASMC_EXTERN_GLOBAL) {
          spec_result("FAIL", "no exported global \"%s\"", cmd->str);
          break;
        }
        if (nres != 1 && cmd->op != OP_ACTION) {
          spec_result("FAIL", "get with %u expected values", (unsigned)nres);
          break;
        }
        res[0] = *ext.u.global.storage;
      } else {
        for (uint32_t i = 0; i < cmd->nargs; i++) args[i] = spec_to_arg(&vals[cmd->args + i]);
        trap = wasmc_rt_call_n(in, cmd->str, cmd->str_len, args, cmd->nargs, res, nres);
      }
      if (trap == WASMC_TRAP_INVALID_CALL) {
        spec_result("FAIL", "%s (export \"%s\", %u args, %u results)",
                    wasmc_rt_trap_message(trap), cmd->str, (unsigned)cmd->nargs, (unsigned)nres);
        break;
      }
      switch (cmd->op) {
      case OP_TRAP:
        if (trap)
          spec_result("TRAP", "%u %s", (unsigned)trap, wasmc_rt_trap_message(trap));
        else
          spec_result("FAIL", "returned, expected a trap");
        break;
      case OP_EXHAUSTION:
        if (trap == WASMC_TRAP_STACK_OVERFLOW)
          spec_result("PASS", NULL);
        else if (trap)
          spec_result("FAIL", "trapped with \"%s\", expected call stack exhausted",
                      wasmc_rt_trap_message(trap));
        else
          spec_result("FAIL", "returned, expected call stack exhausted");
        break;
      case OP_EXCEPTION:
        if (trap)
          spec_result("PASS", "trapped with \"%s\"", wasmc_rt_trap_message(trap));
        else
          spec_result("FAIL", "returned, expected an uncaught exception");
        break;
      case OP_ACTION:
        if (trap)
          spec_result("FAIL", "trapped: %s", wasmc_rt_trap_message(trap));
        else
          spec_result("PASS", NULL);
        break;
      case OP_RETURN:
      case OP_EITHER: {
        if (trap) {
          spec_result("FAIL", "trapped: %s", wasmc_rt_trap_message(trap));
          break;
        }
        bool ok = cmd->op == OP_RETURN;
        if (cmd->op == OP_RETURN) {
          for (uint32_t i = 0; i < cmd->nexp; i++)
            if (!spec_val_ok(&vals[cmd->exp + i], &res[i])) ok = false;
        } else {
          for (uint32_t i = 0; i < cmd->nexp; i++)
            if (spec_val_ok(&vals[cmd->exp + i], &res[0])) ok = true;
        }
        if (ok) {
          spec_result("PASS", NULL);
          break;
        }
        char got[512] = "", want[512] = "";
        for (uint32_t i = 0; i < nres; i++)
          spec_fmt(got, sizeof got, vals[cmd->exp + (cmd->op == OP_EITHER ? 0 : i)].type,
                   &res[i]);
        for (uint32_t i = 0; i < cmd->nexp; i++) {
          if (cmd->op == OP_EITHER && i) strncat(want, " |", sizeof want - strlen(want) - 1);
          spec_fmt_expected(want, sizeof want, &vals[cmd->exp + i]);
        }
        spec_result("FAIL", "got%s, expected%s", got, want);
        break;
      }
      }
    }
    }
  }
  /* Instances stay alive to the end: later modules may share their tables and memories. */
  return 0;
}

#endif /* WASMC_SPEC_DRIVER_H */
