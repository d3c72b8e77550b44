/* The x86-64 encoder and printer (codegen/x86_64/encode.h) checked against
 * llvm-mc, a declared test dependency (Debian llvm-14).
 *
 * A generated table of a few thousand instructions covers every op and
 * every operand-form corner: r8-r15, byte registers needing REX, RSP/R12
 * bases (SIB), RBP/R13 bases (disp8 of 0), no-base index, absolute and
 * RIP-relative addresses, disp8/disp32 and imm8/imm32 boundaries. Each is
 * encoded with x64_encode and printed with x64_format; all printed lines go
 * to llvm-mc once (`-show-encoding`), and its bytes must equal ours. Where
 * llvm-mc leaves a fix-up (label or symbol), the field's offset, its
 * addend and kind must match the fix-up or relocation we recorded.
 *
 * Label and symbol branches are printed with a "{disp32}" prefix so llvm-mc encodes
 * rel32 like we do instead of choosing rel8 for relaxation later. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "codebuf.h"
#include "x86_64/encode.h"

#define MAX_CASES 16000

static X64Inst cases[MAX_CASES];
static int ncases;

static void add(X64Inst in)
{
    ck_assert_int_lt(ncases, MAX_CASES);
    const char *why = x64_check(&in);
    ck_assert_msg(why == NULL, "table row %d (%s) invalid: %s", ncases, x64_op_name((X64Op)in.op), why);
    cases[ncases++] = in;
}

/* ---- operand sets ------------------------------------------------------ */

static const X64Reg gprs[] = { X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
                               X64_R8,  X64_R9,  X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15 };
#define NGPR 16

/* Register pairs: every register appears as first and as second operand,
 * with the partner 5 registers on (covers low/high mixes both ways). */
static X64Reg pair_a(int i) { return gprs[i]; }
static X64Reg pair_b(int i) { return gprs[(i + 5) % NGPR]; }

#define NMEM 40
static X64Opnd mems[NMEM];
static int nmems;

static void init_mems(void)
{
    nmems = 0;
    X64Opnd *m = mems;
    m[nmems++] = x64_m(X64_RAX, 0);
    m[nmems++] = x64_m(X64_RCX, 8);
    m[nmems++] = x64_m(X64_RSP, 0);        /* SIB required */
    m[nmems++] = x64_m(X64_RSP, 8);
    m[nmems++] = x64_m(X64_RBP, 0);        /* disp8 of 0 required */
    m[nmems++] = x64_m(X64_RBP, -8);
    m[nmems++] = x64_m(X64_R12, 0);        /* SIB required, REX.B */
    m[nmems++] = x64_m(X64_R12, 128);      /* first disp32 */
    m[nmems++] = x64_m(X64_R13, 0);        /* disp8 of 0 required, REX.B */
    m[nmems++] = x64_m(X64_R13, 127);      /* last positive disp8 */
    m[nmems++] = x64_m(X64_R13, -128);     /* last negative disp8 */
    m[nmems++] = x64_m(X64_R15, -129);     /* first negative disp32 */
    m[nmems++] = x64_m(X64_RDI, INT32_MAX);
    m[nmems++] = x64_m(X64_RSI, INT32_MIN);
    m[nmems++] = x64_m(X64_R8, 0x1000);
    m[nmems++] = x64_mem(X64_RBX, X64_RCX, 1, 0);
    m[nmems++] = x64_mem(X64_RAX, X64_R12, 2, 16); /* R12 as index is fine */
    m[nmems++] = x64_mem(X64_RSP, X64_RAX, 4, -4);
    m[nmems++] = x64_mem(X64_RBP, X64_R13, 8, 0);
    m[nmems++] = x64_mem(X64_R13, X64_R12, 8, 0x1000);
    m[nmems++] = x64_mem(X64_R8, X64_R9, 1, 0);
    m[nmems++] = x64_mem(X64_R12, X64_RBP, 2, 0);  /* RBP as index needs nothing special */
    m[nmems++] = x64_mem(X64_R15, X64_R15, 4, 127);
    m[nmems++] = x64_mem(X64_NOREG, X64_RAX, 4, 16);  /* no base: disp32 */
    m[nmems++] = x64_mem(X64_NOREG, X64_R13, 8, -8);
    m[nmems++] = x64_mem(X64_NOREG, X64_RBP, 1, 0);
    m[nmems++] = x64_m(X64_NOREG, 0x1000);           /* absolute: SIB, no base, no index */
    m[nmems++] = x64_rip(16);
    m[nmems++] = x64_rip(-16);
    m[nmems++] = x64_rip_sym(1, 0);
    m[nmems++] = x64_rip_sym(2, 8);
    m[nmems++] = x64_rip_sym(3, -8);
    m[nmems++] = x64_rip_label((CgLabel){ 1 }, 0);
    m[nmems++] = x64_rip_label((CgLabel){ 1 }, 24);
}

/* A subset of mems for ops where the full cross product adds nothing. */
static const int some_mems[] = { 0, 2, 4, 7, 8, 11, 17, 19, 23, 26, 27, 29, 32 };
#define NSOME ((int)(sizeof some_mems / sizeof some_mems[0]))

static const int64_t imms8[] = { 0, 1, 127, -128, -1, 255, 0x55 };
static const int64_t imms16[] = { 1, -1, 127, 128, -128, -129, 1000, 0x7fff, -32768, 0xffff };
static const int64_t imms32[] = { 1, -1, 127, 128, -128, -129, 1000, INT32_MAX, INT32_MIN, 0xffffffffLL, 0x80000000LL };
static const int64_t imms64[] = { 1, -1, 127, 128, -128, -129, 1000, INT32_MAX, INT32_MIN };

static const int64_t *imms_for(unsigned size, int *n)
{
    switch (size) {
    case 1: *n = (int)(sizeof imms8 / sizeof *imms8); return imms8;
    case 2: *n = (int)(sizeof imms16 / sizeof *imms16); return imms16;
    case 4: *n = (int)(sizeof imms32 / sizeof *imms32); return imms32;
    default: *n = (int)(sizeof imms64 / sizeof *imms64); return imms64;
    }
}

