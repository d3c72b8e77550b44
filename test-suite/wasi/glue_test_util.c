/* glue_test_util.c - see glue_test_util.h. */
#include "glue_test_util.h"

#include <stdlib.h>
#include <string.h>

#define GOFF(field) ((uint32_t)offsetof(GlueVm, field))

static const uint32_t gt_mem_offsets[1] = {GOFF(mem0)};
static const uint32_t gt_import_offsets[4] = {GOFF(imports[0]), GOFF(imports[1]),
                                              GOFF(imports[2]), GOFF(imports[3])};

WasmcModuleDesc gt_desc(const char *name)
{
    WasmcModuleDesc d;
    memset(&d, 0, sizeof d);
    d.abi_version = WASMC_RT_ABI_VERSION;
    d.name = name;
    d.vmctx_size = sizeof(GlueVm);
    d.stack_limit_offset = GOFF(stack_limit);
    d.funcrefs_offset = GOFF(funcrefs);
    d.type_ids_offset = GOFF(type_ids);
    d.memory_offsets = gt_mem_offsets;
    d.import_func_offsets = gt_import_offsets;
    d.start_func = UINT32_MAX;
    return d;
}

WasmcInstance *gt_instantiate(const WasmcModuleDesc *d, WasmcResolveFn resolve, void *user)
{
    WasmcInstance *inst = NULL;
    WasmcTrap trap;
    WasmcStatus st = wasmc_rt_instantiate(d, resolve, user, &inst, &trap);
    ck_assert_msg(st == WASMC_OK, "instantiate %s: %d: %s", d->name, (int)st,
                  wasmc_rt_error_message());
    return inst;
}

/* The descriptors outlive the instances (the runtime keeps the pointer). */
static const WasmcMemoryDef gt_memdef = {.min = 1, .max = 0, .page_size_log2 = 16};
static WasmcModuleDesc gt_descs[2];

WasmcInstance *gt_instance(bool with_memory, WasmcVmctx **vm)
{
    WasmcModuleDesc *d = &gt_descs[with_memory];
    *d = gt_desc(with_memory ? "mem" : "nomem");
    if (with_memory) {
        d->num_memories = 1;
        d->memories = &gt_memdef;
    }
    WasmcInstance *inst = gt_instantiate(d, NULL, NULL);
    *vm = wasmc_rt_instance_vmctx(inst);
    return inst;
}

uint8_t *gt_mem(WasmcVmctx *vm) { return wasmc_rt_memory_base(vm, 0); }

void gt_st32(WasmcVmctx *vm, uint32_t at, uint32_t v) { memcpy(gt_mem(vm) + at, &v, 4); }

uint32_t gt_ld32(WasmcVmctx *vm, uint32_t at)
{
    uint32_t v;
    memcpy(&v, gt_mem(vm) + at, 4);
    return v;
}

uint64_t gt_ld64(WasmcVmctx *vm, uint32_t at)
{
    uint64_t v;
    memcpy(&v, gt_mem(vm) + at, 8);
    return v;
}

char **gt_strings(WasmcVmctx *vm, bool env, uint32_t *n)
{
    int32_t e = env ? wasmc_import_wasi_snapshot_preview1_environ_sizes_get(NULL, vm, 0, 4)
                    : wasmc_import_wasi_snapshot_preview1_args_sizes_get(NULL, vm, 0, 4);
    ck_assert_int_eq(e, 0);
    uint32_t count = gt_ld32(vm, 0), size = gt_ld32(vm, 4);
    uint32_t ptrs = 64, buf = 64 + 4 * count;
    ck_assert_uint_lt(buf + size, wasmc_rt_memory_length(vm, 0));
    e = env ? wasmc_import_wasi_snapshot_preview1_environ_get(NULL, vm, (int32_t)ptrs,
                                                              (int32_t)buf)
            : wasmc_import_wasi_snapshot_preview1_args_get(NULL, vm, (int32_t)ptrs,
                                                           (int32_t)buf);
    ck_assert_int_eq(e, 0);
    char **v = calloc(count + 1, sizeof *v);
    for (uint32_t i = 0; i < count; i++)
        v[i] = strdup((const char *)gt_mem(vm) + gt_ld32(vm, ptrs + 4 * i));
    *n = count;
    return v;
}

void gt_free_strings(char **v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int32_t gt_prestat_name(WasmcVmctx *vm, uint32_t fd, char *buf, size_t size)
{
    int32_t e = wasmc_import_wasi_snapshot_preview1_fd_prestat_get(NULL, vm, (int32_t)fd, 0);
    if (e)
        return e;
    uint32_t len = gt_ld32(vm, 4); /* prestat: tag u8 @0, name_len u32 @4 */
    ck_assert_uint_lt(len, size);
    e = wasmc_import_wasi_snapshot_preview1_fd_prestat_dir_name(NULL, vm, (int32_t)fd, 16,
                                                                (int32_t)len);
    if (e == 0) {
        memcpy(buf, gt_mem(vm) + 16, len);
        buf[len] = '\0';
    }
    return e;
}
