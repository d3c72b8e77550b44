/* test_rt_link.c — import matching (wasmc_rt.h, instantiation step 2): full reference types
 * of globals and tables (subtyping for immutable globals, equality for mutable globals and
 * tables, concrete function types by canonical id), the table64 index type, memory index
 * type and page size, and import/export names containing NUL (the _n lookups). */
#include "rt_test.h"

/* ---- the exporter "X" ------------------------------------------------------------------ */

static int32_t x_nul(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)vm, (void)caller;
  return 1;
}
static int32_t x_plain(WasmcVmctx *vm, WasmcVmctx *caller) {
  (void)vm, (void)caller;
  return 2;
}

#define REF(h, nn, t) {.heap = (h), .non_null = (nn), .type = (t)}
#define RT(h, nn, t) ((WasmcRefType)REF(h, nn, t)) /* in expressions */
static const WasmcRefType FUNCNULL = REF(WASMC_HEAP_TOP, 0, 0);

static const uint32_t x_func_types[] = {T__I, T__I};
static const WasmcFuncDesc x_funcs[] = {{(void *)x_nul, 0, "nul"}, {(void *)x_plain, 0, "plain"}};
static const WasmcTableDef x_tables[] = {
    {.min = 2, .elem_type = WASMC_TYPE_FUNCREF, .ref = REF(WASMC_HEAP_TYPE, 0, T__)}};
static const WasmcGlobalDef x_globals[] = {
    {WASMC_TYPE_FUNCREF, 0, REF(WASMC_HEAP_TOP, 0, 0)},  /* (ref null func) */
    {WASMC_TYPE_FUNCREF, 0, REF(WASMC_HEAP_TYPE, 1, T__)}, /* (ref $t) */
    {WASMC_TYPE_EXTERNREF, 0, REF(WASMC_HEAP_TOP, 0, 0)},  /* externref */
    {WASMC_TYPE_FUNCREF, 1, REF(WASMC_HEAP_TYPE, 0, T__)}, /* (mut (ref null $t)) */
};
static const WasmcExport x_exports[] = {
    {"a\0b", WASMC_EXTERN_FUNC, 0},
    {"a", WASMC_EXTERN_FUNC, 1},
    {"g-funcnull", WASMC_EXTERN_GLOBAL, 0},
    {"g-ref", WASMC_EXTERN_GLOBAL, 1},
    {"g-extern", WASMC_EXTERN_GLOBAL, 2},
    {"g-var-refnull", WASMC_EXTERN_GLOBAL, 3},
    {"t-refnull", WASMC_EXTERN_TABLE, 0},
};
static const uint32_t x_export_lens[] = {3, 1, 10, 5, 8, 13, 9};

static WasmcModuleDesc x_desc(void) {
  WasmcModuleDesc d = test_desc("X");
  d.num_types = 4;
  d.types = test_types;
  d.type_tramps = test_tramps;
  d.num_funcs = 2;
  d.func_types = x_func_types;
  d.funcs = x_funcs;
  d.num_tables = 1;
  d.tables = x_tables;
  d.num_globals = 4;
  d.globals = x_globals;
  d.num_exports = sizeof x_exports / sizeof x_exports[0];
  d.exports = x_exports;
  d.export_name_lens = x_export_lens;
  return d;
}

static WasmcModuleDesc dx;
static WasmcInstance *x;
static WasmcTable *host_t64, *host_typed;
static WasmcMemory *host_m64, *host_m32, *host_small;

