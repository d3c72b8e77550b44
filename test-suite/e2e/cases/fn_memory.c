#include "e2e.h"
#ifndef MODULE_HEADER
#define MODULE_HEADER "fn_memory.h"
#define MODULE_DESC fn_memory_module
#define MODULE_NAME "fn_memory"
#define EXPECT_GUARDED 1
#endif
#include MODULE_HEADER

int main(void)
{
    WasmcInstance *inst = e2e_instantiate(&MODULE_DESC, NULL, NULL);
    WasmcVal a[2], r[1];
    CHECK(!!(MODULE_DESC.memories[0].flags & WASMC_MEM_GUARDED) == EXPECT_GUARDED);
    a[0].i32 = 100;
    CHECK(wasmc_rt_call(inst, "load", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 42);
    a[0].i32 = 65532;
    CHECK(wasmc_rt_call(inst, "load", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 0);
    a[0].i32 = 65533;
    CHECK(wasmc_rt_call(inst, "load", a, 1, r, 1) == WASMC_TRAP_MEMORY_OOB);
    a[0].i32 = -1;
    CHECK(wasmc_rt_call(inst, "load", a, 1, r, 1) == WASMC_TRAP_MEMORY_OOB);
    a[0].i32 = 0;
    CHECK(wasmc_rt_call(inst, "load_off", a, 1, r, 1) == WASMC_TRAP_NONE);
    a[0].i32 = 1;
    CHECK(wasmc_rt_call(inst, "load_off", a, 1, r, 1) == WASMC_TRAP_MEMORY_OOB);
    a[0].i32 = 7;
    a[1].i32 = 0x1ff;
    CHECK(wasmc_rt_call(inst, "store8", a, 2, NULL, 0) == WASMC_TRAP_NONE);
    a[0].i32 = 7;
    CHECK(wasmc_rt_call(inst, "load64", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i64 == 0xff);
    a[0].i32 = 65536;
    a[1].i32 = 1;
    CHECK(wasmc_rt_call(inst, "store8", a, 2, NULL, 0) == WASMC_TRAP_MEMORY_OOB);
    a[0].i32 = 2;
    CHECK(wasmc_rt_call(inst, "grow", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 1);
    CHECK(wasmc_rt_call(inst, "size", NULL, 0, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 3);
    a[0].i32 = 2;
    CHECK(wasmc_rt_call(inst, "grow", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == -1);
    a[0].i32 = 3 * 65536 - 4;
    CHECK(wasmc_rt_call(inst, "load", a, 1, r, 1) == WASMC_TRAP_NONE && r[0].i32 == 0);
    a[0].i32 = 65536;
    a[1].i32 = 9;
    CHECK(wasmc_rt_call(inst, "store8", a, 2, NULL, 0) == WASMC_TRAP_NONE);
    const WasmcMemoryRecord *rec = wasmc_rt_memory_record(wasmc_rt_instance_memory(inst, 0));
    CHECK(rec->base[65536] == 9 && rec->base[7] == 0xff);
    wasmc_rt_instance_free(inst);
    return e2e_done(MODULE_NAME);
}
