#include "entry.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../objwriter/obj.h"
#include "../wasi-libc-shim/wasmc_wasi_config.h"
#include "diagnostics.h"

/* main(argc, argv) tail-calls wasmc_rt_main(desc, argc, argv):
 *     mov rdx, rsi            48 89 f2
 *     mov esi, edi            89 fe
 *     lea rdi, [rip + desc]   48 8d 3d <pc32 desc - 4>
 *     jmp wasmc_rt_main       e9 <plt32 wasmc_rt_main - 4>
 * Fixed bytes: the driver does not link the code generator for six
 * instructions, and the encoder's tests cover these encodings. */
static const uint8_t main_code[] = {
    0x48, 0x89, 0xf2, 0x89, 0xfe, 0x48, 0x8d, 0x3d, 0, 0, 0, 0, 0xe9, 0, 0, 0, 0,
};
enum { MAIN_DESC_FIELD = 8, MAIN_CALL_FIELD = 13 };

/* Appends a NUL-terminated string to .rodata; returns its offset. */
static uint64_t add_string(Obj *obj, ObjSection rodata, const char *s, size_t n)
{
    uint64_t off = obj_append(obj, rodata, s, n);
    obj_append(obj, rodata, "", 1);
    return off;
}

/* An array of n pointers to strings in .rodata (or NULL entries), in
 * .data.rel.ro; returns its offset. */
static uint64_t add_string_array(Obj *obj, ObjSection relro, ObjSymbol rodata_sym,
                                 const uint64_t *offs, const bool *present, uint32_t n)
{
    uint64_t at = obj_align(obj, relro, 8);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t zero = 0;
        uint64_t off = obj_append(obj, relro, &zero, 8);
        if (present[i])
            obj_add_reloc(obj, relro, off, OBJ_RELOC_ABS64, rodata_sym, (int64_t)offs[i]);
    }
    return at;
}

bool write_entry_object(const DriverOptions *o, const char *module_prefix, const char *path)
{
    Obj *obj = obj_new(OBJ_TARGET_X86_64_LINUX);
    ObjSection text = obj_add_section(obj, ".text", OBJ_SEC_TEXT, 16);
    ObjSection rodata = obj_add_section(obj, ".rodata", OBJ_SEC_RODATA, 1);
    ObjSection relro = obj_add_section(obj, ".data.rel.ro", OBJ_SEC_DATA, 8);
    ObjSymbol rodata_sym = obj_section_symbol(obj, rodata);

    uint64_t main_off = obj_append(obj, text, main_code, sizeof main_code);
    obj_add_symbol(obj, &(ObjSymbolDef){ .name = "main", .section = text, .offset = main_off,
                                         .size = sizeof main_code, .bind = OBJ_BIND_GLOBAL,
                                         .type = OBJ_SYMT_FUNC });
    char desc_name[512];
    snprintf(desc_name, sizeof desc_name, "%s_module", module_prefix);
    obj_add_reloc(obj, text, main_off + MAIN_DESC_FIELD, OBJ_RELOC_PC32, obj_add_undefined(obj, desc_name), -4);
    obj_add_reloc(obj, text, main_off + MAIN_CALL_FIELD, OBJ_RELOC_CALL_PLT32,
                  obj_add_undefined(obj, "wasmc_rt_main"), -4);

    /* --dir HOST[::GUEST] */
    uint32_t nd = (uint32_t)o->ndirs, ne = (uint32_t)o->nenvs;
    uint64_t *host = calloc(nd + 1, sizeof *host), *guest = calloc(nd + 1, sizeof *guest);
    bool *has_host = calloc(nd + 1, 1), *has_guest = calloc(nd + 1, 1);
    uint64_t *env = calloc(ne + 1, sizeof *env);
    bool *has_env = calloc(ne + 1, 1);
    for (uint32_t i = 0; i < nd; i++) {
        const char *d = o->dirs[i], *sep = strstr(d, "::");
        size_t hlen = sep ? (size_t)(sep - d) : strlen(d);
        host[i] = add_string(obj, rodata, d, hlen);
        has_host[i] = true;
        if (sep) {
            guest[i] = add_string(obj, rodata, sep + 2, strlen(sep + 2));
            has_guest[i] = true;
        }
    }
    for (uint32_t i = 0; i < ne; i++) {
        env[i] = add_string(obj, rodata, o->envs[i], strlen(o->envs[i]));
        has_env[i] = true;
    }
    uint64_t hosts_at = add_string_array(obj, relro, rodata_sym, host, has_host, nd);
    uint64_t guests_at = add_string_array(obj, relro, rodata_sym, guest, has_guest, nd);
    uint64_t envs_at = add_string_array(obj, relro, rodata_sym, env, has_env, ne);
    ObjSymbol relro_sym = obj_section_symbol(obj, relro);

    WasmcWasiConfig cfg = { 0 };
    cfg.version = WASMC_WASI_CONFIG_VERSION;
    cfg.flags = o->inherit_env ? WASMC_WASI_INHERIT_ENV : 0;
    cfg.ndirs = nd;
    cfg.nenvs = ne;
    uint64_t cfg_at = obj_align(obj, relro, 8);
    obj_append(obj, relro, &cfg, sizeof cfg); /* pointer fields are 0 until relocated */
    if (nd) {
        obj_add_reloc(obj, relro, cfg_at + offsetof(WasmcWasiConfig, dir_hosts), OBJ_RELOC_ABS64,
                      relro_sym, (int64_t)hosts_at);
        obj_add_reloc(obj, relro, cfg_at + offsetof(WasmcWasiConfig, dir_guests), OBJ_RELOC_ABS64,
                      relro_sym, (int64_t)guests_at);
    }
    if (ne)
        obj_add_reloc(obj, relro, cfg_at + offsetof(WasmcWasiConfig, envs), OBJ_RELOC_ABS64,
                      relro_sym, (int64_t)envs_at);
    obj_add_symbol(obj, &(ObjSymbolDef){ .name = "wasmc_wasi_config", .section = relro,
                                         .offset = cfg_at, .size = sizeof cfg,
                                         .bind = OBJ_BIND_GLOBAL, .type = OBJ_SYMT_OBJECT });

    WasmcError err = { 0 };
    bool ok = obj_write(obj, path, &err);
    if (!ok)
        error_at(path, &err);
    obj_free(obj);
    free(host);
    free(guest);
    free(has_host);
    free(has_guest);
    free(env);
    free(has_env);
    return ok;
}
