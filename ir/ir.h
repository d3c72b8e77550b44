/* The wasmc IR: a Cranelift-like SSA IR, one function at a time
 * (DESIGN.md 3, STYLE.md 2). This header is the contract for translate,
 * opt and codegen; ops.def is its opcode table.
 *
 * ---- Memory ---------------------------------------------------------------
 * An IrFunc owns an Arena; instructions, operand lists, declarations and
 * analysis results all come from it and are freed by ir_func_free().
 * Values, instructions and blocks are dense uint32 ids wrapped in
 * one-member structs; id 0 means "none", so the first block is block1 and
 * the first value v1. Side tables are arrays indexed by id. An instruction
 * is a fixed 16-byte IrInstData; operand lists that do not fit inline live
 * in a per-function uint32 pool. Order is kept apart from data: per-inst
 * prev/next/block links and per-block first/last/prev/next links.
 *
 * ---- Values ---------------------------------------------------------------
 * A value is defined either by an instruction result or by a block
 * parameter (no phis): branches pass arguments to the target's parameters.
 * The entry block is the first block in the layout; its parameters are the
 * function's parameters and it may not be a branch target.
 *
 * ---- vmctx ----------------------------------------------------------------
 * The instance context is IMPLICIT: every function receives it as a hidden
 * first machine argument that the IR never names. Instructions that need it
 * (memory accesses for the base, globals, tables, calls) get it from the
 * lowering: direct calls to local functions and runtime helpers pass the
 * caller's vmctx, calls to imports and call_indirect pass the callee's own
 * vmctx loaded from the instance. Signatures therefore list wasm-level
 * parameters only. This keeps the frontend free of ABI details (DESIGN.md 4).
 *
 * ---- Types ----------------------------------------------------------------
 * i32 i64 f32 f64 v128. `iptr` is an alias of the pointer-sized integer
 * (i64 on every supported target); the parser accepts it and the printer
 * writes i64. References (funcref, externref) are iptr values; null is 0.
 *
 * ---- Text form ------------------------------------------------------------
 *   ; comment to end of line
 *   function %add(i32, i32) -> i32 {
 *       sig1 = (i32, i64) -> f32, i32     ; signatures, for call_indirect and fn decls
 *       fn2 = local %callee sig1         ; local | import | runtime, then name and sig
 *       mem0 = memory i32 min 1 max 100  ; index type, pages; optional page_log2 N, shared
 *       global3 = global i64 mut         ; optional mut, import (held by pointer)
 *       table0 = table funcref i32 min 1 max 10   ; funcref | externref, index type
 *   block1(v1: i32, v2: i32):
 *       v3 = iadd.i32 v1, v2
 *       return v3
 *   }
 * Names are %ident ([A-Za-z0-9_.$-]+) or %"quoted with \hh escapes". An
 * instruction's `.type` suffix is its controlling type, written unless the
 * opcode admits one type only. Syntax per operand format (ops.def):
 *   CONST          v = iconst.i32 -5 | f32const 0x1.8p+1 | f64const -inf | f32const nan:0x400000
 *                  (iconst printed signed decimal; floats in C99 hex, inf, nan:0xPAYLOAD, sign first)
 *   VCONST         v = vconst 0x000102030405060708090a0b0c0d0e0f  (byte 15 first)
 *   UNARY/BINARY   v = op.ty a[, b]           TERNARY  v = select.ty c, x, y
 *   ICMP/FCMP      v = icmp.i64 ult a, b      v = fcmp.f32 ge a, b
 *   LOAD           v = sload16.i32 heap_oob mem0[v1+8]   (+offset omitted when 0)
 *   STORE          istore8.i32 notrap v2, mem0[v1]
 *   TRAP           trap unreachable           COND_TRAP  trapz v1, int_divz
 *   JUMP           jump block2(v1, v2)        BRIF  brif v1, block2(v3), block3
 *   BR_TABLE       br_table v1, block9, [block2(v4), block3]   (default first)
 *   MULTI          return v1, v2
 *   CALL           v5, v6 = call fn2(v1, v2)            return_call fn2(v1)
 *   CALL_INDIRECT  v5 = call_indirect sig1, table0, v9(v1, v2)   (v9: element index)
 *   CALL_REF       v5 = call_ref sig1, v9(v1, v2)       return_call_ref sig1, v9(v1)
 *                  (v9: an iptr funcref, a WasmcFuncRef *; traps null_ref when 0)
 *   VOP1/2/3       v3 = vop2.v128 i32x4.add v1, v2   (code: an IrVecOp, vecops.def)
 *   entity formats op[.ty] E0[, E1][, values]:  v = global_get.i32 global3
 *                  memory_copy mem0, mem1, v1, v2, v3     table_init table0, elem2, v1, v2, v3
 * Printed ids equal in-memory ids and print(parse(text)) == text for text in
 * this canonical form (one blank line between functions).
 *
 * Errors are values (support/diag.h): the parser reports "line:col: message"
 * with the byte offset; the verifier reports a message with the offending
 * instruction's srcloc as offset. Nothing here prints unless asked or exits;
 * misuse of the builder API by compiler code is an assert. */
