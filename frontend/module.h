/* The validated WebAssembly module: the contract between the frontend and
 * every later stage (DESIGN.md 2).
 *
 * Life cycle: wasm_module_load() = wasm_decode() + wasm_validate(). The
 * decoder fills the structure from the binary (everything that can be
 * checked without type information: section order and sizes, LEB128,
 * counts, UTF-8); the validator checks the type rules of WebAssembly 3.0
 * plus the threads, wide-arithmetic and custom-page-sizes proposals, and
 * records in `features` which proposals the module uses. After validation the
 * module is read-only.
 *
 * Everything hangs off the module's arena and is freed by wasm_module_free().
 * The module keeps its own copy of the input bytes; every *_off field is a
 * byte offset into `bytes` (which is also what error offsets refer to). */
#ifndef WASMC_FRONTEND_MODULE_H
#define WASMC_FRONTEND_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../support/arena.h"
#include "../support/diag.h"

/* ---- Value types ------------------------------------------------------ */

/* Type codes are the binary encoding bytes. WT_I8/WT_I16 appear only as
 * packed storage types of struct/array fields. */
typedef enum WasmTypeCode {
    WT_I32 = 0x7F,
    WT_I64 = 0x7E,
    WT_F32 = 0x7D,
    WT_F64 = 0x7C,
    WT_V128 = 0x7B,
    WT_I8 = 0x78,
    WT_I16 = 0x77,
    WT_REF = 0x64, /* any reference type; nullability in WasmValType.nullable */
} WasmTypeCode;

/* Abstract heap types, also by their binary encoding byte. */
typedef enum WasmHeapType {
    HT_NONE_IDX = 0, /* "not abstract": the heap type is a type index */
    HT_NOEXN = 0x74,
    HT_NOFUNC = 0x73,
    HT_NOEXTERN = 0x72,
    HT_NONE = 0x71,
    HT_FUNC = 0x70,
    HT_EXTERN = 0x6F,
    HT_ANY = 0x6E,
    HT_EQ = 0x6D,
    HT_I31 = 0x6C,
    HT_STRUCT = 0x6B,
    HT_ARRAY = 0x6A,
    HT_EXN = 0x69,
} WasmHeapType;

/* A value (or storage) type in 8 bytes. For WT_REF: `heap` is an abstract
 * heap type, or HT_NONE_IDX with the concrete type index in `type_idx`.
 * Two WasmValTypes denote the same type within one module iff their fields
 * are equal AND (for concrete indices) the indices denote equivalent types
 * (iso-recursive equivalence, see wasm_types_equal in validate). */
typedef struct WasmValType {
    uint8_t code;     /* WasmTypeCode */
    uint8_t nullable; /* WT_REF only */
    uint8_t heap;     /* WasmHeapType, WT_REF only */
    uint8_t pad;
    uint32_t type_idx; /* WT_REF with heap == HT_NONE_IDX only */
} WasmValType;

static inline WasmValType wasm_valtype(uint8_t code)
{
    WasmValType t = { code, 0, 0, 0, 0 };
    return t;
}
static inline WasmValType wasm_reftype(bool nullable, uint8_t heap, uint32_t idx)
{
    WasmValType t = { WT_REF, (uint8_t)nullable, heap, 0, idx };
    return t;
}

/* ---- Type section: recursive groups of sub types ---------------------- */

typedef enum WasmCompKind { COMP_FUNC, COMP_STRUCT, COMP_ARRAY } WasmCompKind;

typedef struct WasmFieldType {
    WasmValType type; /* storage type: may be WT_I8/WT_I16 */
    bool mut;
} WasmFieldType;

typedef struct WasmSubType {
    uint8_t kind;      /* WasmCompKind */
    bool final;        /* plain composite types (no `sub`) are final */
    bool has_super;
    uint32_t super_idx;
    uint32_t rec_first; /* index of the first type of its recursion group */
    uint32_t rec_size;  /* number of types in that group (1 for a lone type) */
    /* COMP_FUNC */
    uint32_t nparams, nresults;
    WasmValType *params, *results;
    /* COMP_STRUCT (nfields >= 0) and COMP_ARRAY (nfields == 1) */
    uint32_t nfields;
    WasmFieldType *fields;
} WasmSubType;

/* ---- Imports and the index spaces ------------------------------------- */

