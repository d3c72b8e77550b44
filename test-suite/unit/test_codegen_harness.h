/* Test harness for running code from cg_compile_func (test_codegen_*.c):
 * parse IR text, compile every function (function index = position),
 * place them in an executable mapping, resolve relocations (direct calls
 * between the test's functions, runtime helpers to C fakes below), and call
 * them with a fake vmctx. Traps longjmp out of the fake wasmc_rt_trap.
 *
 * Fake vmctx layout (CgModuleInfo below):
 *   0 instance   16 memory record {base, length}   40 stack limit
 *   64.. globals (16 bytes each; global 3 is imported: a pointer at 112)
 *   128 type ids u32[8]   192 import slots [2]   256 table record
 *   512 funcrefs [8] (32 bytes each) */
#ifndef TEST_CODEGEN_HARNESS_H
#define TEST_CODEGEN_HARNESS_H

#include <check.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../runtime-stub/include/wasmc_rt.h"
#include "codegen.h"
#include "ir.h"

#define H_MEM_OFF 16
#define H_STACK_LIMIT_OFF 40
#define H_GLOBALS_OFF 64
#define H_TYPE_IDS_OFF 128
#define H_IMPORTS_OFF 192
#define H_TABLE_OFF 256
#define H_FUNCREFS_OFF 512
#define H_MEM_SIZE 65536

static _Alignas(64) uint8_t h_vmctx[1024];
static uint8_t *h_memory;
static jmp_buf h_jb;
static volatile int h_last_trap;
static WasmcVal h_imported_global;


static _Noreturn void h_trap(WasmcVmctx *vmctx, uint32_t code)
{
    ck_assert_ptr_eq(vmctx, (void *)h_vmctx);
    h_last_trap = (int)code;
    longjmp(h_jb, 1);
}

static int64_t h_memory_grow(WasmcVmctx *vmctx, uint32_t mem, uint64_t delta)
{
    (void)vmctx;
    (void)mem;
    return delta == 0 ? 1 : -1;
}

static const uint32_t h_import_offsets[2] = { H_IMPORTS_OFF, H_IMPORTS_OFF + 16 };
static CgMemoryInfo h_memories[1] = { { H_MEM_OFF, false, false, CG_BOUNDS_EXPLICIT } };
static CgTableInfo h_tables[1] = { { H_TABLE_OFF, false, false } };
static CgGlobalInfo h_globals[4] = {
    { H_GLOBALS_OFF, false }, { H_GLOBALS_OFF + 16, false }, { H_GLOBALS_OFF + 32, false }, { 112, true } };
static CgModuleInfo h_mi = {
    .stack_limit_offset = H_STACK_LIMIT_OFF, .funcrefs_offset = H_FUNCREFS_OFF, .type_ids_offset = H_TYPE_IDS_OFF,
    .nfuncs = 8, .nimported_funcs = 2, .import_slot_offsets = h_import_offsets,
    .nmemories = 1, .memories = h_memories, .ntables = 1, .tables = h_tables, .nglobals = 4, .globals = h_globals,
};

/* Symbols: function i = i + 1; named = 100 + index in h_names. */
static const char *h_names[] = { "wasmc_rt_trap", "wasmc_rt_memory_grow" };
static void *h_name_addr[] = { (void *)h_trap, (void *)h_memory_grow };
static uint32_t h_sym_func(void *ctx, uint32_t idx) { (void)ctx; return idx + 1; }
static uint32_t h_sym_named(void *ctx, const char *name)
{
    (void)ctx;
    for (uint32_t i = 0; i < sizeof h_names / sizeof *h_names; i++)
        if (!strcmp(name, h_names[i]))
            return 100 + i;
    ck_abort_msg("unknown runtime symbol %s", name);
    return 0;
}
static const CgSymbols h_syms = { NULL, h_sym_func, h_sym_named, NULL };

typedef struct HProg {
    uint8_t *code;
    size_t size;
    void *fn[16];
    uint32_t n;
    CodeBuf cb[16];
} HProg;

static void h_reset_vmctx(void)
{
    memset(h_vmctx, 0, sizeof h_vmctx);
    if (!h_memory)
        h_memory = aligned_alloc(4096, H_MEM_SIZE);
    memset(h_memory, 0, H_MEM_SIZE);
    WasmcMemoryRecord rec = { h_memory, H_MEM_SIZE };
    memcpy(h_vmctx + H_MEM_OFF, &rec, sizeof rec);
    void *gp = &h_imported_global;
    memcpy(h_vmctx + 112, &gp, 8);
}