#ifndef WASMC_IR_IR_H
#define WASMC_IR_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../support/arena.h"
#include "../support/diag.h"

/* ---- Ids ---------------------------------------------------------------- */

typedef struct IrValue { uint32_t id; } IrValue;
typedef struct IrInst { uint32_t id; } IrInst;
typedef struct IrBlock { uint32_t id; } IrBlock;

#define IR_NO_VALUE ((IrValue){ 0 })
#define IR_NO_INST ((IrInst){ 0 })
#define IR_NO_BLOCK ((IrBlock){ 0 })
static inline IrValue ir_value(uint32_t id) { return (IrValue){ id }; }
static inline IrInst ir_inst(uint32_t id) { return (IrInst){ id }; }
static inline IrBlock ir_block(uint32_t id) { return (IrBlock){ id }; }

/* ---- Types, codes ------------------------------------------------------- */

typedef enum IrType {
    IR_TYPE_NONE = 0,
    IR_TYPE_I32,
    IR_TYPE_I64,
    IR_TYPE_F32,
    IR_TYPE_F64,
    IR_TYPE_V128,
    IR_TYPE_COUNT
} IrType;
#define IR_TYPE_IPTR IR_TYPE_I64 /* pointer-sized integer on x86-64 and aarch64 */

/* Sets of types, for ops.def's TYPES column. */
#define IR_TS(t) (1u << IR_TYPE_##t)
#define IR_TS_NONE 0u
#define IR_TS_I32 IR_TS(I32)
#define IR_TS_I64 IR_TS(I64)
#define IR_TS_F32 IR_TS(F32)
#define IR_TS_F64 IR_TS(F64)
#define IR_TS_V128 IR_TS(V128)
#define IR_TS_INT (IR_TS_I32 | IR_TS_I64)
#define IR_TS_FLOAT (IR_TS_F32 | IR_TS_F64)
#define IR_TS_NUM (IR_TS_INT | IR_TS_FLOAT)
#define IR_TS_ANY (IR_TS_NUM | IR_TS_V128)

const char *ir_type_name(IrType t); /* "i32"...; "none" for IR_TYPE_NONE */
unsigned ir_type_bytes(IrType t);
static inline bool ir_type_is_int(IrType t) { return t == IR_TYPE_I32 || t == IR_TYPE_I64; }
static inline bool ir_type_is_float(IrType t) { return t == IR_TYPE_F32 || t == IR_TYPE_F64; }

/* Integer condition codes (icmp). */
#define IR_INTCC_LIST(X) \
    X(EQ, "eq") X(NE, "ne") X(SLT, "slt") X(SLE, "sle") X(SGT, "sgt") X(SGE, "sge") \
    X(ULT, "ult") X(ULE, "ule") X(UGT, "ugt") X(UGE, "uge")
/* Float condition codes (fcmp). eq lt le gt ge are false on NaN; ne is true
 * on NaN (wasm's f32.ne); uno is "either is NaN", ord "neither is NaN". */
#define IR_FLOATCC_LIST(X) \
    X(EQ, "eq") X(NE, "ne") X(LT, "lt") X(LE, "le") X(GT, "gt") X(GE, "ge") \
    X(UNO, "uno") X(ORD, "ord")
/* Trap codes. NONE ("notrap") is only valid on memory accesses proven in
 * bounds. The runtime's own numbering is codegen's business. */
#define IR_TRAP_LIST(X) \
    X(NONE, "notrap") X(HEAP_OOB, "heap_oob") X(INT_DIVZ, "int_divz") \
    X(INT_OVF, "int_ovf") X(BAD_TOINT, "bad_toint") X(UNREACHABLE, "unreachable") \
    X(TABLE_OOB, "table_oob") X(BAD_SIG, "bad_sig") X(NULL_REF, "null_ref") \
    X(STACK_OVERFLOW, "stack_overflow") X(UNALIGNED, "unaligned") \
    X(CAST_FAIL, "cast_fail") X(ARRAY_OOB, "array_oob")

