/* The instruction reader shared by the validator and the IR translator.
 *
 * wasm_read_instr() decodes one instruction (opcode and immediates) from a
 * Reader positioned on a function body or constant expression. It checks
 * only the binary encoding (known opcode, well-formed LEB128, memop flags,
 * reserved zero bytes); index ranges and types are the validator's job
 * (validate_code.c). Nothing is allocated: variable-length immediates
 * (br_table targets, try_table catch clauses) are left as byte ranges that
 * the iterators below walk; wasm_read_instr has already checked that they
 * decode, so iterating them cannot fail.
 */
#ifndef WASMC_FRONTEND_INSTR_H
#define WASMC_FRONTEND_INSTR_H

#include <stdbool.h>
#include <stdint.h>

#include "../support/reader.h"
#include "module.h"

/* Dense opcode ids, one per row of opcodes.def (not the encoding bytes). */
typedef enum WasmOpcode {
#define WASM_OP(name, prefix, code, text, imm, sig, arg) WASM_OP_##name,
#include "opcodes.def"
#undef WASM_OP
    WASM_OP_COUNT_
} WasmOpcode;

/* Immediate formats (the IMM column of opcodes.def) and the WasmInstr field
 * each one fills. */
typedef enum WasmImmKind {
    IMM_NONE,
    IMM_BLOCK,         /* .block: blocktype (block, loop, if, try) */
    IMM_LABEL,         /* .idx: label depth */
    IMM_BR_TABLE,      /* .br_table */
    IMM_FUNC,          /* .idx: function index */
    IMM_CALL_INDIRECT, /* .idx = type index, .idx2 = table index */
    IMM_TYPE,          /* .idx: type index */
    IMM_LOCAL,         /* .idx */
    IMM_GLOBAL,        /* .idx */
    IMM_TABLE,         /* .idx */
    IMM_TAG,           /* .idx */
    IMM_MEMORY,        /* .idx: memory index */
    IMM_MEMARG,        /* .mem */
    IMM_MEMARG_LANE,   /* .mem and .lane */
    IMM_I32,           /* .i32 */
    IMM_I64,           /* .i64 */
    IMM_F32,           /* .f32 (bit pattern) */
    IMM_F64,           /* .f64 (bit pattern) */
    IMM_V128,          /* .v128 */
    IMM_SHUFFLE,       /* .v128: 16 lane indices */
    IMM_LANE,          /* .lane */
    IMM_SELECT_T,      /* .select: vec(valtype) */
    IMM_HEAPTYPE,      /* .ref: ref.null (nullable), ref.test/ref.cast (nullability from the opcode) */
    IMM_MEMORY_INIT,   /* .idx = data index, .idx2 = memory index */
    IMM_DATA,          /* .idx: data index */
    IMM_MEMORY_COPY,   /* .idx = destination memory, .idx2 = source memory */
    IMM_TABLE_INIT,    /* .idx = elem index, .idx2 = table index */
    IMM_ELEM,          /* .idx: elem index */
    IMM_TABLE_COPY,    /* .idx = destination table, .idx2 = source table */
    IMM_STRUCT_FIELD,  /* .idx = type index, .idx2 = field index */
    IMM_TYPE_COUNT,    /* .idx = type index, .idx2 = operand count (array.new_fixed) */
    IMM_TYPE_DATA,     /* .idx = type index, .idx2 = data index */
    IMM_TYPE_ELEM,     /* .idx = type index, .idx2 = elem index */
    IMM_TYPE_TYPE,     /* .idx = destination type, .idx2 = source type (array.copy) */
    IMM_BR_ON_CAST,    /* .cast */
    IMM_TRY_TABLE,     /* .block and .try_table */
    IMM_ZERO_BYTE,     /* a reserved 0x00 byte (atomic.fence) */
} WasmImmKind;

/* Static facts about an opcode, from its opcodes.def row. */
typedef struct WasmOpInfo {
    const char *name; /* text format mnemonic */
    const char *sig;  /* "params:results" or "" (see opcodes.def) */
    uint32_t code;    /* encoding: byte, or sub-opcode after `prefix` */
    uint8_t prefix;   /* 0, 0xFB, 0xFC, 0xFD or 0xFE */
    uint8_t imm;      /* WasmImmKind */
    uint8_t arg;      /* log2 natural alignment, or lane count (see opcodes.def) */
} WasmOpInfo;