/* Compiles every function of src; NULL and a message on failure. */
static HProg *h_build_opt(const char *src, FILE *asm_out, char *errbuf)
{
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(src, strlen(src), &l, &err)) {
        snprintf(errbuf, 300, "parse: %.200s", err.msg);
        return NULL;
    }
    HProg *p = calloc(1, sizeof *p);
    p->n = l.n;
    size_t total = 0;
    uint32_t off[16];
    for (uint32_t i = 0; i < l.n; i++) {
        if (!ir_verify(l.funcs[i], &err)) {
            snprintf(errbuf, 300, "verify: %.200s", err.msg);
            ir_func_list_free(&l);
            for (uint32_t k = 0; k < i; k++)
                cb_free(&p->cb[k]);
            free(p);
            return NULL;
        }
        cb_init(&p->cb[i]);
        CgOptions opt = { 1, asm_out, NULL, NULL };
        if (!cg_compile_func(l.funcs[i], &h_mi, &h_syms, &opt, &p->cb[i], &err)) {
            snprintf(errbuf, 300, "compile: %.200s", err.msg);
            ir_func_list_free(&l);
            for (uint32_t k = 0; k <= i; k++)
                cb_free(&p->cb[k]);
            free(p);
            return NULL;
        }
        off[i] = (uint32_t)total;
        total = (total + p->cb[i].len + 15) & ~(size_t)15;
    }
    ir_func_list_free(&l);
    size_t nnames = sizeof h_names / sizeof *h_names, thunks = total;
    total += 16 * nnames;
    p->size = (total + 4095) & ~(size_t)4095;
    if (!p->size)
        p->size = 4096;
    p->code = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(p->code != MAP_FAILED);
    for (uint32_t i = 0; i < p->n; i++) {
        memcpy(p->code + off[i], p->cb[i].data, p->cb[i].len);
        p->fn[i] = p->code + off[i];
    }
    /* C helpers may be far from the mapping: call them through thunks
     * "movabs r11, addr; jmp r11". */
    for (size_t k = 0; k < nnames; k++) {
        uint8_t *t = p->code + thunks + 16 * k;
        uint64_t a = (uint64_t)(uintptr_t)h_name_addr[k];
        t[0] = 0x49, t[1] = 0xbb;
        memcpy(t + 2, &a, 8);
        t[10] = 0x41, t[11] = 0xff, t[12] = 0xe3;
    }
    for (uint32_t i = 0; i < p->n; i++)
        for (uint32_t r = 0; r < p->cb[i].nrelocs; r++) {
            CgReloc *rl = &p->cb[i].relocs[r];
            uint8_t *target = rl->symbol >= 100 ? p->code + thunks + 16 * (rl->symbol - 100)
                                                : (uint8_t *)p->fn[rl->symbol - 1];
            uint8_t *field = p->code + off[i] + rl->offset;
            int64_t v = (int64_t)(intptr_t)target + rl->addend - (int64_t)(intptr_t)field;
            if (rl->kind == CG_RELOC_ABS64) {
                int64_t a = (int64_t)(intptr_t)target + rl->addend;
                memcpy(field, &a, 8);
            } else {
                ck_assert(v == (int32_t)v);
                int32_t v32 = (int32_t)v;
                memcpy(field, &v32, 4);
            }
        }
    ck_assert_int_eq(mprotect(p->code, p->size, PROT_READ | PROT_EXEC), 0);
    return p;
}

__attribute__((unused)) static HProg *h_build(const char *src)
{
    char err[300] = "";
    HProg *p = h_build_opt(src, NULL, err);
    if (!p)
        ck_abort_msg("%s", err);
    return p;
}

static void h_free(HProg *p)
{
    if (!p)
        return;
    munmap(p->code, p->size);
    for (uint32_t i = 0; i < p->n; i++)
        cb_free(&p->cb[i]);
    free(p);
}

#define H_VM ((void *)h_vmctx)
/* Runs stmt; sets code to the trap code it raised, 0 if none. */
#define H_RUN(code, stmt)                 \
    do {                                  \
        h_last_trap = 0;                  \
        switch (setjmp(h_jb)) {           \
        case 0:                           \
            stmt;                         \
            break;                        \
        default:                          \
            break;                        \
        }                                 \
        (code) = h_last_trap;             \
    } while (0)

#endif
