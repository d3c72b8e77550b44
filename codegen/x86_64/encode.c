/* x86-64 encoder: X64Inst -> bytes in a CodeBuf.
 *
 * Every instruction is laid out as
 *     [66] [F2|F3|66 mandatory] [REX] opcode... [ModRM [SIB] [disp]] [imm]
 * (Intel SDM vol. 2, ch. 2). The operand-size prefix 66 goes before a
 * mandatory F3 (lzcntw = 66 F3 0F BD); REX must be the byte right before the
 * opcode, after all legacy/mandatory prefixes, or the CPU ignores it.
 *
 * Each X64_ENC_* class has one case in x64_encode listing its forms. Where
 * two encodings are equivalent, the one llvm-mc picks is used (shortest
 * first: imm8 forms, accumulator forms, D1 for a shift by 1), so the bytes
 * can be checked against llvm-mc by test_x86_encode. */
#include "encode.h"

#include <stdio.h>
#include <stdlib.h>

typedef enum X64EncClass {
    X64_ENC_ALU, X64_ENC_TEST, X64_ENC_MOV, X64_ENC_MOVABS, X64_ENC_MOVZX, X64_ENC_MOVSX,
    X64_ENC_LEA, X64_ENC_XCHG, X64_ENC_UNARY, X64_ENC_SHIFT, X64_ENC_IMUL, X64_ENC_R_RM_0F,
    X64_ENC_SETCC, X64_ENC_CMOVCC, X64_ENC_JCC, X64_ENC_JMP, X64_ENC_CALL, X64_ENC_PUSH,
    X64_ENC_POP, X64_ENC_BSWAP, X64_ENC_FIXED, X64_ENC_SSE, X64_ENC_SSE_MOV, X64_ENC_SSE_IMM,
    X64_ENC_CVTSI2F, X64_ENC_CVTF2SI, X64_ENC_MOVD, X64_ENC_MR_0F,
} X64EncClass;

typedef struct X64OpInfo {
    const char *name;
    uint8_t cls;    /* X64EncClass */
    uint8_t prefix; /* mandatory prefix or 0 */
    uint32_t opc;
    uint8_t ext;
} X64OpInfo;

static const X64OpInfo op_info[X64_NUM_OPS] = {
#define X(name, att, cls, pfx, opc, ext) [X64_##name] = { att, X64_ENC_##cls, pfx, opc, ext },
#include "ops.def"
#undef X
};

const char *x64_op_name(X64Op op) { return op < X64_NUM_OPS ? op_info[op].name : "?"; }

/* ---- operand predicates ------------------------------------------------ */

static bool is_kind(const X64Inst *in, int i, X64OpndKind k) { return i < in->nopnds && in->opnd[i].kind == k; }
static bool is_gpr(const X64Inst *in, int i) { return is_kind(in, i, X64_OPND_REG) && x64_is_gpr(in->opnd[i].reg); }
static bool is_xmm(const X64Inst *in, int i) { return is_kind(in, i, X64_OPND_REG) && x64_is_xmm(in->opnd[i].reg); }
static bool is_mem(const X64Inst *in, int i) { return is_kind(in, i, X64_OPND_MEM); }
static bool is_imm(const X64Inst *in, int i) { return is_kind(in, i, X64_OPND_IMM); }
static bool is_gpr_or_mem(const X64Inst *in, int i) { return is_gpr(in, i) || is_mem(in, i); }
static bool is_xmm_or_mem(const X64Inst *in, int i) { return is_xmm(in, i) || is_mem(in, i); }
static bool fits8(int64_t v) { return v >= INT8_MIN && v <= INT8_MAX; }
static bool fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* SPL, BPL, SIL, DIL exist only with a REX prefix: without one, byte
 * registers 4-7 are AH, CH, DH, BH. */
static bool needs_byte_rex(const X64Opnd *o)
{
    return o->kind == X64_OPND_REG && o->reg >= X64_RSP && o->reg <= X64_RDI;
}

/* Memory operand validity: index can never be RSP (SIB index 100 without
 * REX.X means "no index"), scale is 1/2/4/8, base/index are GPRs. */
static bool mem_ok(const X64Mem *m)
{
    if (m->kind != X64_MEM_BASE)
        return m->kind <= X64_MEM_RIP_SYM;
    if (m->base != X64_NOREG && !x64_is_gpr(m->base))
        return false;
    if (m->index != X64_NOREG && (!x64_is_gpr(m->index) || m->index == X64_RSP))
        return false;
    return m->scale == 1 || m->scale == 2 || m->scale == 4 || m->scale == 8;
}

/* Normalize an immediate to the operand size. 32-bit operations accept any
 * value representable in 32 bits, signed or unsigned (so 0xffffffff and -1
 * are the same immediate); 64-bit ones take a sign-extended imm32. Returns
 * false if it does not fit. */