static const unsigned sizes_all[] = { 1, 2, 4, 8 };

/* ---- the table ----------------------------------------------------------- */

static void gen_alu_like(X64Op op, bool has_mem_dst_reg, bool full_mem)
{
    for (int s = 0; s < 4; s++) {
        unsigned sz = sizes_all[s];
        for (int i = 0; i < NGPR; i++)
            add(x64_inst2(op, sz, x64_r(pair_a(i)), x64_r(pair_b(i))));
        int nm = full_mem ? nmems : NSOME;
        for (int j = 0; j < nm; j++) {
            X64Opnd m = mems[full_mem ? j : some_mems[j]];
            X64Reg r = gprs[(j * 3) % NGPR];
            add(x64_inst2(op, sz, x64_r(r), m));
            if (has_mem_dst_reg)
                add(x64_inst2(op, sz, m, x64_r(gprs[(j * 7 + 1) % NGPR])));
        }
        int ni;
        const int64_t *imms = imms_for(sz, &ni);
        for (int k = 0; k < ni; k++) {
            add(x64_inst2(op, sz, x64_r(X64_RAX), x64_i(imms[k])));
            add(x64_inst2(op, sz, x64_r(gprs[(k % 15) + 1]), x64_i(imms[k])));
            add(x64_inst2(op, sz, mems[some_mems[k % NSOME]], x64_i(imms[k])));
        }
    }
}

