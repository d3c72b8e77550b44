/* AT&T-syntax printer for X64Inst, the text form used by `wasmc -S` and by
 * test_x86_encode (which feeds it to llvm-mc and compares the bytes).
 *
 * Mnemonics carry an explicit size suffix (b/w/l/q) wherever AT&T allows
 * one, so the text never depends on the assembler inferring a size; operands
 * are printed source first. Immediates and displacements are decimal, as
 * llvm-mc prints them. The printer never fails: it formats whatever it is
 * given, valid or not (invalid instructions are caught by x64_encode). */
#include <stdarg.h>
#include <stdio.h>

#include "encode.h"

static const char *const gpr64[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                       "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const gpr32[16] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                       "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const gpr16[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                       "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
/* With a REX prefix, byte registers 4-7 are SPL..DIL (the encoder always
 * emits one for them), never AH..BH. */
static const char *const gpr8[16] = { "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                      "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const xmm[16] = { "xmm0", "xmm1", "xmm2",  "xmm3",  "xmm4",  "xmm5",  "xmm6",  "xmm7",
                                     "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15" };

const char *x64_reg_name(X64Reg r, unsigned size)
{
    if (x64_is_xmm(r))
        return xmm[x64_hw(r)];
    if (!x64_is_gpr(r))
        return "?";
    switch (size) {
    case 1: return gpr8[r];
    case 2: return gpr16[r];
    case 4: return gpr32[r];
    default: return gpr64[r];
    }
}

static const char *const cc_name[16] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g" };

static char suffix(unsigned size) { return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q'; }

/* Bounded appender: keeps counting past cap so the caller learns the full
 * length, like snprintf. */
typedef struct Out {
    char *buf;
    size_t cap, len;
} Out;

__attribute__((format(printf, 2, 3))) static void put(Out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* Size in bytes at which GPR operand i is printed. */
static unsigned gpr_size(const X64Inst *in, int i)
{
    switch ((X64Op)in->op) {
    case X64_MOVZX:
    case X64_MOVSX:
        return i == 1 ? in->size2 : in->size;
    case X64_ROL:
    case X64_ROR:
    case X64_SHL:
    case X64_SHR:
    case X64_SAR:
        return i == 1 ? 1 : in->size; /* the count register is %cl */
    case X64_SETCC:
        return 1;
    case X64_JMP:
    case X64_CALL:
    case X64_PUSH:
    case X64_POP:
        return 8;
    default:
        return in->size;
    }
}

static void put_label(Out *o, const X64Printer *p, uint32_t id)
{
    put(o, "%s%u", p && p->label_prefix ? p->label_prefix : ".L", id);
}

static void put_sym(Out *o, const X64Printer *p, uint32_t sym)
{
    const char *name = p && p->sym_name ? p->sym_name(p->ctx, sym) : NULL;
    if (name)
        put(o, "%s", name);
    else
        put(o, "sym%u", sym);
}

static void put_mem(Out *o, const X64Printer *p, const X64Mem *m)
{
    switch ((X64MemKind)m->kind) {
    case X64_MEM_RIP:
        put(o, "%d(%%rip)", m->disp);
        return;
    case X64_MEM_RIP_LABEL:
    case X64_MEM_RIP_SYM:
        if (m->kind == X64_MEM_RIP_LABEL)
            put_label(o, p, m->target);
        else
            put_sym(o, p, m->target);
        if (m->disp)
            put(o, "%+d", m->disp);
        put(o, "(%%rip)");
        return;
    case X64_MEM_BASE:
        break;
    }
    bool has_base = m->base != X64_NOREG, has_index = m->index != X64_NOREG;
    if (m->disp || (!has_base && !has_index))
        put(o, "%d", m->disp);
    if (!has_base && !has_index)
        return;
    put(o, "(");
    if (has_base)
        put(o, "%%%s", x64_reg_name((X64Reg)m->base, 8));
    if (has_index)
        put(o, ",%%%s,%u", x64_reg_name((X64Reg)m->index, 8), m->scale);
    put(o, ")");
}

static void put_opnd(Out *o, const X64Printer *p, const X64Inst *in, int i)
{
    const X64Opnd *op = &in->opnd[i];
    bool indirect = (in->op == X64_JMP || in->op == X64_CALL) &&
                    (op->kind == X64_OPND_REG || op->kind == X64_OPND_MEM);
    if (indirect)
        put(o, "*");
    switch (op->kind) {
    case X64_OPND_NONE:
        put(o, "<none>");
        break;
    case X64_OPND_REG:
        put(o, "%%%s", x64_reg_name(op->reg, gpr_size(in, i)));
        break;
    case X64_OPND_IMM:
        put(o, "$%lld", (long long)op->imm);
        break;
    case X64_OPND_MEM:
        put_mem(o, p, &op->mem);
        break;
    case X64_OPND_LABEL:
        put_label(o, p, op->label);
        break;
    case X64_OPND_SYM:
        put_sym(o, p, op->sym);
        break;
    }
}

static void put_mnemonic(Out *o, const X64Inst *in)
{
    const char *stem = x64_op_name((X64Op)in->op);
    unsigned cc = in->cc & 15;
    switch ((X64Op)in->op) {
    case X64_MOVZX:
    case X64_MOVSX:
        /* movzbl, movswq, movslq (movsxd) */
        put(o, "%s%c%c", stem, suffix(in->size2), suffix(in->size));
        return;
    case X64_SETCC:
    case X64_JCC:
        put(o, "%s%s", stem, cc_name[cc]);
        return;
    case X64_CMOVCC:
        put(o, "%s%s%c", stem, cc_name[cc], suffix(in->size));
        return;
    case X64_JMP:
    case X64_CALL:
        /* Indirect forms take the q suffix, as llvm-mc prints them. */
        if (in->nopnds == 1 && (in->opnd[0].kind == X64_OPND_REG || in->opnd[0].kind == X64_OPND_MEM))
            put(o, "%sq", stem);
        else
            put(o, "%s", stem);
        return;
    case X64_PUSH:
    case X64_POP:
    case X64_MOVABS:
        put(o, "%sq", stem);
        return;
    case X64_CVTSI2SS:
    case X64_CVTSI2SD:
        put(o, "%s%c", stem, suffix(in->size));
        return;
    case X64_MOVD:
        put(o, "%s", in->size == 8 ? "movq" : "movd");
        return;
    default:
        break;
    }
    switch ((X64Op)in->op) {
    case X64_ADD: case X64_OR: case X64_ADC: case X64_SBB: case X64_AND: case X64_SUB:
    case X64_XOR: case X64_CMP: case X64_TEST: case X64_MOV: case X64_LEA: case X64_XCHG:
    case X64_XADD: case X64_CMPXCHG:
    case X64_NOT: case X64_NEG: case X64_MUL: case X64_IMUL1: case X64_DIV: case X64_IDIV:
    case X64_ROL: case X64_ROR: case X64_SHL: case X64_SHR: case X64_SAR: case X64_IMUL:
    case X64_LZCNT: case X64_TZCNT: case X64_POPCNT: case X64_BSR: case X64_BSF: case X64_BSWAP:
        put(o, "%s%c", stem, suffix(in->size));
        return;
    default:
        put(o, "%s", stem);
        return;
    }
}

size_t x64_format(const X64Inst *in, const X64Printer *p, char *out, size_t cap)
{
    Out o = { out, cap, 0 };
    if (cap)
        out[0] = '\0';
    if (in->flags & X64_F_LOCK)
        put(&o, "lock ");
    put_mnemonic(&o, in);
    int n = in->nopnds > 3 ? 3 : in->nopnds;
    for (int i = n - 1; i >= 0; i--) { /* AT&T: source first */
        put(&o, i == n - 1 ? "\t" : ", ");
        put_opnd(&o, p, in, i);
    }
    return o.len;
}
