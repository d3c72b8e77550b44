#include "e2e.h"
#include "fn_arith.h"

int main(void)
{
    WasmcInstance *inst = e2e_instantiate(&fn_arith_module, NULL, NULL);
    WasmcVal a[3], r[1];
    a[0].i32 = 40;
    a[1].i32 = 2;
    CHECK(wasmc_rt_call(inst, "add", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 42);
    a[0].i32 = -7;
    CHECK(wasmc_rt_call(inst, "div_s", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i32 == -3);
    a[1].i32 = 0;
    CHECK(wasmc_rt_call(inst, "div_s", a, 2, r, 1) == WASMC_TRAP_INT_DIV_ZERO);
    a[0].i32 = INT32_MIN;
    a[1].i32 = -1;
    CHECK(wasmc_rt_call(inst, "div_s", a, 2, r, 1) == WASMC_TRAP_INT_OVERFLOW);
    a[0].i64 = 1 << 20;
    a[1].i64 = (int64_t)1 << 30;
    CHECK(wasmc_rt_call(inst, "mul64", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i64 == (int64_t)1 << 50);
    a[0].f64 = 1.5;
    a[1].f64 = 4;
    a[2].f64 = 0.25;
    CHECK(wasmc_rt_call(inst, "fma", a, 3, r, 1) == WASMC_TRAP_NONE && r[0].f64 == 6.25);
    a[0].f32 = 2.25f;
    CHECK(wasmc_rt_call(inst, "fsqrt", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].f32 == 1.5f);
    a[0].i64 = 20;
    CHECK(wasmc_rt_call(inst, "fact", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i64 == 2432902008176640000LL);
    CHECK(wasmc_rt_call(inst, "unreachable", NULL, 0, NULL, 0) == WASMC_TRAP_UNREACHABLE);
    /* the instance is still usable after traps */
    a[0].i32 = 1;
    a[1].i32 = 2;
    CHECK(wasmc_rt_call(inst, "add", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 3);

    /* Direct C calls through the exported aliases (header prototypes). */
    WasmcVmctx *vm = wasmc_rt_instance_vmctx(inst);
    CHECK(fn_arith_add(vm, vm, 5, 6) == 11);
    CHECK(fn_arith_fact(vm, vm, 5) == 120);
    CHECK(fn_arith_fma(vm, vm, 2, 3, 1) == 7);

    /* Backtrace names: the trap inside "unreachable" (function 6) is wasm code. */
    const WasmcModuleDesc *d = &fn_arith_module;
    CHECK(d->num_funcs == 7 && d->code_size > 0 && d->funcs[0].code == d->code_start);
    for (uint32_t i = 1; i < 7; i++)
        CHECK((const char *)d->funcs[i].code >= (const char *)d->funcs[i - 1].code + d->funcs[i - 1].code_size);
    wasmc_rt_instance_free(inst);
    return e2e_done("fn_arith");
}