static bool norm_imm(int64_t v, unsigned size, int64_t *out)
{
    switch (size) {
    case 1:
        if (v < INT8_MIN || v > UINT8_MAX)
            return false;
        *out = (int8_t)v;
        return true;
    case 2:
        if (v < INT16_MIN || v > UINT16_MAX)
            return false;
        *out = (int16_t)v;
        return true;
    case 4:
        if (v < INT32_MIN || v > UINT32_MAX)
            return false;
        *out = (int32_t)v;
        return true;
    case 8:
        *out = v;
        return fits32(v);
    }
    return false;
}

/* ---- the core emitter ---------------------------------------------------- */

typedef struct Head {
    uint8_t size;      /* operand size: 2 adds 66, 8 sets REX.W */
    uint8_t mprefix;   /* mandatory prefix (66/F2/F3) or 0 */
    bool w;            /* REX.W regardless of size (movq gpr<->xmm) */
    bool force_rex;    /* a byte register SPL..DIL is used */
    bool lock;         /* F0 prefix */
    uint8_t nopc;
    uint8_t opc[4];
} Head;

static Head head(const X64Inst *in, unsigned size, uint8_t mprefix, int nopc, uint8_t o0, uint8_t o1, uint8_t o2)
{
    Head h = { (uint8_t)size, mprefix, size == 8, false, (in->flags & X64_F_LOCK) != 0, (uint8_t)nopc,
               { o0, o1, o2, 0 } };
    return h;
}

static void emit_prefixes(CodeBuf *cb, const Head *h, unsigned rex)
{
    if (h->size == 2)
        cb_emit8(cb, 0x66);
    if (h->lock) /* after 66, as llvm-mc orders them; any order is valid */
        cb_emit8(cb, 0xf0);
    if (h->mprefix)
        cb_emit8(cb, h->mprefix);
    rex |= 0x40 | (h->w ? 8u : 0u);
    if (rex != 0x40 || h->force_rex)
        cb_emit8(cb, (uint8_t)rex);
    cb_emit_bytes(cb, h->opc, h->nopc);
}

/* Opcode with the register in its low 3 bits (B8+r, 50+r, C8+r): REX.B
 * extends it. */
static void emit_opreg(CodeBuf *cb, const Head *h, X64Reg r)
{
    Head hh = *h;
    hh.opc[hh.nopc - 1] = (uint8_t)(hh.opc[hh.nopc - 1] + (x64_hw(r) & 7));
    emit_prefixes(cb, &hh, x64_hw(r) >> 3);
}

static uint8_t modrm(unsigned mod, unsigned reg, unsigned rm) { return (uint8_t)(mod << 6 | (reg & 7) << 3 | (rm & 7)); }

static unsigned scale_bits(unsigned scale) { return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0; }

/* Emit prefixes, opcode, ModRM and whatever SIB/displacement `rm` needs.
 * `reg` is the ModRM.reg value: a register's 4-bit number or a /digit.
 * `imm_bytes` is the size of the immediate that will follow, needed because
 * a RIP-relative displacement is relative to the end of the instruction. */
