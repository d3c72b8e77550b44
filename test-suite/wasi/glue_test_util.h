/* glue_test_util.h - scaffolding for the WASI glue tests: hand-written module
 * descriptors (the vmctx layout a compiler would compute, offsets by offsetof) whose
 * instances give the glue a real caller vmctx, as compiled code would pass it. */
#ifndef GLUE_TEST_UTIL_H
#define GLUE_TEST_UTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "wasmc_wasi_glue.h"

typedef struct GlueVm {
    WasmcInstance *instance; /* offset 0, fixed by the ABI */
    uintptr_t stack_limit;
    WasmcMemoryRecord mem0;
    WasmcImportSlot imports[4];
    uint32_t type_ids[8];
    WasmcFuncRef funcrefs[8];
} GlueVm;

#define GVM(v) ((GlueVm *)(void *)(v))

/* A descriptor with the GlueVm layout and nothing else (no memory); tests add the rest. */
WasmcModuleDesc gt_desc(const char *name);
/* An instance of a module with one defined memory of one 64 KiB page, or without any
 * memory, ck_assert'ed; its vmctx in *vm. */
WasmcInstance *gt_instance(bool with_memory, WasmcVmctx **vm);
WasmcInstance *gt_instantiate(const WasmcModuleDesc *d, WasmcResolveFn resolve, void *user);

/* Guest memory 0 of vm (re-read: it may move). */
uint8_t *gt_mem(WasmcVmctx *vm);
void gt_st32(WasmcVmctx *vm, uint32_t at, uint32_t v);
uint32_t gt_ld32(WasmcVmctx *vm, uint32_t at);
uint64_t gt_ld64(WasmcVmctx *vm, uint32_t at);

/* args_get (env false) or environ_get (env true) through the glue, with the process-wide
 * context: the strings, malloc'ed (free with gt_free_strings), count in *n. */
char **gt_strings(WasmcVmctx *vm, bool env, uint32_t *n);
void gt_free_strings(char **v, uint32_t n);
/* fd_prestat_dir_name of fd through the glue into buf (NUL-terminated); returns errno. */
int32_t gt_prestat_name(WasmcVmctx *vm, uint32_t fd, char *buf, size_t size);

#endif
