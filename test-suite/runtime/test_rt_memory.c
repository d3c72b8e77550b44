/* test_rt_memory.c — memory strategies (guarded, explicit, shared, memory64, 1-byte
 * pages), memory.grow limits, and the bulk memory helpers' bounds checks. */
#include "rt_test.h"

#include <sys/mman.h>

static WasmcMemory *mem_new(uint64_t min, uint64_t max, uint8_t log2, uint8_t flags) {
  WasmcMemoryDef d = {.min = min, .max = max, .page_size_log2 = log2, .flags = flags};
  return wasmc_rt_memory_new(&d);
}

START_TEST(guarded_reservation_and_grow) {
  WasmcMemory *m = mem_new(1, 3, 16, WASMC_MEM_GUARDED | WASMC_MEM_HAS_MAX);
  ck_assert_ptr_nonnull(m);
  const WasmcMemoryRecord *r = wasmc_rt_memory_record(m);
  uint8_t *base = r->base;
  ck_assert_uint_eq(r->length, 65536);
  /* The whole 4 GiB + guard is ours: mapping over it without MAP_FIXED_NOREPLACE's
   * consent fails, i.e. the range is reserved. */
  void *probe = mmap(base + ((uint64_t)4 << 30), 4096, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  ck_assert_ptr_eq(probe, MAP_FAILED);
  base[65535] = 1;
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 1), 1);
  ck_assert_ptr_eq(r->base, base); /* never moves */
  ck_assert_uint_eq(r->length, 2 * 65536);
  base[2 * 65536 - 1] = 2;
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 0), 2);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 2), -1); /* past max 3 */
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 1), 2);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 1), -1);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, UINT64_MAX), -1);
  ck_assert_uint_eq(r->length, 3 * 65536);
  ck_assert_int_eq(base[65535] + base[2 * 65536 - 1], 3);
  wasmc_rt_memory_free(m);
}
END_TEST

START_TEST(guarded_without_max_stops_at_4gib) {
  WasmcMemory *m = mem_new(0, 0, 16, WASMC_MEM_GUARDED);
  ck_assert_ptr_nonnull(m);
  ck_assert_uint_eq(wasmc_rt_memory_record(m)->length, 0);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 65537), -1);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 16), 0);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 65536 - 16 + 1), -1);
  wasmc_rt_memory_free(m);
  ck_assert_ptr_null(mem_new(65537, 0, 16, WASMC_MEM_GUARDED)); /* min over the limit */
  ck_assert_ptr_null(mem_new(1, 0, 0, WASMC_MEM_GUARDED));      /* guard needs 64 KiB pages */
}
END_TEST

START_TEST(explicit_memory_moves_and_keeps_bytes) {
  /* custom-page-sizes: 1-byte pages, accurate length */
  WasmcMemory *m = mem_new(10, 100000, 0, WASMC_MEM_HAS_MAX);
  const WasmcMemoryRecord *r = wasmc_rt_memory_record(m);
  ck_assert_uint_eq(r->length, 10);
  memcpy(r->base, "0123456789", 10);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 5), 10);
  ck_assert_uint_eq(r->length, 15);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 99986), -1); /* 100001 > max */
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 99985), 15);
  ck_assert_uint_eq(r->length, 100000);
  ck_assert_mem_eq(r->base, "0123456789", 10);
  ck_assert_int_eq(r->base[99999], 0);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 1), -1);
  wasmc_rt_memory_free(m);
}
END_TEST

START_TEST(memory64_and_shared) {
  WasmcMemory *m = mem_new(1, 0, 16, WASMC_MEM_64);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 3), 1);
  ck_assert_uint_eq(wasmc_rt_memory_record(m)->length, 4 * 65536);
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, (uint64_t)1 << 40), -1);
  wasmc_rt_memory_free(m);

  m = mem_new(1, 8, 16, WASMC_MEM_SHARED | WASMC_MEM_HAS_MAX);
  uint8_t *base = wasmc_rt_memory_record(m)->base;
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 7), 1);
  ck_assert_ptr_eq(wasmc_rt_memory_record(m)->base, base); /* shared memories never move */
  base[8 * 65536 - 1] = 1;
  ck_assert_int_eq(wasmc_rt_memory_grow_object(m, 1), -1);
  wasmc_rt_memory_free(m);
}
END_TEST

/* ---- bulk helpers through an instance ------------------------------------------------ */