#define IR_X_ENUM_ICC(e, s) IR_ICC_##e,
#define IR_X_ENUM_FCC(e, s) IR_FCC_##e,
#define IR_X_ENUM_TRAP(e, s) IR_TRAP_##e,
typedef enum IrIntCC { IR_INTCC_LIST(IR_X_ENUM_ICC) IR_ICC_COUNT } IrIntCC;
typedef enum IrFloatCC { IR_FLOATCC_LIST(IR_X_ENUM_FCC) IR_FCC_COUNT } IrFloatCC;
typedef enum IrTrapCode { IR_TRAP_LIST(IR_X_ENUM_TRAP) IR_TRAP_COUNT } IrTrapCode;
#undef IR_X_ENUM_ICC
#undef IR_X_ENUM_FCC
#undef IR_X_ENUM_TRAP

const char *ir_intcc_name(IrIntCC cc);
const char *ir_floatcc_name(IrFloatCC cc);
const char *ir_trap_name(IrTrapCode t);

/* ---- Opcodes (ops.def) --------------------------------------------------- */

#define IR_NVAR (-1) /* variable number of value operands */

typedef enum IrEntityKind {
    IR_ENT_NONE,
    IR_ENT_SIG,
    IR_ENT_FUNC,
    IR_ENT_MEM,
    IR_ENT_GLOBAL,
    IR_ENT_TABLE,
    IR_ENT_DATA,
    IR_ENT_ELEM,
    IR_ENT_COUNT
} IrEntityKind;
const char *ir_entity_prefix(IrEntityKind k); /* "sig", "fn", "mem", ... */

typedef enum IrCodeKind { IR_CODE_NONE, IR_CODE_ICC, IR_CODE_FCC, IR_CODE_TRAP, IR_CODE_VOP } IrCodeKind;

/* v128 lane operations (vecops.def), the code byte of vop1/vop2/vop3. */
typedef enum IrVecOp {
#define IR_VECOP(e, text, sig, lanes) IR_VOP_##e,
#include "vecops.def"
    IR_VOP_COUNT
} IrVecOp;
_Static_assert(IR_VOP_COUNT <= 256, "IrVecOp must fit the code byte");
typedef struct IrVecOpInfo {
    const char *name;  /* "i32x4.add" */
    const char *sig;   /* "vv:v" (see vecops.def) */
    uint8_t lanes;     /* lane count of the L operand, 0 if none */
} IrVecOpInfo;
extern const IrVecOpInfo ir_vecop_info[IR_VOP_COUNT];
const char *ir_vecop_name(IrVecOp v);
/* The IR type of a sig letter (v i I f F; L is i32). */
IrType ir_vecop_letter_type(char c);
/* The result type / the type of operand k of a vector op. */
IrType ir_vecop_result_type(IrVecOp v);
IrType ir_vecop_operand_type(IrVecOp v, uint32_t k);
uint32_t ir_vecop_num_operands(IrVecOp v);

typedef enum IrFormat {
#define IR_FORMAT(name, nvals, e0, e1, code, dests) IR_FMT_##name,
#include "ops.def"
    IR_FMT_COUNT
} IrFormat;

typedef enum IrOpcode {
    IR_OP_INVALID = 0, /* so a zeroed record is never a valid instruction */
#define IR_OP(name, text, fmt, res, types, flags) IR_OP_##name,
#include "ops.def"
    IR_OP_COUNT
} IrOpcode;

typedef enum IrResultKind { IR_RES_NONE, IR_RES_CTRL, IR_RES_I32, IR_RES_CALL } IrResultKind;

enum {
    IR_F_PURE = 1u << 0,
    IR_F_TRAPS = 1u << 1,
    IR_F_READS = 1u << 2,
    IR_F_WRITES = 1u << 3,
    IR_F_TERM = 1u << 4,
    IR_F_COMM = 1u << 5,
};

typedef struct IrFormatInfo {
    const char *name;
    int8_t nvals;      /* fixed number of value operands, or IR_NVAR */
    uint8_t ent[2];    /* IrEntityKind of the named entities */
    uint8_t code;      /* IrCodeKind of the code byte */
    bool dests;        /* has branch destinations */
    bool extra;        /* record's imm indexes f->extras (two entities or a static offset) */
} IrFormatInfo;

