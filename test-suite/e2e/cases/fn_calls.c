#include "e2e.h"
#ifndef MODULE_HEADER
#define MODULE_HEADER "fn_calls.h"
#define MODULE_DESC fn_calls_module
#define MODULE_NAME "fn_calls"
#define MODULE_SWAP fn_calls_swap
#endif
#include MODULE_HEADER

/* "env"."peek": reads the calling instance's memory. */
int32_t wasmc_import_env_peek(WasmcVmctx *env, WasmcVmctx *caller_vmctx, int32_t addr)
{
    int32_t v;
    memcpy(&v, wasmc_rt_memory_base(caller_vmctx, 0) + addr, 4);
    return v;
}

int main(void)
{
    WasmcInstance *inst = e2e_instantiate(&MODULE_DESC, NULL, NULL);
    CHECK(e2e_global(inst, "started")->i32 == 77);
    WasmcVal a[2], r[2];
    a[0].i32 = 0;
    a[1].i32 = 10;
    CHECK(wasmc_rt_call(inst, "indirect", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 11);
    a[0].i32 = 1;
    CHECK(wasmc_rt_call(inst, "indirect", a, 2, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 20);
    a[0].i32 = 2;
    CHECK(wasmc_rt_call(inst, "indirect", a, 2, r, 1) == WASMC_TRAP_INDIRECT_CALL_TYPE);
    a[0].i32 = 3;
    CHECK(wasmc_rt_call(inst, "indirect", a, 2, r, 1) == WASMC_TRAP_UNINITIALIZED_ELEMENT);
    a[0].i32 = 4;
    CHECK(wasmc_rt_call(inst, "indirect", a, 2, r, 1) == WASMC_TRAP_UNDEFINED_ELEMENT);

    a[0].i32 = -5;
    a[1].i64 = INT64_C(1) << 40;
    CHECK(wasmc_rt_call(inst, "swap", a, 2, r, 2) == WASMC_TRAP_NONE);
    CHECK(r[0].i64 == INT64_C(1) << 40 && r[1].i32 == -5);
    CHECK(wasmc_rt_call(inst, "sum_swapped", a, 2, r, 1) == WASMC_TRAP_NONE);
    CHECK(r[0].i64 == (INT64_C(1) << 40) - 5);

    CHECK(wasmc_rt_call(inst, "bump", NULL, 0, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 5);
    CHECK(wasmc_rt_call(inst, "bump", NULL, 0, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 10);
    CHECK(e2e_global(inst, "g")->i32 == 10);

    a[0].i32 = 64;
    CHECK(wasmc_rt_call(inst, "peek_via_host", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 0x01020304);

    a[0].i32 = 0;
    CHECK(wasmc_rt_call(inst, "deep", a, 1, r, 1) == WASMC_TRAP_STACK_OVERFLOW);
    /* still usable after unwinding a deep stack */
    CHECK(wasmc_rt_call(inst, "bump", NULL, 0, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 15);

    /* Multi-value direct call through the alias: results via the pointer. */
    WasmcVmctx *vm = wasmc_rt_instance_vmctx(inst);
    WasmcVal res[2];
    MODULE_SWAP(vm, vm, 3, 4, res);
    CHECK(res[0].i64 == 4 && res[1].i32 == 3);

    /* Two instances of one module do not share state. */
    WasmcInstance *other = e2e_instantiate(&MODULE_DESC, NULL, NULL);
    CHECK(wasmc_rt_call(other, "bump", NULL, 0, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 5);
    wasmc_rt_instance_free(other);
    wasmc_rt_instance_free(inst);
    return e2e_done(MODULE_NAME);
}
