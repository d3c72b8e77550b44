/* x86-64 emission: frame layout, prologue/epilogue, allocated MachInsts and
 * the allocator's moves -> bytes in a CodeBuf, plus the -S listing printed
 * from the very X64Insts that are encoded.
 *
 * Frame (rbp-relative, grows down; rsp 16-byte aligned in the body):
 *     [rbp+16 ...]  incoming stack arguments
 *     [rbp+8]       return address
 *     [rbp]         caller's rbp
 *     [rbp-8 ...]   callee-saved registers used by the allocator (pushed by the
 *                   prologue in register order, popped by the epilogue), c of them
 *     [rbp-8c-8]    vmctx (spill slot 0, stored by the prologue only when something
 *                   reads it: a trap stub other than the stack-overflow one, or a
 *                   reload of the spilled vmctx -- see needs_vmctx_slot)
 *     [rbp-8c-8-8s] spill slot s
 *     ...           call-results area (multi-value calls), 16 bytes per result
 *     [rsp ...]     outgoing stack arguments
 * After the body come the trap stubs (one per trap code: call
 * wasmc_rt_trap(vmctx, code)), br_table jump tables and the constant pool. */
#include <inttypes.h>
#include <stdlib.h>

#include "../../runtime-stub/include/wasmc_rt.h"
#include "../../support/arena.h"
#include "emit.h"

/* ---- primitives --------------------------------------------------------------- */

void x64_e(X64Emitter *e, X64Inst in)
{
    if (e->asm_out) {
        char buf[160];
        x64_format(&in, &e->pr, buf, sizeof buf);
        fprintf(e->asm_out, "\t%s\n", buf);
    }
    x64_encode(e->cb, &in);
    e->last = in;
    e->last_valid = true;
}

CgLabel x64_e_label(X64Emitter *e) { return cb_new_label(e->cb); }

void x64_e_bind(X64Emitter *e, CgLabel l)
{
    cb_bind(e->cb, l);
    e->last_valid = false; /* a jump may arrive here: the flags are unknown */
    if (e->asm_out)
        fprintf(e->asm_out, "%s%u:\n", e->pr.label_prefix ? e->pr.label_prefix : ".L", l.id);
}

CgLabel x64_e_trap(X64Emitter *e, uint32_t code)
{
    if (!e->trap_label[code].id)
        e->trap_label[code] = cb_new_label(e->cb);
    return e->trap_label[code];
}

X64Opnd x64_e_const(X64Emitter *e, uint64_t lo, uint64_t hi)
{
    uint32_t k = x64_const(e->fi, lo, hi);
    if (k >= e->nconst_labels) {
        e->const_label = xrealloc(e->const_label, (k + 1) * sizeof *e->const_label);
        memset(e->const_label + e->nconst_labels, 0, (k + 1 - e->nconst_labels) * sizeof *e->const_label);
        e->nconst_labels = k + 1;
    }
    if (!e->const_label[k].id)
        e->const_label[k] = cb_new_label(e->cb);
    return x64_rip_label(e->const_label[k], 0);
}

void x64_e_jcc(X64Emitter *e, X64Cond cc, CgLabel l) { x64_e(e, x64_jcc(cc, l)); }
void x64_e_jmp(X64Emitter *e, CgLabel l) { x64_e(e, x64_inst1(X64_JMP, 0, x64_lbl(l))); }

void x64_e_copy(X64Emitter *e, X64Reg dst, X64Reg src)
{
    if (dst == src)
        return;
    if (x64_is_xmm(dst))
        x64_e(e, x64_inst2(X64_MOVAPS, 0, x64_r(dst), x64_r(src)));
    else
        x64_e(e, x64_inst2(X64_MOV, 8, x64_r(dst), x64_r(src)));
}

static X64Opnd slot_mem(X64Emitter *e, uint32_t slot)
{
    return x64_m(X64_RBP, -8 * (int32_t)e->ncsr - 8 - 8 * (int32_t)slot);
}