typedef struct IrOpInfo {
    const char *name;
    uint8_t format;    /* IrFormat */
    uint8_t result;    /* IrResultKind */
    uint16_t types;    /* IR_TS_* set of allowed controlling types */
    uint16_t flags;    /* IR_F_* */
} IrOpInfo;

extern const IrFormatInfo ir_format_info[IR_FMT_COUNT];
extern const IrOpInfo ir_op_info[IR_OP_COUNT];

static inline const IrOpInfo *ir_op(IrOpcode op) { return &ir_op_info[op]; }
static inline const IrFormatInfo *ir_op_format(IrOpcode op)
{
    return &ir_format_info[ir_op_info[op].format];
}
static inline bool ir_op_has(IrOpcode op, unsigned flag) { return (ir_op_info[op].flags & flag) != 0; }
/* The controlling type is implied (not written in the text) when the
 * opcode admits exactly one type. */
IrType ir_op_implied_type(IrOpcode op); /* IR_TYPE_NONE if not implied */
/* Looks an opcode up by its text name; IR_OP_INVALID if unknown. */
IrOpcode ir_op_by_name(const char *name, size_t len);

/* ---- Module-level declarations a function refers to ---------------------- */

typedef struct IrSig {
    uint8_t *params;   /* IrType each */
    uint8_t *results;
    uint32_t nparams, nresults;
    bool declared;
} IrSig;

typedef enum IrFuncKind {
    IR_FN_LOCAL,   /* defined in this module: direct call, caller's vmctx */
    IR_FN_IMPORT,  /* imported: code pointer and vmctx from the instance */
    IR_FN_RUNTIME, /* a runtime helper (runtime-stub), caller's vmctx */
} IrFuncKind;

typedef struct IrFuncRef {
    const char *name;  /* NUL-terminated copy in the function's arena */
    uint32_t name_len;
    uint32_t sig;      /* index into sigs */
    uint8_t kind;      /* IrFuncKind */
    bool declared;
} IrFuncRef;

typedef struct IrMemoryDecl {
    uint64_t min, max;  /* in pages; max valid iff has_max */
    uint8_t index_type; /* IR_TYPE_I32 or IR_TYPE_I64 (memory64) */
    uint8_t page_log2;  /* 16 normally; 0 for one-byte pages */
    bool has_max, shared;
    bool declared;
} IrMemoryDecl;

typedef struct IrGlobalDecl {
    uint8_t type;       /* IrType */
    bool mutable_;
    bool imported;      /* held by pointer in the vmctx */
    bool declared;
} IrGlobalDecl;

typedef enum IrRefKind { IR_REF_FUNC, IR_REF_EXTERN } IrRefKind;

typedef struct IrTableDecl {
    uint64_t min, max;  /* in elements; max valid iff has_max */
    uint8_t elem;       /* IrRefKind */
    uint8_t index_type; /* IR_TYPE_I32 or IR_TYPE_I64 (table64) */
    bool has_max;
    bool declared;
} IrTableDecl;

/* ---- The function --------------------------------------------------------- */

/* 16 bytes. Which fields mean what depends on the opcode's format:
 *   arg[0..1]  up to two value operands inline, or (pool offset, count) when
 *              the format has more or variable operands; for CONST the 64
 *              bits of the constant (arg[0] low); for branches arg[0] is the
 *              condition/index and arg[1] the pool offset of the dest index
 *   imm        the one named entity, or an index into extras (format.extra),
 *              the vconsts index (VCONST), or the number of destinations. */
typedef struct IrInstData {
    uint16_t op;   /* IrOpcode */
    uint8_t type;  /* controlling IrType, IR_TYPE_NONE if the opcode has none */
    uint8_t code;  /* IrIntCC, IrFloatCC, IrTrapCode or IrVecOp, per format */
    uint32_t arg[2];
    uint32_t imm;
} IrInstData;
_Static_assert(sizeof(IrInstData) == 16, "IrInstData must stay 16 bytes");

typedef struct IrExtra {
    uint64_t offset;   /* LOAD/STORE static offset */
    uint32_t ent[2];   /* entity indices (LOAD/STORE: ent[0] = memory) */
} IrExtra;

