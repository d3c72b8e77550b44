/* Emitter state shared by emit.c (frame, blocks, moves, listing) and
 * emit_macro.c (multi-instruction pseudo instructions). */
#ifndef WASMC_CODEGEN_X86_64_EMIT_H
#define WASMC_CODEGEN_X86_64_EMIT_H

#include <stdio.h>

#include "x64_internal.h"

struct X64Emitter {
    CodeBuf *cb;
    FILE *asm_out;
    X64Printer pr;
    MachFunc *mf;
    X64FuncInfo *fi;
    RegAllocResult *ra;
    const CgModuleInfo *mi;
    const CgSymbols *syms;
    uint32_t frame;       /* bytes below rbp (16-byte multiple) */
    uint64_t csr;         /* callee-saved registers to save */
    unsigned ncsr;        /* how many: pushed right below the saved rbp */
    uint32_t below_csr;   /* frame bytes allocated by sub rsp after the pushes */
    bool store_vmctx;     /* the prologue stores the vmctx to [rbp-8] */
    bool small_leaf;      /* no stack check (is_small_leaf in emit.c) */
    X64Inst last;         /* the instruction just emitted, if last_valid (no label since) */
    bool last_valid;
    CgLabel trap_label[32];
    CgLabel stack_trap;   /* the prologue's stack check (no vmctx reload) */
    CgLabel *const_label; /* per constant, created on first use */
    uint32_t nconst_labels;
    CgLabel *block_label;
    uint32_t *fwd;         /* by block: where a branch to it really goes (empty jump-only blocks skipped) */
    uint32_t trap_sym;
    struct JumpTable { CgLabel table; uint32_t block; } *tables;
    uint32_t ntables;
};

void x64_e(X64Emitter *e, X64Inst in);          /* encode and list one instruction */
void x64_e_bind(X64Emitter *e, CgLabel l);      /* bind and list a label */
CgLabel x64_e_label(X64Emitter *e);
CgLabel x64_e_trap(X64Emitter *e, uint32_t code); /* the stub that traps with code */
X64Opnd x64_e_const(X64Emitter *e, uint64_t lo, uint64_t hi);
void x64_e_jcc(X64Emitter *e, X64Cond cc, CgLabel l);
void x64_e_jmp(X64Emitter *e, CgLabel l);
void x64_e_copy(X64Emitter *e, X64Reg dst, X64Reg src); /* full-register copy, either class */

/* emit_macro.c */
void x64_emit_div(X64Emitter *e, const MachInst *mi);
void x64_emit_fminmax(X64Emitter *e, const MachInst *mi);
void x64_emit_fcvt(X64Emitter *e, const MachInst *mi);
void x64_emit_ucvt(X64Emitter *e, const MachInst *mi);
void x64_emit_bounds(X64Emitter *e, const MachInst *mi);

static inline X64Reg opreg(const MachInst *mi, unsigned k) { return (X64Reg)mi->opnd[k].reg; }

#endif
