/* test_rt_instance.c — instantiation: linking, the spec's order of effects, segment
 * bounds traps, separate state per instance, lifetimes across linked instances. */
#include "rt_test.h"

static char order_log[16];

/* ---- module A ("prov"): memory, table, a mutable global, count() -------------------- */

static int32_t a_count(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)caller;
  return ++VM(vm)->globals[0].i32;
}

static void a_init(WasmcVmctx *vm, const WasmcInitOut *out) {
  VM(vm)->globals[0].i32 = 42;
  out->table_inits[0] = &VM(vm)->funcrefs[0]; /* (table 4 funcref (ref.func $count)) */
}

static const uint32_t a_func_types[] = {T__I};
static const WasmcFuncDesc a_funcs[] = {{(void *)a_count, 0, "count"}};
static const WasmcMemoryDef a_mems[] = {
    {.min = 1, .max = 2, .page_size_log2 = 16, .flags = WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED}};
static const WasmcTableDef a_tables[] = {
    {.min = 4, .max = 10, .elem_type = WASMC_TYPE_FUNCREF, .flags = WASMC_TABLE_HAS_MAX}};
static const WasmcGlobalDef a_globals[] = {{WASMC_TYPE_I32, 1, {0, 0, 0}}};
static const WasmcExport a_exports[] = {
    {"count", WASMC_EXTERN_FUNC, 0},
    {"mem", WASMC_EXTERN_MEMORY, 0},
    {"table", WASMC_EXTERN_TABLE, 0},
    {"g", WASMC_EXTERN_GLOBAL, 0},
};

static WasmcModuleDesc a_desc(void) {
  WasmcModuleDesc d = test_desc("prov");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 1;
  d.func_types = a_func_types;
  d.funcs = a_funcs;
  d.num_memories = 1;
  d.memories = a_mems;
  d.num_tables = 1;
  d.tables = a_tables;
  d.num_globals = 1;
  d.globals = a_globals;
  d.num_exports = 4;
  d.exports = a_exports;
  d.init = a_init;
  return d;
}

/* ---- module B: imports everything of A, has segments and a start function ----------- */

static uint64_t data2_offset = 200, elem2_offset = 0;

static WasmcVal *b_imported_global(WasmcVmctx *vm) {
  WasmcVal *p;
  memcpy(&p, &VM(vm)->globals[0], sizeof p); /* an imported global's slot is a pointer */
  return p;
}

static void b_init(WasmcVmctx *vm, const WasmcInitOut *out) {
  strcat(order_log, "I");
  /* Segments are applied after init: memory and table still untouched here. */
  ck_assert_int_eq(VM(vm)->mem0_import->base[100], 0);
  /* (global i32 (i32.add (global.get $imported) (i32.const 1))) */
  VM(vm)->globals[1].i32 = b_imported_global(vm)->i32 + 1;
  out->data_offsets[0] = 100;
  out->data_offsets[2] = data2_offset;
  out->elem_offsets[0] = 1;
  out->elem_offsets[2] = elem2_offset;
  out->elem_items[1][0] = &VM(vm)->funcrefs[1]; /* passive (elem funcref (ref.func 1)) */
}

static int32_t b_own(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)vm;
  (void)caller;
  return 99;
}

static void b_start(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)caller;
  strcat(order_log, "S");
  ck_assert_mem_eq(VM(vm)->mem0_import->base + 100, "hello", 5);
  ck_assert_ptr_eq(VM(vm)->table0_import->base[1], &VM(vm)->funcrefs[1]);
}

/* table.init from the passive segment, elem.drop, then table.init again (traps). */
static int32_t b_tinit(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)caller;
  wasmc_rt_table_init(vm, 0, 1, 3, 0, 1);
  wasmc_rt_table_init(vm, 0, 1, 3, 1, 0); /* len 0 at the end: fine */
  wasmc_rt_elem_drop(vm, 1);
  wasmc_rt_table_init(vm, 0, 1, 0, 0, 0); /* dropped, len 0 at 0: fine */
  wasmc_rt_table_init(vm, 0, 1, 3, 0, 1);
  return 0;
}