static void setup(void) {
  dx = x_desc();
  x = must_instantiate(&dx, NULL, NULL);
  ck_assert(wasmc_rt_register_instance("X", x));
  WasmcTableDef t64 = {.min = 10, .max = 20, .elem_type = WASMC_TYPE_FUNCREF,
                       .flags = WASMC_TABLE_HAS_MAX | WASMC_TABLE_64};
  WasmcTableDef typed = {.min = 1, .elem_type = WASMC_TYPE_FUNCREF,
                         .ref = REF(WASMC_HEAP_TYPE, 0, wasmc_rt_intern_signature(":"))};
  WasmcMemoryDef m64 = {.min = 1, .page_size_log2 = 16, .flags = WASMC_MEM_64};
  WasmcMemoryDef m32 = {.min = 1, .page_size_log2 = 16};
  WasmcMemoryDef small = {.min = 1, .page_size_log2 = 0};
  ck_assert((host_t64 = wasmc_rt_table_new(&t64)) && (host_typed = wasmc_rt_table_new(&typed)));
  ck_assert((host_m64 = wasmc_rt_memory_new(&m64)) && (host_m32 = wasmc_rt_memory_new(&m32)) &&
            (host_small = wasmc_rt_memory_new(&small)));
}

static void teardown(void) {
  wasmc_rt_unregister_instance("X");
  wasmc_rt_instance_free(x);
  x = NULL;
  wasmc_rt_table_free(host_t64);
  wasmc_rt_table_free(host_typed);
  wasmc_rt_memory_free(host_m64);
  wasmc_rt_memory_free(host_m32);
  wasmc_rt_memory_free(host_small);
}

/* Registered instances, then the host objects under module "host". */
static bool resolve(void *user, const WasmcModuleDesc *d, const WasmcImport *imp,
                    WasmcExtern *out) {
  (void)user;
  if (strcmp(imp->module, "host") != 0) return wasmc_rt_resolve_registered(NULL, d, imp, out);
  memset(out, 0, sizeof *out);
  struct { const char *name; uint8_t kind; void *obj; } objs[] = {
      {"t64", WASMC_EXTERN_TABLE, host_t64},   {"typed", WASMC_EXTERN_TABLE, host_typed},
      {"m64", WASMC_EXTERN_MEMORY, host_m64},  {"m32", WASMC_EXTERN_MEMORY, host_m32},
      {"small", WASMC_EXTERN_MEMORY, host_small},
  };
  for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
    if (strcmp(imp->name, objs[i].name) == 0) {
      out->kind = objs[i].kind;
      if (objs[i].kind == WASMC_EXTERN_TABLE)
        out->u.table = objs[i].obj;
      else
        out->u.memory = objs[i].obj;
      return true;
    }
  return false;
}

/* The importer's own types, in another order than X's: concrete types must compare by
 * canonical id, not by index. */
static const char *const imp_types[3] = {"i:i", ":", ":i"};
enum { IT_I_I, IT__, IT__I };

/* Instantiates a module importing one extern; frees it again. Returns the status. */
static WasmcStatus link_one(const char *mod, const char *name, uint32_t name_len, uint8_t kind,
                            const WasmcGlobalDef *g, const WasmcTableDef *t,
                            const WasmcMemoryDef *m) {
  static const uint32_t func_type[1] = {IT__I};
  WasmcModuleDesc d = test_desc("importer");
  d.num_types = 3;
  d.types = imp_types;
  WasmcImport imp = {mod, name, kind, 0, NULL};
  const uint32_t lens[2] = {(uint32_t)strlen(mod), name_len ? name_len : (uint32_t)strlen(name)};
  d.num_imports = 1;
  d.imports = &imp;
  d.import_name_lens = lens;
  if (kind == WASMC_EXTERN_GLOBAL) d.num_globals = d.num_imported_globals = 1, d.globals = g;
  if (kind == WASMC_EXTERN_TABLE) d.num_tables = d.num_imported_tables = 1, d.tables = t;
  if (kind == WASMC_EXTERN_MEMORY) d.num_memories = d.num_imported_memories = 1, d.memories = m;
  if (kind == WASMC_EXTERN_FUNC) d.num_funcs = d.num_imported_funcs = 1, d.func_types = func_type;
  WasmcInstance *inst = NULL;
  WasmcTrap trap;
  WasmcStatus st = wasmc_rt_instantiate(&d, resolve, NULL, &inst, &trap);
  if (st == WASMC_ERR_LINK)
    ck_assert_msg(strstr(wasmc_rt_error_message(), "import"), "%s", wasmc_rt_error_message());
  wasmc_rt_instance_free(inst);
  return st;
}