static void gen_integer(void)
{
    static const X64Op alu[] = { X64_ADD, X64_OR, X64_ADC, X64_SBB, X64_AND, X64_SUB, X64_XOR, X64_CMP };
    for (int i = 0; i < 8; i++)
        gen_alu_like(alu[i], true, alu[i] == X64_ADD);
    gen_alu_like(X64_TEST, true, false);
    gen_alu_like(X64_MOV, true, true);

    /* movabs */
    static const int64_t big[] = { 0, 1, -1, INT64_MAX, INT64_MIN, 0x123456789abcdefLL, 0x100000000LL };
    for (int i = 0; i < NGPR; i++)
        add(x64_inst2(X64_MOVABS, 8, x64_r(gprs[i]), x64_i(big[i % 7])));

    /* x64_mov_imm's choices */
    static const int64_t movimm[] = { 0, 1, -1, 0x7fffffff, 0x80000000LL, 0xffffffffLL, 0x100000000LL,
                                      INT32_MIN, (int64_t)INT32_MIN - 1, INT64_MIN };
    for (int k = 0; k < 10; k++) {
        add(x64_mov_imm(gprs[k + 6], 8, movimm[k]));
        add(x64_mov_imm(gprs[k], 4, movimm[k] & 0xffffffff));
    }

    /* movzx / movsx / movsxd: dst(size) <- src(size2) */
    static const unsigned ext_sizes[][2] = { { 2, 1 }, { 4, 1 }, { 8, 1 }, { 4, 2 }, { 8, 2 } };
    for (int e = 0; e < 5; e++) {
        for (int op = 0; op < 2; op++) {
            X64Op o = op ? X64_MOVSX : X64_MOVZX;
            for (int i = 0; i < NGPR; i++)
                add(x64_ext(o, ext_sizes[e][0], ext_sizes[e][1], x64_r(pair_a(i)), x64_r(pair_b(i))));
            for (int j = 0; j < NSOME; j++)
                add(x64_ext(o, ext_sizes[e][0], ext_sizes[e][1], x64_r(gprs[j % NGPR]), mems[some_mems[j]]));
        }
    }
    for (int i = 0; i < NGPR; i++)
        add(x64_ext(X64_MOVSX, 8, 4, x64_r(pair_a(i)), x64_r(pair_b(i))));
    for (int j = 0; j < NSOME; j++)
        add(x64_ext(X64_MOVSX, 8, 4, x64_r(gprs[(j + 3) % NGPR]), mems[some_mems[j]]));

    /* lea */
    for (int j = 0; j < nmems; j++) {
        add(x64_inst2(X64_LEA, 8, x64_r(gprs[j % NGPR]), mems[j]));
        add(x64_inst2(X64_LEA, 4, x64_r(gprs[(j + 8) % NGPR]), mems[j]));
    }
    add(x64_inst2(X64_LEA, 2, x64_r(X64_RCX), mems[1]));

    /* xchg */
    for (int s = 0; s < 4; s++) {
        for (int i = 0; i < NGPR; i++)
            add(x64_inst2(X64_XCHG, sizes_all[s], x64_r(pair_a(i)), x64_r(pair_b(i))));
        add(x64_inst2(X64_XCHG, sizes_all[s], x64_r(X64_RAX), x64_r(X64_RAX)));
        add(x64_inst2(X64_XCHG, sizes_all[s], x64_r(X64_RAX), x64_r(X64_R8)));
        add(x64_inst2(X64_XCHG, sizes_all[s], x64_r(X64_R9), x64_r(X64_RAX)));
        add(x64_inst2(X64_XCHG, sizes_all[s], mems[3], x64_r(X64_RSI)));
    }

    /* xadd / cmpxchg, and LOCKed read-modify-writes (wasm atomics) */
    for (int s = 0; s < 4; s++) {
        unsigned sz = sizes_all[s];
        for (int u = 0; u < 2; u++) {
            X64Op op = u ? X64_CMPXCHG : X64_XADD;
            for (int i = 0; i < NGPR; i += 2)
                add(x64_inst2(op, sz, x64_r(pair_a(i)), x64_r(pair_b(i))));
            for (int j = 0; j < NSOME; j++) {
                X64Inst in = x64_inst2(op, sz, mems[some_mems[j]], x64_r(gprs[(j * 5 + 3) % NGPR]));
                add(in);
                in.flags = X64_F_LOCK;
                add(in);
            }
        }
        static const X64Op rmw[] = { X64_ADD, X64_OR, X64_ADC, X64_SBB, X64_AND, X64_SUB, X64_XOR, X64_XCHG };
        for (int u = 0; u < 8; u++) {
            X64Inst in = x64_inst2(rmw[u], sz, mems[some_mems[u + 2]], x64_r(gprs[u + 5]));
            in.flags = X64_F_LOCK;
            add(in);
            if (rmw[u] != X64_XCHG) {
                in = x64_inst2(rmw[u], sz, mems[some_mems[u + 3]], x64_i(u == 3 ? (sz == 1 ? 100 : 1000) : -3));
                in.flags = X64_F_LOCK;
                add(in);
            }
        }
        X64Inst in = x64_inst1(X64_NEG, sz, mems[7]);
        in.flags = X64_F_LOCK;
        add(in);
        in = x64_inst1(X64_NOT, sz, mems[30]);
        in.flags = X64_F_LOCK;
        add(in);
    }

    /* F6/F7 group */
    static const X64Op unary[] = { X64_NOT, X64_NEG, X64_MUL, X64_IMUL1, X64_DIV, X64_IDIV };
    for (int u = 0; u < 6; u++)
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < NGPR; i++)
                add(x64_inst1(unary[u], sizes_all[s], x64_r(gprs[i])));
            for (int j = 0; j < NSOME; j += 2)
                add(x64_inst1(unary[u], sizes_all[s], mems[some_mems[j]]));
        }

    /* shifts and rotates: by CL, by 1 (D1), by imm8 */
    static const X64Op shifts[] = { X64_ROL, X64_ROR, X64_SHL, X64_SHR, X64_SAR };
    for (int u = 0; u < 5; u++)
        for (int s = 0; s < 4; s++) {
            unsigned sz = sizes_all[s];
            for (int i = 0; i < NGPR; i++) {
                add(x64_inst2(shifts[u], sz, x64_r(gprs[i]), x64_r(X64_RCX)));
                add(x64_inst2(shifts[u], sz, x64_r(gprs[i]), x64_i(i == 3 ? 1 : (i * 5) % 64)));
            }
            add(x64_inst2(shifts[u], sz, mems[4], x64_r(X64_RCX)));
            add(x64_inst2(shifts[u], sz, mems[8], x64_i(1)));
            add(x64_inst2(shifts[u], sz, mems[19], x64_i(7)));
            add(x64_inst2(shifts[u], sz, mems[29], x64_i(3))); /* RIP-relative with an imm8 after */
        }

    /* imul 2- and 3-operand */
    for (int s = 1; s < 4; s++) {
        unsigned sz = sizes_all[s];
        for (int i = 0; i < NGPR; i++) {
            add(x64_inst2(X64_IMUL, sz, x64_r(pair_a(i)), x64_r(pair_b(i))));
            add(x64_inst3(X64_IMUL, sz, x64_r(pair_a(i)), x64_r(pair_b(i)), x64_i(i % 2 ? 3 : 1000)));
        }
        int ni;
        const int64_t *imms = imms_for(sz, &ni);
        for (int j = 0; j < NSOME; j++) {
            add(x64_inst2(X64_IMUL, sz, x64_r(gprs[j]), mems[some_mems[j]]));
            add(x64_inst3(X64_IMUL, sz, x64_r(gprs[j + 2]), mems[some_mems[j]], x64_i(imms[j % ni])));
        }
    }

    /* bit counting */
    static const X64Op bits[] = { X64_LZCNT, X64_TZCNT, X64_POPCNT, X64_BSR, X64_BSF };
    for (int u = 0; u < 5; u++)
        for (int s = 1; s < 4; s++) {
            for (int i = 0; i < NGPR; i += 3)
                add(x64_inst2(bits[u], sizes_all[s], x64_r(pair_a(i)), x64_r(pair_b(i))));
            add(x64_inst2(bits[u], sizes_all[s], x64_r(X64_R9), mems[5]));
            add(x64_inst2(bits[u], sizes_all[s], x64_r(X64_RDX), mems[20]));
        }

    /* setcc / cmovcc, every condition */
    for (int cc = 0; cc < 16; cc++) {
        add(x64_setcc((X64Cond)cc, x64_r(gprs[cc])));
        add(x64_setcc((X64Cond)cc, mems[some_mems[cc % NSOME]]));
        for (int s = 1; s < 4; s++) {
            add(x64_cmov((X64Cond)cc, sizes_all[s], x64_r(pair_a(cc)), x64_r(pair_b(cc))));
            add(x64_cmov((X64Cond)cc, sizes_all[s], x64_r(gprs[(cc + s) % NGPR]), mems[some_mems[cc % NSOME]]));
        }
    }

    /* bswap */
    for (int i = 0; i < NGPR; i++) {
        add(x64_inst1(X64_BSWAP, 4, x64_r(gprs[i])));
        add(x64_inst1(X64_BSWAP, 8, x64_r(gprs[i])));
    }
}

static void gen_control(void)
{
    CgLabel l1 = { 1 };
    for (int cc = 0; cc < 16; cc++)
        add(x64_jcc((X64Cond)cc, l1));
    add(x64_inst1(X64_JMP, 0, x64_lbl(l1)));
    add(x64_inst1(X64_CALL, 0, x64_lbl(l1)));
    add(x64_inst1(X64_CALL, 0, x64_sym(7)));
    add(x64_inst1(X64_JMP, 0, x64_sym(8)));
    for (int i = 0; i < NGPR; i++) {
        add(x64_inst1(X64_JMP, 0, x64_r(gprs[i])));
        add(x64_inst1(X64_CALL, 0, x64_r(gprs[i])));
        add(x64_inst1(X64_PUSH, 8, x64_r(gprs[i])));
        add(x64_inst1(X64_POP, 8, x64_r(gprs[i])));
    }
    for (int j = 0; j < NSOME; j++) {
        add(x64_inst1(X64_JMP, 0, mems[some_mems[j]]));
        add(x64_inst1(X64_CALL, 0, mems[some_mems[j]]));
        add(x64_inst1(X64_PUSH, 8, mems[some_mems[j]]));
        add(x64_inst1(X64_POP, 8, mems[some_mems[j]]));
    }
    static const int64_t pimm[] = { 0, 1, 127, 128, -128, -129, INT32_MAX, INT32_MIN };
    for (int k = 0; k < 8; k++)
        add(x64_inst1(X64_PUSH, 8, x64_i(pimm[k])));
    static const X64Op fixed[] = { X64_RET, X64_UD2, X64_INT3, X64_NOP, X64_CDQ, X64_CQO, X64_MFENCE };
    for (int k = 0; k < 7; k++)
        add(x64_inst0(fixed[k], 0));
}