typedef struct IrInstNode {
    uint32_t prev, next; /* layout neighbours in the block, 0 at the ends */
    uint32_t block;      /* 0 while not inserted */
} IrInstNode;

/* n == 1: `off` is the result value id itself; n > 1: pool offset. */
typedef struct IrInstResults { uint32_t off, n; } IrInstResults;

/* Block parameters and instruction results are numbered in 16 bits. */
#define IR_MAX_DEFS 65535u

typedef enum IrValueKind { IR_VAL_NONE, IR_VAL_RESULT, IR_VAL_PARAM } IrValueKind;

typedef struct IrValueData {
    uint8_t type;  /* IrType */
    uint8_t kind;  /* IrValueKind; NONE for ids never defined */
    uint16_t num;  /* result index or parameter index */
    uint32_t def;  /* defining inst or block id */
} IrValueData;

typedef struct IrBlockData {
    uint32_t *params;    /* value ids, arena-grown */
    uint32_t nparams, cap;
    uint32_t first, last; /* instruction layout, 0 if empty */
    uint32_t prev, next;  /* block layout */
    bool exists;          /* id was created (the parser may leave gaps) */
    bool inserted;        /* is in the block layout */
} IrBlockData;

#define IR_NO_SRCLOC 0xffffffffu

typedef struct IrFunc {
    Arena arena;
    const char *name;
    uint32_t name_len;
    IrSig sig;            /* the function's own signature */
    uint32_t srcloc;      /* source offset of the function, IR_NO_SRCLOC if none */
    /* The first SIMD instruction the function was translated from (source
     * offset, IR_NO_SRCLOC if none, and its name), kept even when opt
     * deletes it: a backend without SIMD refuses the function there. */
    uint32_t simd_srcloc;
    const char *simd_name; /* static storage */

    /* Instructions: parallel arrays indexed by inst id, slot 0 unused. */
    IrInstData *insts;
    IrInstNode *inodes;
    IrInstResults *ires;
    uint32_t *srclocs;    /* source offset (wasm byte offset or text offset) */
    uint32_t ninsts, cap_insts;

    IrValueData *values;  /* slot 0 unused */
    uint32_t nvalues, cap_values;
    IrBlockData *blocks;  /* slot 0 unused */
    uint32_t *block_srclocs;
    uint32_t nblocks, cap_blocks;
    uint32_t first_block, last_block; /* block layout; first is the entry */

    uint32_t *pool;       /* operand lists, branch destinations, results */
    uint32_t npool, cap_pool;
    IrExtra *extras;
    uint32_t nextras, cap_extras;
    uint8_t (*vconsts)[16];
    uint32_t nvconsts, cap_vconsts;

    /* Declarations, indexed by entity number; gaps have declared == false. */
    IrSig *sigs;
    uint32_t nsigs, cap_sigs;
    IrFuncRef *fns;
    uint32_t nfns, cap_fns;
    IrMemoryDecl *mems;
    uint32_t nmems, cap_mems;
    IrGlobalDecl *globals;
    uint32_t nglobals, cap_globals;
    IrTableDecl *tables;
    uint32_t ntables, cap_tables;
} IrFunc;

/* ir.c */
IrFunc *ir_func_new(const char *name, size_t len);
void ir_func_free(IrFunc *f);
void ir_func_set_sig(IrFunc *f, const IrType *params, uint32_t np, const IrType *results, uint32_t nr);
/* Declarations take the entity number explicitly (translation uses the wasm
 * index spaces). Redeclaring an index replaces it. */
void ir_declare_sig(IrFunc *f, uint32_t idx, const IrType *params, uint32_t np, const IrType *results,
                    uint32_t nr);
void ir_declare_fn(IrFunc *f, uint32_t idx, IrFuncKind kind, const char *name, size_t len, uint32_t sig);
void ir_declare_memory(IrFunc *f, uint32_t idx, const IrMemoryDecl *m);
void ir_declare_global(IrFunc *f, uint32_t idx, const IrGlobalDecl *g);
void ir_declare_table(IrFunc *f, uint32_t idx, const IrTableDecl *t);
/* The declaration, or NULL when idx was not declared. */
const IrSig *ir_func_sig_decl(const IrFunc *f, uint32_t idx);
const IrFuncRef *ir_func_fn_decl(const IrFunc *f, uint32_t idx);
const IrMemoryDecl *ir_func_mem_decl(const IrFunc *f, uint32_t idx);
const IrGlobalDecl *ir_func_global_decl(const IrFunc *f, uint32_t idx);
const IrTableDecl *ir_func_table_decl(const IrFunc *f, uint32_t idx);

