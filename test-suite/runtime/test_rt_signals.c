/* test_rt_signals.c — hardware faults in "compiled code" become traps; other faults stay
 * crashes. The compiled code is real x86-64 machine code in an executable mapping, with
 * a hand-written trap table, exactly what the code generator will emit. */
#include "rt_test.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

/* Code layout (16-byte slots). Every function keeps a frame pointer. */
static const uint8_t code_bytes[] = {
    /* 0: load(i32 addr) -> i32 = *(i32 *)(mem0.base + addr) */
    0x55, 0x48, 0x89, 0xE5,             /* push rbp; mov rbp, rsp */
    0x48, 0x8B, 0x47, OFF(mem0),        /* mov rax, [rdi + mem0.base] */
    0x89, 0xD2,                         /* mov edx, edx (zero-extend the i32 index) */
    0x8B, 0x04, 0x10,                   /* 10: mov eax, [rax + rdx]   <- trap site */
    0x5D, 0xC3, 0x90,                   /* pop rbp; ret; nop */
    /* 16: div(i32 a, i32 b) -> a / b */
    0x55, 0x48, 0x89, 0xE5, 0x89, 0xD0, /* mov eax, edx */
    0x99,                               /* cdq */
    0xF7, 0xF9,                         /* 23: idiv ecx   <- trap site */
    0x5D, 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90,
    /* 32: bad_ud2() -- ud2 NOT in the trap table: a compiler bug, must crash */
    0x55, 0x48, 0x89, 0xE5, 0x0F, 0x0B, 0x5D, 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
    /* 48: unreachable() -- ud2 at 52 in the trap table */
    0x55, 0x48, 0x89, 0xE5, 0x0F, 0x0B, 0x5D, 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
    /* 64: caller(i32 addr) -> load(addr) */
    0x55, 0x48, 0x89, 0xE5,
    0xE8, 0xB7, 0xFF, 0xFF, 0xFF,       /* 68: call rel32 -73 -> 0 */
    0x5D, 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90,
    /* 80: bad_load(i32 addr) -- same as load, but its access is NOT in the trap table */
    0x55, 0x48, 0x89, 0xE5, 0x48, 0x8B, 0x47, OFF(mem0), 0x89, 0xD2, 0x8B, 0x04, 0x10,
    0x5D, 0xC3, 0x90,
    /* 96: _start() -> calls unreachable() at 48 */
    0x55, 0x48, 0x89, 0xE5,
    0xE8, 0xC7, 0xFF, 0xFF, 0xFF,       /* 100: call rel32 -57 -> 48 */
    0x5D, 0xC3, 0x90, 0x90, 0x90, 0x90, 0x90,
};

static const WasmcTrapSite trap_sites[] = {
    {10, WASMC_TRAP_MEMORY_OOB}, {23, WASMC_TRAP_INT_DIV_ZERO}, {52, WASMC_TRAP_UNREACHABLE}};
static const uint32_t func_types[] = {T_I_I, T_II_I, T__I, T__I, T_I_I, T_I_I, T__};
static const char *const func_names[] = {"load", "div", "bad_ud2", "unreachable", "caller",
                                         "bad_load", "_start"};
static const WasmcExport exports[] = {
    {"load", WASMC_EXTERN_FUNC, 0},    {"div", WASMC_EXTERN_FUNC, 1},
    {"bad_ud2", WASMC_EXTERN_FUNC, 2}, {"unreachable", WASMC_EXTERN_FUNC, 3},
    {"caller", WASMC_EXTERN_FUNC, 4},  {"bad_load", WASMC_EXTERN_FUNC, 5},
};
static const WasmcMemoryDef mem_def[] = {
    {.min = 1, .max = 2, .page_size_log2 = 16, .flags = WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED}};

static uint8_t *code;
static WasmcFuncDesc funcs[7];
static WasmcModuleDesc desc;
static WasmcInstance *inst;