/* One move of the allocator's parallel moves (after sequentializing). */
static void emit_move(void *ctx, const CgMove *m)
{
    X64Emitter *e = ctx;
    bool fl = m->cls == CG_CLASS_FLOAT;
    if (!m->src.is_slot && !m->dst.is_slot) {
        x64_e_copy(e, (X64Reg)m->dst.n, (X64Reg)m->src.n);
    } else if (!m->src.is_slot) {
        X64Opnd d = slot_mem(e, m->dst.n);
        x64_e(e, fl ? x64_inst2(X64_MOVSD, 0, d, x64_r((X64Reg)m->src.n)) : x64_inst2(X64_MOV, 8, d, x64_r((X64Reg)m->src.n)));
    } else if (!m->dst.is_slot) {
        X64Opnd s = slot_mem(e, m->src.n);
        x64_e(e, fl ? x64_inst2(X64_MOVSD, 0, x64_r((X64Reg)m->dst.n), s) : x64_inst2(X64_MOV, 8, x64_r((X64Reg)m->dst.n), s));
    } else { /* memory to memory without a register */
        x64_e(e, x64_inst1(X64_PUSH, 8, slot_mem(e, m->src.n)));
        x64_e(e, x64_inst1(X64_POP, 8, slot_mem(e, m->dst.n)));
    }
}

static void emit_group(X64Emitter *e, const CgMoveGroup *g)
{
    static const uint32_t scratch[CG_NUM_CLASSES] = { X64_R11, X64_XMM15 };
    cg_parallel_move(e->ra->moves + g->first, g->n, scratch, emit_move, e);
}

/* ---- templates ----------------------------------------------------------------- */

static X64Reg sub_reg(const MachInst *mi, unsigned r)
{
    return x64_is_opref(r) ? (X64Reg)mi->opnd[r - 0x40].reg : (X64Reg)r;
}

static X64Inst subst(X64Emitter *e, const MachInst *mi)
{
    X64Inst in = *(const X64Inst *)(const void *)mi->tgt;
    for (unsigned k = 0; k < in.nopnds; k++) {
        X64Opnd *o = &in.opnd[k];
        if (o->kind == X64_OPND_REG) {
            o->reg = sub_reg(mi, o->reg);
        } else if (o->kind == X64_OPND_MEM) {
            X64Mem *m = &o->mem;
            if (m->kind == X64_MEM_BASE) {
                if (m->base != X64_NOREG)
                    m->base = (uint8_t)sub_reg(mi, m->base);
                if (m->index != X64_NOREG)
                    m->index = (uint8_t)sub_reg(mi, m->index);
                if (m->target == X64_FRAME_RESULTS) {
                    m->disp += (int32_t)e->fi->out_args;
                    m->target = 0;
                }
            } else if (m->kind == X64_MEM_RIP_LABEL) {
                const X64Const *c = &e->fi->consts[m->target];
                m->target = x64_e_const(e, c->lo, c->hi).mem.target;
            }
        }
    }
    return in;
}

/* ---- frame ---------------------------------------------------------------------- */

static void emit_prologue(X64Emitter *e)
{
    x64_e(e, x64_inst1(X64_PUSH, 8, x64_r(X64_RBP)));
    x64_e(e, x64_inst2(X64_MOV, 8, x64_r(X64_RBP), x64_r(X64_RSP)));
    for (unsigned r = 0; r < 16; r++)
        if (e->csr >> r & 1)
            x64_e(e, x64_inst1(X64_PUSH, 8, x64_r((X64Reg)r)));
    if (e->below_csr)
        x64_e(e, x64_inst2(X64_SUB, 8, x64_r(X64_RSP), x64_i(e->below_csr)));
    if (e->store_vmctx)
        x64_e(e, x64_inst2(X64_MOV, 8, slot_mem(e, 0), x64_r(X64_RDI)));
    /* rsp below the stack limit: call stack exhausted (the word is 0 when unset) */
    if (!e->small_leaf) {
        x64_e(e, x64_inst2(X64_CMP, 8, x64_r(X64_RSP), x64_m(X64_RDI, (int32_t)e->mi->stack_limit_offset)));
        e->stack_trap = x64_e_label(e);
        x64_e_jcc(e, X64_CC_B, e->stack_trap);
    }
}

/* Does anything read the vmctx slot [rbp-8]? The allocator treats the vmctx
 * vreg as already stored there (MachFunc.prestored_vreg), so a reload of a
 * spilled vmctx reads it; so does every trap stub except the prologue's
 * stack-overflow one (stack_trap), reached while rdi still holds the vmctx.
 * The pseudo instructions that may branch to a trap stub are listed here;
 * x64_emit_func checks after the body that no other stub was created. */
