/* test_rt_entry.c — entries: traps from C unwinding to wasmc_rt_call, nested entries
 * through host functions, the stack-limit word, stack exhaustion, invalid calls. */
#include "rt_test.h"

#include <signal.h>

static WasmcInstance *g_inst;

/* f1: traps with code x, or returns 7 for x == 0. */
static int32_t f_trap_now(WasmcVmctx *vm, WasmcVmctx *caller, int32_t x) {
  (void)caller;
  if (x) wasmc_rt_trap(vm, (uint32_t)x);
  return 7;
}

/* f2: calls import 0 through its slot, as compiled code would, and adds 1. */
static int32_t f_outer(WasmcVmctx *vm, WasmcVmctx *caller, int32_t x) {
  (void)caller;
  WasmcImportSlot *s = &VM(vm)->imports[0];
  return ((FnI_I)s->code)(s->vmctx, vm, x) + 1;
}

/* f3: records the stack-limit word and its own frame address in globals 0 and 1. */
static int32_t f_limit(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)caller;
  VM(vm)->globals[0].i64 = (int64_t)VM(vm)->stack_limit;
  VM(vm)->globals[1].i64 = (int64_t)(uintptr_t)__builtin_frame_address(0);
  return VM(vm)->stack_limit != 0;
}

/* f4: unbounded recursion with the prologue check compiled code performs. */
static int32_t f_recurse(WasmcVmctx *vm, WasmcVmctx *caller, int32_t n) {
  volatile char pad[128];
  (void)caller;
  if ((uintptr_t)__builtin_frame_address(0) < VM(vm)->stack_limit)
    wasmc_rt_trap(vm, WASMC_TRAP_STACK_OVERFLOW);
  if (n < 0) return 0;
  pad[0] = (char)n;
  return f_recurse(vm, vm, n + 1) + pad[0];
}

/* Host function bound to import 0 ("host"."h", i:i) by symbol. */
static int32_t host_h(WasmcVmctx *env, WasmcVmctx *caller, int32_t x) {
  ck_assert_ptr_null(env);
  ck_assert_ptr_eq(caller, wasmc_rt_instance_vmctx(g_inst));
  WasmcVal arg, res;
  switch (x) {
    case 1: /* host -> wasm: the inner trap is caught by the inner entry */
      arg = val_i32(WASMC_TRAP_MEMORY_OOB);
      return 100 + (int32_t)wasmc_rt_call(g_inst, "trap_now", &arg, 1, &res, 1);
    case 2: /* a trap raised by the host unwinds to the wasm caller's entry */
      wasmc_rt_trap(caller, WASMC_TRAP_UNREACHABLE);
    case 3: /* host -> wasm -> host -> wasm */
      arg = val_i32(1);
      ck_assert_int_eq(wasmc_rt_call(g_inst, "outer", &arg, 1, &res, 1), WASMC_TRAP_NONE);
      return 1000 + res.i32;
    default:
      return x;
  }
}

static const uint32_t entry_func_types[] = {T_I_I, T_I_I, T_I_I, T__I, T_I_I};
static const WasmcImport entry_imports[] = {
    {.module = "host", .name = "h", .kind = WASMC_EXTERN_FUNC, .index = 0,
     .host_code = (void *)host_h},
};
static const WasmcFuncDesc entry_funcs[] = {
    {(void *)f_trap_now, 0, "trap_now"},
    {(void *)f_outer, 0, "outer"},
    {(void *)f_limit, 0, "limit"},
    {(void *)f_recurse, 0, "recurse"},
};
static const WasmcExport entry_exports[] = {
    {"trap_now", WASMC_EXTERN_FUNC, 1},
    {"outer", WASMC_EXTERN_FUNC, 2},
    {"limit", WASMC_EXTERN_FUNC, 3},
    {"recurse", WASMC_EXTERN_FUNC, 4},
    {"h", WASMC_EXTERN_FUNC, 0},
};

static WasmcModuleDesc entry_desc(void) {
  WasmcModuleDesc d = test_desc("entry");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 5;
  d.num_imported_funcs = 1;
  d.func_types = entry_func_types;
  d.funcs = entry_funcs;
  d.num_imports = 1;
  d.imports = entry_imports;
  d.num_exports = 5;
  d.exports = entry_exports;
  d.num_globals = 4; /* storage only: no init */
  static const WasmcGlobalDef g[4] = {{'I', 1, {0, 0, 0}}, {'I', 1, {0, 0, 0}}, {'I', 1, {0, 0, 0}},
                                         {'I', 1, {0, 0, 0}}};
  d.globals = g;
  return d;
}

static WasmcModuleDesc g_desc;

static void setup(void) {
  g_desc = entry_desc();
  g_inst = must_instantiate(&g_desc, NULL, NULL);
}

static void teardown(void) {
  wasmc_rt_instance_free(g_inst);
  g_inst = NULL;
}

