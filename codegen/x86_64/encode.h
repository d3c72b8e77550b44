/* The x86-64 machine instruction: a small struct that can be both encoded
 * into a CodeBuf (encode.c) and printed as AT&T assembly that llvm-mc and
 * GNU as accept and encode to the same bytes (print.c).
 *
 * Conventions:
 *   - operands are in Intel order: destination first (opnd[0]); the printer
 *     reverses them for AT&T;
 *   - `size` is the operand size in bytes (1, 2, 4, 8) of integer
 *     instructions and the integer side of int<->float conversions and movd;
 *     SSE arithmetic ignores it;
 *   - registers are X64Reg (regs.h); GPR vs XMM is implied by the number;
 *   - label operands are CgLabel ids of the CodeBuf encoded into; branches to
 *     labels are always rel32 (no relaxation; see codebuf.h);
 *   - a symbol operand is a caller-defined symbol id: encoding records a
 *     CG_RELOC_* against it.
 * Every encoding choice (short accumulator forms, imm8 when the value fits,
 * D1 for shift by 1, which of two equivalent opcodes) matches what llvm-mc
 * picks, so test_x86_encode can compare byte for byte.
 *
 * Invalid operand combinations are compiler bugs: x64_encode aborts with the
 * instruction name (STYLE.md 5). x64_check says in advance whether an
 * instruction is encodable, for the allocator's debug checker. */
#ifndef WASMC_CODEGEN_X86_64_ENCODE_H
#define WASMC_CODEGEN_X86_64_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../codebuf.h"
#include "regs.h"

typedef enum X64Op {
#define X(name, att, cls, pfx, opc, ext) X64_##name,
#include "ops.def"
#undef X
    X64_NUM_OPS,
} X64Op;

/* Condition codes in hardware order (the low nibble of Jcc/SETcc/CMOVcc). */
typedef enum X64Cond {
    X64_CC_O, X64_CC_NO, X64_CC_B, X64_CC_AE, X64_CC_E, X64_CC_NE, X64_CC_BE, X64_CC_A,
    X64_CC_S, X64_CC_NS, X64_CC_P, X64_CC_NP, X64_CC_L, X64_CC_GE, X64_CC_LE, X64_CC_G,
} X64Cond;

static inline X64Cond x64_cc_invert(X64Cond cc) { return (X64Cond)(cc ^ 1); }

typedef enum X64OpndKind {
    X64_OPND_NONE,
    X64_OPND_REG,   /* .reg */
    X64_OPND_IMM,   /* .imm */
    X64_OPND_MEM,   /* .mem */
    X64_OPND_LABEL, /* .label: branch/call target in this CodeBuf */
    X64_OPND_SYM,   /* .sym: external call/jump target (relocation) */
} X64OpndKind;

typedef enum X64MemKind {
    X64_MEM_BASE,      /* [base + index*scale + disp]; base and/or index may be X64_NOREG */
    X64_MEM_RIP,       /* [rip + disp], disp from the end of the instruction */
    X64_MEM_RIP_LABEL, /* [rip + label + disp]: constant pools, jump tables */
    X64_MEM_RIP_SYM,   /* [rip + symbol + disp]: a CG_RELOC_PC32 */
} X64MemKind;

typedef struct X64Mem {
    uint8_t kind;   /* X64MemKind */
    uint8_t base;   /* X64Reg GPR or X64_NOREG */
    uint8_t index;  /* X64Reg GPR other than RSP, or X64_NOREG */
    uint8_t scale;  /* 1, 2, 4, 8 */
    int32_t disp;
    uint32_t target; /* label id or symbol id for the RIP_LABEL/RIP_SYM kinds */
} X64Mem;

typedef struct X64Opnd {
    X64OpndKind kind;
    union {
        X64Reg reg;
        int64_t imm;
        X64Mem mem;
        uint32_t label;
        uint32_t sym;
    };
} X64Opnd;

/* X64Inst.flags */
#define X64_F_LOCK 0x01 /* LOCK prefix: atomic read-modify-write of the memory destination */

typedef struct X64Inst {
    uint16_t op;    /* X64Op */
    uint8_t size;   /* operand size in bytes: 1, 2, 4, 8 */
    uint8_t size2;  /* source size of movzx/movsx (1, 2, 4) */
    uint8_t cc;     /* X64Cond of jcc/setcc/cmovcc */
    uint8_t nopnds;
    uint8_t flags;  /* X64_F_* */
    X64Opnd opnd[3]; /* Intel order, destination first */
} X64Inst;