const WasmOpInfo *wasm_op_info(WasmOpcode op);

typedef enum WasmBlockTypeKind {
    BT_EMPTY, /* 0x40: [] -> [] */
    BT_VAL,   /* a single result: [] -> [val] */
    BT_TYPE,  /* a type index: the function type's params -> results */
} WasmBlockTypeKind;

typedef struct WasmBlockType {
    uint8_t kind;      /* WasmBlockTypeKind */
    WasmValType val;   /* BT_VAL */
    uint32_t type_idx; /* BT_TYPE (not yet checked to be < ntypes) */
} WasmBlockType;

typedef struct WasmMemArg {
    uint32_t align_log2; /* the alignment exponent, flags without bit 6 (< 64) */
    uint32_t mem_idx;    /* 0 unless flags bit 6 was set */
    uint64_t offset;     /* u64: memory64 offsets may exceed 32 bits */
} WasmMemArg;

/* try_table catch clause kinds (the binary encoding byte). */
typedef enum WasmCatchKind {
    CATCH = 0x00,         /* catch tag label */
    CATCH_REF = 0x01,     /* catch_ref tag label */
    CATCH_ALL = 0x02,     /* catch_all label */
    CATCH_ALL_REF = 0x03, /* catch_all_ref label */
} WasmCatchKind;

typedef struct WasmCatch {
    uint8_t kind; /* WasmCatchKind */
    uint32_t tag; /* CATCH and CATCH_REF only */
    uint32_t label;
} WasmCatch;

/* One decoded instruction. Which union member is meaningful follows from
 * wasm_op_info(op)->imm (see WasmImmKind). */
typedef struct WasmInstr {
    WasmOpcode op;
    uint32_t off; /* byte offset of the opcode (prefix byte) in the input */
    union {
        WasmBlockType block; /* IMM_BLOCK, IMM_TRY_TABLE */
        WasmValType ref;     /* IMM_HEAPTYPE */
        struct {
            uint32_t count;  /* the number of types; valid code has 1 */
            WasmValType type; /* the first type (count > 0) */
        } select;
        int32_t i32;
        int64_t i64;
        uint32_t f32;
        uint64_t f64;
        uint8_t v128[16];    /* IMM_V128 (little-endian bytes), IMM_SHUFFLE */
        struct {
            uint32_t count;          /* targets, excluding the default */
            uint32_t default_label;
            uint32_t targets_off;    /* byte offset of the first target LEB */
        } br_table;
        struct {
            uint8_t flags;    /* bit 0: source nullable, bit 1: target nullable */
            uint32_t label;
            WasmValType from; /* the operand's declared type */
            WasmValType to;   /* the cast target */
        } cast;
    } u;
    /* Kept outside the union because some formats combine them. */
    uint32_t idx;  /* first index immediate (see WasmImmKind) */
    uint32_t idx2; /* second index immediate */
    WasmMemArg mem; /* IMM_MEMARG, IMM_MEMARG_LANE */
    uint8_t lane;   /* IMM_LANE, IMM_MEMARG_LANE */
    struct {
        uint32_t count;       /* number of catch clauses */
        uint32_t catches_off; /* byte offset of the first clause */
    } try_table;
} WasmInstr;

/* Decodes one instruction at r's position. On failure sets r->err
 * ("illegal opcode", "unexpected end", "malformed memop flags", ...) and
 * returns false. */
bool wasm_read_instr(Reader *r, WasmInstr *out);

/* Allocation-free iteration over br_table targets. `bytes` is the whole input
 * (the module's `bytes`). Yields `count` labels, then the default one. */
typedef struct WasmBrTableIter {
    Reader r;
    uint32_t left;    /* targets not yet returned, excluding the default */
    uint32_t deflt;
    bool done;
} WasmBrTableIter;

void wasm_br_table_begin(WasmBrTableIter *it, const uint8_t *bytes, size_t size, const WasmInstr *in);
/* Stores the next label in *label and returns true, or returns false at the
 * end. The last label returned is the default; *is_default says so. */
bool wasm_br_table_next(WasmBrTableIter *it, uint32_t *label, bool *is_default);

typedef struct WasmCatchIter {
    Reader r;
    uint32_t left;
} WasmCatchIter;

void wasm_catch_begin(WasmCatchIter *it, const uint8_t *bytes, size_t size, const WasmInstr *in);
bool wasm_catch_next(WasmCatchIter *it, WasmCatch *out);

#endif