static X64Reg xmmr(int i) { return (X64Reg)(X64_XMM0 + (i & 15)); }

static void gen_sse(void)
{
    static const X64Op arith[] = {
        X64_ADDSS, X64_ADDSD, X64_SUBSS,  X64_SUBSD,  X64_MULSS,  X64_MULSD,  X64_DIVSS,   X64_DIVSD,
        X64_SQRTSS, X64_SQRTSD, X64_MINSS, X64_MINSD, X64_MAXSS, X64_MAXSD, X64_UCOMISS, X64_UCOMISD,
        X64_CVTSS2SD, X64_CVTSD2SS, X64_ANDPS, X64_ANDPD, X64_ANDNPS, X64_ANDNPD, X64_ORPS, X64_ORPD,
        X64_XORPS, X64_XORPD, X64_PAND, X64_POR, X64_PXOR,
        /* packed (v128) */
        X64_PADDB, X64_PADDW, X64_PADDD, X64_PADDQ, X64_PSUBB, X64_PSUBW,
        X64_PSUBD, X64_PSUBQ, X64_PADDSB, X64_PADDSW, X64_PADDUSB, X64_PADDUSW,
        X64_PSUBSB, X64_PSUBSW, X64_PSUBUSB, X64_PSUBUSW, X64_PMULLW, X64_PMULHW,
        X64_PMULHUW, X64_PMULUDQ, X64_PMADDWD, X64_PANDN, X64_PCMPEQB, X64_PCMPEQW,
        X64_PCMPEQD, X64_PCMPGTB, X64_PCMPGTW, X64_PCMPGTD, X64_PUNPCKLBW, X64_PUNPCKLWD,
        X64_PUNPCKLDQ, X64_PUNPCKLQDQ, X64_PUNPCKHBW, X64_PUNPCKHWD, X64_PUNPCKHDQ, X64_PUNPCKHQDQ,
        X64_PACKSSWB, X64_PACKSSDW, X64_PACKUSWB, X64_PAVGB, X64_PAVGW, X64_PMINUB,
        X64_PMAXUB, X64_PMINSW, X64_PMAXSW, X64_PSLLW, X64_PSLLD, X64_PSLLQ,
        X64_PSRLW, X64_PSRLD, X64_PSRLQ, X64_PSRAW, X64_PSRAD, X64_ADDPS,
        X64_SUBPS, X64_MULPS, X64_DIVPS, X64_MINPS, X64_MAXPS, X64_SQRTPS,
        X64_ADDPD, X64_SUBPD, X64_MULPD, X64_DIVPD, X64_MINPD, X64_MAXPD,
        X64_SQRTPD, X64_UNPCKLPS, X64_UNPCKHPS, X64_CVTDQ2PS, X64_CVTTPS2DQ, X64_CVTPS2PD,
        X64_CVTPD2PS, X64_CVTDQ2PD, X64_CVTTPD2DQ, X64_PSHUFB, X64_PMADDUBSW, X64_PMULHRSW,
        X64_PABSB, X64_PABSW, X64_PABSD, X64_PTEST, X64_PMOVSXBW, X64_PMOVSXWD,
        X64_PMOVSXDQ, X64_PMOVZXBW, X64_PMOVZXWD, X64_PMOVZXDQ, X64_PCMPEQQ, X64_PACKUSDW,
        X64_PCMPGTQ, X64_PMINSB, X64_PMINSD, X64_PMINUW, X64_PMINUD, X64_PMAXSB,
        X64_PMAXSD, X64_PMAXUW, X64_PMAXUD, X64_PMULLD,
    };
    int n = (int)(sizeof arith / sizeof *arith);
    for (int u = 0; u < n; u++) {
        for (int i = 0; i < 16; i += 3)
            add(x64_inst2(arith[u], 0, x64_r(xmmr(i)), x64_r(xmmr(i + 7))));
        add(x64_inst2(arith[u], 0, x64_r(X64_XMM15), x64_r(X64_XMM15)));
        for (int j = 0; j < NSOME; j += 3)
            add(x64_inst2(arith[u], 0, x64_r(xmmr(j + 5)), mems[some_mems[j]]));
    }
    static const X64Op movs[] = { X64_MOVSS, X64_MOVSD, X64_MOVAPS, X64_MOVAPD, X64_MOVUPS, X64_MOVDQA, X64_MOVDQU };
    for (int u = 0; u < 7; u++) {
        for (int i = 0; i < 16; i += 3)
            add(x64_inst2(movs[u], 0, x64_r(xmmr(i)), x64_r(xmmr(i + 9))));
        for (int j = 0; j < nmems; j++) {
            add(x64_inst2(movs[u], 0, x64_r(xmmr(j)), mems[j]));
            add(x64_inst2(movs[u], 0, mems[j], x64_r(xmmr(j + 4))));
        }
    }
    static const X64Op with_imm[] = { X64_ROUNDSS, X64_ROUNDSD, X64_CMPSS,  X64_CMPSD,   X64_PSHUFD,
                                      X64_PSHUFLW, X64_PSHUFHW, X64_CMPPS,  X64_CMPPD,   X64_SHUFPS,
                                      X64_ROUNDPS, X64_ROUNDPD, X64_PBLENDW, X64_PALIGNR };
    for (int u = 0; u < (int)(sizeof with_imm / sizeof *with_imm); u++) {
        X64Op op = with_imm[u];
        for (int i = 0; i < 16; i += 3)
            add(x64_inst3(op, 0, x64_r(xmmr(i)), x64_r(xmmr(i + 11)), x64_i(i % 5)));
        add(x64_inst3(op, 0, x64_r(X64_XMM9), mems[8], x64_i(11)));
        add(x64_inst3(op, 0, x64_r(X64_XMM1), mems[30], x64_i(4))); /* RIP + sym with imm8 after */
        add(x64_inst3(op, 0, x64_r(X64_XMM2), mems[33], x64_i(4))); /* RIP + label with imm8 after */
    }
    static const X64Op cvt[] = { X64_CVTSI2SS, X64_CVTSI2SD, X64_CVTTSS2SI, X64_CVTTSD2SI };
    for (int u = 0; u < 4; u++)
        for (int s = 2; s < 4; s++) {
            bool to_f = u < 2;
            for (int i = 0; i < 16; i += 3) {
                if (to_f)
                    add(x64_inst2(cvt[u], sizes_all[s], x64_r(xmmr(i)), x64_r(gprs[(i + 5) % NGPR])));
                else
                    add(x64_inst2(cvt[u], sizes_all[s], x64_r(gprs[i]), x64_r(xmmr(i + 5))));
            }
            for (int j = 0; j < NSOME; j += 2) {
                if (to_f)
                    add(x64_inst2(cvt[u], sizes_all[s], x64_r(xmmr(j + 1)), mems[some_mems[j]]));
                else
                    add(x64_inst2(cvt[u], sizes_all[s], x64_r(gprs[j + 1]), mems[some_mems[j]]));
            }
        }
    for (int s = 2; s < 4; s++) {
        unsigned sz = sizes_all[s];
        for (int i = 0; i < 16; i += 3) {
            add(x64_inst2(X64_MOVD, sz, x64_r(xmmr(i)), x64_r(gprs[(i + 5) % NGPR])));
            add(x64_inst2(X64_MOVD, sz, x64_r(gprs[i]), x64_r(xmmr(i + 5))));
        }
        for (int j = 0; j < NSOME; j += 2) {
            add(x64_inst2(X64_MOVD, sz, x64_r(xmmr(j + 1)), mems[some_mems[j]]));
            add(x64_inst2(X64_MOVD, sz, mems[some_mems[j]], x64_r(xmmr(j + 2))));
        }
    }
    add(x64_inst2(X64_MOVD, 8, x64_r(X64_XMM0), x64_r(X64_XMM1)));
    add(x64_inst2(X64_MOVD, 8, x64_r(X64_XMM12), x64_r(X64_XMM3)));
    add(x64_inst2(X64_MOVD, 8, x64_r(X64_XMM2), x64_r(X64_XMM15)));
}