static const uint32_t b_func_types[] = {T__I, T__I, T__, T__I};
static const WasmcFuncDesc b_funcs[] = {
    {(void *)b_own, 0, "own"}, {(void *)b_start, 0, "start"}, {(void *)b_tinit, 0, "tinit"}};
static WasmcMemoryDef b_mems[] = {
    {.min = 1, .max = 2, .page_size_log2 = 16, .flags = WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED}};
static const WasmcTableDef b_tables[] = {{.min = 4, .elem_type = WASMC_TYPE_FUNCREF}};
static const WasmcGlobalDef b_globals[] = {{WASMC_TYPE_I32, 1, {0, 0, 0}},
                                           {WASMC_TYPE_I32, 0, {0, 0, 0}}};
static const WasmcImport b_imports[] = {
    {"prov", "count", WASMC_EXTERN_FUNC, 0, NULL},
    {"prov", "mem", WASMC_EXTERN_MEMORY, 0, NULL},
    {"prov", "table", WASMC_EXTERN_TABLE, 0, NULL},
    {"prov", "g", WASMC_EXTERN_GLOBAL, 0, NULL},
};
static const WasmcExport b_exports[] = {{"own", WASMC_EXTERN_FUNC, 1},
                                        {"tinit", WASMC_EXTERN_FUNC, 3},
                                        {"count", WASMC_EXTERN_FUNC, 0}};
static const WasmcDataSegment b_data[] = {
    {(const uint8_t *)"hello", 5, WASMC_SEG_ACTIVE, 0},
    {(const uint8_t *)"xyz", 3, WASMC_SEG_PASSIVE, 0},
    {(const uint8_t *)"world", 5, WASMC_SEG_ACTIVE, 0},
};
static const uint32_t b_elem0[] = {1, 0}, b_elem2[] = {1};
static const WasmcElemSegment b_elems[] = {
    {WASMC_SEG_ACTIVE, WASMC_TYPE_FUNCREF, 0, 2, b_elem0},
    {WASMC_SEG_PASSIVE, WASMC_TYPE_FUNCREF, 0, 1, NULL},
    {WASMC_SEG_ACTIVE, WASMC_TYPE_FUNCREF, 0, 1, b_elem2},
};

static WasmcModuleDesc b_desc(void) {
  WasmcModuleDesc d = test_desc("user");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 4;
  d.num_imported_funcs = 1;
  d.func_types = b_func_types;
  d.funcs = b_funcs;
  d.num_memories = d.num_imported_memories = 1;
  d.memories = b_mems;
  d.num_tables = d.num_imported_tables = 1;
  d.tables = b_tables;
  d.num_globals = 2;
  d.num_imported_globals = 1;
  d.globals = b_globals;
  d.num_imports = 4;
  d.imports = b_imports;
  d.num_exports = 3;
  d.exports = b_exports;
  d.num_data = 3;
  d.data = b_data;
  d.num_elems = 3;
  d.elems = b_elems;
  d.start_func = 2;
  d.init = b_init;
  return d;
}

static WasmcModuleDesc da, db;
static WasmcInstance *a;

static void setup(void) {
  order_log[0] = '\0';
  data2_offset = 200;
  elem2_offset = 0;
  da = a_desc();
  db = b_desc();
  a = must_instantiate(&da, NULL, NULL);
  ck_assert(wasmc_rt_register_instance("prov", a));
}

static void teardown(void) {
  wasmc_rt_unregister_instance("prov");
  wasmc_rt_instance_free(a);
  a = NULL;
}

