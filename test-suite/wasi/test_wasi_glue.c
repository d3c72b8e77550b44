/* test_wasi_glue.c - the wasmc_import_wasi_* functions called as compiled code calls
 * them: with a real caller vmctx (a hand-written module with one memory), the process-
 * wide context, per-instance contexts through the resolver, bad pointers, modules
 * without memory, proc_exit (process exit and the embedder's unwind hook), the
 * wasi_unstable variants that differ, every symbol of the table, and wasmc_rt_main
 * running a "compiled" _start end to end.  No wasmc_wasi_config is linked here: the
 * standalone init must then grant nothing but argv and stdio. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "glue_test_util.h"

#define P1(name) wasmc_import_wasi_snapshot_preview1_##name
#define UN(name) wasmc_import_wasi_unstable_##name

static WasmcInstance *g_inst;
static WasmcVmctx *g_vm;
static int g_pipe[2] = {-1, -1}; /* the guest's stdout */
static WasiCtx *g_ctx;

/* A context whose stdout is host fd `out` (and optionally one preopen). */
static WasiCtx *ctx_with(int out, const char *dir)
{
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.stdout_fd = out;
    WasiPreopen pre = {dir, "/d"};
    if (dir) {
        cfg.preopens = &pre;
        cfg.npreopens = 1;
    }
    char err[256];
    WasiCtx *c = wasi_ctx_new(&cfg, err, sizeof err);
    ck_assert_msg(c != NULL, "%s", err);
    return c;
}

static void setup(void)
{
    g_inst = gt_instance(true, &g_vm);
    ck_assert_int_eq(pipe(g_pipe), 0);
    g_ctx = ctx_with(g_pipe[1], NULL);
    wasmc_wasi_set_ctx(g_ctx);
}

static void teardown(void)
{
    wasmc_wasi_set_ctx(NULL);
    wasi_ctx_free(g_ctx);
    wasmc_rt_instance_free(g_inst);
    close(g_pipe[0]);
    close(g_pipe[1]);
}

/* Puts one iovec {at, len of s} at `iov` and s at `at`. */
static void put_iov(WasmcVmctx *vm, uint32_t iov, uint32_t at, const char *s)
{
    memcpy(gt_mem(vm) + at, s, strlen(s));
    gt_st32(vm, iov, at);
    gt_st32(vm, iov + 4, (uint32_t)strlen(s));
}

static void expect_pipe(int fd, const char *want)
{
    char buf[256] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    ck_assert_int_eq(n, (ssize_t)strlen(want));
    ck_assert_str_eq(buf, want);
}

START_TEST(fd_write_iovec_from_linear_memory)
{
    put_iov(g_vm, 16, 100, "hello, ");
    put_iov(g_vm, 24, 200, "world\n");
    ck_assert_int_eq(P1(fd_write)(NULL, g_vm, 1, 16, 2, 32), 0);
    ck_assert_uint_eq(gt_ld32(g_vm, 32), 13);
    expect_pipe(g_pipe[0], "hello, world\n");
    /* wasi_unstable.fd_write is the same function over the same context */
    ck_assert_int_eq(UN(fd_write)(NULL, g_vm, 1, 24, 1, 36), 0);
    ck_assert_uint_eq(gt_ld32(g_vm, 36), 6);
    expect_pipe(g_pipe[0], "world\n");
}
END_TEST

START_TEST(memory_is_reread_after_grow)
{
    ck_assert_int_eq(wasmc_rt_memory_grow(g_vm, 0, 1), 1);
    put_iov(g_vm, 65536 + 8, 65536 + 100, "grown");
    ck_assert_int_eq(P1(fd_write)(NULL, g_vm, 1, 65536 + 8, 1, 65536 + 64), 0);
    ck_assert_uint_eq(gt_ld32(g_vm, 65536 + 64), 5);
    expect_pipe(g_pipe[0], "grown");
}
END_TEST

START_TEST(env_argument_selects_the_context)
{
    int other[2];
    ck_assert_int_eq(pipe(other), 0);
    WasiCtx *c = ctx_with(other[1], NULL);
    put_iov(g_vm, 16, 100, "mine");
    ck_assert_int_eq(P1(fd_write)(c, g_vm, 1, 16, 1, 32), 0);
    expect_pipe(other[0], "mine");
    wasi_ctx_free(c);
    close(other[0]);
    close(other[1]);
}
END_TEST