static void build_table(void)
{
    ncases = 0;
    init_mems();
    gen_integer();
    gen_control();
    gen_sse();
}

/* ---- running llvm-mc ---------------------------------------------------- */

static const char *find_llvm_mc(void)
{
    const char *env = getenv("LLVM_MC");
    if (env && *env)
        return access(env, X_OK) == 0 ? env : NULL;
    static const char *const candidates[] = { "/usr/bin/llvm-mc", "/usr/bin/llvm-mc-14", "/usr/lib/llvm-14/bin/llvm-mc" };
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
        if (access(candidates[i], X_OK) == 0)
            return candidates[i];
    return NULL;
}

static char *read_all(FILE *f)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[len] = '\0';
    return buf;
}

/* llvm-mc's result for one input line. */
typedef struct McResult {
    bool ok;
    int nbytes;
    int bytes[32];      /* -1 = fix-up placeholder ("A") */
    int fixup_offset;   /* -1 if none */
    long fixup_minus;   /* the k in "value: X-k" */
    char fixup_kind[48];
    char error[160];
} McResult;

static McResult *results;

static void parse_encoding(McResult *r, const char *p)
{
    p = strchr(p, '[') + 1;
    r->nbytes = 0;
    while (*p && *p != ']' && r->nbytes < 32) {
        while (*p == ',' || *p == ' ')
            p++;
        if (p[0] == '0' && p[1] == 'x') {
            r->bytes[r->nbytes++] = (int)strtol(p, (char **)&p, 16);
        } else {
            r->bytes[r->nbytes++] = -1;
            while (*p && *p != ',' && *p != ']')
                p++;
        }
    }
    r->ok = true;
}

static void parse_fixup(McResult *r, const char *p)
{
    const char *off = strstr(p, "offset: "), *val = strstr(p, "value: "), *kind = strstr(p, "kind: ");
    if (!off || !val || !kind)
        return;
    r->fixup_offset = atoi(off + 8);
    const char *end = strchr(val, ',');
    const char *minus = end;
    while (minus > val && minus[-1] != '-')
        minus--;
    r->fixup_minus = minus > val ? strtol(minus, NULL, 10) : 0;
    snprintf(r->fixup_kind, sizeof r->fixup_kind, "%.*s", (int)strcspn(kind + 6, " \n"), kind + 6);
}

/* Run llvm-mc once over `path` (ncases lines) and fill results[]. */
static void run_llvm_mc(const char *mc, const char *path)
{
    char errpath[] = "/tmp/wasmc-x86enc-err-XXXXXX";
    int efd = mkstemp(errpath);
    ck_assert_int_ge(efd, 0);
    close(efd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' -triple=x86_64-unknown-linux-gnu -show-encoding '%s' 2>'%s'", mc, path, errpath);
    FILE *f = popen(cmd, "r");
    ck_assert_msg(f != NULL, "cannot run %s", cmd);
    char *out = read_all(f);
    int status = pclose(f);
    ck_assert_msg(status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) >= 126),
                  "could not run %s (status %d)", mc, status);
    FILE *ef = fopen(errpath, "r");
    ck_assert_ptr_nonnull(ef);
    char *err = read_all(ef);
    fclose(ef);
    unlink(errpath);

    results = calloc((size_t)ncases, sizeof *results);
    ck_assert_ptr_nonnull(results);
    for (int i = 0; i < ncases; i++)
        results[i].fixup_offset = -1;
    /* Errors name the input line ("file:LINE:COL: error: msg"). */
    for (char *line = err; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *e = strstr(line, ": error: ");
        if (e && strncmp(line, path, strlen(path)) == 0) {
            int ln = atoi(line + strlen(path) + 1);
            if (ln >= 1 && ln <= ncases)
                snprintf(results[ln - 1].error, sizeof results[ln - 1].error, "%s", e + 9);
        }
        line = nl ? nl + 1 : NULL;
    }
    /* Encodings come out in input order, one per line that had no error. */
    int next = 0;
    McResult *cur = NULL;
    for (char *line = out; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strstr(line, "encoding: [")) {
            while (next < ncases && results[next].error[0])
                next++;
            ck_assert_msg(next < ncases, "llvm-mc printed more encodings than there are lines");
            cur = &results[next++];
            parse_encoding(cur, strstr(line, "encoding: ["));
        } else if (cur && strstr(line, "fixup ")) {
            parse_fixup(cur, line);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(out);
    free(err);
}

