/* test_obj_elf.c — the object model (objwriter/obj.h) and the ELF writer.
 *
 * The end-to-end tests build an object by hand (x86-64 bytes plus neutral
 * relocations of every kind), check it with readelf, llvm-objdump and a
 * libelf read-back, then link it with a C main written here and run it: the
 * program's checks only pass if every relocation was applied as intended.
 * The error tests check that a failed write reports an error and leaves no
 * file (and no temporary) behind. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../objwriter/obj.h"

/* ---- helpers ----------------------------------------------------------- */

static char dir[256]; /* a fresh temporary directory per test */

static void setup(void)
{
    strcpy(dir, "/tmp/wasmc-obj-XXXXXX");
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

/* Runs a shell command with stderr merged into stdout; returns the exit
 * status (or -1) and the output in *out (malloc'd). */
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

/* Runs cmd, requires exit status 0, returns its output. */
static char *run_ok(const char *cmd)
{
    char *out;
    int st = run(cmd, &out);
    ck_assert_msg(st == 0, "`%s` exited %d:\n%.1500s", cmd, st, out);
    return out;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* Check kills a test whose failure message is too long (exit 2), so tool
 * output in messages is cut to 1500 characters. */
#define CONTAINS(hay, needle) \
    ck_assert_msg(strstr((hay), (needle)), "missing \"%s\" in:\n%.1500s", (needle), (hay))

/* ---- the sample object ------------------------------------------------- */

static ObjSymbol func(Obj *o, ObjSection text, const char *name, ObjBinding bind,
                      ObjVisibility vis, const uint8_t *code, size_t n, uint64_t *at)
{
    *at = obj_align(o, text, 16);
    obj_append(o, text, code, n);
    ObjSymbolDef d = { name, text, *at, n, bind, OBJ_SYMT_FUNC, vis };
    return obj_add_symbol(o, &d);
}

static ObjSymbol object(Obj *o, ObjSection s, const char *name, ObjBinding bind, uint64_t at,
                        uint64_t size)
{
    ObjSymbolDef d = { name, s, at, size, bind, OBJ_SYMT_OBJECT, OBJ_VIS_DEFAULT };
    return obj_add_symbol(o, &d);
}

/* Functions (C view):
 *   int answer(void)          mov eax, 42; ret
 *   int call_ext(void)        return ext_add(counter)      PLT32 + PC32
 *   const char *get_msg(void) lea rax, [rip + msg]         PC32, local symbol
 *   const char *get_world(void)                            PC32, .rodata section symbol + 6
 *   int bump(void)            return ++bss_counter         PC32 load and store into .bss
 *   int weak_fn(void)         weak definition, returns 7
 *   int hidden_fn(void)       hidden visibility, returns 5
 *   int call_local(void)      calls a local function returning 100
 *   long addr_s(void)         mov rax, imm32 = &counter    ABS32S (non-PIE only)
 * Data: counter = 41, fnptr = &answer (ABS64), msg_ptr = msg + 6 (ABS64 +
 * addend), weak_ptr = &maybe_missing (weak undefined, so NULL),
 * counter_addr32 = &counter (ABS32, non-PIE only), ro_const, big_buf. */
static Obj *build_sample(bool pie)
{
    Obj *o = obj_new(OBJ_TARGET_X86_64_LINUX);
    ObjSection text = obj_add_section(o, ".text", OBJ_SEC_TEXT, 16);
    ObjSection ro = obj_add_section(o, ".rodata", OBJ_SEC_RODATA, 1);
    ObjSection data = obj_add_section(o, ".data", OBJ_SEC_DATA, 8);
    ObjSection bss = obj_add_section(o, ".bss", OBJ_SEC_BSS, 1);
    ObjSection note = obj_add_section(o, ".note.wasmc", OBJ_SEC_NOTE, 4);
    ObjSection meta = obj_add_section(o, ".wasmc.meta", OBJ_SEC_CUSTOM, 8);
    ObjSection dbg = obj_add_section(o, ".debug_str", OBJ_SEC_DEBUG, 1);
    uint64_t at;

    /* Referenced before it is defined, as codegen does for later functions. */
    ObjSymbolDef counter_decl = { .name = "counter", .bind = OBJ_BIND_GLOBAL,
                                  .type = OBJ_SYMT_OBJECT };
    ObjSymbol counter = obj_add_symbol(o, &counter_decl);
    ck_assert_uint_eq(obj_add_undefined(o, "counter").id, counter.id);
    ObjSymbol ext_add = obj_add_undefined(o, "ext_add");
    ck_assert_uint_eq(obj_add_undefined(o, "ext_add").id, ext_add.id);

    /* rodata: msg (local) and ro_const (global) */
    static const char hello[] = "hello world";
    uint64_t msg_at = obj_append(o, ro, hello, sizeof hello);
    ObjSymbol msg = object(o, ro, "msg", OBJ_BIND_LOCAL, msg_at, sizeof hello);
    static const uint8_t rc[] = { 0x78, 0x56, 0x34, 0x12 };
    object(o, ro, "ro_const", OBJ_BIND_GLOBAL, obj_align(o, ro, 4), 4);
    obj_append(o, ro, rc, 4);

    /* bss */
    ObjSymbol bss_counter = object(o, bss, "bss_counter", OBJ_BIND_GLOBAL,
                                   obj_reserve_bss(o, bss, 4, 4), 4);
    object(o, bss, "big_buf", OBJ_BIND_GLOBAL, obj_reserve_bss(o, bss, 4096, 64), 4096);

    static const uint8_t c_answer[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
    ObjSymbol answer = func(o, text, "answer", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_answer,
                            sizeof c_answer, &at);

    static const uint8_t c_call_ext[] = {
        0x48, 0x83, 0xec, 0x08,             /* sub rsp, 8 */
        0x8b, 0x3d, 0, 0, 0, 0,             /* mov edi, [rip + counter] */
        0xe8, 0, 0, 0, 0,                   /* call ext_add */
        0x48, 0x83, 0xc4, 0x08,             /* add rsp, 8 */
        0xc3,                               /* ret */
    };
    func(o, text, "call_ext", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_call_ext, sizeof c_call_ext,
         &at);
    uint64_t call_ext_at = at;
    obj_add_reloc(o, text, at + 6, OBJ_RELOC_PC32, counter, -4);
    obj_add_reloc(o, text, at + 11, OBJ_RELOC_CALL_PLT32, ext_add, -4);

    static const uint8_t c_lea[] = { 0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3 };
    func(o, text, "get_msg", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_lea, sizeof c_lea, &at);
    obj_add_reloc(o, text, at + 3, OBJ_RELOC_PC32, msg, -4);
    func(o, text, "get_world", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_lea, sizeof c_lea, &at);
    obj_add_reloc(o, text, at + 3, OBJ_RELOC_PC32, obj_section_symbol(o, ro),
                  (int64_t)msg_at + 6 - 4);

    static const uint8_t c_bump[] = {
        0x8b, 0x05, 0, 0, 0, 0,             /* mov eax, [rip + bss_counter] */
        0x83, 0xc0, 0x01,                   /* add eax, 1 */
        0x89, 0x05, 0, 0, 0, 0,             /* mov [rip + bss_counter], eax */
        0xc3,
    };
    func(o, text, "bump", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_bump, sizeof c_bump, &at);
    obj_add_reloc(o, text, at + 2, OBJ_RELOC_PC32, bss_counter, -4);
    obj_add_reloc(o, text, at + 11, OBJ_RELOC_PC32, bss_counter, -4);

    static const uint8_t c_weak[] = { 0xb8, 7, 0, 0, 0, 0xc3 };
    func(o, text, "weak_fn", OBJ_BIND_WEAK, OBJ_VIS_DEFAULT, c_weak, sizeof c_weak, &at);
    static const uint8_t c_hidden[] = { 0xb8, 5, 0, 0, 0, 0xc3 };
    func(o, text, "hidden_fn", OBJ_BIND_GLOBAL, OBJ_VIS_HIDDEN, c_hidden, sizeof c_hidden, &at);

    static const uint8_t c_call_local[] = { 0xe8, 0, 0, 0, 0, 0xc3 };
    func(o, text, "call_local", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_call_local,
         sizeof c_call_local, &at);
    uint64_t call_local_at = at;
    static const uint8_t c_100[] = { 0xb8, 100, 0, 0, 0, 0xc3 };
    ObjSymbol helper = func(o, text, "local_helper", OBJ_BIND_LOCAL, OBJ_VIS_DEFAULT, c_100,
                            sizeof c_100, &at);
    obj_add_reloc(o, text, call_local_at + 1, OBJ_RELOC_CALL_PLT32, helper, -4);

    if (!pie) {
        static const uint8_t c_addr_s[] = { 0x48, 0xc7, 0xc0, 0, 0, 0, 0, 0xc3 };
        func(o, text, "addr_s", OBJ_BIND_GLOBAL, OBJ_VIS_DEFAULT, c_addr_s, sizeof c_addr_s,
             &at);
        obj_add_reloc(o, text, at + 3, OBJ_RELOC_ABS32S, counter, 0);
    }

    /* data */
    static const uint8_t c41[] = { 41, 0, 0, 0 };
    obj_define_symbol(o, counter, data, obj_append(o, data, c41, 4), 4);
    static const uint8_t zero8[8] = { 0 };
    at = obj_align(o, data, 8);
    obj_append(o, data, zero8, 8);
    object(o, data, "fnptr", OBJ_BIND_GLOBAL, at, 8);
    obj_add_reloc(o, data, at, OBJ_RELOC_ABS64, answer, 0);
    at = obj_append(o, data, zero8, 8);
    object(o, data, "msg_ptr", OBJ_BIND_GLOBAL, at, 8);
    obj_add_reloc(o, data, at, OBJ_RELOC_ABS64, msg, 6);
    ObjSymbolDef weak_undef = { .name = "maybe_missing", .bind = OBJ_BIND_WEAK };
    at = obj_append(o, data, zero8, 8);
    object(o, data, "weak_ptr", OBJ_BIND_GLOBAL, at, 8);
    obj_add_reloc(o, data, at, OBJ_RELOC_ABS64, obj_add_symbol(o, &weak_undef), 0);
    if (!pie) {
        at = obj_append(o, data, zero8, 4);
        object(o, data, "counter_addr32", OBJ_BIND_GLOBAL, at, 4);
        obj_add_reloc(o, data, at, OBJ_RELOC_ABS32, counter, 0);
    }

    /* non-allocated sections: a note, DWARF-style section-relative data */
    obj_append_note(o, note, "wasmc", 1, "v0.1", 4);
    at = obj_append(o, meta, zero8, 8);
    obj_add_reloc(o, meta, at, OBJ_RELOC_ABS64, obj_section_symbol(o, text),
                  (int64_t)call_ext_at);
    obj_append(o, dbg, "wasmc\0", 7);
    return o;
}

static const char main_c[] =
    "#include <stdint.h>\n"
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "int answer(void); int call_ext(void); const char *get_msg(void);\n"
    "const char *get_world(void); int bump(void); int weak_fn(void);\n"
    "int hidden_fn(void); int call_local(void);\n"
    "extern int counter; extern const uint32_t ro_const; extern int (*fnptr)(void);\n"
    "extern const char *msg_ptr; extern void *weak_ptr; extern unsigned char big_buf[4096];\n"
    "#ifdef NOPIE\n"
    "long addr_s(void); extern uint32_t counter_addr32;\n"
    "#endif\n"
    "int ext_add(int x) { return x + 1; }\n"
    "#define CHECK(c) do { if (!(c)) { printf(\"FAIL %d: %s\\n\", __LINE__, #c); return 1; } } while (0)\n"
    "int main(void) {\n"
    "  CHECK(answer() == 42);\n"
    "  CHECK(call_ext() == 42);\n"
    "  counter = 99;\n"
    "  CHECK(call_ext() == 100);\n"
    "  CHECK(strcmp(get_msg(), \"hello world\") == 0);\n"
    "  CHECK(strcmp(get_world(), \"world\") == 0);\n"
    "  CHECK(bump() == 1);\n"
    "  CHECK(bump() == 2);\n"
    "  CHECK(weak_fn() == 7);\n"
    "  CHECK(hidden_fn() == 5);\n"
    "  CHECK(call_local() == 100);\n"
    "  CHECK(ro_const == 0x12345678u);\n"
    "  CHECK(fnptr == answer && fnptr() == 42);\n"
    "  CHECK(msg_ptr == get_msg() + 6);\n"
    "  CHECK(weak_ptr == NULL);\n"
    "  CHECK((uintptr_t)big_buf % 64 == 0);\n"
    "  for (int i = 0; i < 4096; i++) CHECK(big_buf[i] == 0);\n"
    "#ifdef NOPIE\n"
    "  CHECK(addr_s() == (long)(intptr_t)&counter);\n"
    "  CHECK(counter_addr32 == (uint32_t)(uintptr_t)&counter);\n"
    "#endif\n"
    "  puts(\"relocations ok\");\n"
    "  return 0;\n"
    "}\n";

static const char *write_sample(const char *name, bool pie)
{
    Obj *o = build_sample(pie);
    WasmcError err = { 0 };
    static char path[512]; /* in_dir()'s buffers rotate; this one stays */
    snprintf(path, sizeof path, "%s", in_dir(name));
    bool ok = obj_write(o, path, &err);
    ck_assert_msg(ok, "obj_write: %s", err.msg);
    ck_assert(!err.set);
    obj_free(o);
    return path;
}

/* ---- end-to-end -------------------------------------------------------- */

START_TEST(test_readelf_clean)
{
    const char *obj = write_sample("s.o", false);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "readelf -a -W '%s'", obj);
    char *out = run_ok(cmd);
    ck_assert_msg(!strstr(out, "Warning") && !strstr(out, "Error"), "readelf complains:\n%.1500s",
                  out);
    CONTAINS(out, "REL (Relocatable file)");
    CONTAINS(out, "Advanced Micro Devices X86-64");
    CONTAINS(out, ".note.GNU-stack");
    CONTAINS(out, ".rela.text");
    CONTAINS(out, ".rela.data");
    CONTAINS(out, ".rela.wasmc.meta");
    CONTAINS(out, "R_X86_64_PLT32");
    CONTAINS(out, "R_X86_64_PC32");
    CONTAINS(out, "R_X86_64_32S");
    CONTAINS(out, "R_X86_64_32 ");
    CONTAINS(out, "R_X86_64_64");
    CONTAINS(out, "WEAK   DEFAULT  UND maybe_missing");
    CONTAINS(out, "GLOBAL HIDDEN     1 hidden_fn");
    CONTAINS(out, "4 OBJECT  GLOBAL DEFAULT    3 counter");
    CONTAINS(out, "6 FUNC    LOCAL  DEFAULT    1 local_helper");
    CONTAINS(out, "wasmc"); /* the note's owner, from -n */
    free(out);
}
END_TEST

START_TEST(test_objdump_relocs)
{
    const char *obj = write_sample("s.o", false);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "llvm-objdump -d -r '%s'", obj);
    char *out = run_ok(cmd);
    CONTAINS(out, "<answer>:");
    CONTAINS(out, "movl\t$42, %eax");
    CONTAINS(out, "<call_ext>:");
    CONTAINS(out, "R_X86_64_PLT32\text_add-0x4");
    CONTAINS(out, "R_X86_64_PC32\tcounter-0x4");
    CONTAINS(out, "R_X86_64_PC32\tmsg-0x4");
    CONTAINS(out, "R_X86_64_PC32\t.rodata+0x2");
    CONTAINS(out, "R_X86_64_PC32\tbss_counter-0x4");
    CONTAINS(out, "R_X86_64_PLT32\tlocal_helper-0x4");
    CONTAINS(out, "R_X86_64_32S\tcounter");
    free(out);
    snprintf(cmd, sizeof cmd, "llvm-objdump -r -t '%s'", obj);
    out = run_ok(cmd);
    CONTAINS(out, "RELOCATION RECORDS FOR [.data]");
    CONTAINS(out, "R_X86_64_64              answer");
    CONTAINS(out, "R_X86_64_64              msg+0x6");
    CONTAINS(out, "R_X86_64_64              maybe_missing");
    CONTAINS(out, "R_X86_64_32              counter");
    CONTAINS(out, "RELOCATION RECORDS FOR [.wasmc.meta]");
    CONTAINS(out, "R_X86_64_64              .text+0x10");
    free(out);
}
END_TEST

/* Reads the object back with libelf and checks the structural invariants
 * readelf does not insist on. */
START_TEST(test_structure)
{
    const char *obj = write_sample("s.o", false);
    ck_assert(elf_version(EV_CURRENT) != EV_NONE);
    int fd = open(obj, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    ck_assert_ptr_nonnull(e);
    GElf_Ehdr eh;
    ck_assert_ptr_nonnull(gelf_getehdr(e, &eh));
    ck_assert_int_eq(eh.e_type, ET_REL);
    ck_assert_int_eq(eh.e_machine, EM_X86_64);
    ck_assert_int_eq(eh.e_ident[EI_CLASS], ELFCLASS64);
    size_t shstrndx;
    ck_assert_int_eq(elf_getshdrstrndx(e, &shstrndx), 0);

    bool saw_gnu_stack = false, saw_bss = false;
    int nrela = 0;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        gelf_getshdr(scn, &sh);
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        ck_assert_ptr_nonnull(name);
        if (strcmp(name, ".note.GNU-stack") == 0) {
            saw_gnu_stack = true;
            ck_assert_uint_eq(sh.sh_size, 0);
            ck_assert(!(sh.sh_flags & SHF_EXECINSTR));
        }
        if (strcmp(name, ".bss") == 0) {
            saw_bss = true;
            ck_assert_int_eq(sh.sh_type, SHT_NOBITS);
            ck_assert_uint_eq(sh.sh_size, 64 + 4096);
            ck_assert_uint_eq(sh.sh_addralign, 64);
        }
        if (strcmp(name, ".text") == 0)
            ck_assert_uint_eq(sh.sh_flags, SHF_ALLOC | SHF_EXECINSTR);
        if (sh.sh_type == SHT_RELA) {
            nrela++;
            ck_assert(sh.sh_flags & SHF_INFO_LINK);
            Elf_Scn *target = elf_getscn(e, sh.sh_info);
            GElf_Shdr th;
            gelf_getshdr(target, &th);
            ck_assert_str_eq(name + 5, elf_strptr(e, shstrndx, th.sh_name));
            Elf_Scn *link = elf_getscn(e, sh.sh_link);
            GElf_Shdr lh;
            gelf_getshdr(link, &lh);
            ck_assert_int_eq(lh.sh_type, SHT_SYMTAB);
            /* sorted by offset */
            Elf_Data *d = elf_getdata(scn, NULL);
            GElf_Rela prev = { 0 }, r;
            for (size_t i = 0; gelf_getrela(d, (int)i, &r); i++) {
                ck_assert_uint_ge(r.r_offset, prev.r_offset);
                prev = r;
            }
        }
        if (sh.sh_type == SHT_SYMTAB) {
            Elf_Data *d = elf_getdata(scn, NULL);
            size_t n = sh.sh_size / sh.sh_entsize;
            ck_assert_uint_gt(sh.sh_info, 1);
            ck_assert_uint_lt(sh.sh_info, n);
            for (size_t i = 1; i < n; i++) {
                GElf_Sym s;
                gelf_getsym(d, (int)i, &s);
                bool local = GELF_ST_BIND(s.st_info) == STB_LOCAL;
                ck_assert_msg(local == (i < sh.sh_info), "symbol %zu misplaced", i);
            }
        }
    }
    ck_assert(saw_gnu_stack && saw_bss);
    ck_assert_int_eq(nrela, 3);
    elf_end(e);
    close(fd);
}
END_TEST

static void link_and_run(const char *obj, const char *exe, const char *link_cmd)
{
    write_text(in_dir("main.c"), main_c);
    char *out = run_ok(link_cmd);
    free(out);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "'%s'", in_dir(exe));
    out = run_ok(cmd);
    ck_assert_str_eq(out, "relocations ok\n");
    free(out);
    (void)obj;
}

