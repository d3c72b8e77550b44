/* test_tramp_init.c — the x86-64 array trampolines and init functions
 * (codegen/x86_64/tramp.c, init.c), by running the emitted code.
 *
 * Each test emits into a CodeBuf, copies the bytes into a fresh executable
 * mapping and calls them: trampolines call C functions written here with the
 * wasm calling convention (vmctx pointers first), which check every argument;
 * init functions run against a fake vmctx and WasmcInitOut. */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../../codegen/codegen.h"
#include "../../runtime-stub/include/wasmc_rt.h"

typedef struct Exec {
    void *p;
    size_t size;
} Exec;

static Exec make_exec(const CodeBuf *cb)
{
    Exec e = { NULL, (cb->len + 4095) & ~(size_t)4095 };
    e.p = mmap(NULL, e.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(e.p, MAP_FAILED);
    memcpy(e.p, cb->data, cb->len);
    ck_assert_int_eq(mprotect(e.p, e.size, PROT_READ | PROT_EXEC), 0);
    return e;
}

static void free_exec(Exec e) { munmap(e.p, e.size); }

static IrSig sig_of(uint8_t *params, uint32_t np, uint8_t *results, uint32_t nr)
{
    IrSig s = { params, results, np, nr, true };
    return s;
}

static WasmcArrayTramp emit_tramp(const IrSig *s, Exec *e)
{
    CodeBuf cb;
    cb_init(&cb);
    WasmcError err = { 0 };
    ck_assert_msg(cg_emit_array_trampoline(s, &cb, &err), "%s", err.msg);
    ck_assert_uint_eq(cb.nrelocs, 0);
    *e = make_exec(&cb);
    cb_free(&cb);
    return (WasmcArrayTramp)e->p;
}

#define CALLEE ((WasmcVmctx *)(uintptr_t)0x1111)
#define CALLER ((WasmcVmctx *)(uintptr_t)0x2222)

/* ---- trampolines ---------------------------------------------------------- */

static int32_t mixed(WasmcVmctx *callee, WasmcVmctx *caller, int32_t a, int64_t b, float c, double d)
{
    ck_assert_ptr_eq(callee, CALLEE);
    ck_assert_ptr_eq(caller, CALLER);
    ck_assert_int_eq(a, -7);
    ck_assert(b == INT64_C(0x123456789abcdef0));
    ck_assert(c == 1.5f);
    ck_assert(d == -2.25);
    return a * 3;
}

START_TEST(tramp_mixed)
{
    uint8_t p[] = { IR_TYPE_I32, IR_TYPE_I64, IR_TYPE_F32, IR_TYPE_F64 }, r[] = { IR_TYPE_I32 };
    IrSig s = sig_of(p, 4, r, 1);
    Exec e;
    WasmcArrayTramp t = emit_tramp(&s, &e);
    WasmcVal slots[4];
    memset(slots, 0xAB, sizeof slots); /* garbage in the unused slot bytes */
    slots[0].i32 = -7;
    slots[1].i64 = INT64_C(0x123456789abcdef0);
    slots[2].f32 = 1.5f;
    slots[3].f64 = -2.25;
    t(CALLEE, CALLER, (void *)mixed, slots);
    ck_assert_int_eq(slots[0].i32, -21);
    free_exec(e);
}
END_TEST

/* 9 integer and 10 float parameters: 5 integers and 2 floats go on the stack,
 * interleaved in argument order. */
static double many(WasmcVmctx *callee, WasmcVmctx *caller, int64_t i0, double f0, int32_t i1, double f1,
                   int64_t i2, double f2, int64_t i3, double f3, int64_t i4, double f4, int64_t i5,
                   double f5, int64_t i6, double f6, int32_t i7, double f7, int64_t i8, float f8, double f9)
{
    ck_assert_ptr_eq(callee, CALLEE);
    ck_assert_ptr_eq(caller, CALLER);
    int64_t is[] = { i0, i1, i2, i3, i4, i5, i6, i7, i8 };
    double fs[] = { f0, f1, f2, f3, f4, f5, f6, f7, f8, f9 };
    for (int k = 0; k < 9; k++)
        ck_assert_msg(is[k] == 100 + k, "int %d = %lld", k, (long long)is[k]);
    for (int k = 0; k < 10; k++)
        ck_assert_msg(fs[k] == 0.5 + k, "float %d = %g", k, fs[k]);
    double sum = 0;
    for (int k = 0; k < 9; k++)
        sum += (double)is[k];
    for (int k = 0; k < 10; k++)
        sum += fs[k];
    return sum;
}

START_TEST(tramp_stack_args)
{
    uint8_t p[19], r[] = { IR_TYPE_F64 };
    for (int k = 0; k < 19; k++)
        p[k] = (k % 2 || k == 18) ? IR_TYPE_F64 : IR_TYPE_I64;
    p[2] = IR_TYPE_I32;  /* i1 */
    p[14] = IR_TYPE_I32; /* i7 */
    p[17] = IR_TYPE_F32; /* f8 */
    IrSig s = sig_of(p, 19, r, 1);
    Exec e;
    WasmcArrayTramp t = emit_tramp(&s, &e);
    WasmcVal slots[19];
    memset(slots, 0xCD, sizeof slots);
    for (int k = 0; k < 19; k++) {
        if (p[k] == IR_TYPE_I64)
            slots[k].i64 = 100 + k / 2;
        else if (p[k] == IR_TYPE_I32)
            slots[k].i32 = 100 + k / 2;
        else if (p[k] == IR_TYPE_F32)
            slots[k].f32 = 0.5f + (float)(k / 2);
        else
            slots[k].f64 = 0.5 + k / 2;
    }
    t(CALLEE, CALLER, (void *)many, slots);
    double want = 0;
    for (int k = 0; k < 9; k++)
        want += 100 + k;
    for (int k = 0; k < 10; k++)
        want += 0.5 + k;
    ck_assert(slots[0].f64 == want);
    free_exec(e);
}
END_TEST

/* Two results through the hidden last pointer argument (after 5 int params,
 * so the pointer itself goes on the stack). */
static void multi(WasmcVmctx *callee, WasmcVmctx *caller, int32_t a, int32_t b, int32_t c, int32_t d,
                  int32_t e, WasmcVal *results)
{
    ck_assert_ptr_eq(callee, CALLEE);
    ck_assert_int_eq(a + b + c + d + e, 15);
    results[0].i64 = (int64_t)a * 1000000000000LL;
    results[1].f32 = (float)e;
}

START_TEST(tramp_multi_result)
{
    uint8_t p[] = { IR_TYPE_I32, IR_TYPE_I32, IR_TYPE_I32, IR_TYPE_I32, IR_TYPE_I32 };
    uint8_t r[] = { IR_TYPE_I64, IR_TYPE_F32 };
    IrSig s = sig_of(p, 5, r, 2);
    Exec e;
    WasmcArrayTramp t = emit_tramp(&s, &e);
    WasmcVal slots[5];
    for (int k = 0; k < 5; k++)
        slots[k].i32 = k + 1;
    t(CALLEE, CALLER, (void *)multi, slots);
    ck_assert(slots[0].i64 == 1000000000000LL);
    ck_assert(slots[1].f32 == 5.0f);
    free_exec(e);
}
END_TEST

static int void_calls;
static void nothing(WasmcVmctx *callee, WasmcVmctx *caller)
{
    ck_assert_ptr_eq(callee, CALLEE);
    ck_assert_ptr_eq(caller, CALLER);
    void_calls++;
}
static float give_f32(WasmcVmctx *callee, WasmcVmctx *caller) { return 3.25f; }
static void *give_ref(WasmcVmctx *callee, WasmcVmctx *caller) { return (void *)callee; }

START_TEST(tramp_no_params)
{
    Exec e1, e2, e3;
    IrSig s0 = sig_of(NULL, 0, NULL, 0);
    WasmcArrayTramp t0 = emit_tramp(&s0, &e1);
    WasmcVal slot[1];
    t0(CALLEE, CALLER, (void *)nothing, slot);
    ck_assert_int_eq(void_calls, 1);

    uint8_t rf[] = { IR_TYPE_F32 }, ri[] = { IR_TYPE_I64 };
    IrSig s1 = sig_of(NULL, 0, rf, 1), s2 = sig_of(NULL, 0, ri, 1);
    WasmcArrayTramp t1 = emit_tramp(&s1, &e2), t2 = emit_tramp(&s2, &e3);
    t1(CALLEE, CALLER, (void *)give_f32, slot);
    ck_assert(slot[0].f32 == 3.25f);
    t2(CALLEE, CALLER, (void *)give_ref, slot);
    ck_assert_ptr_eq(slot[0].ref, CALLEE);
    free_exec(e1);
    free_exec(e2);
    free_exec(e3);
}
END_TEST

START_TEST(tramp_v128_rejected)
{
    uint8_t p[] = { IR_TYPE_V128 };
    IrSig s = sig_of(p, 1, NULL, 0);
    CodeBuf cb;
    cb_init(&cb);
    WasmcError err = { 0 };
    ck_assert(!cg_emit_array_trampoline(&s, &cb, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "SIMD"));
    cb_free(&cb);
}
END_TEST

/* ---- init ------------------------------------------------------------------ */

/* A fake vmctx: 3 globals (0 imported), 2 funcrefs at 256. */
typedef struct FakeVm {
    _Alignas(16) uint8_t bytes[512];
} FakeVm;

static const CgGlobalInfo globals[] = { { 16, true }, { 32, false }, { 48, false }, { 64, false } };

static CgModuleInfo fake_info(void)
{
    CgModuleInfo mi = { 0 };
    mi.stack_limit_offset = 8;
    mi.funcrefs_offset = 256;
    mi.nfuncs = 3;
    mi.nglobals = 4;
    mi.globals = globals;
    return mi;
}

typedef void (*InitFn)(void *vmctx, const WasmcInitOut *out);

START_TEST(init_program_runs)
{
    CgModuleInfo mi = fake_info();
    CgInitInsn prog[] = {
        /* global 1 = i32: (imported global 0) * 3 - 1, wraps at 32 bits */
        { CG_INIT_GLOBAL_GET, 0, 0, 0 },
        { CG_INIT_I32_CONST, 0, 0, 3 },
        { CG_INIT_I32_MUL, 0, 0, 0 },
        { CG_INIT_I32_CONST, 0, 0, 1 },
        { CG_INIT_I32_SUB, 0, 0, 0 },
        { CG_INIT_STORE_GLOBAL, 1, 0, 0 },
        /* global 2 = i64: global 1 + 0x100000000 * 7 */
        { CG_INIT_GLOBAL_GET, 1, 0, 0 },
        { CG_INIT_I64_CONST, 0, 0, UINT64_C(0x700000000) },
        { CG_INIT_I64_ADD, 0, 0, 0 },
        { CG_INIT_STORE_GLOBAL, 2, 0, 0 },
        /* global 3 = f64 bits */
        { CG_INIT_F64_CONST, 0, 0, UINT64_C(0x400921fb54442d18) },
        { CG_INIT_STORE_GLOBAL, 3, 0, 0 },
        /* data offset 1 = i32 0xfffffff0 (zero-extended), elem offset 0 = 5 */
        { CG_INIT_I32_CONST, 0, 0, 0xfffffff0u },
        { CG_INIT_STORE_DATA_OFFSET, 1, 0, 0 },
        { CG_INIT_I64_CONST, 0, 0, 5 },
        { CG_INIT_I64_CONST, 0, 0, 4 },
        { CG_INIT_I64_SUB, 0, 0, 0 },
        { CG_INIT_STORE_ELEM_OFFSET, 0, 0, 0 },
        /* elem 1 items: [ref.func 2, ref.null]; table 1 init: ref.func 0 */
        { CG_INIT_REF_FUNC, 2, 0, 0 },
        { CG_INIT_STORE_ELEM_ITEM, 1, 0, 0 },
        { CG_INIT_REF_NULL, 0, 0, 0 },
        { CG_INIT_STORE_ELEM_ITEM, 1, 1, 0 },
        { CG_INIT_REF_FUNC, 0, 0, 0 },
        { CG_INIT_STORE_TABLE_INIT, 1, 0, 0 },
        { CG_INIT_F32_CONST, 0, 0, 0x3fc00000u },
        { CG_INIT_STORE_TABLE_INIT, 0, 0, 0 },
    };
    CodeBuf cb;
    cb_init(&cb);
    WasmcError err = { 0 };
    ck_assert_msg(cg_emit_init(&mi, prog, sizeof prog / sizeof prog[0], &cb, &err), "%s", err.msg);
    Exec e = make_exec(&cb);
    cb_free(&cb);

    FakeVm vm;
    memset(&vm, 0, sizeof vm);
    WasmcVal imported;
    memset(&imported, 0xEE, sizeof imported);
    imported.i32 = 0x60000001; /* * 3 wraps */
    WasmcVal *ptr = &imported;
    memcpy(vm.bytes + 16, &ptr, sizeof ptr);
    memset(vm.bytes + 32, 0x77, 16); /* stale bytes the init must overwrite */

    uint64_t data_offsets[2] = { 9, 9 }, elem_offsets[2] = { 9, 9 };
    void *items1[2] = { (void *)1, (void *)1 };
    void **elem_items[2] = { NULL, items1 };
    void *table_inits[2] = { NULL, NULL };
    WasmcInitOut out = { data_offsets, elem_offsets, elem_items, table_inits };
    ((InitFn)e.p)(vm.bytes, &out);

    uint32_t g1;
    uint64_t g1_all, g2, g3;
    memcpy(&g1, vm.bytes + 32, 4);
    memcpy(&g1_all, vm.bytes + 32, 8);
    memcpy(&g2, vm.bytes + 48, 8);
    memcpy(&g3, vm.bytes + 64, 8);
    ck_assert_uint_eq(g1, (uint32_t)(0x60000001u * 3u - 1u));
    ck_assert(g1_all == g1); /* stored zero-extended */
    ck_assert(g2 == g1 + UINT64_C(0x700000000));
    ck_assert(g3 == UINT64_C(0x400921fb54442d18));
    ck_assert(data_offsets[0] == 9 && data_offsets[1] == 0xfffffff0u);
    ck_assert(elem_offsets[0] == 1 && elem_offsets[1] == 9);
    ck_assert_ptr_eq(items1[0], vm.bytes + 256 + 2 * 32);
    ck_assert_ptr_null(items1[1]);
    ck_assert_ptr_eq(table_inits[1], vm.bytes + 256);
    ck_assert(table_inits[0] == (void *)(uintptr_t)0x3fc00000u);
    free_exec(e);
}
END_TEST

START_TEST(init_empty_program)
{
    CgModuleInfo mi = fake_info();
    CodeBuf cb;
    cb_init(&cb);
    WasmcError err = { 0 };
    ck_assert(cg_emit_init(&mi, NULL, 0, &cb, &err));
    Exec e = make_exec(&cb);
    cb_free(&cb);
    FakeVm vm;
    memset(&vm, 0, sizeof vm);
    WasmcInitOut out = { 0 };
    ((InitFn)e.p)(vm.bytes, &out);
    free_exec(e);
}
END_TEST

START_TEST(init_bad_programs)
{
    CgModuleInfo mi = fake_info();
    struct {
        CgInitInsn prog[2];
        uint32_t n;
        const char *msg;
    } cases[] = {
        { { { CG_INIT_I32_ADD, 0, 0, 0 } }, 1, "underflow" },
        { { { CG_INIT_I32_CONST, 0, 0, 1 } }, 1, "leaves 1" },
        { { { CG_INIT_I32_CONST, 0, 0, 1 }, { CG_INIT_STORE_GLOBAL, 0, 0, 0 } }, 2, "not a defined global" },
        { { { CG_INIT_GLOBAL_GET, 9, 0, 0 } }, 1, "out of range" },
        { { { CG_INIT_REF_FUNC, 3, 0, 0 } }, 1, "out of range" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        CodeBuf cb;
        cb_init(&cb);
        WasmcError err = { 0 };
        ck_assert(!cg_emit_init(&mi, cases[k].prog, cases[k].n, &cb, &err));
        ck_assert_msg(strstr(err.msg, cases[k].msg), "case %zu: %s", k, err.msg);
        cb_free(&cb);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tramp_init");
    TCase *t = tcase_create("tramp");
    tcase_add_test(t, tramp_mixed);
    tcase_add_test(t, tramp_stack_args);
    tcase_add_test(t, tramp_multi_result);
    tcase_add_test(t, tramp_no_params);
    tcase_add_test(t, tramp_v128_rejected);
    suite_add_tcase(s, t);
    t = tcase_create("init");
    tcase_add_test(t, init_program_runs);
    tcase_add_test(t, init_empty_program);
    tcase_add_test(t, init_bad_programs);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