static void emit_modrm(CodeBuf *cb, const Head *h, unsigned reg, const X64Opnd *rm, unsigned imm_bytes)
{
    unsigned rex = (reg >> 3 & 1) << 2; /* REX.R */
    if (rm->kind == X64_OPND_REG) {
        rex |= x64_hw(rm->reg) >> 3; /* REX.B */
        emit_prefixes(cb, h, rex);
        cb_emit8(cb, modrm(3, reg, x64_hw(rm->reg)));
        return;
    }
    const X64Mem *m = &rm->mem;
    if (m->kind != X64_MEM_BASE) {
        /* mod=00 rm=101 is RIP+disp32 in 64-bit mode. */
        emit_prefixes(cb, h, rex);
        cb_emit8(cb, modrm(0, reg, 5));
        /* Both fix-up and relocation are "target - field + addend"; the CPU
         * adds the displacement to the address of the next instruction,
         * which is 4 + imm_bytes past the field. */
        int64_t addend = (int64_t)m->disp - 4 - (int64_t)imm_bytes;
        if (m->kind == X64_MEM_RIP)
            cb_emit32(cb, (uint32_t)m->disp);
        else if (m->kind == X64_MEM_RIP_LABEL)
            cb_use_label(cb, (CgLabel){ m->target }, CG_FIXUP_REL32, (int32_t)addend);
        else
            cb_emit_reloc(cb, CG_RELOC_PC32, m->target, addend);
        return;
    }
    bool has_base = m->base != X64_NOREG, has_index = m->index != X64_NOREG;
    unsigned base = has_base ? x64_hw(m->base) : 5, index = has_index ? x64_hw(m->index) : 4;
    if (has_base)
        rex |= base >> 3;
    if (has_index)
        rex |= (index >> 3) << 1; /* REX.X */
    emit_prefixes(cb, h, rex);

    if (!has_base) {
        /* No base: SIB with base=101 and mod=00 means disp32 with no base.
         * (rm=101 alone would be RIP-relative, so even a plain absolute
         * address needs the SIB form, with index=100 "none".) */
        cb_emit8(cb, modrm(0, reg, 4));
        cb_emit8(cb, modrm(scale_bits(m->scale), index, 5));
        cb_emit32(cb, (uint32_t)m->disp);
        return;
    }
    /* mod=00 with base low bits 101 (RBP, R13) means "no base, disp32" /
     * RIP, so those bases always carry at least a disp8, even of 0. */
    unsigned mod;
    if (m->disp == 0 && (base & 7) != 5)
        mod = 0;
    else if (fits8(m->disp))
        mod = 1;
    else
        mod = 2;
    /* rm=100 means "a SIB byte follows", so RSP and R12 as base need a SIB
     * even without an index (index=100 with REX.X=0 is "none"). */
    if (has_index || (base & 7) == 4) {
        cb_emit8(cb, modrm(mod, reg, 4));
        cb_emit8(cb, modrm(scale_bits(m->scale), index, base));
    } else {
        cb_emit8(cb, modrm(mod, reg, base));
    }
    if (mod == 1)
        cb_emit8(cb, (uint8_t)(int8_t)m->disp);
    else if (mod == 2)
        cb_emit32(cb, (uint32_t)m->disp);
}

static void emit_imm(CodeBuf *cb, int64_t v, unsigned bytes)
{
    switch (bytes) {
    case 1: cb_emit8(cb, (uint8_t)v); break;
    case 2: cb_emit16(cb, (uint16_t)v); break;
    case 4: cb_emit32(cb, (uint32_t)v); break;
    case 8: cb_emit64(cb, (uint64_t)v); break;
    }
}

/* Immediate size of a "full" immediate (iz/iw): imm16 for 16-bit operations,
 * imm32 (sign-extended for 64-bit) otherwise. */
static unsigned full_imm_bytes(unsigned size) { return size == 1 ? 1 : size == 2 ? 2 : 4; }

/* ---- validity ----------------------------------------------------------- */

static bool size_ok(unsigned size, unsigned mask) { return size <= 8 && (mask >> size & 1); }
#define SZ_ALL ((1u << 1) | (1u << 2) | (1u << 4) | (1u << 8))
#define SZ_WDQ ((1u << 2) | (1u << 4) | (1u << 8))
#define SZ_DQ ((1u << 4) | (1u << 8))