/* ---- Reading instructions, values and layout ------------------------------ */

static inline IrOpcode ir_inst_op(const IrFunc *f, IrInst i) { return (IrOpcode)f->insts[i.id].op; }
static inline IrType ir_inst_type(const IrFunc *f, IrInst i) { return (IrType)f->insts[i.id].type; }
static inline uint8_t ir_inst_code(const IrFunc *f, IrInst i) { return f->insts[i.id].code; }
static inline IrBlock ir_inst_block(const IrFunc *f, IrInst i) { return ir_block(f->inodes[i.id].block); }
static inline IrInst ir_inst_next(const IrFunc *f, IrInst i) { return ir_inst(f->inodes[i.id].next); }
static inline IrInst ir_inst_prev(const IrFunc *f, IrInst i) { return ir_inst(f->inodes[i.id].prev); }

uint32_t ir_inst_num_args(const IrFunc *f, IrInst i);
IrValue ir_inst_arg(const IrFunc *f, IrInst i, uint32_t k);
void ir_inst_set_arg(IrFunc *f, IrInst i, uint32_t k, IrValue v);
/* Replaces a variable-length operand list (MULTI, CALL, CALL_INDIRECT,
 * CALL_REF). */
void ir_inst_set_args(IrFunc *f, IrInst i, const IrValue *args, uint32_t n);
uint32_t ir_inst_num_results(const IrFunc *f, IrInst i);
IrValue ir_inst_result(const IrFunc *f, IrInst i, uint32_t k);
/* Destinations (JUMP, BRIF, BR_TABLE; br_table's default is dest 0). */
uint32_t ir_inst_num_dests(const IrFunc *f, IrInst i);
IrBlock ir_inst_dest(const IrFunc *f, IrInst i, uint32_t k);
uint32_t ir_inst_dest_num_args(const IrFunc *f, IrInst i, uint32_t k);
IrValue ir_inst_dest_arg(const IrFunc *f, IrInst i, uint32_t k, uint32_t j);
void ir_inst_set_dest_arg(IrFunc *f, IrInst i, uint32_t k, uint32_t j, IrValue v);
void ir_inst_set_dest(IrFunc *f, IrInst i, uint32_t k, IrBlock b, const IrValue *args, uint32_t n);
/* Named entity k of the instruction (see the format's ent[] kinds). */
uint32_t ir_inst_entity(const IrFunc *f, IrInst i, uint32_t k);
/* May it trap? The opcode's flag, except that a load or store whose trap
 * code is notrap has been proven in bounds. */
bool ir_inst_can_trap(const IrFunc *f, IrInst i);
/* May it be deleted when its results are unused? Only if it cannot trap,
 * writes nothing and does not end its block (reads alone are removable). */
bool ir_inst_is_removable(const IrFunc *f, IrInst i);
uint64_t ir_inst_imm64(const IrFunc *f, IrInst i);   /* CONST bits */
uint64_t ir_inst_offset(const IrFunc *f, IrInst i);  /* LOAD/STORE static offset */
const uint8_t *ir_inst_vconst(const IrFunc *f, IrInst i);

static inline IrType ir_value_type(const IrFunc *f, IrValue v) { return (IrType)f->values[v.id].type; }
static inline bool ir_value_is_defined(const IrFunc *f, IrValue v)
{
    return v.id != 0 && v.id < f->nvalues && f->values[v.id].kind != IR_VAL_NONE;
}

static inline IrBlock ir_func_entry(const IrFunc *f) { return ir_block(f->first_block); }
static inline IrBlock ir_block_next(const IrFunc *f, IrBlock b) { return ir_block(f->blocks[b.id].next); }
static inline IrBlock ir_block_prev(const IrFunc *f, IrBlock b) { return ir_block(f->blocks[b.id].prev); }
static inline IrInst ir_block_first_inst(const IrFunc *f, IrBlock b) { return ir_inst(f->blocks[b.id].first); }
static inline IrInst ir_block_last_inst(const IrFunc *f, IrBlock b) { return ir_inst(f->blocks[b.id].last); }
static inline uint32_t ir_block_num_params(const IrFunc *f, IrBlock b) { return f->blocks[b.id].nparams; }
static inline IrValue ir_block_param(const IrFunc *f, IrBlock b, uint32_t k)
{
    return ir_value(f->blocks[b.id].params[k]);
}
static inline bool ir_block_is_valid(const IrFunc *f, IrBlock b)
{
    return b.id != 0 && b.id < f->nblocks && f->blocks[b.id].exists;
}