START_TEST(test_link_gcc_nopie)
{
    const char *obj = write_sample("s.o", false);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gcc -DNOPIE -no-pie -o '%s' '%s' '%s'", in_dir("a.out"),
             in_dir("main.c"), obj);
    link_and_run(obj, "a.out", cmd);
}
END_TEST

START_TEST(test_link_gcc_pie)
{
    const char *obj = write_sample("s.o", true);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gcc -pie -fPIE -o '%s' '%s' '%s'", in_dir("a.out"),
             in_dir("main.c"), obj);
    link_and_run(obj, "a.out", cmd);
}
END_TEST

START_TEST(test_link_lld_pie)
{
    const char *obj = write_sample("s.o", true);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gcc -fuse-ld=lld -pie -fPIE -o '%s' '%s' '%s'", in_dir("a.out"),
             in_dir("main.c"), obj);
    link_and_run(obj, "a.out", cmd);
}
END_TEST

/* ld.lld run directly, with gcc supplying only main.o and the start files. */
START_TEST(test_link_ld_lld_direct)
{
    const char *obj = write_sample("s.o", false);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gcc -DNOPIE -fno-pie -c -o '%s' '%s'", in_dir("main.o"),
             in_dir("main.c"));
    write_text(in_dir("main.c"), main_c);
    free(run_ok(cmd));
    snprintf(cmd, sizeof cmd,
             "ld.lld -o '%s' -dynamic-linker /lib64/ld-linux-x86-64.so.2 "
             "$(gcc -print-file-name=crt1.o) $(gcc -print-file-name=crti.o) "
             "$(gcc -print-file-name=crtbegin.o) '%s' '%s' "
             "-L$(dirname $(gcc -print-file-name=libc.so)) -lc "
             "$(gcc -print-file-name=crtend.o) $(gcc -print-file-name=crtn.o)",
             in_dir("a.out"), in_dir("main.o"), obj);
    link_and_run(obj, "a.out", cmd);
}
END_TEST