/* Operand constructors. */
static inline X64Opnd x64_r(X64Reg r) { X64Opnd o = { .kind = X64_OPND_REG, .reg = r }; return o; }
static inline X64Opnd x64_i(int64_t v) { X64Opnd o = { .kind = X64_OPND_IMM, .imm = v }; return o; }
static inline X64Opnd x64_lbl(CgLabel l) { X64Opnd o = { .kind = X64_OPND_LABEL, .label = l.id }; return o; }
static inline X64Opnd x64_sym(uint32_t sym) { X64Opnd o = { .kind = X64_OPND_SYM, .sym = sym }; return o; }
/* [base + index*scale + disp]; pass X64_NOREG for no base / no index. */
static inline X64Opnd x64_mem(X64Reg base, X64Reg index, unsigned scale, int32_t disp)
{
    X64Opnd o = { .kind = X64_OPND_MEM };
    o.mem = (X64Mem){ X64_MEM_BASE, (uint8_t)base, (uint8_t)index, (uint8_t)scale, disp, 0 };
    return o;
}
static inline X64Opnd x64_m(X64Reg base, int32_t disp) { return x64_mem(base, X64_NOREG, 1, disp); }
static inline X64Opnd x64_rip(int32_t disp)
{
    X64Opnd o = { .kind = X64_OPND_MEM };
    o.mem = (X64Mem){ X64_MEM_RIP, X64_NOREG, X64_NOREG, 1, disp, 0 };
    return o;
}
static inline X64Opnd x64_rip_label(CgLabel l, int32_t disp)
{
    X64Opnd o = { .kind = X64_OPND_MEM };
    o.mem = (X64Mem){ X64_MEM_RIP_LABEL, X64_NOREG, X64_NOREG, 1, disp, l.id };
    return o;
}
static inline X64Opnd x64_rip_sym(uint32_t sym, int32_t disp)
{
    X64Opnd o = { .kind = X64_OPND_MEM };
    o.mem = (X64Mem){ X64_MEM_RIP_SYM, X64_NOREG, X64_NOREG, 1, disp, sym };
    return o;
}

/* Instruction constructors: x64_inst0(X64_RET, 0), x64_inst2(X64_ADD, 4,
 * x64_r(X64_RAX), x64_i(1)), ... Set .cc / .size2 afterwards where needed,
 * or use the helpers below. */
static inline X64Inst x64_inst0(X64Op op, unsigned size)
{
    X64Inst in = { .op = (uint16_t)op, .size = (uint8_t)size };
    return in;
}
static inline X64Inst x64_inst1(X64Op op, unsigned size, X64Opnd a)
{
    X64Inst in = { .op = (uint16_t)op, .size = (uint8_t)size, .nopnds = 1, .opnd = { a } };
    return in;
}
static inline X64Inst x64_inst2(X64Op op, unsigned size, X64Opnd a, X64Opnd b)
{
    X64Inst in = { .op = (uint16_t)op, .size = (uint8_t)size, .nopnds = 2, .opnd = { a, b } };
    return in;
}
static inline X64Inst x64_inst3(X64Op op, unsigned size, X64Opnd a, X64Opnd b, X64Opnd c)
{
    X64Inst in = { .op = (uint16_t)op, .size = (uint8_t)size, .nopnds = 3, .opnd = { a, b, c } };
    return in;
}
/* movzx/movsx dst(size) <- src(size2). */
static inline X64Inst x64_ext(X64Op op, unsigned size, unsigned size2, X64Opnd dst, X64Opnd src)
{
    X64Inst in = x64_inst2(op, size, dst, src);
    in.size2 = (uint8_t)size2;
    return in;
}
/* jcc label / setcc r8-or-m8 / cmovcc dst, src. */
static inline X64Inst x64_jcc(X64Cond cc, CgLabel l)
{
    X64Inst in = x64_inst1(X64_JCC, 0, x64_lbl(l));
    in.cc = (uint8_t)cc;
    return in;
}
static inline X64Inst x64_setcc(X64Cond cc, X64Opnd dst)
{
    X64Inst in = x64_inst1(X64_SETCC, 1, dst);
    in.cc = (uint8_t)cc;
    return in;
}
static inline X64Inst x64_cmov(X64Cond cc, unsigned size, X64Opnd dst, X64Opnd src)
{
    X64Inst in = x64_inst2(X64_CMOVCC, size, dst, src);
    in.cc = (uint8_t)cc;
    return in;
}

/* The shortest instruction that sets GPR dst (size 4 or 8) to v without
 * touching flags: for 64 bits, movl when v is a zero-extended 32-bit value
 * (writing a 32-bit register clears the upper half), movq with a
 * sign-extended imm32, else movabs. Sizes 1 and 2 give a plain mov. */
X64Inst x64_mov_imm(X64Reg dst, unsigned size, int64_t v);

/* Name of the op's mnemonic stem ("add", "movss"). */
const char *x64_op_name(X64Op op);

/* NULL if `in` is encodable, else a short reason. */
const char *x64_check(const X64Inst *in);

/* Append the encoding of `in` to cb. Label operands record fix-ups in cb,
 * symbol operands record relocations. Aborts on an invalid instruction. */
void x64_encode(CodeBuf *cb, const X64Inst *in);

/* Emit exactly n bytes of the recommended multi-byte NOP sequences (Intel
 * SDM vol. 2, NOP: "Recommended Multi-Byte Sequence"), at most 9 per NOP. */
void x64_nops(CodeBuf *cb, uint32_t n);
/* Pad with NOPs to a multiple of align (a power of two). */
void x64_align(CodeBuf *cb, uint32_t align);

/* Printing (print.c), AT&T syntax as llvm-mc and GNU as read it. */
typedef struct X64Printer {
    /* Name of symbol `sym`; NULL callback prints "sym<N>". */
    const char *(*sym_name)(void *ctx, uint32_t sym);
    void *ctx;
    /* Prefix of label names; NULL means ".L". Labels print as <prefix><id>. */
    const char *label_prefix;
} X64Printer;

/* Format `in` into out[0..cap) like snprintf (always NUL-terminated when
 * cap > 0) and return the length the full text needs. `p` may be NULL.
 * Format: "<mnemonic>\t<operands>", no leading indentation or newline. */
size_t x64_format(const X64Inst *in, const X64Printer *p, char *out, size_t cap);

#endif