static bool needs_vmctx_slot(const X64Emitter *e)
{
    const MachFunc *mf = e->mf;
    for (uint32_t i = 0; i < mf->ninsts; i++)
        switch ((X64Pseudo)mf->insts[i].op) {
        case XP_TRAP: case XP_TRAPIF: case XP_DIV: case XP_FCVT: case XP_BOUNDS:
            return true;
        default:
            break;
        }
    if (mf->prestored_vreg != CG_NO_REG)
        for (uint32_t m = 0; m < e->ra->nmoves; m++)
            if ((e->ra->moves[m].src.is_slot && e->ra->moves[m].src.n == mf->prestored_slot) ||
                (e->ra->moves[m].dst.is_slot && e->ra->moves[m].dst.n == mf->prestored_slot))
                return true;
    return false;
}

/* A leaf (no call; a tail call leaves the frame first and the callee checks)
 * with a frame of at most LEAF_FRAME_MAX bytes skips the stack check: it
 * cannot recurse, and its caller passed the check with its own frame
 * allocated, so the leaf ends at most LEAF_FRAME_MAX + 16 (return address,
 * rbp) bytes below the limit. The runtime keeps at least 64 KiB of real stack
 * below the limit (wasmc_rt.h section 1, STACK_RESERVE in entry.c). */
#define LEAF_FRAME_MAX 4096u

static bool is_small_leaf(const X64Emitter *e)
{
    if (e->frame > LEAF_FRAME_MAX)
        return false;
    for (uint32_t i = 0; i < e->mf->ninsts; i++)
        if (e->mf->insts[i].op == XP_CALL)
            return false;
    return true;
}

static void emit_epilogue(X64Emitter *e)
{
    if (!e->ncsr) {
        if (e->frame)
            x64_e(e, x64_inst2(X64_MOV, 8, x64_r(X64_RSP), x64_r(X64_RBP)));
    } else {
        /* rsp is constant in the body: only a frame below the saves needs a reset */
        if (e->below_csr)
            x64_e(e, x64_inst2(X64_LEA, 8, x64_r(X64_RSP), x64_m(X64_RBP, -8 * (int32_t)e->ncsr)));
        for (int r = 15; r >= 0; r--)
            if (e->csr >> r & 1)
                x64_e(e, x64_inst1(X64_POP, 8, x64_r((X64Reg)r)));
    }
    x64_e(e, x64_inst1(X64_POP, 8, x64_r(X64_RBP)));
}

/* ---- instructions ---------------------------------------------------------------- */

/* `test r, r` before je/jne is redundant when the instruction just emitted
 * (no label in between) was add/sub/and/or/xor writing r at the same size:
 * ZF already describes r. */
static bool zf_known(const X64Emitter *e, const X64Inst *t, X64Cond cc)
{
    if ((cc != X64_CC_E && cc != X64_CC_NE) || t->op != X64_TEST || t->nopnds != 2 ||
        t->opnd[0].kind != X64_OPND_REG || t->opnd[1].kind != X64_OPND_REG || t->opnd[0].reg != t->opnd[1].reg ||
        !x64_is_gpr((X64Reg)t->opnd[0].reg) || !e->last_valid)
        return false;
    const X64Inst *l = &e->last;
    bool alu = l->op == X64_ADD || l->op == X64_SUB || l->op == X64_AND || l->op == X64_OR || l->op == X64_XOR;
    return alu && l->size == t->size && l->nopnds == 2 && l->opnd[0].kind == X64_OPND_REG &&
           l->opnd[0].reg == t->opnd[0].reg;
}

static CgLabel succ_label(X64Emitter *e, uint32_t b, uint32_t k)
{
    return e->block_label[e->fwd[e->mf->blocks[b].succs[k].block]];
}

/* Falling through reaches successor k (possibly via an empty jump-only block). */
static bool is_next(X64Emitter *e, uint32_t b, uint32_t k)
{
    uint32_t s = e->mf->blocks[b].succs[k].block;
    return s == b + 1 || e->fwd[s] == b + 1;
}

/* Branch threading: an edge block that received no moves is a lone jump;
 * branches to it go straight to its target. */
static void compute_forwarding(X64Emitter *e)
{
    MachFunc *mf = e->mf;
    uint8_t *has_moves = xcalloc(mf->nblocks ? mf->nblocks : 1, 1);
    for (uint32_t g = 0; g < e->ra->ngroups; g++)
        if (e->ra->groups[g].n)
            has_moves[e->ra->groups[g].block] = 1;
    e->fwd = xmalloc((mf->nblocks ? mf->nblocks : 1) * sizeof *e->fwd);
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        uint32_t t = b;
        for (int hops = 0; hops < 8; hops++) {
            const MachBlock *mb = &mf->blocks[t];
            if (t == 0 || has_moves[t] || mb->n != 1 || mf->insts[mb->first].op != XP_JMP || mb->nsuccs != 1 ||
                mb->succs[0].block == t)
                break;
            t = mb->succs[0].block;
        }
        e->fwd[b] = t;
    }
    free(has_moves);
}

