/* test_wasi_glue_init.c - the standalone WASI context: argv, the baked configuration
 * (a strong wasmc_wasi_config defined here, as the driver emits it), granted
 * environment (with value, from the environment, inherited), preopens, and the run-time
 * override variables WASMC_DIR / WASMC_ENV.  Each test runs in its own forked child
 * (CK_FORK=yes), so changing the cwd and the environment is harmless. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "glue_test_util.h"

extern char **environ;

#define P1(name) wasmc_import_wasi_snapshot_preview1_##name

/* What `wasmc app.wasm --dir .::/sandbox --env GLUE_A=1 --env GLUE_FROM_ENV
 * --env GLUE_MISSING` bakes in. */
static const char *const baked_hosts[] = {"."};
static const char *const baked_guests[] = {"/sandbox"};
static const char *const baked_envs[] = {"GLUE_A=1", "GLUE_FROM_ENV", "GLUE_MISSING"};
const WasmcWasiConfig wasmc_wasi_config = {
    .version = WASMC_WASI_CONFIG_VERSION,
    .flags = 0,
    .ndirs = 1,
    .nenvs = 3,
    .dir_hosts = baked_hosts,
    .dir_guests = baked_guests,
    .envs = baked_envs,
};

static WasmcInstance *g_inst;
static WasmcVmctx *g_vm;
static char g_tmp[3][64]; /* scratch directories; the cwd is g_tmp[0] */

static void mkscratch(int i)
{
    strcpy(g_tmp[i], "/tmp/wasmc-glue-init-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(g_tmp[i]));
}

static void setup(void)
{
    for (int i = 0; i < 3; i++)
        mkscratch(i);
    ck_assert_int_eq(chdir(g_tmp[0]), 0);
    int h = open("in-cwd", O_CREAT | O_WRONLY, 0600);
    close(h);
    unsetenv("WASMC_DIR");
    unsetenv("WASMC_ENV");
    setenv("GLUE_FROM_ENV", "abc", 1);
    unsetenv("GLUE_MISSING");
    g_inst = gt_instance(true, &g_vm);
}

static void teardown(void)
{
    wasmc_wasi_set_ctx(NULL);
    wasmc_rt_instance_free(g_inst);
    unlink("in-cwd");
    ck_assert_int_eq(chdir("/"), 0);
    for (int i = 0; i < 3; i++)
        rmdir(g_tmp[i]);
}

static char *g_argv[] = {"./app", "one", "two words", "", NULL};

/* The guest's environment has exactly these entries, in this order. */
static void expect_env(const char *const *want, uint32_t nwant)
{
    uint32_t n;
    char **env = gt_strings(g_vm, true, &n);
    ck_assert_uint_eq(n, nwant);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_str_eq(env[i], want[i]);
    gt_free_strings(env, n);
}

static void expect_preopen(uint32_t fd, const char *guest)
{
    char name[256];
    ck_assert_int_eq(gt_prestat_name(g_vm, fd, name, sizeof name), 0);
    ck_assert_str_eq(name, guest);
}

static int32_t open_in(uint32_t dirfd, const char *path)
{
    memcpy(gt_mem(g_vm) + 1000, path, strlen(path));
    return P1(path_open)(NULL, g_vm, (int32_t)dirfd, 0, 1000, (int32_t)strlen(path), 0,
                         (int64_t)WASI_RIGHTS_ALL, (int64_t)WASI_RIGHTS_ALL, 0, 1100);
}

START_TEST(baked_config_args_env_preopen)
{
    ck_assert_int_eq(wasmc_wasi_init(4, g_argv), 0);
    uint32_t n;
    char **args = gt_strings(g_vm, false, &n);
    ck_assert_uint_eq(n, 4);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_str_eq(args[i], g_argv[i]);
    gt_free_strings(args, n);
    /* with value; from the environment; an unset name is not granted */
    static const char *const want[] = {"GLUE_A=1", "GLUE_FROM_ENV=abc"};
    expect_env(want, 2);
    /* "." is the cwd at run time, shown as /sandbox */
    expect_preopen(3, "/sandbox");
    ck_assert_int_eq(open_in(3, "in-cwd"), 0);
    ck_assert_int_eq(open_in(3, "../in-cwd"), WASI_ERRNO_PERM);
    char name[16];
    ck_assert_int_eq(gt_prestat_name(g_vm, 5, name, sizeof name), WASI_ERRNO_BADF);
}
END_TEST

START_TEST(runtime_override_adds_preopens_and_names)
{
    char spec[512];
    snprintf(spec, sizeof spec, "%s::/extra:%s::", g_tmp[1], g_tmp[2]);
    setenv("WASMC_DIR", spec, 1);
    setenv("WASMC_ENV", "GLUE_OV:GLUE_NOPE::GLUE_A", 1);
    setenv("GLUE_OV", "x=y", 1);
    setenv("GLUE_A", "from-env", 1);
    ck_assert_int_eq(wasmc_wasi_init(1, g_argv), 0);
    expect_preopen(3, "/sandbox"); /* baked ones first */
    expect_preopen(4, "/extra");
    expect_preopen(5, g_tmp[2]); /* empty GUEST: the host path */
    /* a name in WASMC_ENV replaces the baked value in place */
    static const char *const want[] = {"GLUE_A=from-env", "GLUE_FROM_ENV=abc", "GLUE_OV=x=y"};
    expect_env(want, 3);
}
END_TEST

START_TEST(no_override_flag_and_values_refused)
{
    setenv("WASMC_DIR", g_tmp[1], 1);
    setenv("WASMC_ENV", "GLUE_OV", 1);
    setenv("GLUE_OV", "1", 1);
    WasmcWasiConfig cfg = wasmc_wasi_config;
    cfg.flags = WASMC_WASI_NO_OVERRIDE;
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 0);
    char name[16];
    ck_assert_int_eq(gt_prestat_name(g_vm, 4, name, sizeof name), WASI_ERRNO_BADF);
    static const char *const want[] = {"GLUE_A=1", "GLUE_FROM_ENV=abc"};
    expect_env(want, 2);
    /* WASMC_ENV grants names only: "NAME=VAL" there is ignored */
    setenv("WASMC_ENV", "GLUE_SET=1:GLUE_OV", 1);
    cfg.flags = 0;
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 0);
    static const char *const want2[] = {"GLUE_A=1", "GLUE_FROM_ENV=abc", "GLUE_OV=1"};
    expect_env(want2, 3);
}
END_TEST