START_TEST(link_and_spec_order) {
  WasmcInstance *b = must_instantiate(&db, wasmc_rt_resolve_registered, NULL);
  TestVm *va = VM(wasmc_rt_instance_vmctx(a)), *vb = VM(wasmc_rt_instance_vmctx(b));
  ck_assert_str_eq(order_log, "IS");
  ck_assert_int_eq(vb->globals[1].i32, 43);
  /* Shared memory, table and global: B's records point at A's. */
  ck_assert_ptr_eq(vb->mem0_import, &va->mem0);
  ck_assert_ptr_eq(vb->table0_import, &va->table0);
  ck_assert_mem_eq(va->mem0.base + 100, "hello", 5);
  ck_assert_mem_eq(va->mem0.base + 200, "world", 5);
  /* Table: A's init value everywhere, then B's segments: [0]=own(seg2) [1]=own [2]=count */
  ck_assert_ptr_eq(va->table0.base[0], &vb->funcrefs[1]);
  ck_assert_ptr_eq(va->table0.base[1], &vb->funcrefs[1]);
  ck_assert_ptr_eq(va->table0.base[2], &vb->funcrefs[0]);
  ck_assert_ptr_eq(va->table0.base[3], &va->funcrefs[0]);
  /* call_indirect as compiled code does it: type check by canonical id, then call. */
  WasmcFuncRef *fr = va->table0.base[2];
  ck_assert_uint_eq(fr->type_id, vb->type_ids[T__I]);
  ck_assert_uint_eq(va->type_ids[T__I], vb->type_ids[T__I]);
  ck_assert_ptr_eq(fr->vmctx, (WasmcVmctx *)va);
  ck_assert_int_eq(((Fn_I)fr->code)(fr->vmctx, (WasmcVmctx *)vb), 43);
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(b, "count", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 44);
  ck_assert_int_eq(b_imported_global((WasmcVmctx *)vb)->i32, 44);
  /* Passive element segment with init-provided items; drop; trap. */
  ck_assert_int_eq(wasmc_rt_call(b, "tinit", NULL, 0, &res, 1), WASMC_TRAP_TABLE_OOB);
  ck_assert_ptr_eq(va->table0.base[3], &vb->funcrefs[1]);
  wasmc_rt_instance_free(b);
}
END_TEST

START_TEST(data_segment_oob_aborts_keeping_earlier_writes) {
  data2_offset = 65536 - 2;
  WasmcInstance *b = (WasmcInstance *)1;
  WasmcTrap trap;
  ck_assert_int_eq(wasmc_rt_instantiate(&db, wasmc_rt_resolve_registered, NULL, &b, &trap),
                   WASMC_ERR_TRAP);
  ck_assert_ptr_null(b);
  ck_assert_int_eq(trap, WASMC_TRAP_MEMORY_OOB);
  ck_assert_str_eq(order_log, "I"); /* start never ran */
  TestVm *va = VM(wasmc_rt_instance_vmctx(a));
  ck_assert_mem_eq(va->mem0.base + 100, "hello", 5); /* segment 0 stays written */
  ck_assert_int_eq(va->mem0.base[65534], 0);         /* nothing of the failing one */
  /* Element segments ran before the data segments; the failed instance's functions
   * they stored stay callable through A's table (spec linking.wast). */
  WasmcFuncRef *fr = va->table0.base[1];
  ck_assert_ptr_ne(fr, &va->funcrefs[0]);
  ck_assert_int_eq(((Fn_I)fr->code)(fr->vmctx, fr->vmctx), 99);
}
END_TEST

START_TEST(elem_segment_oob_aborts_before_data) {
  elem2_offset = 4; /* 4 + 1 > table size 4 */
  WasmcInstance *b;
  WasmcTrap trap;
  ck_assert_int_eq(wasmc_rt_instantiate(&db, wasmc_rt_resolve_registered, NULL, &b, &trap),
                   WASMC_ERR_TRAP);
  ck_assert_int_eq(trap, WASMC_TRAP_TABLE_OOB);
  ck_assert_str_eq(order_log, "I");
  TestVm *va = VM(wasmc_rt_instance_vmctx(a));
  ck_assert_int_eq(va->mem0.base[100], 0); /* data segments never ran */
  ck_assert_int_eq(wasmc_rt_last_trap()->code, WASMC_TRAP_TABLE_OOB);
}
END_TEST

