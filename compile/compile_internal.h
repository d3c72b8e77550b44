/* compile/ internals: the state of one module compilation, shared by the
 * files of this folder (one job each; see the list at the end). */
#ifndef WASMC_COMPILE_INTERNAL_H
#define WASMC_COMPILE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../codegen/codegen.h"
#include "../frontend/module.h"
#include "../objwriter/obj.h"
#include "../runtime-stub/include/wasmc_rt.h"
#include "compile.h"

/* ---- vmctx.c: the vmctx layout, computed once per module ------------------ */

typedef struct VmctxLayout {
    CgModuleInfo cg;               /* what codegen reads; points into the arrays below */
    uint32_t size;                 /* bytes, multiple of 16 */
    uint32_t *memory_offsets;      /* [nmemories] record, or pointer for imports */
    uint32_t *table_offsets;       /* [ntables] */
    uint32_t *global_offsets;      /* [nglobals] 16-byte storage, or pointer for imports */
    uint32_t *import_func_offsets; /* [nimported_funcs] WasmcImportSlot */
    CgMemoryInfo *memories;
    CgTableInfo *tables;
    CgGlobalInfo *globals;
} VmctxLayout;

bool vmctx_layout_compute(const WasmModule *m, WasmcBoundsChecks bounds, VmctxLayout *out,
                          WasmcError *err);
void vmctx_layout_free(VmctxLayout *l);

/* ---- the compilation ----------------------------------------------------- */

typedef struct CompileCtx {
    const WasmModule *m;
    const CompileOptions *opts;
    WasmcError *err;
    char prefix[128];
    VmctxLayout layout;

    Obj *obj;
    ObjSection text, rodata, relro;
    ObjSymbol *func_syms;   /* [nfuncs]: defined functions' local symbols; imports:
                               their weak wasmc_import_ symbol */
    uint64_t *func_off;     /* [nfuncs] text offset of defined functions */
    uint32_t *func_size;    /* [nfuncs] */
    uint64_t code_size;     /* end of the last wasm function in .text */
    WasmcTrapSite *traps;   /* sorted, unique, offsets from the start of .text */
    uint32_t ntraps, cap_traps;

    char **type_sigs;       /* [ntypes] canonical signature strings (malloc'd) */
    ObjSymbol *type_tramps; /* [ntypes] trampoline symbol, OBJ_NO_SYMBOL if none */
    ObjSymbol *import_syms; /* [nimports] weak host symbol of function imports */
    char **export_alias;    /* [nexports] global C symbol of an exported function, or NULL */
    ObjSymbol init_sym;     /* OBJ_NO_SYMBOL if the module needs no init */

    CgInitInsn *init;       /* the init program */
    uint32_t ninit, cap_init;
    uint32_t **elem_funcs;  /* [nelems] func indices (WASMC_ELEM_NULL) when every item
                               is ref.func/ref.null, else NULL: init fills the items */

    CodeBuf cb;             /* reused for every function's code */
    FILE *ir_out;           /* wasmc_emit_ir: where the IR goes */
    uint32_t printed;       /* wasmc_emit_ir: functions printed so far */
} CompileCtx;

/* signatures.c: wasm types -> canonical signature strings and IR signatures */
bool sig_valtype_char(const WasmValType *t, char *out, WasmcError *err);
/* The rest of a reference type (wasmc_rt.h WasmcRefType; a concrete type is its module
 * type index); all-zero for non-reference types. */
WasmcRefType sig_reftype(const WasmValType *t);
IrType sig_valtype_ir(const WasmValType *t);
bool sig_build_all(CompileCtx *c);          /* fills c->type_sigs */
bool sig_is_v128_free(const WasmSubType *t);

/* symbols.c: symbol names and the function / import symbols */
/* Appends E(s) (wasmc_rt.h section 5 escaping) of s[0..len) to buf at *pos. */
void sym_escape(const char *s, size_t len, char *buf, size_t size, size_t *pos);
bool sym_declare_funcs(CompileCtx *c);      /* func_syms + import_syms, collisions */
/* Decides c->export_alias (see compile.h for which exports get one). */
bool sym_plan_export_aliases(CompileCtx *c);
/* Defines them, once the functions' text offsets are known. */
bool sym_define_export_aliases(CompileCtx *c);

/* init_program.c: the CgInitInsn program from the constant expressions */
bool init_program_build(CompileCtx *c);

/* descriptor.c: P_module and everything it points to */
bool descriptor_emit(CompileCtx *c);

/* header.c: the --header C header, as text */
bool header_write(CompileCtx *c, FILE *out);

#endif