START_TEST(test_empty_object)
{
    Obj *o = obj_new(OBJ_TARGET_X86_64_LINUX);
    WasmcError err = { 0 };
    ck_assert_msg(obj_write(o, in_dir("e.o"), &err), "%s", err.msg);
    obj_free(o);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "readelf -a -W '%s'", in_dir("e.o"));
    char *out = run_ok(cmd);
    ck_assert_msg(!strstr(out, "Warning") && !strstr(out, "Error"), "%.1500s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "gcc -c -x c /dev/null -o '%s' && ld.lld -r -o '%s' '%s' '%s'",
             in_dir("n.o"), in_dir("r.o"), in_dir("n.o"), in_dir("e.o"));
    free(run_ok(cmd));
}
END_TEST

/* ---- builder ----------------------------------------------------------- */

START_TEST(test_builder)
{
    Obj *o = obj_new(OBJ_TARGET_X86_64_LINUX);
    ObjSection t = obj_add_section(o, ".text", OBJ_SEC_TEXT, 1);
    ObjSection b = obj_add_section(o, ".bss", OBJ_SEC_BSS, 1);
    ck_assert_uint_eq(obj_find_section(o, ".bss").id, b.id);
    ck_assert_uint_eq(obj_find_section(o, ".nope").id, 0);
    static const uint8_t ret = 0xc3;
    ck_assert_uint_eq(obj_append(o, t, &ret, 1), 0);
    ck_assert_uint_eq(obj_align(o, t, 8), 8);
    ck_assert_uint_eq(obj_append(o, t, &ret, 1), 8);
    ck_assert_uint_eq(obj_section_size(o, t), 9);
    ck_assert_uint_eq(obj_reserve_bss(o, b, 3, 1), 0);
    ck_assert_uint_eq(obj_reserve_bss(o, b, 8, 16), 16);
    ck_assert_uint_eq(obj_section_size(o, b), 24);
    static const uint8_t nop = 0x90;
    obj_patch(o, t, 8, &nop, 1);

    ObjSymbol u = obj_add_undefined(o, "f");
    ck_assert_uint_ne(u.id, 0);
    ck_assert_uint_eq(obj_find_symbol(o, "f").id, u.id);
    ck_assert_uint_eq(obj_find_symbol(o, "g").id, 0);
    ObjSymbol s1 = obj_section_symbol(o, t);
    ck_assert_uint_eq(obj_section_symbol(o, t).id, s1.id);
    ck_assert_uint_ne(obj_section_symbol(o, b).id, s1.id);
    /* many names, to exercise rehashing */
    char name[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "sym%d", i);
        obj_add_undefined(o, name);
    }
    ck_assert_uint_eq(obj_find_symbol(o, "f").id, u.id);
    ck_assert_uint_eq(obj_find_symbol(o, "sym777").id, u.id + 2 + 777 + 1);
    obj_define_symbol(o, u, t, 8, 1);
    ck_assert_uint_eq(obj_reloc_size(OBJ_RELOC_ABS64), 8);
    ck_assert_uint_eq(obj_reloc_size(OBJ_RELOC_PC32), 4);

    WasmcError err = { 0 };
    ck_assert_msg(obj_write(o, in_dir("b.o"), &err), "%s", err.msg);
    obj_free(o);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "llvm-objdump -d '%s'", in_dir("b.o"));
    char *out = run_ok(cmd);
    CONTAINS(out, "int3"); /* text padding */
    CONTAINS(out, "nop");  /* the patched byte */
    free(out);
}
END_TEST