static void setup(void) {
  code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ck_assert_ptr_ne(code, MAP_FAILED);
  memcpy(code, code_bytes, sizeof code_bytes);
  ck_assert_int_eq(mprotect(code, 4096, PROT_READ | PROT_EXEC), 0);
  for (int i = 0; i < 7; i++) funcs[i] = (WasmcFuncDesc){code + 16 * i, 16, func_names[i]};
  desc = test_desc("sig");
  desc.num_types = 4;
  desc.types = test_types;
  desc.type_tramps = test_tramps;
  desc.num_funcs = 7;
  desc.func_types = func_types;
  desc.funcs = funcs;
  desc.num_exports = 6;
  desc.exports = exports;
  desc.num_memories = 1;
  desc.memories = mem_def;
  desc.code_start = code;
  desc.code_size = sizeof code_bytes;
  desc.num_trap_sites = 3;
  desc.trap_sites = trap_sites;
  inst = must_instantiate(&desc, NULL, NULL);
}

static void teardown(void) {
  wasmc_rt_instance_free(inst);
  munmap(code, 4096);
}

static WasmcTrap call1(const char *name, int32_t a, int32_t *out) {
  WasmcVal arg = val_i32(a), res;
  WasmcTrap t = wasmc_rt_call(inst, name, &arg, 1, &res, 1);
  if (!t && out) *out = res.i32;
  return t;
}

START_TEST(load_in_bounds) {
  WasmcMemoryRecord *m = &VM(wasmc_rt_instance_vmctx(inst))->mem0;
  ck_assert_uint_eq(m->length, 65536);
  memcpy(m->base + 65532, "\x01\x02\x03\x04", 4);
  int32_t v = 0;
  ck_assert_int_eq(call1("load", 65532, &v), WASMC_TRAP_NONE);
  ck_assert_int_eq(v, 0x04030201);
}
END_TEST

START_TEST(load_past_committed_size_traps) {
  int32_t v;
  ck_assert_int_eq(call1("load", 65533, &v), WASMC_TRAP_MEMORY_OOB); /* straddles the end */
  ck_assert_int_eq(call1("load", 65536, &v), WASMC_TRAP_MEMORY_OOB);
  ck_assert_uint_eq(wasmc_rt_last_trap()->pc, (uintptr_t)code + 10);
  ck_assert_int_eq(call1("load", -1, &v), WASMC_TRAP_MEMORY_OOB); /* 0xffffffff: guard */
  ck_assert_int_eq(call1("load", INT32_MIN, &v), WASMC_TRAP_MEMORY_OOB);
  /* After memory.grow the same access succeeds; the next page is still guarded. */
  ck_assert_int_eq(wasmc_rt_memory_grow(wasmc_rt_instance_vmctx(inst), 0, 1), 1);
  ck_assert_int_eq(call1("load", 65536, &v), WASMC_TRAP_NONE);
  ck_assert_int_eq(v, 0);
  ck_assert_int_eq(call1("load", 2 * 65536 - 4, &v), WASMC_TRAP_NONE);
  ck_assert_int_eq(call1("load", 2 * 65536 - 3, &v), WASMC_TRAP_MEMORY_OOB);
  /* Traps leave the process able to trap again (signal not left blocked). */
  for (int i = 0; i < 100; i++) ck_assert_int_eq(call1("load", 1 << 30, &v), WASMC_TRAP_MEMORY_OOB);
}
END_TEST

START_TEST(idiv_by_zero_traps) {
  WasmcVal args[2] = {val_i32(7), val_i32(2)}, res;
  ck_assert_int_eq(wasmc_rt_call(inst, "div", args, 2, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 3);
  args[1] = val_i32(0);
  ck_assert_int_eq(wasmc_rt_call(inst, "div", args, 2, &res, 1), WASMC_TRAP_INT_DIV_ZERO);
  ck_assert_uint_eq(wasmc_rt_last_trap()->pc, (uintptr_t)code + 23);
}
END_TEST

START_TEST(ud2_in_trap_table_traps) {
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(inst, "unreachable", NULL, 0, &res, 1), WASMC_TRAP_UNREACHABLE);
}
END_TEST