const char *x64_check(const X64Inst *in)
{
    if (in->op >= X64_NUM_OPS)
        return "unknown opcode";
    if (in->nopnds > 3)
        return "too many operands";
    for (int i = 0; i < in->nopnds; i++) {
        const X64Opnd *o = &in->opnd[i];
        if (o->kind == X64_OPND_MEM && !mem_ok(&o->mem))
            return "bad memory operand";
        if (o->kind == X64_OPND_REG && !x64_is_gpr(o->reg) && !x64_is_xmm(o->reg))
            return "bad register";
    }
    const X64OpInfo *oi = &op_info[in->op];
    unsigned n = in->nopnds, sz = in->size;
    if (in->flags & ~X64_F_LOCK)
        return "unknown flags";
    /* LOCK is only defined for read-modify-write of a memory destination
     * (SDM vol. 2, LOCK); anything else raises #UD. */
    if ((in->flags & X64_F_LOCK) &&
        (!is_mem(in, 0) || in->op == X64_CMP ||
         !(oi->cls == X64_ENC_ALU || oi->cls == X64_ENC_XCHG || oi->cls == X64_ENC_MR_0F ||
           in->op == X64_NOT || in->op == X64_NEG)))
        return "lock needs a read-modify-write of memory";
    int64_t v;
    switch ((X64EncClass)oi->cls) {
    case X64_ENC_ALU:
    case X64_ENC_MOV:
    case X64_ENC_TEST:
        if (n != 2 || !size_ok(sz, SZ_ALL))
            return "want 2 operands, size 1/2/4/8";
        if (is_gpr(in, 0) && is_gpr_or_mem(in, 1))
            return NULL;
        if (is_mem(in, 0) && is_gpr(in, 1))
            return NULL;
        if (is_gpr_or_mem(in, 0) && is_imm(in, 1))
            return norm_imm(in->opnd[1].imm, sz, &v) ? NULL : "immediate out of range";
        return "bad operands";
    case X64_ENC_MOVABS:
        return n == 2 && sz == 8 && is_gpr(in, 0) && is_imm(in, 1) ? NULL : "want r64, imm64";
    case X64_ENC_MOVZX:
        if (n != 2 || !is_gpr(in, 0) || !is_gpr_or_mem(in, 1))
            return "want reg, reg/mem";
        return (in->size2 == 1 && size_ok(sz, SZ_WDQ)) || (in->size2 == 2 && size_ok(sz, SZ_DQ))
                   ? NULL : "bad sizes";
    case X64_ENC_MOVSX:
        if (n != 2 || !is_gpr(in, 0) || !is_gpr_or_mem(in, 1))
            return "want reg, reg/mem";
        return (in->size2 == 1 && size_ok(sz, SZ_WDQ)) || (in->size2 == 2 && size_ok(sz, SZ_DQ)) ||
                       (in->size2 == 4 && sz == 8)
                   ? NULL : "bad sizes";
    case X64_ENC_LEA:
        return n == 2 && size_ok(sz, SZ_WDQ) && is_gpr(in, 0) && is_mem(in, 1) ? NULL : "want reg, mem";
    case X64_ENC_MR_0F:
    case X64_ENC_XCHG:
        return n == 2 && size_ok(sz, SZ_ALL) && is_gpr_or_mem(in, 0) && is_gpr(in, 1) ? NULL : "want reg/mem, reg";
    case X64_ENC_UNARY:
        return n == 1 && size_ok(sz, SZ_ALL) && is_gpr_or_mem(in, 0) ? NULL : "want reg/mem";
    case X64_ENC_SHIFT:
        if (n != 2 || !size_ok(sz, SZ_ALL) || !is_gpr_or_mem(in, 0))
            return "want reg/mem, cl/imm8";
        if (is_gpr(in, 1))
            return in->opnd[1].reg == X64_RCX ? NULL : "shift count register must be cl";
        return is_imm(in, 1) && in->opnd[1].imm >= 0 && in->opnd[1].imm <= 255 ? NULL : "bad shift count";
    case X64_ENC_IMUL:
        if (!size_ok(sz, SZ_WDQ) || !is_gpr(in, 0) || !is_gpr_or_mem(in, 1))
            return "want reg, reg/mem[, imm]";
        if (n == 2)
            return NULL;
        return n == 3 && is_imm(in, 2) && norm_imm(in->opnd[2].imm, sz, &v) ? NULL : "bad immediate";
    case X64_ENC_R_RM_0F:
    case X64_ENC_CMOVCC:
        if (in->cc > 15)
            return "bad condition";
        return n == 2 && size_ok(sz, SZ_WDQ) && is_gpr(in, 0) && is_gpr_or_mem(in, 1) ? NULL : "want reg, reg/mem";
    case X64_ENC_SETCC:
        return n == 1 && in->cc <= 15 && is_gpr_or_mem(in, 0) ? NULL : "want r8/m8";
    case X64_ENC_JCC:
        return n == 1 && in->cc <= 15 && is_kind(in, 0, X64_OPND_LABEL) ? NULL : "want label";
    case X64_ENC_JMP:
    case X64_ENC_CALL:
        if (n == 1 && (is_kind(in, 0, X64_OPND_LABEL) || is_kind(in, 0, X64_OPND_SYM) || is_gpr_or_mem(in, 0)))
            return NULL;
        return "want label, symbol, reg or mem";
    case X64_ENC_PUSH:
        if (n == 1 && (is_gpr_or_mem(in, 0) || (is_imm(in, 0) && fits32(in->opnd[0].imm))))
            return NULL;
        return "want reg, mem or imm32";
    case X64_ENC_POP:
        return n == 1 && is_gpr_or_mem(in, 0) ? NULL : "want reg or mem";
    case X64_ENC_BSWAP:
        return n == 1 && size_ok(sz, SZ_DQ) && is_gpr(in, 0) ? NULL : "want r32/r64";
    case X64_ENC_FIXED:
        return n == 0 ? NULL : "takes no operands";
    case X64_ENC_SSE:
        return n == 2 && is_xmm(in, 0) && is_xmm_or_mem(in, 1) ? NULL : "want xmm, xmm/mem";
    case X64_ENC_SSE_MOV:
        if (n == 2 && ((is_xmm(in, 0) && is_xmm_or_mem(in, 1)) || (is_mem(in, 0) && is_xmm(in, 1))))
            return NULL;
        return "want xmm, xmm/mem or mem, xmm";
    case X64_ENC_SSE_IMM:
        if (n == 3 && is_xmm(in, 0) && is_xmm_or_mem(in, 1) && is_imm(in, 2) && in->opnd[2].imm >= 0 &&
            in->opnd[2].imm <= 255)
            return NULL;
        return "want xmm, xmm/mem, imm8";
    case X64_ENC_CVTSI2F:
        return n == 2 && size_ok(sz, SZ_DQ) && is_xmm(in, 0) && is_gpr_or_mem(in, 1) ? NULL : "want xmm, reg/mem";
    case X64_ENC_CVTF2SI:
        return n == 2 && size_ok(sz, SZ_DQ) && is_gpr(in, 0) && is_xmm_or_mem(in, 1) ? NULL : "want reg, xmm/mem";
    case X64_ENC_MOVD:
        if (n != 2 || !size_ok(sz, SZ_DQ))
            return "want 2 operands, size 4/8";
        if ((is_xmm(in, 0) && is_gpr_or_mem(in, 1)) || (is_gpr_or_mem(in, 0) && is_xmm(in, 1)))
            return NULL;
        return sz == 8 && is_xmm(in, 0) && is_xmm(in, 1) ? NULL : "bad operands";
    }
    return "unknown class";
}