static const char *sym_name(void *ctx, uint32_t sym)
{
    static char buf[8][32];
    static int k;
    (void)ctx;
    char *b = buf[k++ & 7];
    snprintf(b, 32, "ext_fn%u", sym);
    return b;
}

static bool uses_label_branch(const X64Inst *in)
{
    return (in->op == X64_JCC || in->op == X64_JMP || in->op == X64_CALL) &&
           (in->opnd[0].kind == X64_OPND_LABEL || in->opnd[0].kind == X64_OPND_SYM);
}

/* Displacement of a RIP-relative memory operand (0 for branches). */
static int32_t rip_disp(const X64Inst *in)
{
    for (int i = 0; i < in->nopnds; i++)
        if (in->opnd[i].kind == X64_OPND_MEM && in->opnd[i].mem.kind != X64_MEM_BASE)
            return in->opnd[i].mem.disp;
    return 0;
}

START_TEST(matches_llvm_mc)
{
    const char *mc = find_llvm_mc();
    ck_assert_msg(mc != NULL,
                  "llvm-mc not found or not executable (a declared test dependency: "
                  "apt-get install llvm-14, or set LLVM_MC=/path/to/llvm-mc)");
    build_table();

    char path[] = "/tmp/wasmc-x86enc-XXXXXX.s";
    int fd = mkstemps(path, 2);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    X64Printer pr = { sym_name, NULL, NULL };
    static char text[MAX_CASES][96];
    for (int i = 0; i < ncases; i++) {
        size_t n = x64_format(&cases[i], &pr, text[i], sizeof text[i]);
        ck_assert_uint_lt(n, sizeof text[i]);
        fprintf(f, "%s%s\n", uses_label_branch(&cases[i]) ? "{disp32} " : "", text[i]);
    }
    fclose(f);
    run_llvm_mc(mc, path);
    unlink(path);

    int bad = 0, checked_fixups = 0;
    CodeBuf cb;
    cb_init(&cb);
    for (int i = 0; i < ncases; i++) {
        cb_reset(&cb);
        CgLabel l = cb_new_label(&cb); /* id 1, the label the table refers to */
        (void)l;
        x64_encode(&cb, &cases[i]);
        const McResult *r = &results[i];
        char why[200] = "";
        if (!r->ok) {
            snprintf(why, sizeof why, "llvm-mc rejected it: %s", r->error[0] ? r->error : "(no encoding)");
        } else if ((uint32_t)r->nbytes != cb.len) {
            snprintf(why, sizeof why, "length %u, llvm-mc %d", cb.len, r->nbytes);
        } else {
            for (int k = 0; k < r->nbytes; k++)
                if (r->bytes[k] >= 0 && r->bytes[k] != cb.data[k]) {
                    snprintf(why, sizeof why, "byte %d differs", k);
                    break;
                }
        }
        /* Fix-ups: llvm-mc's "value: T-k" means the field holds T - (P + k)
         * relative to the field P; we must have recorded addend disp - k. */
        if (!why[0] && r->fixup_offset >= 0) {
            uint32_t nrec = cb.nrelocs + cb.nfixups;
            int64_t want = (int64_t)rip_disp(&cases[i]) - r->fixup_minus;
            if (nrec != 1) {
                snprintf(why, sizeof why, "%u fix-ups/relocations recorded, llvm-mc has 1", nrec);
            } else if (cb.nrelocs == 1) {
                const CgReloc *rel = &cb.relocs[0];
                bool branch = strncmp(r->fixup_kind, "reloc_branch_4byte_pcrel", 24) == 0;
                bool riprel = strncmp(r->fixup_kind, "reloc_riprel_4byte", 18) == 0;
                if (rel->offset != (uint32_t)r->fixup_offset || rel->addend != want ||
                    (rel->kind == CG_RELOC_CALL_PC32 ? !branch : !riprel))
                    snprintf(why, sizeof why, "relocation at %u addend %lld kind %d; llvm-mc %d, %lld, %s",
                             rel->offset, (long long)rel->addend, rel->kind, r->fixup_offset, (long long)want,
                             r->fixup_kind);
            } else {
                const CgFixup *fx = &cb.fixups[0];
                if (fx->offset != (uint32_t)r->fixup_offset || fx->addend != want || fx->kind != CG_FIXUP_REL32)
                    snprintf(why, sizeof why, "label fix-up at %u addend %d; llvm-mc %d, %lld (%s)", fx->offset,
                             fx->addend, r->fixup_offset, (long long)want, r->fixup_kind);
            }
            checked_fixups++;
        } else if (!why[0] && (cb.nrelocs || cb.nfixups)) {
            snprintf(why, sizeof why, "we recorded a fix-up/relocation, llvm-mc has none");
        }
        if (why[0]) {
            if (bad++ < 60) {
                fprintf(stderr, "MISMATCH %-40s ours [", text[i]);
                for (uint32_t k = 0; k < cb.len; k++)
                    fprintf(stderr, "%s%02x", k ? " " : "", cb.data[k]);
                fprintf(stderr, "] llvm-mc [");
                for (int k = 0; k < r->nbytes; k++) {
                    if (r->bytes[k] < 0)
                        fprintf(stderr, "%sA", k ? " " : "");
                    else
                        fprintf(stderr, "%s%02x", k ? " " : "", r->bytes[k]);
                }
                fprintf(stderr, "]: %s\n", why);
            }
        }
    }
    cb_free(&cb);
    free(results);
    fprintf(stderr, "x86 encoder: %d instructions checked against %s (%d with fix-ups), %d mismatches\n", ncases,
            mc, checked_fixups, bad);
    ck_assert_msg(bad == 0, "%d of %d instructions differ from llvm-mc (see stderr)", bad, ncases);
}
END_TEST