static void emit_inst(X64Emitter *e, uint32_t b, const MachInst *mi)
{
    switch ((X64Pseudo)mi->op) {
    case XP_MOVE: {
        X64Reg d = opreg(mi, 0), s = opreg(mi, 1);
        if (mi->aux[0] == 4 && x64_is_gpr(d))
            x64_e(e, x64_inst2(X64_MOV, 4, x64_r(d), x64_r(s))); /* zero-extends, even if d == s */
        else
            x64_e_copy(e, d, s);
        return;
    }
    case XP_INST: {
        X64Inst in = subst(e, mi);
        for (unsigned k = 0; k < mi->nopnds; k++)
            if (mi->opnd[k].kind == CG_DEF_TIED) { /* copy the tied input (first use) into the def */
                for (unsigned u = 0; u < mi->nopnds; u++)
                    if (mi->opnd[u].kind == CG_USE || mi->opnd[u].kind == CG_USE_LATE) {
                        x64_e_copy(e, opreg(mi, k), opreg(mi, u));
                        break;
                    }
                break;
            }
        if (mi->aux[2] == 1) { /* compare, then cmov opnd0 <- opnd2 */
            x64_e(e, in);
            x64_e(e, x64_cmov((X64Cond)mi->aux[0], mi->aux[1], x64_r(opreg(mi, 0)), x64_r(opreg(mi, 2))));
            return;
        }
        if (mi->aux[2] == 2)
            x64_e(e, x64_inst2(X64_XORPS, 0, x64_r(opreg(mi, 0)), x64_r(opreg(mi, 0))));
        if (mi->aux[0])
            cb_trap_here(e->cb, mi->aux[0]);
        x64_e(e, in);
        return;
    }
    case XP_JMP:
        if (!is_next(e, b, 0))
            x64_e_jmp(e, succ_label(e, b, 0));
        return;
    case XP_BR: {
        if (mi->aux[2]) /* a load folded into the compare */
            cb_trap_here(e->cb, mi->aux[2]);
        X64Cond cc = (X64Cond)mi->aux[0];
        X64Inst cmp = subst(e, mi);
        if (mi->aux[1] || mi->aux[2] || !zf_known(e, &cmp, cc))
            x64_e(e, cmp);
        CgLabel t = succ_label(e, b, 0), f = succ_label(e, b, 1);
        if (mi->aux[1] == 1) { /* float eq: ZF && !PF */
            x64_e_jcc(e, X64_CC_P, f);
            x64_e_jcc(e, X64_CC_E, t);
        } else if (mi->aux[1] == 2) { /* float ne: !ZF || PF */
            x64_e_jcc(e, X64_CC_P, t);
            x64_e_jcc(e, X64_CC_NE, t);
        } else if (is_next(e, b, 0)) {
            x64_e_jcc(e, x64_cc_invert(cc), f);
            return;
        } else {
            x64_e_jcc(e, cc, t);
        }
        if (!is_next(e, b, 1))
            x64_e_jmp(e, f);
        return;
    }
    case XP_BRTABLE: {
        X64Reg idx = opreg(mi, 0), t = opreg(mi, 1);
        uint32_t n = e->mf->blocks[b].nsuccs - 1;
        unsigned sz = ((const X64Inst *)(const void *)mi->tgt)->size;
        x64_e(e, x64_inst2(X64_CMP, sz, x64_r(idx), x64_i(n)));
        x64_e_jcc(e, X64_CC_AE, succ_label(e, b, 0));
        CgLabel table = x64_e_label(e);
        e->tables = xrealloc(e->tables, (e->ntables + 1) * sizeof *e->tables);
        e->tables[e->ntables++] = (struct JumpTable){ table, b };
        x64_e(e, x64_inst2(X64_LEA, 8, x64_r(X64_R11), x64_rip_label(table, 0)));
        x64_e(e, x64_ext(X64_MOVSX, 8, 4, x64_r(t), x64_mem(X64_R11, idx, 4, 0)));
        x64_e(e, x64_inst2(X64_ADD, 8, x64_r(t), x64_r(X64_R11)));
        x64_e(e, x64_inst1(X64_JMP, 0, x64_r(t)));
        return;
    }
    case XP_RET:
        emit_epilogue(e);
        x64_e(e, x64_inst0(X64_RET, 0));
        return;
    case XP_TRAP:
        x64_e_jmp(e, x64_e_trap(e, mi->aux[1]));
        return;
    case XP_TRAPIF:
        if (mi->aux[2])
            cb_trap_here(e->cb, mi->aux[2]);
        x64_e(e, subst(e, mi));
        x64_e_jcc(e, (X64Cond)mi->aux[0], x64_e_trap(e, mi->aux[1]));
        return;
    case XP_CALL:
        x64_e(e, subst(e, mi));
        return;
    case XP_TAILCALL: {
        X64Inst in = subst(e, mi);
        emit_epilogue(e);
        x64_e(e, in);
        return;
    }
    case XP_DIV: x64_emit_div(e, mi); return;
    case XP_SETCC: {
        if (mi->aux[2])
            cb_trap_here(e->cb, mi->aux[2]);
        x64_e(e, subst(e, mi));
        X64Reg d = opreg(mi, 0);
        x64_e(e, x64_setcc((X64Cond)mi->aux[0], x64_r(d)));
        if (mi->aux[1]) {
            bool eq = mi->aux[1] == 1;
            x64_e(e, x64_setcc(eq ? X64_CC_NP : X64_CC_P, x64_r(X64_R11)));
            x64_e(e, x64_inst2(eq ? X64_AND : X64_OR, 1, x64_r(d), x64_r(X64_R11)));
        }
        x64_e(e, x64_ext(X64_MOVZX, 4, 1, x64_r(d), x64_r(d)));
        return;
    }
    case XP_FMINMAX: x64_emit_fminmax(e, mi); return;
    case XP_FCVT: x64_emit_fcvt(e, mi); return;
    case XP_UCVT: x64_emit_ucvt(e, mi); return;
    case XP_BOUNDS: x64_emit_bounds(e, mi); return;
    case XP_FSELECT: {
        X64Reg d = opreg(mi, 0), y = opreg(mi, 1), x = opreg(mi, 2), c = opreg(mi, 3);
        CgLabel skip = x64_e_label(e);
        x64_e_copy(e, d, y);
        x64_e(e, x64_inst2(X64_TEST, 4, x64_r(c), x64_r(c)));
        x64_e_jcc(e, X64_CC_E, skip);
        x64_e_copy(e, d, x);
        x64_e_bind(e, skip);
        return;
    }
    }
}