static void bad(const X64Inst *in, const char *why)
{
    fprintf(stderr, "wasmc: internal error: x64_encode %s (size %u): %s\n", x64_op_name((X64Op)in->op),
            in->size, why);
    abort();
}

/* ---- encoding ------------------------------------------------------------ */

static void encode_alu(CodeBuf *cb, const X64Inst *in, const X64OpInfo *oi)
{
    unsigned sz = in->size, w1 = sz == 1 ? 0 : 1; /* low opcode bit: byte vs full size */
    const X64Opnd *a = &in->opnd[0], *b = &in->opnd[1];
    Head h = head(in, sz, 0, 1, 0, 0, 0);
    h.force_rex = sz == 1 && (needs_byte_rex(a) || needs_byte_rex(b));
    if (b->kind == X64_OPND_REG) { /* op r/m, r: 00+8n / 01+8n (MR) */
        h.opc[0] = (uint8_t)(oi->opc + w1);
        emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
    } else if (b->kind == X64_OPND_MEM) { /* op r, m: 02+8n / 03+8n (RM) */
        h.opc[0] = (uint8_t)(oi->opc + 2 + w1);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
    } else {
        int64_t v;
        norm_imm(b->imm, sz, &v);
        bool acc = a->kind == X64_OPND_REG && a->reg == X64_RAX;
        if (sz == 1 && acc) { /* op al, imm8: 04+8n ib */
            h.opc[0] = (uint8_t)(oi->opc + 4);
            emit_prefixes(cb, &h, 0);
            emit_imm(cb, v, 1);
        } else if (sz == 1) { /* 80 /n ib */
            h.opc[0] = 0x80;
            emit_modrm(cb, &h, oi->ext, a, 1);
            emit_imm(cb, v, 1);
        } else if (fits8(v)) { /* 83 /n ib, sign-extended */
            h.opc[0] = 0x83;
            emit_modrm(cb, &h, oi->ext, a, 1);
            emit_imm(cb, v, 1);
        } else if (acc) { /* op eax, iz: 05+8n */
            h.opc[0] = (uint8_t)(oi->opc + 5);
            emit_prefixes(cb, &h, 0);
            emit_imm(cb, v, full_imm_bytes(sz));
        } else { /* 81 /n iz */
            h.opc[0] = 0x81;
            emit_modrm(cb, &h, oi->ext, a, full_imm_bytes(sz));
            emit_imm(cb, v, full_imm_bytes(sz));
        }
    }
}

static void encode_test(CodeBuf *cb, const X64Inst *in)
{
    unsigned sz = in->size, w1 = sz == 1 ? 0 : 1;
    const X64Opnd *a = &in->opnd[0], *b = &in->opnd[1];
    Head h = head(in, sz, 0, 1, 0, 0, 0);
    h.force_rex = sz == 1 && (needs_byte_rex(a) || needs_byte_rex(b));
    if (b->kind == X64_OPND_REG) { /* test r/m, r: 84/85 */
        h.opc[0] = (uint8_t)(0x84 + w1);
        emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
    } else if (b->kind == X64_OPND_MEM) { /* test is symmetric: same as test m, r */
        h.opc[0] = (uint8_t)(0x84 + w1);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
    } else {
        int64_t v;
        norm_imm(b->imm, sz, &v);
        unsigned ib = full_imm_bytes(sz); /* test has no imm8 form except for byte size */
        if (a->kind == X64_OPND_REG && a->reg == X64_RAX) { /* A8/A9 */
            h.opc[0] = (uint8_t)(0xa8 + w1);
            emit_prefixes(cb, &h, 0);
        } else { /* F6/F7 /0 */
            h.opc[0] = (uint8_t)(0xf6 + w1);
            emit_modrm(cb, &h, 0, a, ib);
        }
        emit_imm(cb, v, ib);
    }
}

