/* fdiff_driver.c — the native half of test-suite/run-fuzz-diff.
 *
 * Linked with one module compiled by `wasmc -c --module-name=m` (it defines m_module) and
 * libwasmc_rt.a. Usage: fdiff_driver PLAN
 *
 * PLAN is written by run-fuzz-diff, one call per line:
 *     <export name, hex bytes> <params> <results> <argument bits, hex>...
 * where params/results are signature characters (wasmc_rt.h WasmcValType) or "-" for none.
 * Reference arguments are always null.
 *
 * The "fuzzing-support" imports of binaryen's translate-to-fuzz modules (log-i32, log-i64,
 * log-f32, log-f64) are bound by the resolver to host functions; any other import makes
 * instantiation fail (run-fuzz-diff skips such modules before getting here).
 *
 * Output (fuzz-diff/node_runner.mjs prints exactly the same for the same behaviour):
 *     call <name>                  before each call
 *     log i32 0x%08x | log i64 0x%016x | log f32 0x%08x | log f64 0x%016x | log fNN nan
 *     result i32 0x%08x | i64 0x%016x | f32 0x%08x | f64 0x%016x | fNN nan
 *            | funcref null | funcref nonnull | externref null | externref nonnull
 *     trap                         any trap but stack exhaustion
 *     exhaustion                   call stack exhausted (run-fuzz-diff stops comparing)
 *     instantiate trap             the start function or a segment trapped
 *     done                         at the end
 */
#include "wasmc_rt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const WasmcModuleDesc m_module;

static void out_f32(const char *what, float v) {
  uint32_t b;
  memcpy(&b, &v, 4);
  if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu))
    printf("%s f32 nan\n", what);
  else
    printf("%s f32 0x%08" PRIx32 "\n", what, b);
}

static void out_f64(const char *what, double v) {
  uint64_t b;
  memcpy(&b, &v, 8);
  if ((b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0x000fffffffffffffull))
    printf("%s f64 nan\n", what);
  else
    printf("%s f64 0x%016" PRIx64 "\n", what, b);
}

static void log_i32(WasmcVmctx *self, WasmcVmctx *caller, int32_t v) {
  (void)self, (void)caller;
  printf("log i32 0x%08" PRIx32 "\n", (uint32_t)v);
}
static void log_i64(WasmcVmctx *self, WasmcVmctx *caller, int64_t v) {
  (void)self, (void)caller;
  printf("log i64 0x%016" PRIx64 "\n", (uint64_t)v);
}
static void log_f32(WasmcVmctx *self, WasmcVmctx *caller, float v) {
  (void)self, (void)caller;
  out_f32("log", v);
}
static void log_f64(WasmcVmctx *self, WasmcVmctx *caller, double v) {
  (void)self, (void)caller;
  out_f64("log", v);
}

static const struct {
  const char *name, *signature;
  void *code;
} host_funcs[] = {
    {"log-i32", "i:", (void *)log_i32},
    {"log-i64", "I:", (void *)log_i64},
    {"log-f32", "f:", (void *)log_f32},
    {"log-f64", "F:", (void *)log_f64},
};

static bool resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                    WasmcExtern *out) {
  (void)user;
  size_t mlen = wasmc_rt_import_module_len(desc, imp), nlen = wasmc_rt_import_name_len(desc, imp);
  if (imp->kind != WASMC_EXTERN_FUNC || mlen != 15 || memcmp(imp->module, "fuzzing-support", 15))
    return false;
  for (size_t i = 0; i < sizeof host_funcs / sizeof host_funcs[0]; i++) {
    if (strlen(host_funcs[i].name) == nlen && !memcmp(host_funcs[i].name, imp->name, nlen)) {
      memset(out, 0, sizeof *out);
      out->kind = WASMC_EXTERN_FUNC;
      out->u.func.code = host_funcs[i].code;
      out->u.func.env = NULL;
      out->u.func.signature = host_funcs[i].signature;
      return true;
    }
  }
  return false;
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

#define MAX_VALS 1000

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PLAN\n", argv[0]);
    return 2;
  }
  FILE *plan = fopen(argv[1], "r");
  if (!plan) {
    perror(argv[1]);
    return 2;
  }
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);

  WasmcInstance *inst = NULL;
  WasmcTrap trap = WASMC_TRAP_NONE;
  WasmcStatus st = wasmc_rt_instantiate(&m_module, resolve, NULL, &inst, &trap);
  if (st == WASMC_ERR_TRAP) {
    printf("instantiate trap\ndone\n");
    return 0;
  }
  if (st != WASMC_OK) {
    printf("instantiate error: %s\n", wasmc_rt_error_message());
    return 1;
  }

  static char line[1 << 16];
  static char name[1 << 15];
  static WasmcVal vals[MAX_VALS];
  while (fgets(line, sizeof line, plan)) {
    char *tok = strtok(line, " \n");
    if (!tok) continue;
    size_t nlen = strlen(tok) / 2;
    for (size_t i = 0; i < nlen; i++)
      name[i] = (char)(hexval(tok[2 * i]) << 4 | hexval(tok[2 * i + 1]));
    name[nlen] = '\0';
    char *params = strtok(NULL, " \n"), *results = strtok(NULL, " \n");
    if (!params || !results) {
      fprintf(stderr, "bad plan line\n");
      return 2;
    }
    if (!strcmp(params, "-")) params = "";
    if (!strcmp(results, "-")) results = "";
    size_t np = strlen(params), nr = strlen(results);
    if (np > MAX_VALS || nr > MAX_VALS) {
      fprintf(stderr, "too many values\n");
      return 2;
    }
    memset(vals, 0, sizeof vals);
    for (size_t i = 0; i < np; i++) {
      char *a = strtok(NULL, " \n");
      uint64_t bits = a ? strtoull(a, NULL, 16) : 0;
      switch (params[i]) {
      case 'i': vals[i].i32 = (int32_t)(uint32_t)bits; break;
      case 'f': {
        uint32_t b = (uint32_t)bits;
        memcpy(&vals[i].f32, &b, 4);
        break;
      }
      case 'I':
      case 'F': memcpy(&vals[i].i64, &bits, 8); break;
      default: vals[i].ref = NULL; break;
      }
    }
    printf("call %s\n", name);
    fflush(stdout);
    WasmcTrap t = wasmc_rt_call_n(inst, name, nlen, vals, np, vals, nr);
    if (t == WASMC_TRAP_STACK_OVERFLOW) {
      printf("exhaustion\n");
    } else if (t == WASMC_TRAP_INVALID_CALL) {
      printf("invalid call\n");
    } else if (t != WASMC_TRAP_NONE) {
      printf("trap\n");
    } else {
      for (size_t i = 0; i < nr; i++) {
        switch (results[i]) {
        case 'i': printf("result i32 0x%08" PRIx32 "\n", (uint32_t)vals[i].i32); break;
        case 'I': printf("result i64 0x%016" PRIx64 "\n", (uint64_t)vals[i].i64); break;
        case 'f': out_f32("result", vals[i].f32); break;
        case 'F': out_f64("result", vals[i].f64); break;
        case 'r': printf("result funcref %s\n", vals[i].ref ? "nonnull" : "null"); break;
        case 'e': printf("result externref %s\n", vals[i].ref ? "nonnull" : "null"); break;
        default: printf("result %c ?\n", results[i]); break;
        }
      }
    }
    fflush(stdout);
  }
  printf("done\n");
  fflush(stdout);
  wasmc_rt_instance_free(inst);
  fclose(plan);
  return 0;
}