START_TEST(bad_pointers_fault)
{
    const int32_t size = 65536;
    put_iov(g_vm, 16, 100, "x");
    /* the iovec array straddles the end of memory */
    ck_assert_int_eq(P1(fd_write)(NULL, g_vm, 1, size - 4, 1, 32), WASI_ERRNO_FAULT);
    /* the result pointer is out of bounds: nothing is written */
    ck_assert_int_eq(P1(fd_write)(NULL, g_vm, 1, 16, 1, size - 2), WASI_ERRNO_FAULT);
    ck_assert_int_eq(UN(fd_write)(NULL, g_vm, 1, 16, 1, -1), WASI_ERRNO_FAULT);
    /* an iovec pointing past the end */
    gt_st32(g_vm, 16, size - 1);
    gt_st32(g_vm, 20, 2);
    ck_assert_int_eq(P1(fd_write)(NULL, g_vm, 1, 16, 1, 32), WASI_ERRNO_FAULT);
    ck_assert_int_eq(P1(clock_time_get)(NULL, g_vm, WASI_CLOCK_MONOTONIC, 1, size - 7),
                     WASI_ERRNO_FAULT);
    ck_assert_int_eq(P1(clock_time_get)(NULL, g_vm, WASI_CLOCK_MONOTONIC, 1, size - 8), 0);
    ck_assert_int_eq(P1(random_get)(NULL, g_vm, INT32_MIN, 4), WASI_ERRNO_FAULT);
    /* nothing reached the pipe */
    ck_assert_int_eq(fcntl(g_pipe[0], F_SETFL, O_NONBLOCK), 0);
    char c;
    ck_assert_int_eq(read(g_pipe[0], &c, 1), -1);
}
END_TEST

START_TEST(module_without_memory)
{
    WasmcVmctx *vm;
    WasmcInstance *inst = gt_instance(false, &vm);
    /* calls that touch memory fault; those that do not work */
    ck_assert_int_eq(P1(fd_write)(NULL, vm, 1, 0, 0, 0), WASI_ERRNO_FAULT);
    ck_assert_int_eq(P1(clock_time_get)(NULL, vm, WASI_CLOCK_MONOTONIC, 1, 0), WASI_ERRNO_FAULT);
    ck_assert_int_eq(P1(sched_yield)(NULL, vm), 0);
    ck_assert_int_eq(P1(fd_fdstat_set_flags)(NULL, vm, 1, 0), 0);
    ck_assert_int_eq(UN(fd_close)(NULL, vm, 77), WASI_ERRNO_BADF);
    /* a zero-length random_get at 0 is in bounds of an empty memory */
    ck_assert_int_eq(P1(random_get)(NULL, vm, 0, 0), 0);
    ck_assert_int_eq(P1(random_get)(NULL, vm, 0, 1), WASI_ERRNO_FAULT);
    /* no caller at all (a host calling the glue directly): same empty view */
    ck_assert_int_eq(P1(args_sizes_get)(NULL, NULL, 0, 4), WASI_ERRNO_FAULT);
    wasmc_rt_instance_free(inst);
}
END_TEST

/* ---- every symbol ---------------------------------------------------------------------- */

/* Taking each address through the X-macro table is the link-time check: a missing
 * definition would be an undefined reference (these declarations are not weak). */
#define ADDR_P1_(name, unstable, result, n, params) (void *)P1(name),
#define ADDR_U_same(name) (void *)UN(name),
#define ADDR_U_own ADDR_U_same
#define ADDR_U_absent(name)
#define ADDR_U_(name, unstable, result, n, params) ADDR_U_##unstable(name)
static void *const all_p1[] = {WASMC_WASI_FUNCS(ADDR_P1_)};
static void *const all_un[] = {WASMC_WASI_FUNCS(ADDR_U_)};

static const WasmcWasiImport *find_import(const char *mod, const char *name)
{
    for (uint32_t i = 0; i < wasmc_wasi_num_imports; i++)
        if (!strcmp(wasmc_wasi_imports[i].module, mod) && !strcmp(wasmc_wasi_imports[i].name, name))
            return &wasmc_wasi_imports[i];
    return NULL;
}