/* ---- Building (builder.c) ------------------------------------------------- */

IrBlock ir_block_new(IrFunc *f);                       /* not yet in the layout */
void ir_layout_append_block(IrFunc *f, IrBlock b);
void ir_layout_insert_block_after(IrFunc *f, IrBlock b, IrBlock after);
void ir_layout_remove_block(IrFunc *f, IrBlock b);     /* must be empty of uses elsewhere */
IrValue ir_block_append_param(IrFunc *f, IrBlock b, IrType t);
/* Removes parameter k; the value becomes undefined (for SSA construction). */
void ir_block_remove_param(IrFunc *f, IrBlock b, uint32_t k);

typedef struct IrBlockCall {
    IrBlock block;
    const IrValue *args;
    uint32_t nargs;
} IrBlockCall;

/* Everything needed to create any instruction; unused fields stay zero. */
typedef struct IrInstSpec {
    IrOpcode op;
    IrType type;           /* controlling type; may be NONE when implied */
    uint8_t code;          /* condition or trap code */
    const IrValue *args;   /* value operands (CALL_INDIRECT, CALL_REF: callee first) */
    uint32_t nargs;
    const IrBlockCall *dests;
    uint32_t ndests;
    uint32_t ent[2];       /* named entities, in the format's order */
    uint64_t imm;          /* CONST bits, or LOAD/STORE static offset */
    const uint8_t *v128;   /* VCONST: 16 bytes, byte 0 = lowest */
} IrInstSpec;

/* A detached instruction without results. Asserts the operand counts fit
 * the format (a compiler bug otherwise). */
IrInst ir_inst_create(IrFunc *f, const IrInstSpec *s);
/* Gives the instruction fresh result values per its opcode (calls: the
 * callee signature's results). */
void ir_inst_make_results(IrFunc *f, IrInst i);
void ir_layout_append_inst(IrFunc *f, IrBlock b, IrInst i);
void ir_layout_insert_inst_before(IrFunc *f, IrInst before, IrInst i);
void ir_layout_remove_inst(IrFunc *f, IrInst i);
/* Rewrites every operand and branch argument equal to `from` to `to`. */
void ir_replace_uses(IrFunc *f, IrValue from, IrValue to);

/* A cursor: append at the end of `block`, or insert before `before`. New
 * instructions get `srcloc`. */
typedef struct IrBuilder {
    IrFunc *f;
    IrBlock block;
    IrInst before;
    uint32_t srcloc;
} IrBuilder;

void ir_builder_at_end(IrBuilder *b, IrFunc *f, IrBlock block);
void ir_builder_before(IrBuilder *b, IrFunc *f, IrInst before);
IrInst ir_build(IrBuilder *b, const IrInstSpec *s); /* create, make results, insert */

IrValue ir_ins_iconst(IrBuilder *b, IrType t, uint64_t v);
IrValue ir_ins_f32const(IrBuilder *b, uint32_t bits);
IrValue ir_ins_f64const(IrBuilder *b, uint64_t bits);
IrValue ir_ins_vconst(IrBuilder *b, const uint8_t bytes[16]);
IrValue ir_ins_unary(IrBuilder *b, IrOpcode op, IrType t, IrValue x);
IrValue ir_ins_binary(IrBuilder *b, IrOpcode op, IrType t, IrValue x, IrValue y);
IrValue ir_ins_icmp(IrBuilder *b, IrIntCC cc, IrValue x, IrValue y);
IrValue ir_ins_fcmp(IrBuilder *b, IrFloatCC cc, IrValue x, IrValue y);
IrValue ir_ins_select(IrBuilder *b, IrValue c, IrValue x, IrValue y);
IrValue ir_ins_load(IrBuilder *b, IrOpcode op, IrType t, IrTrapCode trap, uint32_t mem, IrValue addr,
                    uint64_t offset);
IrInst ir_ins_store(IrBuilder *b, IrOpcode op, IrTrapCode trap, uint32_t mem, IrValue addr, uint64_t offset,
                    IrValue v);