/* Every op appears in the table at least once. */
START_TEST(table_covers_every_op)
{
    build_table();
    bool seen[X64_NUM_OPS] = { false };
    for (int i = 0; i < ncases; i++)
        seen[cases[i].op] = true;
    for (int op = 0; op < X64_NUM_OPS; op++)
        ck_assert_msg(seen[op], "op %s has no row in the llvm-mc table", x64_op_name((X64Op)op));
}
END_TEST

START_TEST(check_rejects_invalid)
{
    X64Inst in;
    in = x64_inst2(X64_MOV, 4, x64_r(X64_RAX), x64_mem(X64_RAX, X64_RSP, 1, 0));
    ck_assert_ptr_nonnull(x64_check(&in)); /* RSP cannot be an index */
    in = x64_inst2(X64_MOV, 4, x64_m(X64_RAX, 0), x64_m(X64_RCX, 0));
    ck_assert_ptr_nonnull(x64_check(&in)); /* two memory operands */
    in = x64_inst2(X64_MOV, 3, x64_r(X64_RAX), x64_r(X64_RCX));
    ck_assert_ptr_nonnull(x64_check(&in)); /* bad size */
    in = x64_inst2(X64_ADD, 8, x64_r(X64_RAX), x64_i(0x100000000LL));
    ck_assert_ptr_nonnull(x64_check(&in)); /* imm does not fit imm32 */
    in = x64_inst2(X64_ADD, 1, x64_r(X64_RAX), x64_i(256));
    ck_assert_ptr_nonnull(x64_check(&in));
    in = x64_inst2(X64_SHL, 4, x64_r(X64_RAX), x64_r(X64_RDX));
    ck_assert_ptr_nonnull(x64_check(&in)); /* count must be CL */
    in = x64_inst2(X64_ADDSS, 0, x64_r(X64_RAX), x64_r(X64_XMM0));
    ck_assert_ptr_nonnull(x64_check(&in)); /* GPR in an SSE op */
    in = x64_inst2(X64_ADD, 4, x64_r(X64_XMM1), x64_r(X64_RAX));
    ck_assert_ptr_nonnull(x64_check(&in)); /* XMM in an integer op */
    in = x64_inst2(X64_MOVABS, 4, x64_r(X64_RAX), x64_i(1));
    ck_assert_ptr_nonnull(x64_check(&in));
    in = x64_inst2(X64_MOV, 4, x64_r(X64_RAX), x64_mem(X64_RAX, X64_RCX, 3, 0));
    ck_assert_ptr_nonnull(x64_check(&in)); /* scale 3 */
    in = x64_inst2(X64_ADD, 4, x64_r(X64_RAX), x64_m(X64_RCX, 0));
    in.flags = X64_F_LOCK;
    ck_assert_ptr_nonnull(x64_check(&in)); /* lock needs a memory destination */
    in = x64_inst2(X64_CMP, 4, x64_m(X64_RCX, 0), x64_r(X64_RAX));
    in.flags = X64_F_LOCK;
    ck_assert_ptr_nonnull(x64_check(&in)); /* cmp does not write */
    in = x64_inst2(X64_MOV, 4, x64_m(X64_RCX, 0), x64_r(X64_RAX));
    in.flags = X64_F_LOCK;
    ck_assert_ptr_nonnull(x64_check(&in));
    in = x64_inst2(X64_MOV, 4, x64_r(X64_RAX), x64_r(X64_RCX));
    ck_assert_ptr_null(x64_check(&in));
}
END_TEST

/* Branches to labels: backward (patched at once) and forward (patched at
 * bind), displacements computed by hand. */
START_TEST(label_branches)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel top = cb_new_label(&cb), out = cb_new_label(&cb);
    cb_bind(&cb, top);                                                /* 0 */
    X64Inst dec = x64_inst2(X64_SUB, 4, x64_r(X64_RDI), x64_i(1));    /* 0: 83 ef 01 */
    x64_encode(&cb, &dec);
    X64Inst je = x64_jcc(X64_CC_E, out);                              /* 3: 0f 84 rel32 */
    x64_encode(&cb, &je);
    X64Inst jmp = x64_inst1(X64_JMP, 0, x64_lbl(top));                /* 9: e9 rel32 */
    x64_encode(&cb, &jmp);
    cb_bind(&cb, out);                                                /* 14 */
    X64Inst ret = x64_inst0(X64_RET, 0);
    x64_encode(&cb, &ret);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    static const uint8_t want[] = { 0x83, 0xef, 0x01, 0x0f, 0x84, 0x05, 0x00, 0x00, 0x00,
                                    0xe9, 0xf2, 0xff, 0xff, 0xff, 0xc3 };
    ck_assert_uint_eq(cb.len, sizeof want);
    ck_assert_mem_eq(cb.data, want, sizeof want);
    cb_free(&cb);
}
END_TEST

/* A RIP-relative load from a constant pool label placed after the code, and
 * a compare with an immediate after the displacement. */