START_TEST(test_targets)
{
    ObjTarget t;
    ck_assert(obj_target_parse("x86_64-linux", &t) && t == OBJ_TARGET_X86_64_LINUX);
    ck_assert(obj_target_parse("x86_64-macos", &t) && t == OBJ_TARGET_X86_64_MACOS);
    ck_assert(!obj_target_parse("sparc-sunos", &t));
    ck_assert(!obj_target_parse(NULL, &t));
    ck_assert_int_eq(obj_target_format(OBJ_TARGET_X86_64_WINDOWS), OBJ_FORMAT_COFF);
    ck_assert_int_eq(obj_target_arch(OBJ_TARGET_AARCH64_LINUX), OBJ_ARCH_AARCH64);
    ck_assert_str_eq(obj_target_name(OBJ_TARGET_AARCH64_LINUX), "aarch64-linux");
}
END_TEST

/* ---- errors: reported, and nothing left behind ------------------------- */

/* Writes o to path, requires failure with msg_part in the message, and that
 * dir then holds exactly `entries` entries. */
static void expect_fail(Obj *o, const char *path, const char *msg_part, int entries)
{
    WasmcError err = { 0 };
    ck_assert(!obj_write(o, path, &err));
    ck_assert(err.set);
    ck_assert_msg(strstr(err.msg, msg_part), "message \"%s\" lacks \"%s\"", err.msg, msg_part);
    ck_assert_int_eq(count_entries(dir), entries);
    obj_free(o);
}