static WasmcStatus global(const char *name, uint8_t type, uint8_t mut, WasmcRefType ref) {
  WasmcGlobalDef g = {type, mut, ref};
  return link_one("X", name, 0, WASMC_EXTERN_GLOBAL, &g, NULL, NULL);
}

static WasmcStatus table(const char *mod, const char *name, uint64_t min, uint8_t flags,
                         uint64_t max, WasmcRefType ref) {
  WasmcTableDef t = {.min = min, .max = max, .elem_type = WASMC_TYPE_FUNCREF, .flags = flags,
                     .ref = ref};
  return link_one(mod, name, 0, WASMC_EXTERN_TABLE, NULL, &t, NULL);
}

static WasmcStatus memory(const char *name, uint8_t page_log2, uint8_t flags) {
  WasmcMemoryDef m = {.min = 1, .page_size_log2 = page_log2, .flags = flags};
  return link_one("host", name, 0, WASMC_EXTERN_MEMORY, NULL, NULL, &m);
}

#define R WASMC_TYPE_FUNCREF
#define E WASMC_TYPE_EXTERNREF
#define OK WASMC_OK
#define BAD WASMC_ERR_LINK

START_TEST(immutable_globals_match_by_subtyping) {
  const WasmcRefType funcnull = FUNCNULL, func = REF(WASMC_HEAP_TOP, 1, 0),
                     tnull = REF(WASMC_HEAP_TYPE, 0, IT__), t = REF(WASMC_HEAP_TYPE, 1, IT__),
                     other = REF(WASMC_HEAP_TYPE, 1, IT_I_I),
                     nofunc = REF(WASMC_HEAP_BOTTOM, 0, 0);
  ck_assert_int_eq(global("g-funcnull", R, 0, funcnull), OK);
  ck_assert_int_eq(global("g-funcnull", R, 0, func), BAD);
  ck_assert_int_eq(global("g-funcnull", R, 0, tnull), BAD);
  ck_assert_int_eq(global("g-funcnull", R, 0, t), BAD);
  ck_assert_int_eq(global("g-funcnull", R, 0, nofunc), BAD);
  ck_assert_int_eq(global("g-ref", R, 0, funcnull), OK);
  ck_assert_int_eq(global("g-ref", R, 0, func), OK);
  ck_assert_int_eq(global("g-ref", R, 0, tnull), OK);
  ck_assert_int_eq(global("g-ref", R, 0, t), OK);
  ck_assert_int_eq(global("g-ref", R, 0, other), BAD); /* another function type */
  ck_assert_int_eq(global("g-extern", E, 0, funcnull), OK);
  ck_assert_int_eq(global("g-extern", R, 0, funcnull), BAD);
  ck_assert_int_eq(global("g-extern", R, 0, tnull), BAD);
  ck_assert_int_eq(global("g-extern", E, 0, RT(WASMC_HEAP_TOP, 1, 0)), BAD);
  ck_assert_int_eq(global("g-extern", E, 0, RT(WASMC_HEAP_BOTTOM, 0, 0)), BAD);
  ck_assert_int_eq(global("g-extern", WASMC_TYPE_I32, 0, funcnull), BAD);
}
END_TEST

START_TEST(mutable_globals_need_equal_types) {
  const WasmcRefType tnull = REF(WASMC_HEAP_TYPE, 0, IT__);
  ck_assert_int_eq(global("g-var-refnull", R, 1, tnull), OK);
  ck_assert_int_eq(global("g-var-refnull", R, 0, tnull), BAD); /* mutability differs */
  ck_assert_int_eq(global("g-var-refnull", R, 1, FUNCNULL), BAD);
  ck_assert_int_eq(global("g-var-refnull", R, 1, RT(WASMC_HEAP_TYPE, 1, IT__)), BAD);
  ck_assert_int_eq(global("g-var-refnull", R, 1, RT(WASMC_HEAP_TYPE, 0, IT_I_I)), BAD);
  ck_assert_int_eq(global("g-ref", R, 1, RT(WASMC_HEAP_TYPE, 1, IT__)), BAD);
}
END_TEST

