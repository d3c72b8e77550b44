/* test_compile.c — the module compiler (compile/): the vmctx layout, the
 * module prefix, the init program, export aliases, error paths, and the
 * descriptor read back from the written object with libelf (scalars from the
 * bytes, pointers from the relocations) plus `readelf -a -W`.
 *
 * Modules are written as .wat here and assembled with wat2wasm at test time.
 * Function bodies need cg_compile_func; these tests use modules without them
 * (the e2e tests cover compiled functions once the code generator exists). */
#include <check.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../compile/compile_internal.h"

/* ---- helpers ----------------------------------------------------------- */

static char dir[256];

static void setup(void)
{
    strcpy(dir, "/tmp/wasmc-compile-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static const char *in_dir(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ & 3];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static int run(const char *cmd, char **out)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    ck_assert_ptr_nonnull(p);
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = 0;
    int st = pclose(p);
    *out = buf;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* When set, load_wat replaces the first occurrence of these 3 bytes in the
 * binary (for constructs wat2wasm refuses to write). */
static const uint8_t *patch_from, *patch_to;

/* Assembles wat (with extra wat2wasm flags) and loads + validates it. */
static WasmModule *load_wat(const char *wat, const char *flags)
{
    FILE *f = fopen(in_dir("m.wat"), "w");
    ck_assert_ptr_nonnull(f);
    fputs(wat, f);
    fclose(f);
    char cmd[1200], *out;
    snprintf(cmd, sizeof cmd, "wat2wasm %s '%s' -o '%s'", flags ? flags : "", in_dir("m.wat"), in_dir("m.wasm"));
    int st = run(cmd, &out);
    ck_assert_msg(st == 0, "wat2wasm failed:\n%s", out);
    free(out);
    f = fopen(in_dir("m.wasm"), "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t i = 0; patch_from && i + 3 <= n; i++)
        if (memcmp(buf + i, patch_from, 3) == 0) {
            memcpy(buf + i, patch_to, 3);
            break;
        }
    patch_from = patch_to = NULL;
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(buf, n, &err);
    ck_assert_msg(m != NULL, "load: %s", err.msg);
    return m;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- the vmctx layout --------------------------------------------------- */

typedef struct Range {
    uint32_t off, size;
    const char *what;
} Range;

static void check_disjoint(Range *r, unsigned n, uint32_t total)
{
    for (unsigned i = 0; i < n; i++) {
        ck_assert_msg(r[i].off + r[i].size <= total, "%s past the end", r[i].what);
        ck_assert_msg(r[i].off >= 8 || r[i].size == 0, "%s overlaps the instance pointer", r[i].what);
        for (unsigned j = i + 1; j < n; j++)
            ck_assert_msg(r[i].off + r[i].size <= r[j].off || r[j].off + r[j].size <= r[i].off ||
                              !r[i].size || !r[j].size,
                          "%s and %s overlap", r[i].what, r[j].what);
    }
}

static const char *layout_wat =
    "(module\n"
    "  (type (func (param i32) (result i32)))\n"
    "  (type (func))\n"
    "  (import \"env\" \"f\" (func (type 0)))\n"
    "  (import \"env\" \"g\" (func (type 1)))\n"
    "  (import \"env\" \"mem\" (memory 1))\n"
    "  (import \"env\" \"tab\" (table 1 funcref))\n"
    "  (import \"env\" \"gl\" (global i64))\n"
    "  (memory i64 1)\n"
    "  (memory 1 2)\n"
    "  (table 3 externref)\n"
    "  (global (mut i32) (i32.const 1))\n"
    "  (global f64 (f64.const 1))\n"
    ")\n";

START_TEST(layout_offsets)
{
    WasmModule *m = load_wat(layout_wat, "--enable-multi-memory --enable-memory64");
    VmctxLayout l;
    WasmcError err = { 0 };
    ck_assert_msg(vmctx_layout_compute(m, WASMC_BOUNDS_CHECKS_GUARD, &l, &err), "%s", err.msg);
    ck_assert_uint_eq(l.size % 16, 0);
    Range r[32];
    unsigned n = 0;
    r[n++] = (Range){ l.cg.stack_limit_offset, 8, "stack limit" };
    ck_assert_uint_eq(l.cg.stack_limit_offset % 8, 0);
    ck_assert_uint_eq(m->nmemories, 3);
    for (uint32_t i = 0; i < m->nmemories; i++) {
        bool imp = i < m->nimported_memories;
        ck_assert_uint_eq(l.memory_offsets[i], l.memories[i].offset);
        ck_assert_uint_eq(l.memories[i].imported, imp);
        ck_assert_uint_eq(l.memory_offsets[i] % 8, 0);
        r[n++] = (Range){ l.memory_offsets[i], imp ? 8 : 16, "memory" };
    }
    /* 0: imported 32-bit, 1: memory64, 2: 32-bit defined */
    ck_assert_uint_eq(l.memories[0].strategy, CG_BOUNDS_GUARD);
    ck_assert_uint_eq(l.memories[1].strategy, CG_BOUNDS_EXPLICIT);
    ck_assert(l.memories[1].is64);
    ck_assert_uint_eq(l.memories[2].strategy, CG_BOUNDS_GUARD);
    for (uint32_t i = 0; i < m->ntables; i++) {
        bool imp = i < m->nimported_tables;
        ck_assert_uint_eq(l.table_offsets[i], l.tables[i].offset);
        ck_assert_uint_eq(l.table_offsets[i] % 8, 0);
        r[n++] = (Range){ l.table_offsets[i], imp ? 8 : 24, "table" };
    }
    for (uint32_t i = 0; i < m->nglobals; i++) {
        bool imp = i < m->nimported_globals;
        ck_assert_uint_eq(l.global_offsets[i], l.globals[i].offset);
        ck_assert_uint_eq(l.global_offsets[i] % (imp ? 8 : 16), 0);
        r[n++] = (Range){ l.global_offsets[i], imp ? 8 : 16, "global" };
    }
    ck_assert_uint_eq(l.cg.nimported_funcs, 2);
    ck_assert_ptr_eq(l.cg.import_slot_offsets, l.import_func_offsets);
    for (uint32_t i = 0; i < m->nimported_funcs; i++) {
        ck_assert_uint_eq(l.import_func_offsets[i] % 16, 0);
        r[n++] = (Range){ l.import_func_offsets[i], 16, "import slot" };
    }
    ck_assert_uint_eq(l.cg.funcrefs_offset % 16, 0);
    r[n++] = (Range){ l.cg.funcrefs_offset, 32 * m->nfuncs, "funcrefs" };
    ck_assert_uint_eq(l.cg.type_ids_offset % 4, 0);
    r[n++] = (Range){ l.cg.type_ids_offset, 4 * m->ntypes, "type ids" };
    check_disjoint(r, n, l.size);
    ck_assert_uint_eq(l.cg.nfuncs, m->nfuncs);
    ck_assert_uint_eq(l.cg.nglobals, m->nglobals);
    vmctx_layout_free(&l);

    /* --bounds-checks=explicit: every memory checks explicitly. */
    ck_assert(vmctx_layout_compute(m, WASMC_BOUNDS_CHECKS_EXPLICIT, &l, &err));
    for (uint32_t i = 0; i < m->nmemories; i++)
        ck_assert_uint_eq(l.memories[i].strategy, CG_BOUNDS_EXPLICIT);
    vmctx_layout_free(&l);
    wasm_module_free(m);
}
END_TEST

START_TEST(layout_empty_module)
{
    WasmModule *m = load_wat("(module)", NULL);
    VmctxLayout l;
    WasmcError err = { 0 };
    ck_assert(vmctx_layout_compute(m, WASMC_BOUNDS_CHECKS_GUARD, &l, &err));
    ck_assert_uint_eq(l.cg.stack_limit_offset, 8);
    ck_assert_uint_ge(l.size, 16);
    ck_assert_uint_eq(l.size % 16, 0);
    vmctx_layout_free(&l);
    wasm_module_free(m);
}
END_TEST

/* custom-page-sizes (1-byte pages), which wat2wasm cannot write: the binary
 * by hand. Memory section: 1 memory, limits flags 0x08 (page size follows),
 * min 1, page size log2 0. */
START_TEST(layout_small_pages_explicit)
{
    static const uint8_t bin[] = { 0, 'a', 's', 'm', 1, 0, 0, 0, 5, 4, 1, 0x08, 1, 0 };
    WasmcError err0 = { 0 };
    WasmModule *m = wasm_module_load(bin, sizeof bin, &err0);
    ck_assert_msg(m != NULL, "%s", err0.msg);
    ck_assert_uint_eq(m->memories[0].limits.page_log2, 0);
    VmctxLayout l;
    WasmcError err = { 0 };
    ck_assert(vmctx_layout_compute(m, WASMC_BOUNDS_CHECKS_GUARD, &l, &err));
    ck_assert_uint_eq(l.memories[0].strategy, CG_BOUNDS_EXPLICIT);
    vmctx_layout_free(&l);
    wasm_module_free(m);
}
END_TEST

/* ---- names ---------------------------------------------------------------- */

START_TEST(prefix_rules)
{
    char buf[64];
    WasmcError err = { 0 };
    ck_assert(wasmc_module_prefix(NULL, "dir/my-app.wasm", buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "my_app");
    ck_assert(wasmc_module_prefix(NULL, "/x/9lives.v2.wasm", buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "_9lives_v2");
    ck_assert(wasmc_module_prefix(NULL, NULL, buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "module");
    ck_assert(wasmc_module_prefix(NULL, "-", buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "module");
    ck_assert(wasmc_module_prefix(NULL, ".hidden", buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "_hidden");
    ck_assert(wasmc_module_prefix("lib_z", "a.wasm", buf, sizeof buf, &err));
    ck_assert_str_eq(buf, "lib_z");
    ck_assert(!wasmc_module_prefix("bad-name", NULL, buf, sizeof buf, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "not a C identifier"));
    WasmcError err2 = { 0 };
    ck_assert(!wasmc_module_prefix("1x", NULL, buf, sizeof buf, &err2));
}
END_TEST

START_TEST(escape_matches_runtime)
{
    const char *names[] = { "fd_write", "a.b", "x y", "\xc3\xa9t\xc3\xa9", "" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char mine[128], rt[128];
        size_t pos = (size_t)snprintf(mine, sizeof mine, "wasmc_import_m_");
        sym_escape(names[i], strlen(names[i]), mine, sizeof mine, &pos);
        wasmc_rt_import_symbol("m", names[i], rt, sizeof rt);
        ck_assert_str_eq(mine, rt);
    }
}
END_TEST

/* Export aliases: clashes (two names escaping alike, P_module, reserved
 * spaces) get none; imported functions get none. */
START_TEST(export_aliases)
{
    WasmModule *m = load_wat("(module (import \"e\" \"i\" (func $i))\n"
                             "  (func $f) (func $g)\n"
                             "  (export \"f\" (func $f)) (export \"a.b\" (func $f)) (export \"a_x2eb\" (func $g))\n"
                             "  (export \"module\" (func $g)) (export \"i\" (func $i)) (export \"g\" (func $g)))",
                             NULL);
    CompileOptions o = { 0 };
    WasmcError err = { 0 };
    CompileCtx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.opts = &o;
    c.err = &err;
    strcpy(c.prefix, "p");
    ck_assert(sym_plan_export_aliases(&c));
    ck_assert_str_eq(c.export_alias[0], "p_f");
    ck_assert_ptr_null(c.export_alias[1]); /* a.b -> a_x2eb clashes with the next */
    ck_assert_ptr_null(c.export_alias[2]);
    ck_assert_ptr_null(c.export_alias[3]); /* p_module is the descriptor */
    ck_assert_ptr_null(c.export_alias[4]); /* an import */
    ck_assert_str_eq(c.export_alias[5], "p_g");
    for (uint32_t e = 0; e < m->nexports; e++)
        free(c.export_alias[e]);
    free(c.export_alias);
    wasm_module_free(m);
}
END_TEST

/* ---- the init program ------------------------------------------------------ */

START_TEST(init_program_shape)
{
    /* wat2wasm allows only ref.func / ref.null items: write (ref.func $h) and
     * patch it into (global.get 2). */
    static const uint8_t from[] = { 0xd2, 0x01, 0x0b }, to[] = { 0x23, 0x02, 0x0b };
    patch_from = from;
    patch_to = to;
    WasmModule *m = load_wat("(module (import \"e\" \"g\" (global i32))\n"
                             "  (global i32 (global.get 0)) (global funcref (ref.null func))\n"
                             "  (memory 1) (table 4 funcref) (func $f) (func $h)\n"
                             "  (data (global.get 0) \"x\")\n"
                             "  (elem (i32.const 1) func $f)\n"
                             "  (elem (i32.const 2) funcref (ref.func $f) (ref.null func))\n"
                             "  (elem funcref (ref.func $h) (ref.null func)))",
                             "--enable-extended-const");
    CompileOptions o = { 0 };
    WasmcError err = { 0 };
    CompileCtx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.opts = &o;
    c.err = &err;
    ck_assert_msg(init_program_build(&c), "%s", err.msg);
    CgInitInsn want[] = {
        { CG_INIT_GLOBAL_GET, 0, 0, 0 }, { CG_INIT_STORE_GLOBAL, 1, 0, 0 },
        { CG_INIT_REF_NULL, 0, 0, 0 }, { CG_INIT_STORE_GLOBAL, 2, 0, 0 },
        /* a bare i32 global.get as an offset is zero-extended by "+ 0" */
        { CG_INIT_GLOBAL_GET, 0, 0, 0 }, { CG_INIT_I32_CONST, 0, 0, 0 }, { CG_INIT_I32_ADD, 0, 0, 0 },
        { CG_INIT_STORE_DATA_OFFSET, 0, 0, 0 },
        { CG_INIT_I32_CONST, 0, 0, 1 }, { CG_INIT_STORE_ELEM_OFFSET, 0, 0, 0 },
        { CG_INIT_I32_CONST, 0, 0, 2 }, { CG_INIT_STORE_ELEM_OFFSET, 1, 0, 0 },
        { CG_INIT_GLOBAL_GET, 2, 0, 0 }, { CG_INIT_STORE_ELEM_ITEM, 2, 0, 0 },
        { CG_INIT_REF_NULL, 0, 0, 0 }, { CG_INIT_STORE_ELEM_ITEM, 2, 1, 0 },
    };
    ck_assert_uint_eq(c.ninit, sizeof want / sizeof want[0]);
    for (uint32_t i = 0; i < c.ninit; i++) {
        ck_assert_msg(c.init[i].op == want[i].op && c.init[i].index == want[i].index &&
                          c.init[i].index2 == want[i].index2 && c.init[i].imm == want[i].imm,
                      "insn %u: op %u index %u", i, c.init[i].op, c.init[i].index);
    }
    /* plain items become func_indices; the global.get segment is left to init */
    ck_assert_ptr_nonnull(c.elem_funcs[0]);
    ck_assert_uint_eq(c.elem_funcs[0][0], 0); /* $f */
    ck_assert_ptr_nonnull(c.elem_funcs[1]);
    ck_assert_uint_eq(c.elem_funcs[1][0], 0);
    ck_assert_uint_eq(c.elem_funcs[1][1], WASMC_ELEM_NULL);
    ck_assert_ptr_null(c.elem_funcs[2]);
    for (uint32_t e = 0; e < m->nelems; e++)
        free(c.elem_funcs[e]);
    free(c.elem_funcs);
    free(c.init);
    wasm_module_free(m);
}
END_TEST

/* A table with an initializer expression (the 0x40 0x00 form, which wat2wasm
 * cannot write): table section with one funcref table, min 2, initialized by
 * ref.null func. */
START_TEST(init_table_initializer)
{
    static const uint8_t bin[] = { 0, 'a', 's', 'm', 1, 0, 0, 0,
                                   4, 9, 1, 0x40, 0x00, 0x70, 0x00, 2, 0xd0, 0x70, 0x0b };
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(bin, sizeof bin, &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    ck_assert(m->tables[0].has_init);
    CompileOptions o = { 0 };
    CompileCtx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.opts = &o;
    c.err = &err;
    ck_assert_msg(init_program_build(&c), "%s", err.msg);
    ck_assert_uint_eq(c.ninit, 2);
    ck_assert_uint_eq(c.init[0].op, CG_INIT_REF_NULL);
    ck_assert_uint_eq(c.init[1].op, CG_INIT_STORE_TABLE_INIT);
    ck_assert_uint_eq(c.init[1].index, 0);
    free(c.elem_funcs);
    free(c.init);
    wasm_module_free(m);
}
END_TEST

/* -S without an object: the listing names the module and shows the glue. */
START_TEST(listing_only)
{
    WasmModule *m = load_wat("(module (type (func (param i32))) (global i32 (i32.const 3)))", NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *listing = open_memstream(&text, &len);
    CompileOptions o = { .module_name = "lst", .asm_out = listing };
    WasmcError err = { 0 };
    ck_assert_msg(wasmc_compile_module(m, &o, NULL, &err), "%s", err.msg);
    fclose(listing);
    ck_assert_ptr_nonnull(strstr(text, "# wasmc listing of module lst"));
    ck_assert_ptr_nonnull(strstr(text, "lst.tramp.0:"));
    ck_assert_ptr_nonnull(strstr(text, "lst.init:"));
    ck_assert_ptr_nonnull(strstr(text, "\t.byte 0x55")); /* push rbp */
    free(text);
    char cmd[300], *out;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    run(cmd, &out);
    ck_assert_msg(!strstr(out, ".o"), "unexpected output: %s", out);
    free(out);
    wasm_module_free(m);
}
END_TEST

/* ---- errors: a message naming the problem, and no output file -------------- */

static void expect_error(const char *wat, const char *flags, const char *msg)
{
    WasmModule *m = load_wat(wat, flags);
    CompileOptions o = { .input_path = "m.wasm", .header_path = in_dir("m.h") };
    WasmcError err = { 0 };
    ck_assert(!wasmc_compile_module(m, &o, in_dir("m.o"), &err));
    ck_assert_msg(strstr(err.msg, msg), "message '%s' lacks '%s'", err.msg, msg);
    ck_assert(!exists(in_dir("m.o")));
    ck_assert(!exists(in_dir("m.h")));
    char *out;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s'", dir);
    run(cmd, &out);
    ck_assert_msg(!strstr(out, "tmp"), "temporary left behind: %s", out);
    free(out);
    wasm_module_free(m);
}

START_TEST(error_import_collision)
{
    expect_error("(module (import \"a_b\" \"c\" (func)) (import \"a\" \"b_c\" (func)))", NULL,
                 "both map to the host symbol wasmc_import_a_b_c");
}
END_TEST

START_TEST(error_simd)
{
    expect_error("(module (global v128 (v128.const i64x2 0 0)))", NULL, "SIMD");
}
END_TEST

START_TEST(error_exceptions)
{
    expect_error("(module (tag))", "--enable-exceptions", "exception handling");
}
END_TEST

START_TEST(error_bad_module_name)
{
    WasmModule *m = load_wat("(module)", NULL);
    CompileOptions o = { .module_name = "no good" };
    WasmcError err = { 0 };
    ck_assert(!wasmc_compile_module(m, &o, in_dir("m.o"), &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "not a C identifier"));
    ck_assert(!exists(in_dir("m.o")));
    wasm_module_free(m);
}
END_TEST

START_TEST(same_import_twice_ok)
{
    WasmModule *m = load_wat("(module (import \"a\" \"b\" (func)) (import \"a\" \"b\" (func (param i32))))", NULL);
    CompileOptions o = { 0 };
    WasmcError err = { 0 };
    ck_assert_msg(wasmc_compile_module(m, &o, in_dir("m.o"), &err), "%s", err.msg);
    wasm_module_free(m);
}
END_TEST

/* ---- the descriptor, read back from the object ----------------------------- */

typedef struct ElfView {
    int fd;
    Elf *e;
} ElfView;

static ElfView elf_open(const char *path)
{
    ElfView v;
    ck_assert(elf_version(EV_CURRENT) != EV_NONE);
    v.fd = open(path, O_RDONLY);
    ck_assert_int_ge(v.fd, 0);
    v.e = elf_begin(v.fd, ELF_C_READ, NULL);
    ck_assert_ptr_nonnull(v.e);
    return v;
}

static void elf_close(ElfView v)
{
    elf_end(v.e);
    close(v.fd);
}

static Elf_Scn *section_named(ElfView v, const char *name)
{
    size_t shstrndx;
    ck_assert_int_eq(elf_getshdrstrndx(v.e, &shstrndx), 0);
    for (Elf_Scn *s = elf_nextscn(v.e, NULL); s; s = elf_nextscn(v.e, s)) {
        GElf_Shdr sh;
        gelf_getshdr(s, &sh);
        if (strcmp(elf_strptr(v.e, shstrndx, sh.sh_name), name) == 0)
            return s;
    }
    return NULL;
}

static const char *section_name_of(ElfView v, size_t idx)
{
    size_t shstrndx;
    elf_getshdrstrndx(v.e, &shstrndx);
    GElf_Shdr sh;
    gelf_getshdr(elf_getscn(v.e, idx), &sh);
    return elf_strptr(v.e, shstrndx, sh.sh_name);
}

static const uint8_t *section_bytes(Elf_Scn *s)
{
    Elf_Data *d = elf_getdata(s, NULL);
    return d ? d->d_buf : NULL;
}

/* The symbol `name` (value, section index). */
static bool find_symbol(ElfView v, const char *name, GElf_Sym *out)
{
    Elf_Scn *symtab = section_named(v, ".symtab");
    GElf_Shdr sh;
    gelf_getshdr(symtab, &sh);
    Elf_Data *d = elf_getdata(symtab, NULL);
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        gelf_getsym(d, (int)i, out);
        if (strcmp(elf_strptr(v.e, sh.sh_link, out->st_name), name) == 0)
            return true;
    }
    return false;
}

/* Where the pointer at .data.rel.ro + off points: the relocation's symbol
 * (section name for section symbols, else the symbol name) and addend.
 * Returns false if the field has no relocation (a NULL pointer). */
static bool reloc_at(ElfView v, uint64_t off, const char **target, int64_t *addend)
{
    Elf_Scn *rs = section_named(v, ".rela.data.rel.ro");
    if (!rs)
        return false;
    GElf_Shdr sh;
    gelf_getshdr(rs, &sh);
    Elf_Data *d = elf_getdata(rs, NULL);
    Elf_Scn *symtab = elf_getscn(v.e, sh.sh_link);
    GElf_Shdr ssh;
    gelf_getshdr(symtab, &ssh);
    Elf_Data *sd = elf_getdata(symtab, NULL);
    for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
        GElf_Rela r;
        gelf_getrela(d, (int)i, &r);
        if (r.r_offset != off)
            continue;
        ck_assert_uint_eq(GELF_R_TYPE(r.r_info), R_X86_64_64);
        GElf_Sym sym;
        gelf_getsym(sd, (int)GELF_R_SYM(r.r_info), &sym);
        *target = GELF_ST_TYPE(sym.st_info) == STT_SECTION ? section_name_of(v, sym.st_shndx)
                                                            : elf_strptr(v.e, ssh.sh_link, sym.st_name);
        *addend = r.r_addend;
        return true;
    }
    return false;
}

/* The C string a descriptor pointer field points to (it must be in .rodata). */
static const char *string_at(ElfView v, uint64_t field)
{
    const char *t;
    int64_t a;
    ck_assert_msg(reloc_at(v, field, &t, &a), "no relocation at 0x%llx", (unsigned long long)field);
    ck_assert_str_eq(t, ".rodata");
    return (const char *)section_bytes(section_named(v, ".rodata")) + a;
}

/* Bytes a descriptor pointer field points to, in .rodata or .data.rel.ro. */
static const uint8_t *bytes_at(ElfView v, uint64_t field, const char **sec, int64_t *addend)
{
    ck_assert(reloc_at(v, field, sec, addend));
    return section_bytes(section_named(v, *sec)) + *addend;
}

static const char *desc_wat =
    "(module\n"
    "  (type $t0 (func (param i32 i64) (result f32)))\n"
    "  (type $t1 (func))\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func (type $t0)))\n"
    "  (import \"env\" \"h.x\" (func (type $t1)))\n"
    "  (import \"env\" \"g\" (global i32))\n"
    "  (memory (export \"memory\") 2 5)\n"
    "  (table (export \"tab\") 10 20 funcref)\n"
    "  (global (export \"counter\") (mut i64) (i64.const 7))\n"
    "  (data (i32.const 8) \"abc\")\n"
    "  (data \"passive!\")\n"
    "  (elem (i32.const 0) func 0 1)\n"
    "  (elem declare func 1)\n"
    "  (export \"fd_write\" (func 0))\n"
    "  (start 1)\n"
    ")\n";

START_TEST(descriptor_readback)
{
    WasmModule *m = load_wat(desc_wat, NULL);
    CompileOptions o = { .module_name = "dm", .header_path = in_dir("dm.h") };
    WasmcError err = { 0 };
    ck_assert_msg(wasmc_compile_module(m, &o, in_dir("dm.o"), &err), "%s", err.msg);
    VmctxLayout l;
    ck_assert(vmctx_layout_compute(m, WASMC_BOUNDS_CHECKS_GUARD, &l, &err));

    /* readelf sees a clean object. */
    char cmd[700], *out;
    snprintf(cmd, sizeof cmd, "readelf -a -W '%s'", in_dir("dm.o"));
    ck_assert_int_eq(run(cmd, &out), 0);
    ck_assert_msg(!strstr(out, "Warning") && !strstr(out, "Error"), "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "GLOBAL DEFAULT    3 dm_module"));
    ck_assert_ptr_nonnull(strstr(out, "WEAK   DEFAULT  UND wasmc_import_wasi_snapshot_preview1_fd_write"));
    ck_assert_ptr_nonnull(strstr(out, "WEAK   DEFAULT  UND wasmc_import_env_h_x2ex"));
    free(out);

    ElfView v = elf_open(in_dir("dm.o"));
    GElf_Sym sym;
    ck_assert(find_symbol(v, "dm_module", &sym));
    ck_assert_str_eq(section_name_of(v, sym.st_shndx), ".data.rel.ro");
    ck_assert_uint_eq(sym.st_size, sizeof(WasmcModuleDesc));
    WasmcModuleDesc d;
    memcpy(&d, section_bytes(section_named(v, ".data.rel.ro")) + sym.st_value, sizeof d);
    uint64_t at = sym.st_value;
#define FIELD(f) (at + offsetof(WasmcModuleDesc, f))

    ck_assert_uint_eq(d.abi_version, WASMC_RT_ABI_VERSION);
    ck_assert_str_eq(string_at(v, FIELD(name)), "dm");
    ck_assert_uint_eq(d.vmctx_size, l.size);
    ck_assert_uint_eq(d.stack_limit_offset, l.cg.stack_limit_offset);
    ck_assert_uint_eq(d.funcrefs_offset, l.cg.funcrefs_offset);
    ck_assert_uint_eq(d.type_ids_offset, l.cg.type_ids_offset);
    ck_assert_uint_eq(d.num_types, 2);
    ck_assert_uint_eq(d.num_funcs, 2);
    ck_assert_uint_eq(d.num_imported_funcs, 2);
    ck_assert_uint_eq(d.num_memories, 1);
    ck_assert_uint_eq(d.num_tables, 1);
    ck_assert_uint_eq(d.num_globals, 2);
    ck_assert_uint_eq(d.num_imported_globals, 1);
    ck_assert_uint_eq(d.num_imports, 3);
    ck_assert_uint_eq(d.num_exports, 4);
    ck_assert_uint_eq(d.num_data, 2);
    ck_assert_uint_eq(d.num_elems, 2);
    ck_assert_uint_eq(d.start_func, 1);
    ck_assert_uint_eq(d.code_size, 0);
    ck_assert_uint_eq(d.num_trap_sites, 0);

    /* types: signature strings and a trampoline each */
    const char *sec;
    int64_t a;
    bytes_at(v, FIELD(types), &sec, &a);
    ck_assert_str_eq(sec, ".data.rel.ro");
    ck_assert_str_eq(string_at(v, (uint64_t)a), "iI:f");
    ck_assert_str_eq(string_at(v, (uint64_t)a + 8), ":");
    bytes_at(v, FIELD(type_tramps), &sec, &a);
    const char *t0, *t1;
    int64_t a0, a1;
    ck_assert(reloc_at(v, (uint64_t)a, &t0, &a0) && reloc_at(v, (uint64_t)a + 8, &t1, &a1));
    ck_assert_str_eq(t0, "dm.tramp.0");
    ck_assert_str_eq(t1, "dm.tramp.1");

    /* functions and imports */
    const uint32_t *ft = (const uint32_t *)bytes_at(v, FIELD(func_types), &sec, &a);
    ck_assert_str_eq(sec, ".rodata");
    ck_assert_uint_eq(ft[0], 0);
    ck_assert_uint_eq(ft[1], 1);
    const uint32_t *slots = (const uint32_t *)bytes_at(v, FIELD(import_func_offsets), &sec, &a);
    ck_assert_uint_eq(slots[0], l.import_func_offsets[0]);
    ck_assert_uint_eq(slots[1], l.import_func_offsets[1]);
    ck_assert(!reloc_at(v, FIELD(funcs), &sec, &a)); /* no defined functions */

    const WasmcImport *imps = (const WasmcImport *)bytes_at(v, FIELD(imports), &sec, &a);
    uint64_t ia = (uint64_t)a;
    ck_assert_str_eq(string_at(v, ia + offsetof(WasmcImport, module)), "wasi_snapshot_preview1");
    ck_assert_str_eq(string_at(v, ia + offsetof(WasmcImport, name)), "fd_write");
    ck_assert(reloc_at(v, ia + offsetof(WasmcImport, host_code), &t0, &a0));
    ck_assert_str_eq(t0, "wasmc_import_wasi_snapshot_preview1_fd_write");
    ck_assert_uint_eq(imps[1].kind, WASMC_EXTERN_FUNC);
    ck_assert_uint_eq(imps[1].index, 1);
    ck_assert_uint_eq(imps[2].kind, WASMC_EXTERN_GLOBAL);
    ck_assert(!reloc_at(v, ia + 2 * sizeof(WasmcImport) + offsetof(WasmcImport, host_code), &t0, &a0));

    /* memories, tables, globals */
    const WasmcMemoryDef *mem = (const WasmcMemoryDef *)bytes_at(v, FIELD(memories), &sec, &a);
    ck_assert_uint_eq(mem[0].min, 2);
    ck_assert_uint_eq(mem[0].max, 5);
    ck_assert_uint_eq(mem[0].page_size_log2, 16);
    ck_assert_uint_eq(mem[0].flags, WASMC_MEM_HAS_MAX | WASMC_MEM_GUARDED);
    ck_assert_uint_eq(((const uint32_t *)bytes_at(v, FIELD(memory_offsets), &sec, &a))[0], l.memory_offsets[0]);
    const WasmcTableDef *tab = (const WasmcTableDef *)bytes_at(v, FIELD(tables), &sec, &a);
    ck_assert(tab[0].min == 10 && tab[0].max == 20 && tab[0].elem_type == WASMC_TYPE_FUNCREF &&
              tab[0].flags == WASMC_TABLE_HAS_MAX);
    ck_assert_uint_eq(((const uint32_t *)bytes_at(v, FIELD(table_offsets), &sec, &a))[0], l.table_offsets[0]);
    const WasmcGlobalDef *gl = (const WasmcGlobalDef *)bytes_at(v, FIELD(globals), &sec, &a);
    ck_assert(gl[0].type == WASMC_TYPE_I32 && !gl[0].mutable_);
    ck_assert(gl[1].type == WASMC_TYPE_I64 && gl[1].mutable_);
    const uint32_t *go = (const uint32_t *)bytes_at(v, FIELD(global_offsets), &sec, &a);
    ck_assert(go[0] == l.global_offsets[0] && go[1] == l.global_offsets[1]);

    /* exports */
    const WasmcExport *ex = (const WasmcExport *)bytes_at(v, FIELD(exports), &sec, &a);
    ck_assert_str_eq(string_at(v, (uint64_t)a + offsetof(WasmcExport, name)), "memory");
    ck_assert_uint_eq(ex[0].kind, WASMC_EXTERN_MEMORY);
    ck_assert_str_eq(string_at(v, (uint64_t)a + 3 * sizeof(WasmcExport) + offsetof(WasmcExport, name)), "fd_write");
    ck_assert_uint_eq(ex[3].kind, WASMC_EXTERN_FUNC);
    const uint32_t *xl = (const uint32_t *)bytes_at(v, FIELD(export_name_lens), &sec, &a);
    ck_assert(xl[0] == 6 && xl[1] == 3 && xl[2] == 7 && xl[3] == 8);
    const uint32_t *il = (const uint32_t *)bytes_at(v, FIELD(import_name_lens), &sec, &a);
    ck_assert(il[0] == 22 && il[1] == 8 && il[2] == 3 && il[3] == 3 && il[4] == 3 && il[5] == 1);
    ck_assert(tab[0].ref.heap == WASMC_HEAP_TOP && !tab[0].ref.non_null);

    /* data and element segments */
    const WasmcDataSegment *ds = (const WasmcDataSegment *)bytes_at(v, FIELD(data), &sec, &a);
    uint64_t da = (uint64_t)a;
    ck_assert(ds[0].size == 3 && ds[0].mode == WASMC_SEG_ACTIVE && ds[0].memory == 0);
    ck_assert(ds[1].size == 8 && ds[1].mode == WASMC_SEG_PASSIVE);
    ck_assert_int_eq(memcmp(string_at(v, da + offsetof(WasmcDataSegment, bytes)), "abc", 3), 0);
    ck_assert_int_eq(memcmp(string_at(v, da + sizeof(WasmcDataSegment) + offsetof(WasmcDataSegment, bytes)),
                            "passive!", 8), 0);
    const WasmcElemSegment *es = (const WasmcElemSegment *)bytes_at(v, FIELD(elems), &sec, &a);
    uint64_t ea = (uint64_t)a;
    ck_assert(es[0].mode == WASMC_SEG_ACTIVE && es[0].count == 2 && es[0].elem_type == WASMC_TYPE_FUNCREF);
    ck_assert(es[1].mode == WASMC_SEG_DECLARATIVE && es[1].count == 1);
    const uint32_t *fi = (const uint32_t *)bytes_at(v, ea + offsetof(WasmcElemSegment, func_indices), &sec, &a);
    ck_assert(fi[0] == 0 && fi[1] == 1);

    /* init exists (global + offsets) and is a local function in .text */
    ck_assert(reloc_at(v, FIELD(init), &t0, &a0));
    ck_assert_str_eq(t0, "dm.init");
    ck_assert(!reloc_at(v, FIELD(code_start), &t0, &a0));
#undef FIELD
    elf_close(v);
    vmctx_layout_free(&l);
    wasm_module_free(m);

    /* The header compiles, and declares what it should. */
    snprintf(cmd, sizeof cmd, "gcc -std=c17 -Wall -Wextra -Werror -fsyntax-only -I'%s/runtime-stub/include' -x c '%s'",
             WASMC_SOURCE_DIR, in_dir("dm.h"));
    int st = run(cmd, &out);
    ck_assert_msg(st == 0, "%s", out);
    free(out);
    FILE *h = fopen(in_dir("dm.h"), "r");
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, h);
    text[n] = 0;
    fclose(h);
    ck_assert_ptr_nonnull(strstr(text, "extern const WasmcModuleDesc dm_module;"));
    ck_assert_ptr_nonnull(strstr(text, "float wasmc_import_wasi_snapshot_preview1_fd_write(WasmcVmctx *env, "
                                       "WasmcVmctx *caller_vmctx, int32_t p0, int64_t p1);"));
    ck_assert_ptr_nonnull(strstr(text, "export \"fd_write\": no C symbol"));
}
END_TEST

/* Full reference types of tables and globals (WasmcRefType) and names with NUL bytes
 * (written with their lengths). Hand-assembled: wat2wasm cannot write typed references. */
static const uint8_t reftypes_wasm[] = {
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                         /* type 0: (func) */
    0x02, 0x0C, 0x01, 0x03, 'm', 0x00, 'x', 0x02, 'f', 0x00,    /* import "m\0x" "f\0" */
    0x03, 0x63, 0x00, 0x00,                                     /*   (global (ref null 0)) */
    0x03, 0x02, 0x01, 0x00,                                     /* func $f (type 0) */
    0x04, 0x05, 0x01, 0x63, 0x00, 0x00, 0x01,                   /* table 1 (ref null 0) */
    0x06, 0x11, 0x03,
    0x64, 0x00, 0x00, 0xD2, 0x00, 0x0B,                         /* (ref 0) (ref.func $f) */
    0x70, 0x01, 0xD0, 0x70, 0x0B,                               /* (mut funcref) */
    0x6F, 0x00, 0xD0, 0x6F, 0x0B,                               /* externref */
    0x07, 0x0A, 0x02, 0x02, 't', 0x00, 0x01, 0x00,              /* export "t\0" table 0 */
    0x01, 'g', 0x03, 0x01,                                      /* export "g" global 1 */
    0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
};

START_TEST(descriptor_reftypes_and_names)
{
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(reftypes_wasm, sizeof reftypes_wasm, &err);
    ck_assert_msg(m != NULL, "load: %s", err.msg);
    CompileOptions o = { .module_name = "rt" };
    ck_assert_msg(wasmc_compile_module(m, &o, in_dir("rt.o"), &err), "%s", err.msg);
    ElfView v = elf_open(in_dir("rt.o"));
    GElf_Sym sym;
    ck_assert(find_symbol(v, "rt_module", &sym));
    uint64_t at = sym.st_value;
#define FIELD(f) (at + offsetof(WasmcModuleDesc, f))
    const char *sec;
    int64_t a;
    const WasmcTableDef *tab = (const WasmcTableDef *)bytes_at(v, FIELD(tables), &sec, &a);
    ck_assert_uint_eq(tab[0].elem_type, WASMC_TYPE_FUNCREF);
    ck_assert(tab[0].ref.heap == WASMC_HEAP_TYPE && !tab[0].ref.non_null && tab[0].ref.type == 0);
    const WasmcGlobalDef *gl = (const WasmcGlobalDef *)bytes_at(v, FIELD(globals), &sec, &a);
    ck_assert(gl[0].type == WASMC_TYPE_FUNCREF && gl[0].ref.heap == WASMC_HEAP_TYPE &&
              !gl[0].ref.non_null && gl[0].ref.type == 0 && !gl[0].mutable_);
    ck_assert(gl[1].type == WASMC_TYPE_FUNCREF && gl[1].ref.heap == WASMC_HEAP_TYPE &&
              gl[1].ref.non_null && gl[1].ref.type == 0);
    ck_assert(gl[2].type == WASMC_TYPE_FUNCREF && gl[2].ref.heap == WASMC_HEAP_TOP &&
              !gl[2].ref.non_null && gl[2].mutable_);
    ck_assert(gl[3].type == WASMC_TYPE_EXTERNREF && gl[3].ref.heap == WASMC_HEAP_TOP &&
              !gl[3].ref.non_null);

    /* names: the bytes, a terminating NUL, and the lengths */
    bytes_at(v, FIELD(imports), &sec, &a);
    ck_assert_int_eq(memcmp(string_at(v, (uint64_t)a + offsetof(WasmcImport, module)), "m\0x", 4), 0);
    ck_assert_int_eq(memcmp(string_at(v, (uint64_t)a + offsetof(WasmcImport, name)), "f\0", 3), 0);
    const uint32_t *il = (const uint32_t *)bytes_at(v, FIELD(import_name_lens), &sec, &a);
    ck_assert_str_eq(sec, ".rodata");
    ck_assert(il[0] == 3 && il[1] == 2);
    bytes_at(v, FIELD(exports), &sec, &a);
    ck_assert_int_eq(memcmp(string_at(v, (uint64_t)a + offsetof(WasmcExport, name)), "t\0", 3), 0);
    ck_assert_str_eq(string_at(v, (uint64_t)a + sizeof(WasmcExport) + offsetof(WasmcExport, name)), "g");
    const uint32_t *el = (const uint32_t *)bytes_at(v, FIELD(export_name_lens), &sec, &a);
    ck_assert(el[0] == 2 && el[1] == 1);
#undef FIELD
    elf_close(v);
    wasm_module_free(m);
}
END_TEST

/* Equal function types share one trampoline. */
START_TEST(shared_trampolines)
{
    WasmModule *m = load_wat("(module (type (func (param i32))) (type (func (result f64)))"
                             " (type (func (param i32))))", NULL);
    CompileOptions o = { .module_name = "st" };
    WasmcError err = { 0 };
    ck_assert_msg(wasmc_compile_module(m, &o, in_dir("st.o"), &err), "%s", err.msg);
    ElfView v = elf_open(in_dir("st.o"));
    GElf_Sym sym;
    ck_assert(find_symbol(v, "st_module", &sym));
    const char *sec, *t[3];
    int64_t a, addend;
    bytes_at(v, sym.st_value + offsetof(WasmcModuleDesc, type_tramps), &sec, &a);
    for (int i = 0; i < 3; i++)
        ck_assert(reloc_at(v, (uint64_t)a + 8 * i, &t[i], &addend));
    ck_assert_str_eq(t[0], "st.tramp.0");
    ck_assert_str_eq(t[1], "st.tramp.1");
    ck_assert_str_eq(t[2], "st.tramp.0");
    ck_assert(!find_symbol(v, "st.tramp.2", &sym));
    elf_close(v);
    wasm_module_free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("compile");
    TCase *t = tcase_create("layout");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, layout_offsets);
    tcase_add_test(t, layout_empty_module);
    tcase_add_test(t, layout_small_pages_explicit);
    suite_add_tcase(s, t);
    t = tcase_create("names");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, prefix_rules);
    tcase_add_test(t, escape_matches_runtime);
    tcase_add_test(t, export_aliases);
    suite_add_tcase(s, t);
    t = tcase_create("init");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, init_program_shape);
    tcase_add_test(t, init_table_initializer);
    tcase_add_test(t, listing_only);
    suite_add_tcase(s, t);
    t = tcase_create("errors");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, error_import_collision);
    tcase_add_test(t, error_simd);
    tcase_add_test(t, error_exceptions);
    tcase_add_test(t, error_bad_module_name);
    tcase_add_test(t, same_import_twice_ok);
    suite_add_tcase(s, t);
    t = tcase_create("descriptor");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, descriptor_readback);
    tcase_add_test(t, shared_trampolines);
    tcase_add_test(t, descriptor_reftypes_and_names);
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