static void encode_mov(CodeBuf *cb, const X64Inst *in)
{
    unsigned sz = in->size, w1 = sz == 1 ? 0 : 1;
    const X64Opnd *a = &in->opnd[0], *b = &in->opnd[1];
    Head h = head(in, sz, 0, 1, 0, 0, 0);
    h.force_rex = sz == 1 && (needs_byte_rex(a) || needs_byte_rex(b));
    if (b->kind == X64_OPND_REG) { /* mov r/m, r: 88/89 */
        h.opc[0] = (uint8_t)(0x88 + w1);
        emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
    } else if (b->kind == X64_OPND_MEM) { /* mov r, m: 8A/8B */
        h.opc[0] = (uint8_t)(0x8a + w1);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
    } else {
        int64_t v;
        norm_imm(b->imm, sz, &v);
        unsigned ib = full_imm_bytes(sz);
        if (a->kind == X64_OPND_REG && sz != 8) { /* B0+r ib / B8+r iw/id */
            h.opc[0] = sz == 1 ? 0xb0 : 0xb8;
            emit_opreg(cb, &h, a->reg);
        } else { /* C6/C7 /0; for 64-bit a sign-extended imm32 */
            h.opc[0] = (uint8_t)(0xc6 + w1);
            emit_modrm(cb, &h, 0, a, ib);
        }
        emit_imm(cb, v, ib);
    }
}

