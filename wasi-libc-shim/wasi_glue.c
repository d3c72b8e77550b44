/* wasi_glue.c - the import functions compiled code calls, and the process-wide WASI
 * context of standalone executables (see wasmc_wasi_glue.h and README.md).
 *
 * Everything lives in this one object file ON PURPOSE: compiled objects and the runtime
 * reference these symbols weakly, which never pulls an archive member, so the driver
 * pulls this object with `-u wasmc_wasi_init` and thereby gets every import function.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wasmc_wasi_glue.h"

extern char **environ;

/* ---- the process-wide context ----------------------------------------------------------- */

/* g_ctx is read on every symbol-bound call (atomic load); it changes only under g_lock.
 * g_owned is the context the glue built itself (wasmc_wasi_init or the lazy default) and
 * must free when replaced; an embedder's context (wasmc_wasi_set_ctx) is not ours. */
static _Atomic(WasiCtx *) g_ctx;
static WasiCtx *g_owned;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void install_ctx(WasiCtx *ctx, bool owned)
{
    pthread_mutex_lock(&g_lock);
    WasiCtx *old = g_owned;
    atomic_store(&g_ctx, ctx);
    g_owned = owned ? ctx : NULL;
    pthread_mutex_unlock(&g_lock);
    if (old && old != ctx)
        wasi_ctx_free(old);
}

/* Host stdio fd `fd` if it is open, else -1 (the guest then sees that number closed)
 * instead of failing the whole context, e.g. for `./app <&-`. */
static int stdio_fd(int fd)
{
    return fcntl(fd, F_GETFD) < 0 ? -1 : fd;
}

static void config_stdio(WasiConfig *wc)
{
    wc->stdin_fd = stdio_fd(0);
    wc->stdout_fd = stdio_fd(1);
    wc->stderr_fd = stdio_fd(2);
}

WasiCtx *wasmc_wasi_ctx(void)
{
    WasiCtx *ctx = atomic_load(&g_ctx);
    if (ctx)
        return ctx;
    pthread_mutex_lock(&g_lock);
    ctx = atomic_load(&g_ctx);
    if (!ctx) {
        /* Nothing set one up (an embedder binding by symbol name): least capability. */
        WasiConfig wc;
        wasi_config_init(&wc);
        config_stdio(&wc);
        char err[256];
        ctx = wasi_ctx_new(&wc, err, sizeof err);
        if (!ctx) {
            fprintf(stderr, "wasmc: error: WASI context: %s\n", err);
            abort();
        }
        g_owned = ctx;
        atomic_store(&g_ctx, ctx);
    }
    pthread_mutex_unlock(&g_lock);
    return ctx;
}

void wasmc_wasi_set_ctx(WasiCtx *ctx)
{
    install_ctx(ctx, false);
}

/* ---- the import functions ----------------------------------------------------------------- */

/* Stands in for the base of an absent or empty memory: size 0 makes every non-empty
 * guest range fail (EFAULT), and a zero-length access never gets a NULL pointer. */
static uint8_t empty_memory[1];

static WasiCtx *glue_enter(void *env, WasmcVmctx *caller, WasiMem *mem)
{
    WasmcInstance *inst = NULL;
    if (caller) /* the ABI fixes the owning instance at vmctx offset 0 */
        memcpy(&inst, (const char *)caller + WASMC_VMCTX_INSTANCE_OFFSET, sizeof inst);
    mem->base = empty_memory;
    mem->size = 0;
    if (inst && wasmc_rt_instance_desc(inst)->num_memories > 0) {
        uint8_t *base = wasmc_rt_memory_base(caller, 0);
        if (base) {
            mem->base = base;
            mem->size = wasmc_rt_memory_length(caller, 0);
        }
    }
    return env ? (WasiCtx *)env : wasmc_wasi_ctx();
}

/* The caller of the proc_exit in progress on this thread, for wasmc_wasi_exit_unwind. */
static _Thread_local WasmcVmctx *tls_exit_caller;
static _Thread_local bool tls_exit_set;
static _Thread_local int32_t tls_exit_code;

/* The body's statement prefix per result kind: errno-returning calls return the shim's
 * result; proc_exit (no result, never returns) first records its caller. */
#define GLUE_CALL_i32 return
#define GLUE_CALL_none tls_exit_caller = caller;

#define GLUE_DEF_(mod, impl, name, result, n, params)                                    \
    __attribute__((weak)) WASMC_WASI_R_##result wasmc_import_##mod##_##name(             \
        void *env, WasmcVmctx *caller WASMC_WASI_PARAMS_##n params)                      \
    {                                                                                    \
        WasiMem mem;                                                                     \
        WasiCtx *ctx = glue_enter(env, caller, &mem);                                    \
        GLUE_CALL_##result impl(ctx, &mem WASMC_WASI_ARGS_##n params);                   \
    }