START_TEST(every_symbol_exists)
{
    size_t np1 = sizeof all_p1 / sizeof *all_p1, nun = sizeof all_un / sizeof *all_un;
    ck_assert_uint_eq(np1, 46);
    ck_assert_uint_eq(nun, 45);
    for (size_t i = 0; i < np1; i++)
        ck_assert_ptr_nonnull(all_p1[i]);
    for (size_t i = 0; i < nun; i++)
        ck_assert_ptr_nonnull(all_un[i]);
    /* the exported table lists the same functions in the same order */
    ck_assert_uint_eq(wasmc_wasi_num_imports, np1 + nun);
    for (size_t i = 0; i < wasmc_wasi_num_imports; i++) {
        const WasmcWasiImport *e = &wasmc_wasi_imports[i];
        ck_assert_ptr_eq(e->code, i < np1 ? all_p1[i] : all_un[i - np1]);
        ck_assert_str_eq(e->module, i < np1 ? "wasi_snapshot_preview1" : "wasi_unstable");
        /* the naming rule needs no escapes here: module "_" name */
        char sym[128], want[128];
        wasmc_rt_import_symbol(e->module, e->name, sym, sizeof sym);
        snprintf(want, sizeof want, "wasmc_import_%s_%s", e->module, e->name);
        ck_assert_str_eq(sym, want);
    }
    ck_assert_ptr_null(find_import("wasi_unstable", "sock_accept"));
    ck_assert_ptr_eq(find_import("wasi_unstable", "fd_seek")->code, (void *)UN(fd_seek));
    ck_assert_ptr_ne((void *)UN(fd_seek), (void *)P1(fd_seek));
    /* canonical signatures (wasmc_rt.h) */
    ck_assert_str_eq(find_import("wasi_snapshot_preview1", "fd_write")->signature, "iiii:i");
    ck_assert_str_eq(find_import("wasi_snapshot_preview1", "clock_time_get")->signature, "iIi:i");
    ck_assert_str_eq(find_import("wasi_snapshot_preview1", "path_open")->signature,
                     "iiiiiIIii:i");
    ck_assert_str_eq(find_import("wasi_snapshot_preview1", "proc_exit")->signature, "i:");
    ck_assert_str_eq(find_import("wasi_unstable", "sched_yield")->signature, ":i");
    ck_assert_str_eq(find_import("wasi_unstable", "fd_seek")->signature, "iIii:i");
}
END_TEST

/* ---- wasi_unstable layouts ---------------------------------------------------------------- */

static char g_dir[64];

/* A scratch directory with "f" = "0123456789", preopened as fd 3 of a context given to
 * the glue through env; the file opened through the glue; returns its fd. */
static int32_t open_scratch_file(WasiCtx **ctx)
{
    strcpy(g_dir, "/tmp/wasmc-glue-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(g_dir));
    char path[96];
    snprintf(path, sizeof path, "%s/f", g_dir);
    int h = open(path, O_CREAT | O_WRONLY, 0600);
    ck_assert_int_eq(write(h, "0123456789", 10), 10);
    close(h);
    *ctx = ctx_with(1, g_dir);
    memcpy(gt_mem(g_vm) + 1000, "f", 1);
    ck_assert_int_eq(P1(path_open)(*ctx, g_vm, 3, 0, 1000, 1, 0, (int64_t)WASI_RIGHTS_ALL,
                                   (int64_t)WASI_RIGHTS_ALL, 0, 1008),
                     0);
    return (int32_t)gt_ld32(g_vm, 1008);
}

static void remove_scratch(WasiCtx *ctx)
{
    wasi_ctx_free(ctx);
    char path[96];
    snprintf(path, sizeof path, "%s/f", g_dir);
    unlink(path);
    rmdir(g_dir);
}

START_TEST(unstable_fd_seek_whence)
{
    WasiCtx *c;
    int32_t fd = open_scratch_file(&c);
    ck_assert_int_eq(P1(fd_seek)(c, g_vm, fd, 3, WASI_WHENCE_SET, 8), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 8), 3);
    /* 0 is CUR in wasi_unstable, SET in preview1 */
    ck_assert_int_eq(UN(fd_seek)(c, g_vm, fd, 3, 0, 8), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 8), 6);
    ck_assert_int_eq(UN(fd_seek)(c, g_vm, fd, 2, WASI_UNSTABLE_WHENCE_SET, 8), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 8), 2);
    ck_assert_int_eq(UN(fd_seek)(c, g_vm, fd, -1, WASI_UNSTABLE_WHENCE_END, 8), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 8), 9);
    ck_assert_int_eq(P1(fd_seek)(c, g_vm, fd, -4, WASI_WHENCE_END, 8), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 8), 6);
    ck_assert_int_eq(P1(fd_tell)(c, g_vm, fd, 16), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 16), 6);
    remove_scratch(c);
}
END_TEST