/* Every host variable appears exactly once; returns how many there are. */
static uint32_t expect_whole_environment(uint32_t *n_out, char ***env_out)
{
    uint32_t n;
    char **env = gt_strings(g_vm, true, &n);
    uint32_t host = 0;
    for (char **e = environ; *e; e++) {
        if (!strchr(*e, '='))
            continue;
        host++;
        uint32_t hits = 0;
        size_t name_len = (size_t)(strchr(*e, '=') - *e) + 1;
        for (uint32_t i = 0; i < n; i++)
            hits += strncmp(env[i], *e, name_len) == 0;
        ck_assert_uint_eq(hits, 1);
    }
    *n_out = n;
    *env_out = env;
    return host;
}

START_TEST(inherit_env_then_granted_values_win)
{
    setenv("GLUE_A", "host", 1);
    WasmcWasiConfig cfg = wasmc_wasi_config;
    cfg.flags = WASMC_WASI_INHERIT_ENV;
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 0);
    uint32_t n;
    char **env;
    ck_assert_uint_eq(expect_whole_environment(&n, &env), n);
    int found = 0;
    for (uint32_t i = 0; i < n; i++)
        found += strcmp(env[i], "GLUE_A=1") == 0; /* --env NAME=VAL beats the host value */
    ck_assert_int_eq(found, 1);
    gt_free_strings(env, n);
}
END_TEST