IrInst ir_ins_trap(IrBuilder *b, IrTrapCode code);
IrInst ir_ins_cond_trap(IrBuilder *b, IrOpcode op, IrValue x, IrTrapCode code);
IrInst ir_ins_jump(IrBuilder *b, IrBlock dest, const IrValue *args, uint32_t n);
IrInst ir_ins_brif(IrBuilder *b, IrValue c, IrBlockCall then_, IrBlockCall else_);
IrInst ir_ins_br_table(IrBuilder *b, IrValue index, const IrBlockCall *dests, uint32_t n);
IrInst ir_ins_return(IrBuilder *b, const IrValue *vals, uint32_t n);
IrInst ir_ins_call(IrBuilder *b, IrOpcode op, uint32_t fn, const IrValue *args, uint32_t n);
IrInst ir_ins_call_indirect(IrBuilder *b, IrOpcode op, uint32_t sig, uint32_t table, IrValue callee,
                            const IrValue *args, uint32_t n);
/* call_ref / return_call_ref: callee is an iptr funcref (see ops.def). */
IrInst ir_ins_call_ref(IrBuilder *b, IrOpcode op, uint32_t sig, IrValue callee, const IrValue *args, uint32_t n);
/* Any entity-format opcode (globals, memory and table management). */
IrInst ir_ins_entity_op(IrBuilder *b, IrOpcode op, IrType t, uint32_t e0, uint32_t e1, const IrValue *args,
                        uint32_t n);

/* ---- Text (print.c, parse.c) ---------------------------------------------- */

void ir_print_func(FILE *out, const IrFunc *f);
void ir_print_inst(FILE *out, const IrFunc *f, IrInst i); /* one line, no indent or newline */
char *ir_func_to_string(const IrFunc *f);                  /* malloc'd */

typedef struct IrFuncList {
    IrFunc **funcs; /* malloc'd array */
    uint32_t n;
} IrFuncList;

/* Parses every function in src. On failure fills err with "line:col:
 * message" and the byte offset, frees what it built, returns false. */
bool ir_parse(const char *src, size_t len, IrFuncList *out, WasmcError *err);
void ir_func_list_free(IrFuncList *l);
/* 1-based line and column of a byte offset (columns count bytes). */
void ir_text_line_col(const char *src, size_t len, size_t off, unsigned *line, unsigned *col);

/* ---- Verifier (verify.c) -------------------------------------------------- */

/* Structure, SSA dominance, types, terminators, block-argument arity and
 * types, declarations. Reports the first problem; err->offset is the
 * offending instruction's (or block's) srcloc, or WASMC_NO_OFFSET. */
bool ir_verify(IrFunc *f, WasmcError *err);

/* ---- Analyses on demand (cfg.c, dom.c) ------------------------------------ */

typedef struct IrBlockList {
    uint32_t *ids;
    uint32_t n;
} IrBlockList;

/* Predecessors and successors of the blocks in the layout, indexed by block
 * id; each list is free of duplicates, in first-seen order. Recompute after
 * any change to the CFG. */
typedef struct IrCfg {
    uint32_t nblocks; /* f->nblocks when computed */
    IrBlockList *preds;
    IrBlockList *succs;
} IrCfg;
IrCfg *ir_compute_cfg(IrFunc *f);

/* Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm" (2001),
 * iterated over reverse postorder. Unreachable blocks have no idom and
 * rpo_num 0; reachable ones are numbered from 1 in RPO. */
typedef struct IrDomTree {
    uint32_t nblocks;
    uint32_t *idom;    /* by block id: immediate dominator, 0 for entry/unreachable */
    uint32_t *rpo_num; /* by block id */
    uint32_t *rpo;     /* reachable blocks in reverse postorder */
    uint32_t nrpo;
    /* By block id: entry and exit times of a DFS over the dominator tree, so
     * "a dominates b" is an O(1) interval test (no walk up a deep tree). */
    uint32_t *dfs_in, *dfs_out;
} IrDomTree;
IrDomTree *ir_compute_domtree(IrFunc *f, const IrCfg *cfg);
static inline bool ir_dom_is_reachable(const IrDomTree *d, IrBlock b)
{
    return b.id < d->nblocks && d->rpo_num[b.id] != 0;
}
/* a dominates b (reflexive). False when either is unreachable. */
bool ir_dom_dominates(const IrDomTree *d, IrBlock a, IrBlock b);

/* Number of uses of each value (operands and branch arguments of inserted
 * instructions), indexed by value id, in f's arena. */
uint32_t *ir_compute_use_counts(IrFunc *f);

#endif
