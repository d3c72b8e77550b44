/* rt_test.h — shared scaffolding for the runtime tests.
 *
 * No compiler exists yet, so each test module is hand-made: TestVm is the vmctx layout a
 * compiler would compute (offsets taken with offsetof), "wasm functions" are C functions
 * with the wasmc_rt.h calling convention (built with -fno-omit-frame-pointer) or machine
 * code in an executable mapping, and the array trampolines are written out by hand.
 */
#ifndef RT_TEST_H
#define RT_TEST_H

#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wasmc_rt.h"

typedef struct TestVm {
  WasmcInstance *instance; /* offset 0, fixed by the ABI */
  uintptr_t stack_limit;
  union {
    WasmcMemoryRecord mem0;         /* memory 0 when defined */
    WasmcMemoryRecord *mem0_import; /* memory 0 when imported */
  };
  union {
    WasmcTableRecord table0;          /* table 0 when defined */
    WasmcTableRecord *table0_import;  /* table 0 when imported */
  };
  WasmcVal globals[4];
  uint32_t type_ids[4];
  WasmcImportSlot imports[4];
  WasmcFuncRef funcrefs[8];
} TestVm;

#define VM(v) ((TestVm *)(void *)(v))
#define OFF(field) ((uint32_t)offsetof(TestVm, field))

static const uint32_t test_global_offsets[4] = {OFF(globals[0]), OFF(globals[1]),
                                                OFF(globals[2]), OFF(globals[3])};
static const uint32_t test_import_offsets[4] = {OFF(imports[0]), OFF(imports[1]),
                                                OFF(imports[2]), OFF(imports[3])};
static const uint32_t test_mem_offsets[1] = {OFF(mem0)};
static const uint32_t test_table_offsets[1] = {OFF(table0)};

/* A descriptor with the TestVm layout and nothing else; tests fill in the rest. */
static inline WasmcModuleDesc test_desc(const char *name) {
  WasmcModuleDesc d;
  memset(&d, 0, sizeof d);
  d.abi_version = WASMC_RT_ABI_VERSION;
  d.name = name;
  d.vmctx_size = sizeof(TestVm);
  d.stack_limit_offset = OFF(stack_limit);
  d.funcrefs_offset = OFF(funcrefs);
  d.type_ids_offset = OFF(type_ids);
  d.memory_offsets = test_mem_offsets;
  d.table_offsets = test_table_offsets;
  d.global_offsets = test_global_offsets;
  d.import_func_offsets = test_import_offsets;
  d.start_func = UINT32_MAX;
  return d;
}

/* The memory record of memory 0, whether defined (inline) or imported (pointer). */
static inline WasmcMemoryRecord *test_mem(WasmcVmctx *vmctx, bool imported) {
  return imported ? VM(vmctx)->mem0_import : &VM(vmctx)->mem0;
}

/* ---- trampolines, named after the signature they serve ------------------------------ */

typedef int32_t (*FnI_I)(WasmcVmctx *, WasmcVmctx *, int32_t);
typedef int32_t (*FnII_I)(WasmcVmctx *, WasmcVmctx *, int32_t, int32_t);
typedef int32_t (*Fn_I)(WasmcVmctx *, WasmcVmctx *);
typedef void (*Fn_)(WasmcVmctx *, WasmcVmctx *);

static inline void tramp_i_i(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *s) {
  s[0].i32 = ((FnI_I)fn)(callee, caller, s[0].i32);
}
static inline void tramp_ii_i(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *s) {
  s[0].i32 = ((FnII_I)fn)(callee, caller, s[0].i32, s[1].i32);
}
static inline void tramp__i(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *s) {
  s[0].i32 = ((Fn_I)fn)(callee, caller);
}
static inline void tramp__(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *s) {
  (void)s;
  ((Fn_)fn)(callee, caller);
}

/* Types 0..3 of every test module. */
static const char *const test_types[4] = {"i:i", "ii:i", ":i", ":"};
static const WasmcArrayTramp test_tramps[4] = {tramp_i_i, tramp_ii_i, tramp__i, tramp__};
enum { T_I_I, T_II_I, T__I, T__ };

static inline WasmcVal val_i32(int32_t v) {
  WasmcVal x;
  memset(&x, 0, sizeof x);
  x.i32 = v;
  return x;
}

/* Instantiates or fails the test with the runtime's message. */
static inline WasmcInstance *must_instantiate(const WasmcModuleDesc *d, WasmcResolveFn resolve,
                                              void *user) {
  WasmcInstance *inst = NULL;
  WasmcTrap trap;
  WasmcStatus st = wasmc_rt_instantiate(d, resolve, user, &inst, &trap);
  ck_assert_msg(st == WASMC_OK, "instantiate %s: status %d: %s", d->name, (int)st,
                wasmc_rt_error_message());
  return inst;
}

#define RT_TEST_MAIN(suite_fn)                                         \
  int main(void) {                                                     \
    SRunner *sr = srunner_create(suite_fn());                          \
    srunner_run_all(sr, CK_NORMAL);                                    \
    int failed = srunner_ntests_failed(sr);                            \
    srunner_free(sr);                                                  \
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;                       \
  }

#endif