START_TEST(unstable_filestat_layout)
{
    WasiCtx *c;
    int32_t fd = open_scratch_file(&c);
    uint8_t *m = gt_mem(g_vm);
    memset(m + 2000, 0xee, 128);
    ck_assert_int_eq(P1(fd_filestat_get)(c, g_vm, fd, 2000), 0);
    ck_assert_int_eq(m[2016], WASI_FILETYPE_REGULAR_FILE);
    ck_assert_uint_eq(gt_ld64(g_vm, 2024), 1);  /* nlink u64 */
    ck_assert_uint_eq(gt_ld64(g_vm, 2032), 10); /* size */
    ck_assert_int_eq(m[2000 + WASI_FILESTAT_SIZE], 0xee);

    memset(m + 2000, 0xee, 128);
    ck_assert_int_eq(UN(fd_filestat_get)(c, g_vm, fd, 2000), 0);
    ck_assert_int_eq(m[2016], WASI_FILETYPE_REGULAR_FILE);
    ck_assert_uint_eq(gt_ld32(g_vm, 2020), 1);  /* nlink u32 */
    ck_assert_uint_eq(gt_ld64(g_vm, 2024), 10); /* size moved up */
    ck_assert_int_eq(m[2000 + WASI_UNSTABLE_FILESTAT_SIZE], 0xee);

    memset(m + 2000, 0xee, 128);
    ck_assert_int_eq(UN(path_filestat_get)(c, g_vm, 3, 0, 1000, 1, 2000), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 2024), 10);
    ck_assert_int_eq(m[2000 + WASI_UNSTABLE_FILESTAT_SIZE], 0xee);
    ck_assert_int_eq(P1(path_filestat_get)(c, g_vm, 3, 0, 1000, 1, 2000), 0);
    ck_assert_uint_eq(gt_ld64(g_vm, 2032), 10);
    /* and the whole filestat must fit: 56 bytes fit where 64 do not */
    uint32_t end = 65536;
    ck_assert_int_eq(UN(fd_filestat_get)(c, g_vm, fd, (int32_t)(end - 56)), 0);
    ck_assert_int_eq(P1(fd_filestat_get)(c, g_vm, fd, (int32_t)(end - 56)), WASI_ERRNO_FAULT);
    remove_scratch(c);
}
END_TEST

/* A relative clock subscription with timeout 0 in either layout: the preview1 one has
 * the clock id at 16, wasi_unstable has an identifier there and the id at 24. */
static void put_clock_sub(uint32_t at, bool unstable)
{
    uint8_t *m = gt_mem(g_vm);
    memset(m + at, 0, 56);
    memset(m + at, 0x5a, 8); /* userdata */
    m[at + 8] = WASI_EVENTTYPE_CLOCK;
    if (unstable) {
        memset(m + at + 16, 0x99, 8); /* identifier: a clock id of 0x99999999 if misread */
        gt_st32(g_vm, at + 24, WASI_CLOCK_MONOTONIC);
    } else {
        gt_st32(g_vm, at + 16, WASI_CLOCK_MONOTONIC);
    }
}

START_TEST(unstable_poll_subscription_layout)
{
    for (int unstable = 0; unstable < 2; unstable++) {
        put_clock_sub(3000, unstable);
        memset(gt_mem(g_vm) + 4000, 0xee, 32);
        int32_t e = unstable ? UN(poll_oneoff)(NULL, g_vm, 3000, 4000, 1, 4100)
                             : P1(poll_oneoff)(NULL, g_vm, 3000, 4000, 1, 4100);
        ck_assert_int_eq(e, 0);
        ck_assert_uint_eq(gt_ld32(g_vm, 4100), 1);
        ck_assert_uint_eq(gt_ld64(g_vm, 4000), UINT64_C(0x5a5a5a5a5a5a5a5a));
        ck_assert_int_eq(gt_mem(g_vm)[4008] | gt_mem(g_vm)[4009] << 8, 0); /* error */
        ck_assert_int_eq(gt_mem(g_vm)[4010], WASI_EVENTTYPE_CLOCK);
    }
}
END_TEST