START_TEST(backtrace_names_wasm_frames) {
  int32_t v;
  ck_assert_int_eq(call1("caller", 1 << 20, &v), WASMC_TRAP_MEMORY_OOB);
  const WasmcTrapInfo *t = wasmc_rt_last_trap();
  ck_assert_uint_eq(t->num_frames, 2);
  const char *mod, *fn;
  uint32_t idx;
  ck_assert(wasmc_rt_lookup_pc(t->frames[0], &mod, &fn, &idx));
  ck_assert_str_eq(mod, "sig");
  ck_assert_str_eq(fn, "load");
  ck_assert(wasmc_rt_lookup_pc(t->frames[1], &mod, &fn, &idx));
  ck_assert_str_eq(fn, "caller");
  ck_assert_uint_eq(idx, 4);
  ck_assert(!wasmc_rt_lookup_pc((uintptr_t)&setup, &mod, &fn, &idx));

  int fds[2];
  ck_assert_int_eq(pipe(fds), 0);
  wasmc_rt_print_backtrace(fds[1], t);
  close(fds[1]);
  char buf[512] = {0};
  ck_assert_int_gt(read(fds[0], buf, sizeof buf - 1), 0);
  close(fds[0]);
  ck_assert_str_eq(buf, "wasm backtrace:\n    0: sig!load\n    1: sig!caller\n");
}
END_TEST

START_TEST(main_reports_trap_and_backtrace) {
  static const WasmcExport start_export[] = {{"_start", WASMC_EXTERN_FUNC, 6}};
  WasmcModuleDesc app = desc;
  app.name = "app";
  app.exports = start_export;
  app.num_exports = 1;
  int fds[2];
  ck_assert_int_eq(pipe(fds), 0);
  int saved = dup(2);
  dup2(fds[1], 2);
  int status = wasmc_rt_main(&app, 0, NULL);
  dup2(saved, 2);
  close(saved);
  close(fds[1]);
  char buf[512] = {0};
  ck_assert_int_gt(read(fds[0], buf, sizeof buf - 1), 0);
  close(fds[0]);
  ck_assert_int_eq(status, 134);
  /* Code ranges of "sig" and "app" coincide here; either name may be reported. */
  ck_assert_msg(strstr(buf, "wasm trap: unreachable\nwasm backtrace:\n    0: ") == buf, "%s", buf);
  ck_assert_msg(strstr(buf, "!unreachable\n    1: "), "%s", buf);
  ck_assert_msg(strstr(buf, "!_start\n"), "%s", buf);
}
END_TEST

/* ---- faults that are not wasm traps must kill the process (Check forks each test) ---- */

START_TEST(ud2_not_in_trap_table_crashes) {
  WasmcVal res;
  wasmc_rt_call(inst, "bad_ud2", NULL, 0, &res, 1);
}
END_TEST

START_TEST(load_not_in_trap_table_crashes) {
  int32_t v;
  call1("bad_load", 1 << 20, &v);
}
END_TEST

static volatile int *no_access;

/* A "wasm function" in C: its code is not in the registered range. */
static int32_t c_fault(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)vm;
  (void)caller;
  return *no_access;
}

START_TEST(fault_outside_wasm_code_crashes) {
  no_access = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  /* Through an entry, so a handler that swallowed faults would return a trap instead. */
  static const uint32_t types[] = {T__I};
  static const WasmcExport ex[] = {{"f", WASMC_EXTERN_FUNC, 0}};
  static WasmcFuncDesc f;
  f = (WasmcFuncDesc){(void *)c_fault, 0, "f"};
  WasmcModuleDesc d = test_desc("cfault");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 1;
  d.func_types = types;
  d.funcs = &f;
  d.num_exports = 1;
  d.exports = ex;
  WasmcInstance *ci = must_instantiate(&d, NULL, NULL);
  WasmcVal res;
  wasmc_rt_call(ci, "f", NULL, 0, &res, 1);
}
END_TEST

START_TEST(fault_with_no_entry_in_host_code_crashes) {
  (void)inst; /* handlers are installed by the fixture's instantiate */
  no_access = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  (void)*no_access;
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_signals");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, load_in_bounds);
  tcase_add_test(tc, load_past_committed_size_traps);
  tcase_add_test(tc, idiv_by_zero_traps);
  tcase_add_test(tc, ud2_in_trap_table_traps);
  tcase_add_test(tc, backtrace_names_wasm_frames);
  tcase_add_test(tc, main_reports_trap_and_backtrace);
  tcase_add_test_raise_signal(tc, ud2_not_in_trap_table_crashes, SIGILL);
  tcase_add_test_raise_signal(tc, load_not_in_trap_table_crashes, SIGSEGV);
  tcase_add_test_raise_signal(tc, fault_outside_wasm_code_crashes, SIGSEGV);
  tcase_add_test_raise_signal(tc, fault_with_no_entry_in_host_code_crashes, SIGSEGV);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