/* op(x): runs one bulk operation chosen by x inside wasm; traps come back from the call. */
static int32_t f_op(WasmcVmctx *vm, WasmcVmctx *caller, int32_t x) {
  (void)caller;
  uint64_t len = VM(vm)->mem0.length;
  switch (x) {
    case 0: wasmc_rt_memory_fill(vm, 0, 10, 0x1ab, 5); return 0;    /* fills 0xab */
    case 1: wasmc_rt_memory_fill(vm, 0, len, 0, 0); return 0;       /* empty at the end */
    case 2: wasmc_rt_memory_fill(vm, 0, len - 1, 0, 2); return 0;   /* traps */
    case 3: wasmc_rt_memory_copy(vm, 0, 0, 12, 10, 5); return 0;    /* overlapping */
    case 4: wasmc_rt_memory_copy(vm, 0, 0, 0, len - 2, 3); return 0; /* src OOB */
    case 5: wasmc_rt_memory_init(vm, 0, 0, 100, 1, 2); return 0;    /* "bc" */
    case 6: wasmc_rt_memory_init(vm, 0, 0, 100, 2, 2); return 0;    /* past the segment */
    case 7: wasmc_rt_data_drop(vm, 0); return 0;
    case 8: wasmc_rt_memory_init(vm, 0, 0, 0, 0, 0); return 0;      /* dropped, len 0: ok */
    case 9: wasmc_rt_memory_init(vm, 0, 0, 0, 0, 1); return 0;      /* dropped: traps */
    case 10: wasmc_rt_memory_fill(vm, 0, UINT64_MAX, 0, 2); return 0; /* wraps: traps */
    case 11: return (int32_t)wasmc_rt_memory_size(vm, 0);
    case 12: return (int32_t)wasmc_rt_memory_grow(vm, 0, 1);
    case 13: return (int32_t)wasmc_rt_table_grow(vm, 0, NULL, 2);
    case 14: wasmc_rt_table_set(vm, 0, 5, &VM(vm)->funcrefs[0]); return 0;
    case 15: return wasmc_rt_table_get(vm, 0, 5) == &VM(vm)->funcrefs[0];
    case 16: wasmc_rt_table_get(vm, 0, 6); return 0;                 /* traps */
    case 17: wasmc_rt_table_fill(vm, 0, 0, &VM(vm)->funcrefs[0], 6); return 0;
    case 18: wasmc_rt_table_fill(vm, 0, 5, NULL, 2); return 0;       /* traps */
    case 19: wasmc_rt_table_copy(vm, 0, 0, 1, 0, 5); return 0;
    case 20: wasmc_rt_table_copy(vm, 0, 0, 2, 0, 5); return 0;       /* traps */
    case 21: return (int32_t)wasmc_rt_table_size(vm, 0);
    case 22: return (int32_t)wasmc_rt_table_grow(vm, 0, NULL, 1);    /* past max: -1 */
    default: return -1;
  }
}

static const uint32_t op_types[] = {T_I_I};
static const WasmcFuncDesc op_funcs[] = {{(void *)f_op, 0, "op"}};
static const WasmcExport op_exports[] = {{"op", WASMC_EXTERN_FUNC, 0}};
static const WasmcMemoryDef op_mems[] = {{.min = 1, .max = 2, .page_size_log2 = 16,
                                          .flags = WASMC_MEM_HAS_MAX}};
static const WasmcTableDef op_tables[] = {
    {.min = 4, .max = 6, .elem_type = WASMC_TYPE_FUNCREF, .flags = WASMC_TABLE_HAS_MAX}};
static const WasmcDataSegment op_data[] = {{(const uint8_t *)"abc", 3, WASMC_SEG_PASSIVE, 0}};

static int32_t op(WasmcInstance *inst, int32_t x, WasmcTrap want) {
  WasmcVal arg = val_i32(x), res;
  WasmcTrap t = wasmc_rt_call(inst, "op", &arg, 1, &res, 1);
  ck_assert_msg(t == want, "op %d: trap %d, want %d", x, (int)t, (int)want);
  return t ? 0 : res.i32;
}

START_TEST(bulk_helpers_check_bounds) {
  WasmcModuleDesc d = test_desc("bulk");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 1;
  d.func_types = op_types;
  d.funcs = op_funcs;
  d.num_exports = 1;
  d.exports = op_exports;
  d.num_memories = 1;
  d.memories = op_mems;
  d.num_tables = 1;
  d.tables = op_tables;
  d.num_data = 1;
  d.data = op_data;
  WasmcInstance *inst = must_instantiate(&d, NULL, NULL);
  TestVm *vm = VM(wasmc_rt_instance_vmctx(inst));
  const WasmcTrap OK = WASMC_TRAP_NONE, MOOB = WASMC_TRAP_MEMORY_OOB, TOOB = WASMC_TRAP_TABLE_OOB;

  op(inst, 0, OK);
  ck_assert_mem_eq(vm->mem0.base + 10, "\xab\xab\xab\xab\xab", 5);
  op(inst, 1, OK);
  op(inst, 2, MOOB);
  ck_assert_int_eq(vm->mem0.base[65535], 0); /* a trapping fill writes nothing */
  op(inst, 3, OK);
  ck_assert_mem_eq(vm->mem0.base + 10, "\xab\xab\xab\xab\xab\xab\xab", 7);
  op(inst, 4, MOOB);
  op(inst, 5, OK);
  ck_assert_mem_eq(vm->mem0.base + 100, "bc", 2);
  op(inst, 6, MOOB);
  op(inst, 7, OK);
  op(inst, 8, OK);
  op(inst, 9, MOOB);
  op(inst, 10, MOOB);
  ck_assert_int_eq(op(inst, 11, OK), 1);
  ck_assert_int_eq(op(inst, 12, OK), 1);
  ck_assert_int_eq(op(inst, 12, OK), -1);
  ck_assert_int_eq(op(inst, 11, OK), 2);
  ck_assert_int_eq(vm->mem0.base[2 * 65536 - 1], 0); /* new page zeroed */

  ck_assert_int_eq(op(inst, 13, OK), 4);
  ck_assert_uint_eq(vm->table0.length, 6);
  op(inst, 14, OK);
  ck_assert_int_eq(op(inst, 15, OK), 1);
  op(inst, 16, TOOB);
  op(inst, 17, OK);
  op(inst, 18, TOOB);
  op(inst, 19, OK);
  op(inst, 20, TOOB);
  ck_assert_int_eq(op(inst, 21, OK), 6);
  ck_assert_int_eq(op(inst, 22, OK), -1);
  wasmc_rt_instance_free(inst);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_memory");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, guarded_reservation_and_grow);
  tcase_add_test(tc, guarded_without_max_stops_at_4gib);
  tcase_add_test(tc, explicit_memory_moves_and_keeps_bytes);
  tcase_add_test(tc, memory64_and_shared);
  tcase_add_test(tc, bulk_helpers_check_bounds);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