START_TEST(rip_label_fixups)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel pool = cb_new_label(&cb);
    X64Inst ld = x64_inst2(X64_MOVSD, 0, x64_r(X64_XMM0), x64_rip_label(pool, 0)); /* 0: f2 0f 10 05 d32 (8) */
    x64_encode(&cb, &ld);
    X64Inst cmp = x64_inst2(X64_CMP, 4, x64_rip_label(pool, 8), x64_i(5)); /* 8: 83 3d d32 05 (7) */
    x64_encode(&cb, &cmp);
    x64_align(&cb, 16); /* 15 -> 16: one NOP */
    cb_bind(&cb, pool);
    cb_emit64(&cb, 0x3ff0000000000000ull);
    cb_emit64(&cb, 7);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    ck_assert_uint_eq(cb_label_offset(&cb, pool), 16);
    ck_assert_uint_eq(cb_read32(&cb, 4), 16 - 8);             /* pool - end of movsd */
    ck_assert_uint_eq(cb_read32(&cb, 10), 16 + 8 - 15);       /* pool+8 - end of cmp (imm8 after) */
    ck_assert_uint_eq(cb.data[14], 5);
    ck_assert_uint_eq(cb.data[15], 0x90);
    cb_free(&cb);
}
END_TEST

START_TEST(call_symbol_relocation)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_emit8(&cb, 0x90);
    X64Inst call = x64_inst1(X64_CALL, 0, x64_sym(42));
    x64_encode(&cb, &call);
    X64Inst ld = x64_inst2(X64_MOV, 8, x64_r(X64_RAX), x64_rip_sym(9, 16));
    x64_encode(&cb, &ld);
    ck_assert_uint_eq(cb.nrelocs, 2);
    ck_assert_uint_eq(cb.relocs[0].offset, 2);
    ck_assert_int_eq(cb.relocs[0].kind, CG_RELOC_CALL_PC32);
    ck_assert_uint_eq(cb.relocs[0].symbol, 42);
    ck_assert_int_eq(cb.relocs[0].addend, -4);
    ck_assert_uint_eq(cb.relocs[1].offset, 6 + 3);
    ck_assert_int_eq(cb.relocs[1].kind, CG_RELOC_PC32);
    ck_assert_uint_eq(cb.relocs[1].symbol, 9);
    ck_assert_int_eq(cb.relocs[1].addend, 16 - 4);
    cb_free(&cb);
}
END_TEST

START_TEST(mov_imm_is_shortest)
{
    static const struct { int64_t v; uint32_t len; } rows[] = {
        { 0, 5 }, { 1, 5 }, { 0xffffffffLL, 5 }, { -1, 7 }, { INT32_MIN, 7 },
        { 0x100000000LL, 10 }, { (int64_t)INT32_MIN - 1, 10 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        CodeBuf cb;
        cb_init(&cb);
        X64Inst in = x64_mov_imm(X64_RDX, 8, rows[i].v);
        x64_encode(&cb, &in);
        ck_assert_msg(cb.len == rows[i].len, "mov_imm(%lld): %u bytes, want %u", (long long)rows[i].v, cb.len,
                      rows[i].len);
        cb_free(&cb);
    }
}
END_TEST

START_TEST(nop_padding)
{
    /* Intel's recommended sequences, lengths 1-9, and longer runs built
     * from them. */
    static const uint8_t n4[] = { 0x0f, 0x1f, 0x40, 0x00 };
    static const uint8_t n9[] = { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 };
    for (uint32_t n = 0; n <= 40; n++) {
        CodeBuf cb;
        cb_init(&cb);
        x64_nops(&cb, n);
        ck_assert_uint_eq(cb.len, n);
        if (n == 4)
            ck_assert_mem_eq(cb.data, n4, 4);
        if (n == 13) {
            ck_assert_mem_eq(cb.data, n9, 9);
            ck_assert_mem_eq(cb.data + 9, n4, 4);
        }
        cb_free(&cb);
    }
    for (uint32_t start = 0; start < 40; start++) {
        CodeBuf cb;
        cb_init(&cb);
        for (uint32_t i = 0; i < start; i++)
            cb_emit8(&cb, 0xcc);
        x64_align(&cb, 32);
        ck_assert_uint_eq(cb.len % 32, 0);
        ck_assert_uint_lt(cb.len - start, 32);
        cb_free(&cb);
    }
}
END_TEST

START_TEST(printer_text)
{
    char buf[96];
    X64Inst in = x64_inst2(X64_MOV, 4, x64_r(X64_R13), x64_mem(X64_RSP, X64_R12, 8, -8));
    x64_format(&in, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "movl\t-8(%rsp,%r12,8), %r13d");
    in = x64_ext(X64_MOVZX, 4, 1, x64_r(X64_RAX), x64_r(X64_RSI));
    x64_format(&in, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "movzbl\t%sil, %eax");
    in = x64_inst1(X64_CALL, 0, x64_sym(3));
    x64_format(&in, NULL, buf, sizeof buf);
    ck_assert_str_eq(buf, "call\tsym3");
    in = x64_jcc(X64_CC_NE, (CgLabel){ 12 });
    X64Printer p = { NULL, NULL, ".Lwasm" };
    x64_format(&in, &p, buf, sizeof buf);
    ck_assert_str_eq(buf, "jne\t.Lwasm12");
    /* Truncation reports the full length and stays NUL-terminated. */
    in = x64_inst3(X64_ROUNDSD, 0, x64_r(X64_XMM0), x64_r(X64_XMM1), x64_i(4));
    size_t need = x64_format(&in, NULL, buf, 5);
    ck_assert_uint_eq(need, strlen("roundsd\t$4, %xmm1, %xmm0"));
    ck_assert_str_eq(buf, "roun");
}
END_TEST

static Suite *x86_suite(void)
{
    Suite *s = suite_create("x86_encode");
    TCase *tc = tcase_create("x86_encode");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, matches_llvm_mc);
    tcase_add_test(tc, table_covers_every_op);
    tcase_add_test(tc, check_rejects_invalid);
    tcase_add_test(tc, label_branches);
    tcase_add_test(tc, rip_label_fixups);
    tcase_add_test(tc, call_symbol_relocation);
    tcase_add_test(tc, mov_imm_is_shortest);
    tcase_add_test(tc, nop_padding);
    tcase_add_test(tc, printer_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(x86_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