typedef enum WasmExternKind {
    EXTERN_FUNC = 0,
    EXTERN_TABLE = 1,
    EXTERN_MEMORY = 2,
    EXTERN_GLOBAL = 3,
    EXTERN_TAG = 4,
} WasmExternKind;

typedef struct WasmLimits {
    uint64_t min;
    uint64_t max;      /* valid only if has_max */
    bool has_max;
    bool is64;         /* memory64 / table64: i64 addresses */
    bool shared;       /* threads: shared memory */
    uint8_t page_log2; /* memories: 16 by default, 0 with custom-page-sizes (1 byte) */
} WasmLimits;

/* A constant expression: a byte range of the input, ending with its `end`. */
typedef struct WasmConstExpr {
    uint32_t off; /* first instruction byte */
    uint32_t len; /* bytes up to and including the final 0x0B */
} WasmConstExpr;

typedef struct WasmTable {
    WasmValType elem; /* a reference type */
    WasmLimits limits;
    bool has_init;    /* table with an initializer expression (0x40 0x00 form) */
    WasmConstExpr init;
} WasmTable;

typedef struct WasmMemory {
    WasmLimits limits;
} WasmMemory;

typedef struct WasmGlobal {
    WasmValType type;
    bool mut;
    WasmConstExpr init; /* imported globals: len == 0 */
} WasmGlobal;

typedef struct WasmTag {
    uint32_t type_idx; /* a function type with no results */
} WasmTag;

typedef struct WasmImport {
    const char *module; /* NUL-terminated copies; lengths may include NULs */
    uint32_t module_len;
    const char *field;
    uint32_t field_len;
    uint8_t kind;   /* WasmExternKind */
    uint32_t index; /* index in that kind's index space (imports come first) */
    uint32_t off;   /* offset of the import entry, for diagnostics */
} WasmImport;

typedef struct WasmLocalRun {
    uint32_t count;
    WasmValType type;
} WasmLocalRun;

typedef struct WasmFunc {
    uint32_t type_idx;
    bool imported;
    /* Defined functions only: */
    uint32_t body_off;   /* the code entry's first byte (after its size) */
    uint32_t body_len;
    uint32_t nlocal_runs;
    WasmLocalRun *local_runs;
    uint32_t nlocals;    /* declared locals, parameters excluded */
    uint32_t code_off;   /* first instruction byte */
    uint32_t code_len;   /* up to and including the final `end` */
} WasmFunc;

typedef struct WasmExport {
    const char *name;
    uint32_t name_len;
    uint8_t kind; /* WasmExternKind */
    uint32_t index;
    uint32_t off;
} WasmExport;

typedef enum WasmSegMode { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE } WasmSegMode;

typedef struct WasmElemSeg {
    uint8_t mode;       /* WasmSegMode */
    uint32_t table_idx; /* active */
    WasmConstExpr offset; /* active */
    WasmValType type;   /* a reference type */
    uint32_t count;
    /* Exactly one of these is non-NULL (unless count == 0): */
    uint32_t *func_idxs;   /* the elemkind 0x00 / func-index forms */
    WasmConstExpr *exprs;  /* the expression forms */
    uint32_t off;
} WasmElemSeg;

typedef struct WasmDataSeg {
    uint8_t mode;        /* SEG_ACTIVE or SEG_PASSIVE */
    uint32_t mem_idx;
    WasmConstExpr offset; /* active */
    uint32_t data_off;   /* the bytes, as a range of the input */
    uint32_t data_len;
    uint32_t off;
} WasmDataSeg;

typedef struct WasmCustomSection {
    const char *name;
    uint32_t name_len;
    uint32_t data_off; /* payload after the name */
    uint32_t data_len;
    uint8_t after_id;  /* id of the last known section before it (0 = none) */
} WasmCustomSection;

typedef struct WasmNameAssoc {
    uint32_t idx;
    const char *name; /* NUL-terminated */
    uint32_t name_len;
} WasmNameAssoc;

typedef struct WasmLocalNames {
    uint32_t func_idx;
    uint32_t count;
    WasmNameAssoc *names; /* sorted by idx */
} WasmLocalNames;

/* Proposals/features a module uses, set by the validator, so later stages
 * can refuse what they cannot lower with a message naming the feature. */
