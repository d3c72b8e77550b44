/* test_rt_trap.c — trap codes and messages, and the import symbol naming rule. */
#include "rt_test.h"

START_TEST(messages_are_the_spec_strings) {
  static const struct { uint32_t code; const char *msg; } want[] = {
      {WASMC_TRAP_UNREACHABLE, "unreachable"},
      {WASMC_TRAP_INT_DIV_ZERO, "integer divide by zero"},
      {WASMC_TRAP_INT_OVERFLOW, "integer overflow"},
      {WASMC_TRAP_BAD_CONVERSION, "invalid conversion to integer"},
      {WASMC_TRAP_MEMORY_OOB, "out of bounds memory access"},
      {WASMC_TRAP_UNDEFINED_ELEMENT, "undefined element"},
      {WASMC_TRAP_UNINITIALIZED_ELEMENT, "uninitialized element"},
      {WASMC_TRAP_INDIRECT_CALL_TYPE, "indirect call type mismatch"},
      {WASMC_TRAP_NULL_FUNC_REF, "null function reference"},
      {WASMC_TRAP_NULL_STRUCT_REF, "null structure reference"},
      {WASMC_TRAP_NULL_ARRAY_REF, "null array reference"},
      {WASMC_TRAP_NULL_REF, "null reference"},
      {WASMC_TRAP_TABLE_OOB, "out of bounds table access"},
      {WASMC_TRAP_STACK_OVERFLOW, "call stack exhausted"},
      {WASMC_TRAP_UNALIGNED_ATOMIC, "unaligned atomic"},
      {WASMC_TRAP_CAST_FAILURE, "cast failure"},
      {WASMC_TRAP_ARRAY_OOB, "out of bounds array access"},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    ck_assert_str_eq(wasmc_rt_trap_message(want[i].code), want[i].msg);
  ck_assert_str_eq(wasmc_rt_trap_message(0), "no trap");
  ck_assert_str_eq(wasmc_rt_trap_message(WASMC_TRAP_COUNT_), "unknown trap");
  ck_assert_str_eq(wasmc_rt_trap_message(9999), "unknown trap");
}
END_TEST

START_TEST(codes_are_stable_abi) {
  /* Trap tables in compiled objects store these numbers: they may never change. */
  ck_assert_int_eq(WASMC_TRAP_UNREACHABLE, 1);
  ck_assert_int_eq(WASMC_TRAP_MEMORY_OOB, 5);
  ck_assert_int_eq(WASMC_TRAP_STACK_OVERFLOW, 14);
  ck_assert_int_eq(sizeof(WasmcVal), 16);
  ck_assert_int_eq(_Alignof(WasmcVal), 16);
  ck_assert_int_eq(sizeof(WasmcFuncRef), 32);
  ck_assert_int_eq(sizeof(WasmcImportSlot), 16);
  ck_assert_int_eq(sizeof(WasmcMemoryRecord), 16);
  ck_assert_int_eq(sizeof(WasmcTableRecord), 24);
}
END_TEST

START_TEST(import_symbol_names) {
  char buf[128];
  size_t n = wasmc_rt_import_symbol("wasi_snapshot_preview1", "fd_write", buf, sizeof buf);
  ck_assert_str_eq(buf, "wasmc_import_wasi_snapshot_preview1_fd_write");
  ck_assert_uint_eq(n, strlen(buf));
  wasmc_rt_import_symbol("env", "$f.x-1", buf, sizeof buf);
  ck_assert_str_eq(buf, "wasmc_import_env__x24f_x2ex_x2d1");
  wasmc_rt_import_symbol("", "\xff", buf, sizeof buf);
  ck_assert_str_eq(buf, "wasmc_import___xff");
  /* Truncation behaves like snprintf. */
  n = wasmc_rt_import_symbol("env", "memory", buf, 8);
  ck_assert_str_eq(buf, "wasmc_i");
  ck_assert_uint_eq(n, strlen("wasmc_import_env_memory"));
}
END_TEST

START_TEST(signatures_intern_across_modules) {
  uint32_t a = wasmc_rt_intern_signature("ii:i");
  uint32_t b = wasmc_rt_intern_signature("i:i");
  char copy[] = "ii:i";
  ck_assert_uint_ne(a, 0);
  ck_assert_uint_ne(a, b);
  ck_assert_uint_eq(wasmc_rt_intern_signature(copy), a);
  /* Enough distinct signatures to force the table to grow. */
  char sig[32];
  for (int i = 0; i < 500; i++) {
    int len = i % 20;
    for (int k = 0; k < len; k++) sig[k] = "iIfFvre"[(i + k) % 7];
    sig[len] = ':';
    sig[len + 1] = "iIf"[i % 3];
    sig[len + 2] = '\0';
    uint32_t id = wasmc_rt_intern_signature(sig);
    ck_assert_uint_eq(wasmc_rt_intern_signature(sig), id);
  }
  ck_assert_uint_eq(wasmc_rt_intern_signature("ii:i"), a);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_trap");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, messages_are_the_spec_strings);
  tcase_add_test(tc, codes_are_stable_abi);
  tcase_add_test(tc, import_symbol_names);
  tcase_add_test(tc, signatures_intern_across_modules);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