START_TEST(wasmc_env_star_grants_everything)
{
    setenv("WASMC_ENV", "*", 1);
    ck_assert_int_eq(wasmc_wasi_init_with(NULL, 1, g_argv), 0);
    uint32_t n;
    char **env;
    ck_assert_uint_eq(expect_whole_environment(&n, &env), n);
    gt_free_strings(env, n);
}
END_TEST

START_TEST(no_config_grants_nothing)
{
    setenv("GLUE_A", "host", 1);
    ck_assert_int_eq(wasmc_wasi_init_with(NULL, 0, NULL), 0);
    uint32_t n;
    char **args = gt_strings(g_vm, false, &n); /* n is set here */
    gt_free_strings(args, n);
    ck_assert_uint_eq(n, 0);
    expect_env(NULL, 0);
    char name[16];
    ck_assert_int_eq(gt_prestat_name(g_vm, 3, name, sizeof name), WASI_ERRNO_BADF);
}
END_TEST

START_TEST(host_path_is_the_default_guest_path)
{
    const char *hosts[] = {g_tmp[1], g_tmp[2]};
    const char *guests[] = {NULL, "g"};
    WasmcWasiConfig cfg = {WASMC_WASI_CONFIG_VERSION, 0, 2, 0, hosts, guests, NULL};
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 0);
    expect_preopen(3, g_tmp[1]);
    expect_preopen(4, "g");
    cfg.dir_guests = NULL; /* no guest array at all */
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 0);
    expect_preopen(4, g_tmp[2]);
}
END_TEST

START_TEST(errors_stop_the_program)
{
    /* a preopen that cannot be opened: status 1 (and a message on stderr) */
    const char *hosts[] = {"/nonexistent/wasmc-glue"};
    WasmcWasiConfig cfg = {WASMC_WASI_CONFIG_VERSION, 0, 1, 0, hosts, NULL, NULL};
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 1);
    setenv("WASMC_DIR", "/nonexistent/wasmc-glue2", 1);
    ck_assert_int_eq(wasmc_wasi_init_with(NULL, 1, g_argv), 1);
    unsetenv("WASMC_DIR");
    /* a configuration from another version of the driver */
    cfg.version = 2;
    cfg.ndirs = 0;
    ck_assert_int_eq(wasmc_wasi_init_with(&cfg, 1, g_argv), 1);
}
END_TEST

START_TEST(closed_stdin_is_closed_for_the_guest)
{
    close(0);
    ck_assert_int_eq(wasmc_wasi_init(1, g_argv), 0);
    ck_assert_int_eq(P1(fd_fdstat_get)(NULL, g_vm, 0, 0), WASI_ERRNO_BADF);
    ck_assert_int_eq(P1(fd_fdstat_get)(NULL, g_vm, 1, 0), 0);
}
END_TEST

START_TEST(reinit_replaces_the_context)
{
    ck_assert_int_eq(wasmc_wasi_init(1, g_argv), 0);
    ck_assert_int_eq(wasmc_wasi_init(2, g_argv), 0); /* the first is freed (ASan: no leak) */
    uint32_t n;
    char **args = gt_strings(g_vm, false, &n); /* n is set here */
    gt_free_strings(args, n);
    ck_assert_uint_eq(n, 2);
}
END_TEST

static Suite *init_suite(void)
{
    Suite *s = suite_create("wasi_glue_init");
    TCase *tc = tcase_create("init");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, baked_config_args_env_preopen);
    tcase_add_test(tc, runtime_override_adds_preopens_and_names);
    tcase_add_test(tc, no_override_flag_and_values_refused);
    tcase_add_test(tc, inherit_env_then_granted_values_win);
    tcase_add_test(tc, wasmc_env_star_grants_everything);
    tcase_add_test(tc, no_config_grants_nothing);
    tcase_add_test(tc, host_path_is_the_default_guest_path);
    tcase_add_test(tc, errors_stop_the_program);
    tcase_add_test(tc, closed_stdin_is_closed_for_the_guest);
    tcase_add_test(tc, reinit_replaces_the_context);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(init_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