/* x64_encode: one case per class; forms in Intel order. */
void x64_encode(CodeBuf *cb, const X64Inst *in)
{
    const char *why = x64_check(in);
    if (why)
        bad(in, why);
    const X64OpInfo *oi = &op_info[in->op];
    const X64Opnd *a = &in->opnd[0], *b = &in->opnd[1];
    unsigned sz = in->size;
    Head h;
    switch ((X64EncClass)oi->cls) {
    case X64_ENC_ALU:
        encode_alu(cb, in, oi);
        return;
    case X64_ENC_TEST:
        encode_test(cb, in);
        return;
    case X64_ENC_MOV:
        encode_mov(cb, in);
        return;
    case X64_ENC_MOVABS: /* REX.W B8+r io */
        h = head(in, 8, 0, 1, 0xb8, 0, 0);
        emit_opreg(cb, &h, a->reg);
        emit_imm(cb, b->imm, 8);
        return;
    case X64_ENC_MOVZX: /* 0F B6 (from r/m8) / 0F B7 (from r/m16) */
    case X64_ENC_MOVSX: /* 0F BE / 0F BF; REX.W 63 (movsxd, from r/m32) */
        if (in->size2 == 4) {
            h = head(in, sz, 0, 1, 0x63, 0, 0);
        } else {
            h = head(in, sz, 0, 2, 0x0f, (uint8_t)(oi->opc + (in->size2 == 2)), 0);
            h.force_rex = in->size2 == 1 && needs_byte_rex(b);
        }
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_LEA: /* 8D /r */
        h = head(in, sz, 0, 1, 0x8d, 0, 0);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_XCHG:
        /* With (E/R)AX and another register, 90+r. xchg eax,eax must not be
         * 90 (NOP), which would not zero the upper half of RAX; for 16 bits
         * there is no upper half to zero, so 66 90 is exact. */
        if (sz == 8 && a->kind == X64_OPND_REG && a->reg == X64_RAX && b->reg == X64_RAX) {
            cb_emit8(cb, 0x90); /* xchg rax, rax changes nothing: plain NOP */
            return;
        }
        if (sz != 1 && a->kind == X64_OPND_REG && (a->reg == X64_RAX || b->reg == X64_RAX) &&
            (a->reg != b->reg || sz == 2)) {
            h = head(in, sz, 0, 1, 0x90, 0, 0);
            emit_opreg(cb, &h, a->reg == X64_RAX ? b->reg : a->reg);
            return;
        }
        h = head(in, sz, 0, 1, sz == 1 ? 0x86 : 0x87, 0, 0);
        h.force_rex = sz == 1 && (needs_byte_rex(a) || needs_byte_rex(b));
        if (a->kind == X64_OPND_REG) /* reg-reg: first operand in ModRM.reg, as llvm-mc does */
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        else
            emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
        return;
    case X64_ENC_MR_0F: /* 0F op /r (byte) / 0F op+1 /r: xadd, cmpxchg r/m, r */
        h = head(in, sz, 0, 2, 0x0f, (uint8_t)(oi->opc + (sz != 1)), 0);
        h.force_rex = sz == 1 && (needs_byte_rex(a) || needs_byte_rex(b));
        emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
        return;
    case X64_ENC_UNARY: /* F6/F7 /n */
        h = head(in, sz, 0, 1, (uint8_t)(oi->opc + (sz != 1)), 0, 0);
        h.force_rex = sz == 1 && needs_byte_rex(a);
        emit_modrm(cb, &h, oi->ext, a, 0);
        return;
    case X64_ENC_SHIFT:
        h = head(in, sz, 0, 1, 0, 0, 0);
        h.force_rex = sz == 1 && needs_byte_rex(a);
        if (b->kind == X64_OPND_REG) { /* D2/D3 /n: by CL */
            h.opc[0] = (uint8_t)(0xd2 + (sz != 1));
            emit_modrm(cb, &h, oi->ext, a, 0);
        } else if (b->imm == 1) { /* D0/D1 /n: by 1, one byte shorter */
            h.opc[0] = (uint8_t)(0xd0 + (sz != 1));
            emit_modrm(cb, &h, oi->ext, a, 0);
        } else { /* C0/C1 /n ib */
            h.opc[0] = (uint8_t)(0xc0 + (sz != 1));
            emit_modrm(cb, &h, oi->ext, a, 1);
            emit_imm(cb, b->imm, 1);
        }
        return;
    case X64_ENC_IMUL:
        if (in->nopnds == 2) { /* 0F AF /r */
            h = head(in, sz, 0, 2, 0x0f, 0xaf, 0);
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        } else { /* 6B /r ib, 69 /r iz */
            int64_t v;
            norm_imm(in->opnd[2].imm, sz, &v);
            unsigned ib = fits8(v) ? 1 : full_imm_bytes(sz);
            h = head(in, sz, 0, 1, ib == 1 ? 0x6b : 0x69, 0, 0);
            emit_modrm(cb, &h, x64_hw(a->reg), b, ib);
            emit_imm(cb, v, ib);
        }
        return;
    case X64_ENC_R_RM_0F: /* [F3] 0F op /r */
        h = head(in, sz, oi->prefix, 2, 0x0f, (uint8_t)oi->opc, 0);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_CMOVCC: /* 0F 40+cc /r */
        h = head(in, sz, 0, 2, 0x0f, (uint8_t)(0x40 + in->cc), 0);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_SETCC: /* 0F 90+cc /0, r/m8 */
        h = head(in, 1, 0, 2, 0x0f, (uint8_t)(0x90 + in->cc), 0);
        h.force_rex = needs_byte_rex(a);
        emit_modrm(cb, &h, 0, a, 0);
        return;
    case X64_ENC_JCC: /* 0F 80+cc rel32 */
        cb_emit8(cb, 0x0f);
        cb_emit8(cb, (uint8_t)(0x80 + in->cc));
        cb_use_label(cb, (CgLabel){ a->label }, CG_FIXUP_REL32, -4);
        return;
    case X64_ENC_JMP:  /* E9 rel32 / FF /4 */
    case X64_ENC_CALL: /* E8 rel32 / FF /2 */
        if (a->kind == X64_OPND_LABEL) {
            cb_emit8(cb, (uint8_t)oi->opc);
            cb_use_label(cb, (CgLabel){ a->label }, CG_FIXUP_REL32, -4);
        } else if (a->kind == X64_OPND_SYM) {
            cb_emit8(cb, (uint8_t)oi->opc);
            cb_emit_reloc(cb, CG_RELOC_CALL_PC32, a->sym, -4);
        } else {
            /* Near indirect branches default to 64-bit operands: no REX.W. */
            h = head(in, 4, 0, 1, 0xff, 0, 0);
            emit_modrm(cb, &h, oi->ext, a, 0);
        }
        return;
    case X64_ENC_PUSH: /* 50+r / FF /6 / 6A ib / 68 id; 64-bit by default */
        if (a->kind == X64_OPND_REG) {
            h = head(in, 4, 0, 1, 0x50, 0, 0);
            emit_opreg(cb, &h, a->reg);
        } else if (a->kind == X64_OPND_MEM) {
            h = head(in, 4, 0, 1, 0xff, 0, 0);
            emit_modrm(cb, &h, 6, a, 0);
        } else if (fits8(a->imm)) {
            cb_emit8(cb, 0x6a);
            emit_imm(cb, a->imm, 1);
        } else {
            cb_emit8(cb, 0x68);
            emit_imm(cb, a->imm, 4);
        }
        return;
    case X64_ENC_POP: /* 58+r / 8F /0 */
        if (a->kind == X64_OPND_REG) {
            h = head(in, 4, 0, 1, 0x58, 0, 0);
            emit_opreg(cb, &h, a->reg);
        } else {
            h = head(in, 4, 0, 1, 0x8f, 0, 0);
            emit_modrm(cb, &h, 0, a, 0);
        }
        return;
    case X64_ENC_BSWAP: /* 0F C8+r */
        h = head(in, sz, 0, 2, 0x0f, 0xc8, 0);
        emit_opreg(cb, &h, a->reg);
        return;
    case X64_ENC_FIXED:
        for (unsigned i = 0; i < oi->ext; i++)
            cb_emit8(cb, (uint8_t)(oi->opc >> (8 * i)));
        return;
    case X64_ENC_SSE: /* [pfx] 0F [op >> 8] op /r */
        if (oi->opc > 0xff)
            h = head(in, 0, oi->prefix, 3, 0x0f, (uint8_t)(oi->opc >> 8), (uint8_t)oi->opc);
        else
            h = head(in, 0, oi->prefix, 2, 0x0f, (uint8_t)oi->opc, 0);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_SSE_MOV:
        if (a->kind == X64_OPND_MEM) { /* store form */
            h = head(in, 0, oi->prefix, 2, 0x0f, oi->ext, 0);
            emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
        } else { /* load form, also used reg-reg (as llvm-mc does) */
            h = head(in, 0, oi->prefix, 2, 0x0f, (uint8_t)oi->opc, 0);
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        }
        return;
    case X64_ENC_SSE_IMM: /* [pfx] 0F [op >> 8] op /r ib */
        if (oi->opc > 0xff)
            h = head(in, 0, oi->prefix, 3, 0x0f, (uint8_t)(oi->opc >> 8), (uint8_t)oi->opc);
        else
            h = head(in, 0, oi->prefix, 2, 0x0f, (uint8_t)oi->opc, 0);
        emit_modrm(cb, &h, x64_hw(a->reg), b, 1);
        emit_imm(cb, in->opnd[2].imm, 1);
        return;
    case X64_ENC_CVTSI2F: /* F3/F2 [REX.W] 0F 2A /r */
    case X64_ENC_CVTF2SI: /* F3/F2 [REX.W] 0F 2C /r */
        h = head(in, 0, oi->prefix, 2, 0x0f, (uint8_t)oi->opc, 0);
        h.w = sz == 8;
        emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        return;
    case X64_ENC_MOVD:
        h = head(in, 0, 0x66, 2, 0x0f, 0, 0);
        if (a->kind == X64_OPND_REG && x64_is_xmm(a->reg) && b->kind == X64_OPND_REG &&
            x64_is_xmm(b->reg)) {
            h.mprefix = 0xf3; /* movq xmm, xmm: F3 0F 7E, zeroes the upper half */
            h.opc[1] = 0x7e;
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        } else if (sz == 8 && a->kind == X64_OPND_MEM) {
            h.opc[1] = 0xd6; /* movq m64, xmm: 66 0F D6 */
            emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
        } else if (sz == 8 && b->kind == X64_OPND_MEM) {
            h.mprefix = 0xf3; /* movq xmm, m64: F3 0F 7E */
            h.opc[1] = 0x7e;
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        } else if (a->kind == X64_OPND_REG && x64_is_xmm(a->reg)) {
            h.w = sz == 8; /* movd/movq xmm, r/m: 66 [REX.W] 0F 6E */
            h.opc[1] = (uint8_t)oi->opc;
            emit_modrm(cb, &h, x64_hw(a->reg), b, 0);
        } else {
            h.w = sz == 8; /* movd/movq r/m, xmm: 66 [REX.W] 0F 7E */
            h.opc[1] = oi->ext;
            emit_modrm(cb, &h, x64_hw(b->reg), a, 0);
        }
        return;
    }
    bad(in, "unknown class");
}