#define GLUE_P1_(name, unstable, result, n, params) \
    GLUE_DEF_(wasi_snapshot_preview1, wasi_##name, name, result, n, params)
#define GLUE_U_same(name, result, n, params) \
    GLUE_DEF_(wasi_unstable, wasi_##name, name, result, n, params)
#define GLUE_U_own(name, result, n, params) \
    GLUE_DEF_(wasi_unstable, wasi_unstable_##name, name, result, n, params)
#define GLUE_U_absent(name, result, n, params)
#define GLUE_U_(name, unstable, result, n, params) GLUE_U_##unstable(name, result, n, params)

WASMC_WASI_FUNCS(GLUE_P1_)
WASMC_WASI_FUNCS(GLUE_U_)

#define ENTRY_(mod, name, result, n, params) \
    {#mod, #name, (void *)wasmc_import_##mod##_##name, WASMC_WASI_SIG(result, n, params)},
#define ENTRY_P1_(name, unstable, result, n, params) \
    ENTRY_(wasi_snapshot_preview1, name, result, n, params)
#define ENTRY_U_same(name, result, n, params) ENTRY_(wasi_unstable, name, result, n, params)
#define ENTRY_U_own ENTRY_U_same
#define ENTRY_U_absent(name, result, n, params)
#define ENTRY_U_(name, unstable, result, n, params) ENTRY_U_##unstable(name, result, n, params)

const WasmcWasiImport wasmc_wasi_imports[] = {
    WASMC_WASI_FUNCS(ENTRY_P1_) WASMC_WASI_FUNCS(ENTRY_U_)};
const uint32_t wasmc_wasi_num_imports = sizeof wasmc_wasi_imports / sizeof wasmc_wasi_imports[0];

bool wasmc_wasi_resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                        WasmcExtern *out)
{
    (void)desc;
    if (imp->kind != WASMC_EXTERN_FUNC)
        return false;
    for (uint32_t i = 0; i < wasmc_wasi_num_imports; i++) {
        const WasmcWasiImport *e = &wasmc_wasi_imports[i];
        if (strcmp(e->module, imp->module) == 0 && strcmp(e->name, imp->name) == 0) {
            out->kind = WASMC_EXTERN_FUNC;
            out->owner = NULL;
            out->u.func.code = e->code;
            out->u.func.env = user;
            out->u.func.signature = e->signature; /* the runtime type-checks the import */
            return true;
        }
    }
    return false;
}

/* ---- proc_exit for embedders -------------------------------------------------------------- */

void wasmc_wasi_exit_unwind(void *user, int32_t code)
{
    (void)user;
    tls_exit_set = true;
    tls_exit_code = code;
    wasmc_rt_trap(tls_exit_caller, WASMC_TRAP_HOST);
}

bool wasmc_wasi_exit_status(int32_t *code)
{
    if (!tls_exit_set)
        return false;
    tls_exit_set = false;
    if (code)
        *code = tls_exit_code;
    return true;
}

/* ---- building the standalone context ------------------------------------------------------ */

/* A growable array of pointers; `failed` records an allocation failure (checked once). */
typedef struct PtrList {
    void **v;
    size_t n, cap;
    bool failed;
} PtrList;

static void *list_push(PtrList *l, void *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        void **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    return l->v[l->n++] = p;
}

/* Grants NAME=value (name_len bytes of name): replaces an earlier entry for NAME in
 * place, else appends. env owns its "NAME=VALUE" strings. */
static void env_put(PtrList *env, const char *name, size_t name_len, const char *value)
{
    if (name_len == 0)
        return; /* "=x" names nothing */
    size_t vlen = strlen(value);
    char *s = malloc(name_len + 1 + vlen + 1);
    if (!s) {
        env->failed = true;
        return;
    }
    memcpy(s, name, name_len);
    s[name_len] = '=';
    memcpy(s + name_len + 1, value, vlen + 1);
    for (size_t i = 0; i < env->n; i++) {
        char *e = env->v[i];
        if (strncmp(e, s, name_len + 1) == 0) { /* same name, '=' included */
            free(e);
            env->v[i] = s;
            return;
        }
    }
    if (!list_push(env, s))
        free(s);
}

/* "NAME=VAL" -> that value; "NAME" -> NAME's value at run time, if set. */
static void env_grant(PtrList *env, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (eq) {
        env_put(env, spec, (size_t)(eq - spec), eq + 1);
    } else {
        const char *v = getenv(spec);
        if (v)
            env_put(env, spec, strlen(spec), v);
    }
}

static void env_inherit(PtrList *env)
{
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq) /* an entry without '=' is not a variable */
            env_put(env, *e, (size_t)(eq - *e), eq + 1);
    }
}

/* WASMC_ENV: NAME[:NAME...] grants those names with their run-time values; "*" grants
 * the whole environment.  Values cannot be given here (they would need quoting rules):
 * set the variable itself. */
static void env_override(PtrList *env, const char *spec)
{
    char *copy = strdup(spec);
    if (!copy) {
        env->failed = true;
        return;
    }
    char *save = NULL;
    for (char *name = strtok_r(copy, ":", &save); name; name = strtok_r(NULL, ":", &save)) {
        if (strcmp(name, "*") == 0)
            env_inherit(env);
        else if (!strchr(name, '='))
            env_grant(env, name);
    }
    free(copy);
}

static void add_preopen(PtrList *dirs, const char *host, const char *guest)
{
    WasiPreopen *p = malloc(sizeof *p);
    if (!p) {
        dirs->failed = true;
        return;
    }
    p->host_path = host;
    p->guest_path = guest; /* NULL: the shim shows the host path */
    if (!list_push(dirs, p))
        free(p);
}

/* WASMC_DIR: HOST[::GUEST] entries separated by single ':'s, parsed in place in buf
 * (which must outlive the preopens).  Empty entries are skipped; an empty GUEST means
 * none.  A path containing ':' cannot be given this way. */
static void dir_override(PtrList *dirs, char *buf)
{
    char *p = buf;
    while (*p) {
        char *host = p, *guest = NULL;
        while (*p) {
            if (p[0] == ':' && p[1] == ':' && !guest) {
                *p = '\0';
                p += 2;
                guest = p;
            } else if (p[0] == ':') {
                *p++ = '\0';
                break;
            } else {
                p++;
            }
        }
        if (*host)
            add_preopen(dirs, host, guest && *guest ? guest : NULL);
    }
}

int wasmc_wasi_init_with(const WasmcWasiConfig *cfg, int argc, char **argv)
{
    if (cfg && cfg->version != WASMC_WASI_CONFIG_VERSION) {
        fprintf(stderr, "wasmc: error: baked WASI configuration has version %u, expected %u\n",
                (unsigned)cfg->version, WASMC_WASI_CONFIG_VERSION);
        return 1;
    }
    uint32_t flags = cfg ? cfg->flags : 0;
    PtrList env = {0}, dirs = {0};
    char *dir_buf = NULL;

    if (flags & WASMC_WASI_INHERIT_ENV)
        env_inherit(&env);
    for (uint32_t i = 0; cfg && i < cfg->nenvs; i++)
        if (cfg->envs[i])
            env_grant(&env, cfg->envs[i]);
    for (uint32_t i = 0; cfg && i < cfg->ndirs; i++)
        if (cfg->dir_hosts[i])
            add_preopen(&dirs, cfg->dir_hosts[i], cfg->dir_guests ? cfg->dir_guests[i] : NULL);

    if (!(flags & WASMC_WASI_NO_OVERRIDE)) {
        /* secure_getenv: no overrides for set-uid/set-gid programs, whose environment
         * is chosen by a less privileged user. */
        const char *s = secure_getenv("WASMC_ENV");
        if (s)
            env_override(&env, s);
        s = secure_getenv("WASMC_DIR");
        if (s && (dir_buf = strdup(s)) == NULL)
            dirs.failed = true;
        if (dir_buf)
            dir_override(&dirs, dir_buf);
    }

    int status = 0;
    WasiPreopen *pre = NULL;
    if (!env.failed && !dirs.failed && dirs.n)
        pre = malloc(dirs.n * sizeof *pre);
    if (env.failed || dirs.failed || (dirs.n && !pre)) {
        fprintf(stderr, "wasmc: error: WASI context: out of memory\n");
        status = 1;
    } else {
        for (size_t i = 0; i < dirs.n; i++)
            pre[i] = *(WasiPreopen *)dirs.v[i];
        WasiConfig wc;
        wasi_config_init(&wc);
        config_stdio(&wc);
        wc.argv = (const char *const *)argv;
        wc.argc = argc > 0 ? (size_t)argc : 0;
        wc.env = (const char *const *)env.v;
        wc.envc = env.n;
        wc.preopens = pre;
        wc.npreopens = dirs.n;
        /* proc_exit stays NULL: standalone programs exit(code) */
        char err[512];
        WasiCtx *ctx = wasi_ctx_new(&wc, err, sizeof err); /* copies every string */
        if (ctx) {
            install_ctx(ctx, true);
        } else {
            fprintf(stderr, "wasmc: error: %s\n", err);
            status = 1;
        }
    }

    free(pre);
    for (size_t i = 0; i < env.n; i++)
        free(env.v[i]);
    free(env.v);
    for (size_t i = 0; i < dirs.n; i++)
        free(dirs.v[i]);
    free(dirs.v);
    free(dir_buf);
    return status;
}

int wasmc_wasi_init(int argc, char **argv)
{
    /* wasmc_wasi_config is weak: its address is NULL when the driver emitted none. */
    return wasmc_wasi_init_with(&wasmc_wasi_config ? &wasmc_wasi_config : NULL, argc, argv);
}
