/* Imports: global env.g0 = 100 (i32), memory env.mem (1 page). */
#include "e2e.h"
#include "globals_data.h"

static WasmcVal g0;
static WasmcMemory *imported_mem;

static bool resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp, WasmcExtern *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(imp->name, "g0") == 0) {
        out->kind = WASMC_EXTERN_GLOBAL;
        out->u.global.storage = &g0;
        out->u.global.type = WASMC_TYPE_I32;
        return true;
    }
    if (strcmp(imp->name, "mem") == 0) {
        out->kind = WASMC_EXTERN_MEMORY;
        out->u.memory = imported_mem;
        return true;
    }
    return false;
}

int main(void)
{
    memset(&g0, 0xEE, sizeof g0); /* dirty upper bytes: offsets must use the i32 only */
    g0.i32 = 100;
    WasmcMemoryDef def = { .min = 1, .max = 0, .page_size_log2 = 16, .flags = WASMC_MEM_GUARDED };
    imported_mem = wasmc_rt_memory_new(&def);
    CHECK(imported_mem != NULL);

    WasmcInstance *inst = e2e_instantiate(&globals_data_module, resolve, NULL);
    CHECK(e2e_global(inst, "a")->i32 == 42);
    CHECK(e2e_global(inst, "b")->i64 == 42);
    CHECK(e2e_global(inst, "c")->i32 == 300);
    CHECK(e2e_global(inst, "d")->f64 == 2.5);

    WasmcExtern mx;
    CHECK(wasmc_rt_instance_export(inst, "mem", &mx) && mx.kind == WASMC_EXTERN_MEMORY);
    const WasmcMemoryRecord *rec = wasmc_rt_memory_record(mx.u.memory);
    CHECK(rec->length == 2 * 65536);
    CHECK(memcmp(rec->base + 16, "hello", 5) == 0);
    CHECK(memcmp(rec->base + 100, "at g0", 5) == 0);
    CHECK(rec->base[21] == 0);

    const WasmcModuleDesc *d = &globals_data_module;
    CHECK(d->num_data == 3 && d->data[2].mode == WASMC_SEG_PASSIVE && d->data[2].size == 7);
    CHECK(memcmp(d->data[2].bytes, "passive", 7) == 0);
    CHECK(strcmp(d->name, "globals_data") == 0);
    CHECK(d->memories[1].flags == (WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED));
    CHECK(d->num_funcs == 0 && d->code_size == 0 && d->init != NULL);

    wasmc_rt_instance_free(inst);
    wasmc_rt_memory_free(imported_mem);
    return e2e_done("globals_data");
}