/* ---- the function ------------------------------------------------------------------ */

static const char *sym_name(void *ctx, uint32_t sym)
{
    (void)ctx;
    static char buf[32];
    snprintf(buf, sizeof buf, "sym%u", sym);
    return buf;
}

bool x64_emit_func(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms, const CgOptions *opt, MachFunc *mf,
                   X64FuncInfo *fi, RegAllocResult *ra, CodeBuf *cb, WasmcError *err)
{
    X64Emitter e = { .cb = cb, .mf = mf, .fi = fi, .ra = ra, .mi = mi, .syms = syms };
    e.asm_out = opt ? opt->asm_out : NULL;
    e.pr.sym_name = syms && syms->name ? syms->name : sym_name;
    e.pr.ctx = syms ? syms->ctx : NULL;
    e.pr.label_prefix = opt ? opt->asm_label_prefix : NULL;
    e.csr = ra->used_callee_saved;
    e.ncsr = (unsigned)__builtin_popcountll(e.csr);
    e.store_vmctx = needs_vmctx_slot(&e);
    /* no room for a vmctx slot nobody reads when it is the only slot */
    uint32_t nslots = ra->nslots == 1 && mf->prestored_slot == 0 && !e.store_vmctx ? 0 : ra->nslots;
    uint32_t frame = 8 * nslots + 8 * e.ncsr + fi->results + fi->out_args;
    e.frame = (frame + 15) & ~15u;
    e.below_csr = e.frame - 8 * e.ncsr;
    e.small_leaf = is_small_leaf(&e);
    compute_forwarding(&e);
    e.block_label = xcalloc(mf->nblocks, sizeof *e.block_label);
    for (uint32_t b = 0; b < mf->nblocks; b++)
        e.block_label[b] = cb_new_label(cb);
    if (e.asm_out) {
        const char *name = opt->asm_name ? opt->asm_name : f->name ? f->name : "func";
        fprintf(e.asm_out, "%s:\n", name);
    }
    emit_prologue(&e);
    uint32_t g = 0;
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        MachBlock *mb = &mf->blocks[b];
        x64_e_bind(&e, e.block_label[b]);
        while (g < ra->ngroups && ra->groups[g].block == b && ra->groups[g].anchor == CG_EDGE_IN_SUCC)
            emit_group(&e, &ra->groups[g++]);
        while (g < ra->ngroups && ra->groups[g].block == b && ra->groups[g].anchor == CG_AT_BLOCK_START)
            emit_group(&e, &ra->groups[g++]);
        for (uint32_t i = mb->first; i < mb->first + mb->n; i++) {
            while (g < ra->ngroups && ra->groups[g].block == b && ra->groups[g].anchor == CG_BEFORE_INST &&
                   ra->groups[g].inst == i)
                emit_group(&e, &ra->groups[g++]);
            if (i == mb->first + mb->n - 1)
                while (g < ra->ngroups && ra->groups[g].block == b && ra->groups[g].anchor == CG_EDGE_IN_PRED)
                    emit_group(&e, &ra->groups[g++]);
            emit_inst(&e, b, &mf->insts[i]);
        }
    }
    bool ok = true;
    if (g != ra->ngroups)
        ok = wasmc_fail(err, WASMC_NO_OFFSET, "internal error: %u move groups not placed", ra->ngroups - g);
    /* Trap stubs: wasmc_rt_trap(vmctx, code) never returns. */
    for (uint32_t c = 0; c < 32; c++) {
        if (!e.trap_label[c].id)
            continue;
        if (!e.trap_sym)
            e.trap_sym = syms->named(syms->ctx, "wasmc_rt_trap");
        x64_e_bind(&e, e.trap_label[c]);
        if (!e.store_vmctx)
            ok = wasmc_fail(err, WASMC_NO_OFFSET, "internal error: trap stub %u without the vmctx slot", c);
        x64_e(&e, x64_inst2(X64_MOV, 8, x64_r(X64_RDI), slot_mem(&e, 0)));
        x64_e(&e, x64_inst2(X64_MOV, 4, x64_r(X64_RSI), x64_i(c)));
        x64_e(&e, x64_inst1(X64_CALL, 0, x64_sym(e.trap_sym)));
        x64_e(&e, x64_inst0(X64_UD2, 0));
    }
    if (e.stack_trap.id) { /* from the prologue's stack check: rdi still holds the vmctx */
        if (!e.trap_sym)
            e.trap_sym = syms->named(syms->ctx, "wasmc_rt_trap");
        x64_e_bind(&e, e.stack_trap);
        x64_e(&e, x64_inst2(X64_MOV, 4, x64_r(X64_RSI), x64_i(WASMC_TRAP_STACK_OVERFLOW)));
        x64_e(&e, x64_inst1(X64_CALL, 0, x64_sym(e.trap_sym)));
        x64_e(&e, x64_inst0(X64_UD2, 0));
    }
    for (uint32_t t = 0; t < e.ntables; t++) {
        MachBlock *mb = &mf->blocks[e.tables[t].block];
        x64_align(cb, 4);
        if (e.asm_out)
            fprintf(e.asm_out, "\t.p2align 2, 0x90\n");
        x64_e_bind(&e, e.tables[t].table);
        for (uint32_t k = 1; k < mb->nsuccs; k++) {
            CgLabel l = e.block_label[e.fwd[mb->succs[k].block]];
            cb_use_label(cb, l, CG_FIXUP_REL32, (int32_t)(4 * (k - 1)));
            if (e.asm_out)
                fprintf(e.asm_out, "\t.long %s%u-%s%u\n", e.pr.label_prefix ? e.pr.label_prefix : ".L", l.id,
                        e.pr.label_prefix ? e.pr.label_prefix : ".L", e.tables[t].table.id);
        }
    }
    if (fi->nconsts) {
        x64_align(cb, 16);
        if (e.asm_out)
            fprintf(e.asm_out, "\t.p2align 4, 0x90\n");
        for (uint32_t k = 0; k < fi->nconsts; k++) {
            if (k >= e.nconst_labels || !e.const_label[k].id)
                continue;
            x64_e_bind(&e, e.const_label[k]);
            cb_emit64(cb, fi->consts[k].lo);
            cb_emit64(cb, fi->consts[k].hi);
            if (e.asm_out)
                fprintf(e.asm_out, "\t.quad 0x%" PRIx64 ", 0x%" PRIx64 "\n", fi->consts[k].lo, fi->consts[k].hi);
        }
    }
    free(e.block_label);
    free(e.fwd);
    free(e.const_label);
    free(e.tables);
    if (ok)
        ok = cb_finalize(cb, err);
    return ok;
}