/* A re-exported imported global has the exporter's actual type, not the re-exporter's
 * declared (super)type. */
START_TEST(reexported_global_keeps_its_type) {
  static const WasmcGlobalDef y_globals[] = {{R, 0, REF(WASMC_HEAP_TOP, 0, 0)}};
  static const WasmcImport y_imports[] = {{"X", "g-ref", WASMC_EXTERN_GLOBAL, 0, NULL}};
  static const WasmcExport y_exports[] = {{"re", WASMC_EXTERN_GLOBAL, 0}};
  WasmcModuleDesc dy = test_desc("Y");
  dy.num_globals = dy.num_imported_globals = 1;
  dy.globals = y_globals;
  dy.num_imports = 1;
  dy.imports = y_imports;
  dy.num_exports = 1;
  dy.exports = y_exports;
  WasmcInstance *y = must_instantiate(&dy, resolve, NULL);
  ck_assert(wasmc_rt_register_instance("Y", y));
  WasmcGlobalDef g = {R, 0, REF(WASMC_HEAP_TYPE, 1, IT__)};
  ck_assert_int_eq(link_one("Y", "re", 0, WASMC_EXTERN_GLOBAL, &g, NULL, NULL), OK);
  WasmcExtern ext;
  ck_assert(wasmc_rt_instance_export(y, "re", &ext));
  ck_assert_uint_eq(ext.u.global.ref.heap, WASMC_HEAP_TYPE);
  ck_assert_uint_eq(ext.u.global.ref.non_null, 1);
  ck_assert_uint_eq(ext.u.global.ref.type, wasmc_rt_intern_signature(":"));
  wasmc_rt_unregister_instance("Y");
  wasmc_rt_instance_free(y);
}
END_TEST

START_TEST(tables_need_equal_element_types_and_index_types) {
  const WasmcRefType tnull = REF(WASMC_HEAP_TYPE, 0, IT__);
  ck_assert_int_eq(table("X", "t-refnull", 1, 0, 0, tnull), OK);
  ck_assert_int_eq(table("X", "t-refnull", 2, 0, 0, tnull), OK);
  ck_assert_int_eq(table("X", "t-refnull", 3, 0, 0, tnull), BAD); /* min > length */
  ck_assert_int_eq(table("X", "t-refnull", 1, WASMC_TABLE_HAS_MAX, 9, tnull), BAD); /* no max */
  ck_assert_int_eq(table("X", "t-refnull", 1, 0, 0, FUNCNULL), BAD); /* not equal */
  ck_assert_int_eq(table("X", "t-refnull", 1, 0, 0, RT(WASMC_HEAP_TYPE, 1, IT__)), BAD);
  ck_assert_int_eq(table("X", "t-refnull", 1, 0, 0, RT(WASMC_HEAP_TYPE, 0, IT_I_I)), BAD);
  ck_assert_int_eq(table("X", "t-refnull", 1, WASMC_TABLE_64, 0, tnull), BAD);
  ck_assert_int_eq(table("host", "typed", 1, 0, 0, tnull), OK);
  ck_assert_int_eq(table("host", "typed", 1, 0, 0, FUNCNULL), BAD);
  ck_assert_int_eq(table("host", "t64", 10, WASMC_TABLE_64, 0, FUNCNULL), OK);
  ck_assert_int_eq(table("host", "t64", 10, WASMC_TABLE_64 | WASMC_TABLE_HAS_MAX, 20, FUNCNULL),
                   OK);
  ck_assert_int_eq(table("host", "t64", 10, WASMC_TABLE_64 | WASMC_TABLE_HAS_MAX, 18, FUNCNULL),
                   BAD);
  ck_assert_int_eq(table("host", "t64", 10, 0, 0, FUNCNULL), BAD); /* 32-bit import */
  ck_assert_int_eq(table("host", "t64", 10, WASMC_TABLE_HAS_MAX, 20, FUNCNULL), BAD);
}
END_TEST