enum {
    WASM_FEAT_SIMD = 1u << 0,          /* v128 and 0xFD opcodes */
    WASM_FEAT_RELAXED_SIMD = 1u << 1,
    WASM_FEAT_GC = 1u << 2,            /* struct/array/i31/casts, rec groups, sub types */
    WASM_FEAT_EXCEPTIONS = 1u << 3,    /* tags, throw, try_table, exnref */
    WASM_FEAT_THREADS = 1u << 4,       /* shared memories, atomics */
    WASM_FEAT_MEMORY64 = 1u << 5,
    WASM_FEAT_MULTI_MEMORY = 1u << 6,
    WASM_FEAT_TAIL_CALL = 1u << 7,
    WASM_FEAT_FUNC_REFS = 1u << 8,     /* typed function references */
    WASM_FEAT_WIDE_ARITH = 1u << 9,
    WASM_FEAT_CUSTOM_PAGES = 1u << 10,
    WASM_FEAT_REF_TYPES = 1u << 11,
    WASM_FEAT_BULK_MEMORY = 1u << 12,
    WASM_FEAT_LEGACY_EXCEPTIONS = 1u << 13, /* try/catch/delegate/rethrow */
};

typedef struct WasmModule {
    Arena arena;
    uint8_t *bytes; /* owned copy of the input */
    size_t size;

    uint32_t ntypes;
    WasmSubType *types;

    uint32_t nimports;
    WasmImport *imports;

    /* Index spaces: imported entries first, then defined ones. */
    uint32_t nfuncs, nimported_funcs;
    WasmFunc *funcs;
    uint32_t ntables, nimported_tables;
    WasmTable *tables;
    uint32_t nmemories, nimported_memories;
    WasmMemory *memories;
    uint32_t nglobals, nimported_globals;
    WasmGlobal *globals;
    uint32_t ntags, nimported_tags;
    WasmTag *tags;

    uint32_t nexports;
    WasmExport *exports;

    bool has_start;
    uint32_t start_func;

    uint32_t nelems;
    WasmElemSeg *elems;

    bool has_data_count;
    uint32_t data_count;
    uint32_t ndatas;
    WasmDataSeg *datas;

    uint32_t ncustoms;
    WasmCustomSection *customs;

    /* From the "name" custom section, when present and well-formed (a bad
     * name section is ignored, as the spec asks for custom sections). */
    const char *module_name; /* NULL if absent */
    uint32_t nfunc_names;
    WasmNameAssoc *func_names; /* sorted by idx */
    uint32_t nlocal_names;
    WasmLocalNames *local_names; /* sorted by func_idx */

    uint32_t features; /* WASM_FEAT_* bits, set by the validator */
    bool validated;
} WasmModule;

/* Decodes the binary format. Copies `bytes`. NULL + err on malformed input. */
WasmModule *wasm_decode(const uint8_t *bytes, size_t len, WasmcError *err);
/* Checks the type rules; sets features and validated. */
bool wasm_validate(WasmModule *m, WasmcError *err);
/* The same, rejecting modules that use any feature in `disabled` (WASM_FEAT_*
 * bits): a profile for suites written before a proposal, e.g. the threads
 * proposal's tests, which predate multi-memory and reference types. With
 * WASM_FEAT_MULTI_MEMORY disabled a second memory is invalid ("multiple
 * memories"); with WASM_FEAT_REF_TYPES a second table ("multiple tables"). */
bool wasm_validate_features(WasmModule *m, uint32_t disabled, WasmcError *err);
/* Both, freeing the module on failure. */
WasmModule *wasm_module_load(const uint8_t *bytes, size_t len, WasmcError *err);
WasmModule *wasm_module_load_features(const uint8_t *bytes, size_t len, uint32_t disabled,
                                      WasmcError *err);
void wasm_module_free(WasmModule *m);

/* Lookups used across the frontend. */
static inline const WasmSubType *wasm_func_type(const WasmModule *m, uint32_t func_idx)
{
    return &m->types[m->funcs[func_idx].type_idx];
}
/* The function's name from the name section, or NULL. */
const char *wasm_func_name(const WasmModule *m, uint32_t func_idx);
/* Comma-separated names of the feature bits, e.g. "SIMD, GC types". */
const char *wasm_feature_names(uint32_t features, char *buf, size_t bufsize);
/* The bit of a feature by its command-line name ("multi-memory", "simd", ...);
 * false if unknown. wasm_feature_option_names lists the accepted names. */
bool wasm_feature_parse(const char *name, uint32_t *bit);
extern const char wasm_feature_option_names[];

#endif