X64Inst x64_mov_imm(X64Reg dst, unsigned size, int64_t v)
{
    if (size == 8 && v >= 0 && v <= (int64_t)UINT32_MAX)
        return x64_inst2(X64_MOV, 4, x64_r(dst), x64_i(v));
    if (size == 8 && !fits32(v))
        return x64_inst2(X64_MOVABS, 8, x64_r(dst), x64_i(v));
    if (size == 4)
        v = (int32_t)v; /* any 32-bit pattern */
    return x64_inst2(X64_MOV, size, x64_r(dst), x64_i(v));
}

/* Intel SDM vol. 2, NOP, "Recommended Multi-Byte Sequence of NOP
 * Instruction" (lengths 1 to 9). */
static const uint8_t nop_seq[9][9] = {
    { 0x90 },
    { 0x66, 0x90 },
    { 0x0f, 0x1f, 0x00 },
    { 0x0f, 0x1f, 0x40, 0x00 },
    { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void x64_nops(CodeBuf *cb, uint32_t n)
{
    while (n) {
        uint32_t k = n > 9 ? 9 : n;
        cb_emit_bytes(cb, nop_seq[k - 1], k);
        n -= k;
    }
}

void x64_align(CodeBuf *cb, uint32_t align)
{
    x64_nops(cb, (align - (cb_offset(cb) & (align - 1))) & (align - 1));
}