/* ---- proc_exit ------------------------------------------------------------------------------ */

static int child_status(pid_t pid)
{
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

START_TEST(proc_exit_ends_the_process)
{
    pid_t pid = fork();
    if (pid == 0)
        P1(proc_exit)(NULL, g_vm, 42);
    ck_assert_int_eq(child_status(pid), 42);
    pid = fork();
    if (pid == 0)
        UN(proc_exit)(NULL, g_vm, 7);
    ck_assert_int_eq(child_status(pid), 7);
    /* the status is the low 8 bits, as for exit(3) */
    pid = fork();
    if (pid == 0)
        P1(proc_exit)(NULL, g_vm, 256 + 3);
    ck_assert_int_eq(child_status(pid), 3);
}
END_TEST

/* ---- a "compiled" module importing WASI ---------------------------------------------------- */

typedef int32_t (*FdWriteFn)(void *, WasmcVmctx *, int32_t, int32_t, int32_t, int32_t);
typedef int32_t (*PrestatFn)(void *, WasmcVmctx *, int32_t, int32_t);
typedef void (*ExitFn)(void *, WasmcVmctx *, int32_t);

/* _start: fd_write("hi\n") through import 0, then proc_exit(errno of fd_prestat_get(3))
 * through imports 2 and 1, as compiled code calls imports: slot code with the slot's
 * vmctx (env) and its own vmctx as the caller. */
static void start_fn(WasmcVmctx *vm, WasmcVmctx *caller)
{
    (void)caller;
    GlueVm *v = GVM(vm);
    put_iov(vm, 16, 100, "hi\n");
    WasmcImportSlot *s = &v->imports[0];
    int32_t e = ((FdWriteFn)s->code)(s->vmctx, vm, 1, 16, 1, 32);
    if (e != 0)
        wasmc_rt_trap(vm, WASMC_TRAP_UNREACHABLE);
    s = &v->imports[2];
    e = ((PrestatFn)s->code)(s->vmctx, vm, 3, 40);
    s = &v->imports[1];
    ((ExitFn)s->code)(s->vmctx, vm, e);
}

static void tramp_void(WasmcVmctx *callee, WasmcVmctx *caller, void *fn, WasmcVal *slots)
{
    (void)slots;
    ((void (*)(WasmcVmctx *, WasmcVmctx *))fn)(callee, caller);
}

static const char *const app_types[] = {"iiii:i", "i:", "ii:i", ":"};
static const WasmcArrayTramp app_tramps[] = {NULL, NULL, NULL, tramp_void};
static const uint32_t app_func_types[] = {0, 1, 2, 3};
static const WasmcImport app_imports[] = {
    {"wasi_snapshot_preview1", "fd_write", WASMC_EXTERN_FUNC, 0, (void *)P1(fd_write)},
    {"wasi_snapshot_preview1", "proc_exit", WASMC_EXTERN_FUNC, 1, (void *)P1(proc_exit)},
    {"wasi_unstable", "fd_prestat_get", WASMC_EXTERN_FUNC, 2, (void *)UN(fd_prestat_get)},
};
static const WasmcFuncDesc app_funcs[] = {{(void *)start_fn, 0, "_start"}};
static const WasmcExport app_exports[] = {{"_start", WASMC_EXTERN_FUNC, 3}};
static const WasmcMemoryDef app_mem = {.min = 1, .page_size_log2 = 16};

static WasmcModuleDesc app_desc(void)
{
    WasmcModuleDesc d = gt_desc("app");
    d.num_types = 4;
    d.types = app_types;
    d.type_tramps = app_tramps;
    d.num_funcs = 4;
    d.num_imported_funcs = 3;
    d.func_types = app_func_types;
    d.funcs = app_funcs;
    d.num_imports = 3;
    d.imports = app_imports;
    d.num_exports = 1;
    d.exports = app_exports;
    d.num_memories = 1;
    d.memories = &app_mem;
    return d;
}

START_TEST(wasmc_rt_main_runs_start_with_wasi)
{
    int out[2];
    ck_assert_int_eq(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        wasmc_wasi_set_ctx(NULL); /* the standalone path: wasmc_rt_main calls the init */
        unsetenv("WASMC_DIR");
        WasmcModuleDesc d = app_desc();
        char *argv[] = {"app", NULL};
        _exit(wasmc_rt_main(&d, 1, argv) == 0 ? 100 : 101); /* proc_exit comes first */
    }
    close(out[1]);
    /* no wasmc_wasi_config is linked here: no preopens, so fd 3 is EBADF */
    ck_assert_int_eq(child_status(pid), WASI_ERRNO_BADF);
    expect_pipe(out[0], "hi\n");
    close(out[0]);
}
END_TEST

START_TEST(resolver_and_exit_unwind_for_embedders)
{
    int out[2], dir_ok;
    ck_assert_int_eq(pipe(out), 0);
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.stdout_fd = out[1];
    WasiPreopen pre = {"/", "/"};
    cfg.preopens = &pre;
    cfg.npreopens = 1;
    cfg.proc_exit = wasmc_wasi_exit_unwind;
    char err[128];
    WasiCtx *c = wasi_ctx_new(&cfg, err, sizeof err);
    ck_assert_ptr_nonnull(c);
    WasmcModuleDesc d = app_desc();
    WasmcInstance *inst = gt_instantiate(&d, wasmc_wasi_resolve, c);
    /* the instance's imports carry c as their env */
    ck_assert_ptr_eq(GVM(wasmc_rt_instance_vmctx(inst))->imports[0].vmctx, (WasmcVmctx *)c);
    int32_t code = -1;
    ck_assert(!wasmc_wasi_exit_status(&code));
    ck_assert_int_eq(wasmc_rt_call(inst, "_start", NULL, 0, NULL, 0), WASMC_TRAP_HOST);
    ck_assert(wasmc_wasi_exit_status(&code));
    dir_ok = code;
    ck_assert_int_eq(dir_ok, 0); /* fd 3 is c's preopen */
    ck_assert(!wasmc_wasi_exit_status(&code)); /* consumed */
    expect_pipe(out[0], "hi\n");
    /* the instance stays usable after the unwind */
    ck_assert_int_eq(wasmc_rt_call(inst, "_start", NULL, 0, NULL, 0), WASMC_TRAP_HOST);
    expect_pipe(out[0], "hi\n");
    wasmc_rt_instance_free(inst);
    wasi_ctx_free(c);
    close(out[0]);
    close(out[1]);
}
END_TEST

START_TEST(resolver_type_checks_and_leaves_others)
{
    /* an import declared with the wrong type is a link error, not a bad call */
    static const char *const bad_types[] = {"ii:i", "i:", "ii:i", ":"};
    WasmcModuleDesc d = app_desc();
    d.types = bad_types;
    WasmcInstance *inst = NULL;
    WasmcTrap trap;
    ck_assert_int_eq(wasmc_rt_instantiate(&d, wasmc_wasi_resolve, NULL, &inst, &trap),
                     WASMC_ERR_LINK);
    WasmcImport other = {"env", "f", WASMC_EXTERN_FUNC, 0, NULL};
    WasmcImport mem = {"wasi_snapshot_preview1", "memory", WASMC_EXTERN_MEMORY, 0, NULL};
    WasmcImport absent = {"wasi_unstable", "sock_accept", WASMC_EXTERN_FUNC, 0, NULL};
    WasmcExtern ext;
    ck_assert(!wasmc_wasi_resolve(NULL, &d, &other, &ext));
    ck_assert(!wasmc_wasi_resolve(NULL, &d, &mem, &ext));
    ck_assert(!wasmc_wasi_resolve(NULL, &d, &absent, &ext));
}
END_TEST

static Suite *glue_suite(void)
{
    Suite *s = suite_create("wasi_glue");
    TCase *tc = tcase_create("glue");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, fd_write_iovec_from_linear_memory);
    tcase_add_test(tc, memory_is_reread_after_grow);
    tcase_add_test(tc, env_argument_selects_the_context);
    tcase_add_test(tc, bad_pointers_fault);
    tcase_add_test(tc, module_without_memory);
    tcase_add_test(tc, every_symbol_exists);
    tcase_add_test(tc, unstable_fd_seek_whence);
    tcase_add_test(tc, unstable_filestat_layout);
    tcase_add_test(tc, unstable_poll_subscription_layout);
    tcase_add_test(tc, proc_exit_ends_the_process);
    tcase_add_test(tc, wasmc_rt_main_runs_start_with_wasi);
    tcase_add_test(tc, resolver_and_exit_unwind_for_embedders);
    tcase_add_test(tc, resolver_type_checks_and_leaves_others);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(glue_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
