/* main.c — the standalone process entry, wasmc_rt_main.
 *
 * Order: WASI hook (wasi-libc-shim's wasmc_wasi_init, weak: absent when the shim is not
 * linked), instantiate with imports bound by symbol name (WasmcImport.host_code, which
 * is how the shim's wasmc_import_wasi_snapshot_preview1_* functions arrive), call
 * "_start". A trap prints "wasm trap: <reason>" and a backtrace and gives status 134
 * (what a SIGABRT death looks like to a shell, as in Wasmtime).
 */
#include "rt_internal.h"

#include <stdio.h>
#include <string.h>

__attribute__((weak)) int wasmc_wasi_init(int argc, char **argv);

static int report_trap(WasmcTrap trap) {
  fflush(stdout);
  fprintf(stderr, "wasm trap: %s\n", wasmc_rt_trap_message(trap));
  fflush(stderr);
  wasmc_rt_print_backtrace(2, wasmc_rt_last_trap());
  return 134;
}

int wasmc_rt_main(const WasmcModuleDesc *desc, int argc, char **argv) {
  if (wasmc_wasi_init) {
    int st = wasmc_wasi_init(argc, argv);
    if (st != 0) return st;
  }
  WasmcInstance *inst;
  WasmcTrap trap;
  WasmcStatus st = wasmc_rt_instantiate(desc, NULL, NULL, &inst, &trap);
  if (st == WASMC_ERR_TRAP) return report_trap(trap);
  if (st != WASMC_OK) {
    fprintf(stderr, "wasmc: error: %s\n", wasmc_rt_error_message());
    return 1;
  }
  int status = 0;
  const WasmcModuleDesc *d = desc;
  bool has_start = false;
  for (uint32_t e = 0; e < d->num_exports; e++)
    if (d->exports[e].kind == WASMC_EXTERN_FUNC && strcmp(d->exports[e].name, "_start") == 0)
      has_start = true;
  if (has_start) {
    trap = wasmc_rt_call(inst, "_start", NULL, 0, NULL, 0);
    if (trap == WASMC_TRAP_INVALID_CALL) {
      fprintf(stderr, "wasmc: error: _start is not a () -> () function\n");
      status = 1;
    } else if (trap != WASMC_TRAP_NONE) {
      status = report_trap(trap);
    }
  }
  fflush(stdout);
  wasmc_rt_instance_free(inst);
  return status;
}