START_TEST(memories_need_equal_index_type_and_page_size) {
  ck_assert_int_eq(memory("m64", 16, WASMC_MEM_64), OK);
  ck_assert_int_eq(memory("m64", 16, 0), BAD);
  ck_assert_int_eq(memory("m32", 16, 0), OK);
  ck_assert_int_eq(memory("m32", 16, WASMC_MEM_64), BAD);
  ck_assert_int_eq(memory("small", 0, 0), OK);
  ck_assert_int_eq(memory("small", 16, 0), BAD);
  ck_assert_int_eq(memory("m32", 0, 0), BAD);
}
END_TEST

START_TEST(names_with_nul) {
  WasmcVal res;
  ck_assert_int_eq(wasmc_rt_call(x, "a", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 2);
  ck_assert_int_eq(wasmc_rt_call_n(x, "a\0b", 3, NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 1);
  ck_assert_int_eq(wasmc_rt_call_n(x, "a", 1, NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 2);
  ck_assert_int_eq(wasmc_rt_call_n(x, "a\0c", 3, NULL, 0, &res, 1), WASMC_TRAP_INVALID_CALL);
  ck_assert_int_eq(wasmc_rt_call_n(x, "a\0", 2, NULL, 0, &res, 1), WASMC_TRAP_INVALID_CALL);
  WasmcExtern ext;
  ck_assert(wasmc_rt_instance_export_n(x, "a\0b", 3, &ext));
  ck_assert_ptr_eq(ext.u.func.code, (void *)x_nul);
  ck_assert(wasmc_rt_instance_export(x, "a", &ext));
  ck_assert_ptr_eq(ext.u.func.code, (void *)x_plain);
  ck_assert(!wasmc_rt_instance_export_n(x, "a\0c", 3, &ext));
  ck_assert(wasmc_rt_instance_export_n(x, "g-refXYZ", 5, &ext));
  ck_assert_uint_eq(ext.kind, WASMC_EXTERN_GLOBAL);
  /* An import's name is its name_len bytes too. */
  ck_assert_int_eq(link_one("X", "a\0b", 3, WASMC_EXTERN_FUNC, NULL, NULL, NULL), OK);
  ck_assert_int_eq(link_one("X", "a", 0, WASMC_EXTERN_FUNC, NULL, NULL, NULL), OK);
  ck_assert_int_eq(link_one("X", "a\0c", 3, WASMC_EXTERN_FUNC, NULL, NULL, NULL), BAD);
  ck_assert_str_eq(wasmc_rt_error_message(), "unknown import \"X\".\"a\\x00c\"");
  /* Without the length arrays, names are C strings ("a\0b" reads as "a"). */
  WasmcModuleDesc c = dx;
  c.export_name_lens = NULL;
  WasmcInstance *xc = must_instantiate(&c, NULL, NULL);
  ck_assert_int_eq(wasmc_rt_call(xc, "a", NULL, 0, &res, 1), WASMC_TRAP_NONE);
  ck_assert_int_eq(res.i32, 1); /* the first export named "a" */
  ck_assert_int_eq(wasmc_rt_call_n(xc, "a\0b", 3, NULL, 0, &res, 1), WASMC_TRAP_INVALID_CALL);
  wasmc_rt_instance_free(xc);
  /* A host's own WasmcImport (outside desc->imports) has C-string names. */
  WasmcImport own = {"X", "g-ref", WASMC_EXTERN_GLOBAL, 0, NULL};
  ck_assert_uint_eq(wasmc_rt_import_name_len(&dx, &own), 5);
  ck_assert(wasmc_rt_resolve_registered(NULL, &dx, &own, &ext));
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rt_link");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, immutable_globals_match_by_subtyping);
  tcase_add_test(tc, mutable_globals_need_equal_types);
  tcase_add_test(tc, reexported_global_keeps_its_type);
  tcase_add_test(tc, tables_need_equal_element_types_and_index_types);
  tcase_add_test(tc, memories_need_equal_index_type_and_page_size);
  tcase_add_test(tc, names_with_nul);
  suite_add_tcase(s, tc);
  return s;
}

RT_TEST_MAIN(suite)