static bool resolve_bad(void *user, const WasmcModuleDesc *d, const WasmcImport *imp,
                        WasmcExtern *out) {
  int which = *(int *)user;
  if (!wasmc_rt_resolve_registered(NULL, d, imp, out)) return false;
  if (which == 1 && imp->kind == WASMC_EXTERN_FUNC) out->u.func.signature = "i:i";
  if (which == 2 && imp->kind == WASMC_EXTERN_GLOBAL) out->u.global.type = WASMC_TYPE_I64;
  if (which == 3 && imp->kind == WASMC_EXTERN_TABLE) out->kind = WASMC_EXTERN_MEMORY;
  return true;
}

START_TEST(link_errors) {
  WasmcInstance *b;
  WasmcTrap trap;
  ck_assert_int_eq(wasmc_rt_instantiate(&db, NULL, NULL, &b, &trap), WASMC_ERR_LINK);
  ck_assert_str_eq(wasmc_rt_error_message(), "unknown import \"prov\".\"count\"");
  for (int which = 1; which <= 3; which++) {
    ck_assert_int_eq(wasmc_rt_instantiate(&db, resolve_bad, &which, &b, &trap), WASMC_ERR_LINK);
    ck_assert_msg(strstr(wasmc_rt_error_message(), "incompatible import type"), "%s",
                  wasmc_rt_error_message());
  }
  /* Memory limits: importing with min 3 from a 1-page memory; max 1 < exporter's max 2. */
  b_mems[0].min = 3;
  ck_assert_int_eq(wasmc_rt_instantiate(&db, wasmc_rt_resolve_registered, NULL, &b, &trap),
                   WASMC_ERR_LINK);
  b_mems[0].min = 1;
  b_mems[0].max = 1;
  ck_assert_int_eq(wasmc_rt_instantiate(&db, wasmc_rt_resolve_registered, NULL, &b, &trap),
                   WASMC_ERR_LINK);
  b_mems[0].max = 2;
  ck_assert_str_eq(order_log, ""); /* nothing ran */
  WasmcModuleDesc old = db;
  old.abi_version = 0;
  ck_assert_int_eq(wasmc_rt_instantiate(&old, NULL, NULL, &b, &trap), WASMC_ERR_ABI);
}
END_TEST

START_TEST(two_instances_do_not_share_state) {
  WasmcInstance *a2 = must_instantiate(&da, NULL, NULL);
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(a, "count", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(wasmc_rt_call(a, "count", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 44);
  ck_assert_int_eq(wasmc_rt_call(a2, "count", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 43);
  TestVm *v1 = VM(wasmc_rt_instance_vmctx(a)), *v2 = VM(wasmc_rt_instance_vmctx(a2));
  ck_assert_ptr_ne(v1->mem0.base, v2->mem0.base);
  v1->mem0.base[7] = 1;
  ck_assert_int_eq(v2->mem0.base[7], 0);
  ck_assert_int_eq(wasmc_rt_memory_grow((WasmcVmctx *)v1, 0, 1), 1);
  ck_assert_uint_eq(wasmc_rt_memory_size((WasmcVmctx *)v2, 0), 1);
  ck_assert_ptr_ne(v1->table0.base, v2->table0.base);
  ck_assert_ptr_eq(v2->table0.base[0], &v2->funcrefs[0]);
  wasmc_rt_instance_free(a2);
}
END_TEST

START_TEST(importer_keeps_exporter_alive) {
  WasmcInstance *b = must_instantiate(&db, wasmc_rt_resolve_registered, NULL);
  teardown(); /* the embedder drops A; B still uses its memory, table, global, count */
  TestVm *vb = VM(wasmc_rt_instance_vmctx(b));
  ck_assert_mem_eq(vb->mem0_import->base + 100, "hello", 5);
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(b, "count", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 43);
  ck_assert_int_eq(wasmc_rt_memory_grow((WasmcVmctx *)vb, 0, 1), 1);
  ck_assert_uint_eq(vb->mem0_import->length, 2 * 65536);
  wasmc_rt_instance_free(b);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_instance");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, link_and_spec_order);
  tcase_add_test(tc, data_segment_oob_aborts_keeping_earlier_writes);
  tcase_add_test(tc, elem_segment_oob_aborts_before_data);
  tcase_add_test(tc, link_errors);
  tcase_add_test(tc, two_instances_do_not_share_state);
  tcase_add_test(tc, importer_keeps_exporter_alive);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