START_TEST(call_returns_results) {
  WasmcVal arg = val_i32(0), res;
  ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", &arg, 1, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 7);
  arg = val_i32(41);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "h", &arg, 1, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 41); /* a re-exported host import, through the trampoline */
}
END_TEST

START_TEST(trap_from_c_unwinds_to_entry) {
  for (uint32_t code = 1; code < WASMC_TRAP_COUNT_; code++) {
    WasmcVal arg = val_i32((int32_t)code), res;
    ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", &arg, 1, &res, 1), code);
    ck_assert_int_eq(wasmc_rt_last_trap()->code, code);
  }
  /* The instance is still usable after a trap. */
  WasmcVal arg = val_i32(0), res;
  ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", &arg, 1, &res, 1), WASMC_TRAP_NONE);
}
END_TEST

START_TEST(nested_entries) {
  WasmcVal arg = val_i32(1), res;
  /* wasm -> host -> wasm(trap): the host sees the trap, the outer call succeeds. */
  ck_assert_int_eq(wasmc_rt_call(g_inst, "outer", &arg, 1, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 100 + WASMC_TRAP_MEMORY_OOB + 1);
  /* wasm -> host(trap): unwinds through the host frame to the outer entry. */
  arg = val_i32(2);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "outer", &arg, 1, &res, 1), WASMC_TRAP_UNREACHABLE);
  /* Three levels: wasm -> host -> wasm -> host -> wasm(trap). */
  arg = val_i32(3);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "outer", &arg, 1, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 1000 + (100 + WASMC_TRAP_MEMORY_OOB + 1) + 1);
}
END_TEST

START_TEST(stack_limit_word_set_at_entry) {
  TestVm *vm = VM(wasmc_rt_instance_vmctx(g_inst));
  ck_assert_uint_eq(vm->stack_limit, 0); /* nothing entered yet */
  const size_t budget = 256u << 10;
  wasmc_rt_set_stack_budget(budget);
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(g_inst, "limit", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 1);
  uintptr_t limit = (uintptr_t)vm->globals[0].i64, fp = (uintptr_t)vm->globals[1].i64;
  ck_assert_uint_gt(fp, limit);
  /* The entry frame is a few hundred bytes above the wasm frame. */
  ck_assert_uint_le(fp - limit, budget);
  ck_assert_uint_ge(fp - limit, budget - (16u << 10));
  wasmc_rt_set_stack_budget(512u << 10);
}
END_TEST

START_TEST(stack_exhaustion_traps) {
  WasmcVal arg = val_i32(0), res;
  ck_assert_int_eq(wasmc_rt_call(g_inst, "recurse", &arg, 1, &res, 1), WASMC_TRAP_STACK_OVERFLOW);
  wasmc_rt_set_stack_budget(32u << 10);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "recurse", &arg, 1, &res, 1), WASMC_TRAP_STACK_OVERFLOW);
  /* A budget larger than the thread's stack is clamped: still a trap, not a crash. */
  wasmc_rt_set_stack_budget((size_t)1 << 40);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "recurse", &arg, 1, &res, 1), WASMC_TRAP_STACK_OVERFLOW);
  wasmc_rt_set_stack_budget(512u << 10);
  arg = val_i32(0);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", &arg, 1, &res, 1), WASMC_TRAP_NONE);
}
END_TEST

START_TEST(invalid_calls) {
  WasmcVal arg = val_i32(0), res[2];
  ck_assert_int_eq(wasmc_rt_call(g_inst, "nope", &arg, 1, res, 1), WASMC_TRAP_INVALID_CALL);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", NULL, 0, res, 1), WASMC_TRAP_INVALID_CALL);
  ck_assert_int_eq(wasmc_rt_call(g_inst, "trap_now", &arg, 1, res, 2), WASMC_TRAP_INVALID_CALL);
  ck_assert_int_eq(wasmc_rt_call_func(g_inst, 99, NULL, 0, NULL, 0), WASMC_TRAP_INVALID_CALL);
  ck_assert_int_eq(wasmc_rt_call_func(g_inst, 1, &arg, 1, res, 1), WASMC_TRAP_NONE);
}
END_TEST

/* Compiled code called directly (no entry) that traps: message, then abort. */
START_TEST(trap_without_entry_aborts) {
  f_trap_now(wasmc_rt_instance_vmctx(g_inst), NULL, WASMC_TRAP_UNREACHABLE);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_entry");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, call_returns_results);
  tcase_add_test(tc, trap_from_c_unwinds_to_entry);
  tcase_add_test(tc, nested_entries);
  tcase_add_test(tc, stack_limit_word_set_at_entry);
  tcase_add_test(tc, stack_exhaustion_traps);
  tcase_add_test(tc, invalid_calls);
  tcase_add_test_raise_signal(tc, trap_without_entry_aborts, SIGABRT);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