START_TEST(test_unwritable_dir)
{
    expect_fail(build_sample(false), in_dir("no/such/dir/x.o"), "cannot create", 0);
}
END_TEST

START_TEST(test_path_is_directory)
{
    ck_assert_int_eq(mkdir(in_dir("out.o"), 0777), 0);
    expect_fail(build_sample(false), in_dir("out.o"), "cannot write", 1);
    ck_assert_int_eq(count_entries(in_dir("out.o")), 0);
    struct stat st;
    ck_assert_int_eq(stat(in_dir("out.o"), &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

/* Through a symlink, so a regression replaces the link, not /dev/null. */
START_TEST(test_device_written_in_place)
{
    ck_assert_int_eq(symlink("/dev/null", in_dir("null")), 0);
    Obj *o = build_sample(false);
    WasmcError err = { 0 };
    ck_assert_msg(obj_write(o, in_dir("null"), &err), "%s", err.msg);
    obj_free(o);
    struct stat st;
    ck_assert_int_eq(lstat(in_dir("null"), &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(stat("/dev/null", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));
    ck_assert_int_eq(count_entries(dir), 1);
}
END_TEST

/* The same model always gives the same bytes (no timestamps, no
 * hash-order dependence). */
START_TEST(test_deterministic)
{
    write_sample("a.o", false);
    write_sample("b.o", false);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp '%s' '%s'", in_dir("a.o"), in_dir("b.o"));
    free(run_ok(cmd));
}
END_TEST

START_TEST(test_empty_path)
{
    expect_fail(build_sample(false), "", "no output file", 0);
}
END_TEST

/* A failed write leaves an existing file untouched; a good one replaces it. */
START_TEST(test_atomic_replace)
{
    write_text(in_dir("x.o"), "old");
    Obj *o = build_sample(false);
    ObjSection t = obj_find_section(o, ".text");
    obj_add_reloc(o, t, obj_section_size(o, t) - 2, OBJ_RELOC_PC32, obj_find_symbol(o, "answer"),
                  0);
    expect_fail(o, in_dir("x.o"), "runs past the end of section '.text'", 1);
    char *text = read_text(in_dir("x.o"));
    ck_assert_str_eq(text, "old");
    free(text);

    write_sample("x.o", false);
    ck_assert_int_eq(count_entries(dir), 1);
    text = read_text(in_dir("x.o"));
    ck_assert(memcmp(text, "\177ELF", 4) == 0);
    free(text);
}
END_TEST

START_TEST(test_duplicate_global)
{
    Obj *o = build_sample(false);
    ObjSection t = obj_find_section(o, ".text");
    ObjSymbolDef d = { "answer", t, 0, 0, OBJ_BIND_WEAK, OBJ_SYMT_FUNC, OBJ_VIS_DEFAULT };
    obj_add_symbol(o, &d);
    expect_fail(o, in_dir("x.o"), "duplicate symbol 'answer'", 0);
}
END_TEST

START_TEST(test_duplicate_local_ok)
{
    Obj *o = build_sample(false);
    ObjSection t = obj_find_section(o, ".text");
    ObjSymbolDef d = { "local_helper", t, 0, 0, OBJ_BIND_LOCAL, OBJ_SYMT_FUNC, OBJ_VIS_DEFAULT };
    obj_add_symbol(o, &d);
    WasmcError err = { 0 };
    ck_assert_msg(obj_write(o, in_dir("x.o"), &err), "%s", err.msg);
    obj_free(o);
}
END_TEST

START_TEST(test_undefined_local)
{
    Obj *o = obj_new(OBJ_TARGET_X86_64_LINUX);
    ObjSymbolDef d = { .name = "lost", .bind = OBJ_BIND_LOCAL };
    obj_add_symbol(o, &d);
    expect_fail(o, in_dir("x.o"), "local symbol 'lost' is never defined", 0);
}
END_TEST

START_TEST(test_symbol_outside_section)
{
    Obj *o = build_sample(false);
    ObjSection r = obj_find_section(o, ".rodata");
    object(o, r, "past", OBJ_BIND_GLOBAL, obj_section_size(o, r) - 2, 4);
    expect_fail(o, in_dir("x.o"), "symbol 'past'", 0);
}
END_TEST

START_TEST(test_reloc_in_bss)
{
    Obj *o = build_sample(false);
    obj_add_reloc(o, obj_find_section(o, ".bss"), 0, OBJ_RELOC_ABS64,
                  obj_find_symbol(o, "answer"), 0);
    expect_fail(o, in_dir("x.o"), "zero-filled section '.bss'", 0);
}
END_TEST

START_TEST(test_overlapping_relocs)
{
    Obj *o = build_sample(false);
    ObjSection d = obj_find_section(o, ".data");
    obj_add_reloc(o, d, 12, OBJ_RELOC_ABS32, obj_find_symbol(o, "answer"), 0);
    expect_fail(o, in_dir("x.o"), "overlapping relocations at 0xc in section '.data'", 0);
}
END_TEST

START_TEST(test_reserved_and_duplicate_sections)
{
    Obj *o = obj_new(OBJ_TARGET_X86_64_LINUX);
    obj_add_section(o, ".symtab", OBJ_SEC_DATA, 1);
    expect_fail(o, in_dir("x.o"), "reserved", 0);
    o = obj_new(OBJ_TARGET_X86_64_LINUX);
    obj_add_section(o, ".rela.text", OBJ_SEC_DATA, 1);
    expect_fail(o, in_dir("x.o"), "reserved", 0);
    o = obj_new(OBJ_TARGET_X86_64_LINUX);
    obj_add_section(o, ".data", OBJ_SEC_DATA, 1);
    obj_add_section(o, ".data", OBJ_SEC_DATA, 1);
    expect_fail(o, in_dir("x.o"), "duplicate section '.data'", 0);
}
END_TEST

START_TEST(test_unimplemented_formats)
{
    expect_fail(obj_new(OBJ_TARGET_X86_64_MACOS), in_dir("x.o"), "x86_64-macos is not implemented",
                0);
    expect_fail(obj_new(OBJ_TARGET_X86_64_WINDOWS), in_dir("x.o"), "not implemented", 0);
    expect_fail(obj_new(OBJ_TARGET_AARCH64_LINUX), in_dir("x.o"), "not implemented", 0);
}
END_TEST

static Suite *obj_suite(void)
{
    Suite *s = suite_create("obj_elf");
    TCase *e2e = tcase_create("end-to-end");
    tcase_add_checked_fixture(e2e, setup, teardown);
    tcase_set_timeout(e2e, 60);
    tcase_add_test(e2e, test_readelf_clean);
    tcase_add_test(e2e, test_objdump_relocs);
    tcase_add_test(e2e, test_structure);
    tcase_add_test(e2e, test_link_gcc_nopie);
    tcase_add_test(e2e, test_link_gcc_pie);
    tcase_add_test(e2e, test_link_lld_pie);
    tcase_add_test(e2e, test_link_ld_lld_direct);
    tcase_add_test(e2e, test_empty_object);
    suite_add_tcase(s, e2e);

    TCase *b = tcase_create("builder");
    tcase_add_checked_fixture(b, setup, teardown);
    tcase_add_test(b, test_builder);
    tcase_add_test(b, test_targets);
    suite_add_tcase(s, b);

    TCase *err = tcase_create("errors");
    tcase_add_checked_fixture(err, setup, teardown);
    tcase_add_test(err, test_unwritable_dir);
    tcase_add_test(err, test_path_is_directory);
    tcase_add_test(err, test_empty_path);
    tcase_add_test(err, test_device_written_in_place);
    tcase_add_test(err, test_deterministic);
    tcase_add_test(err, test_atomic_replace);
    tcase_add_test(err, test_duplicate_global);
    tcase_add_test(err, test_duplicate_local_ok);
    tcase_add_test(err, test_undefined_local);
    tcase_add_test(err, test_symbol_outside_section);
    tcase_add_test(err, test_reloc_in_bss);
    tcase_add_test(err, test_overlapping_relocs);
    tcase_add_test(err, test_reserved_and_duplicate_sections);
    tcase_add_test(err, test_unimplemented_formats);
    suite_add_tcase(s, err);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(obj_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
