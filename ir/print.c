/* The IR printer: writes the canonical text form documented in ir.h, which
 * parse.c reads back so that print(parse(text)) == text.
 *
 * Canonical choices the parser relies on: ids are the in-memory ids; blocks
 * in layout order with a blank line between them; declarations in the order
 * sig, fn, mem, global, table, each by ascending index; the `.type` suffix
 * only when not implied by the opcode; iconst in signed decimal; floats in
 * C99 hex (exact), `inf`, or `nan:0xPAYLOAD`; a load/store offset only when
 * nonzero. */
#include "ir_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static bool name_is_bare(const char *s, uint32_t n)
{
    if (n == 0)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == '$' || c == '-'))
            return false;
    }
    return true;
}

static void print_name(FILE *out, const char *s, uint32_t n)
{
    fputc('%', out);
    if (name_is_bare(s, n)) {
        fwrite(s, 1, n, out);
        return;
    }
    fputc('"', out);
    for (uint32_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            fprintf(out, "\\%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void print_types(FILE *out, const uint8_t *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", ir_type_name((IrType)t[i]));
}

/* "(params)" and " -> results" when there are results. */
static void print_sig(FILE *out, const IrSig *s)
{
    fputc('(', out);
    print_types(out, s->params, s->nparams);
    fputc(')', out);
    if (s->nresults) {
        fputs(" -> ", out);
        print_types(out, s->results, s->nresults);
    }
}

static void print_float(FILE *out, bool is64, uint64_t bits)
{
    bool neg = is64 ? (bits >> 63) != 0 : ((bits >> 31) & 1) != 0;
    uint64_t exp = is64 ? (bits >> 52) & 0x7ff : (bits >> 23) & 0xff;
    uint64_t man = is64 ? bits & ((UINT64_C(1) << 52) - 1) : bits & ((1u << 23) - 1);
    uint64_t exp_max = is64 ? 0x7ff : 0xff;
    if (exp == exp_max) {
        fputs(neg ? "-" : "", out);
        if (man == 0)
            fputs("inf", out);
        else
            fprintf(out, "nan:0x%" PRIx64, man);
        return;
    }
    double d;
    if (is64) {
        memcpy(&d, &bits, 8);
    } else {
        uint32_t b = (uint32_t)bits;
        float fl;
        memcpy(&fl, &b, 4);
        d = fl;
    }
    fprintf(out, "%a", d); /* exact; a float's value is exact as a double */
}

static void print_value(FILE *out, IrValue v) { fprintf(out, "v%u", v.id); }

static void print_block_call(FILE *out, const IrFunc *f, IrInst i, uint32_t k)
{
    fprintf(out, "block%u", ir_inst_dest(f, i, k).id);
    uint32_t n = ir_inst_dest_num_args(f, i, k);
    if (n == 0)
        return;
    fputc('(', out);
    for (uint32_t j = 0; j < n; j++) {
        if (j)
            fputs(", ", out);
        print_value(out, ir_inst_dest_arg(f, i, k, j));
    }
    fputc(')', out);
}

static void print_args(FILE *out, const IrFunc *f, IrInst i, uint32_t from, const char *sep_first)
{
    uint32_t n = ir_inst_num_args(f, i);
    for (uint32_t k = from; k < n; k++) {
        fputs(k == from ? sep_first : ", ", out);
        print_value(out, ir_inst_arg(f, i, k));
    }
}

static void print_entity(FILE *out, IrEntityKind k, uint32_t idx)
{
    fprintf(out, "%s%u", ir_entity_prefix(k), idx);
}

static void print_mem_addr(FILE *out, const IrFunc *f, IrInst i)
{
    print_entity(out, IR_ENT_MEM, ir_inst_entity(f, i, 0));
    fputc('[', out);
    print_value(out, ir_inst_arg(f, i, 0));
    uint64_t off = ir_inst_offset(f, i);
    if (off)
        fprintf(out, "+%" PRIu64, off);
    fputc(']', out);
}

void ir_print_inst(FILE *out, const IrFunc *f, IrInst i)
{
    const IrInstData *d = &f->insts[i.id];
    IrOpcode op = (IrOpcode)d->op;
    const IrOpInfo *oi = ir_op(op);
    const IrFormatInfo *fi = ir_op_format(op);

    uint32_t nres = ir_inst_num_results(f, i);
    for (uint32_t k = 0; k < nres; k++) {
        fputs(k ? ", " : "", out);
        print_value(out, ir_inst_result(f, i, k));
    }
    if (nres)
        fputs(" = ", out);
    fputs(oi->name, out);
    if (d->type != IR_TYPE_NONE && d->type != ir_op_implied_type(op))
        fprintf(out, ".%s", ir_type_name((IrType)d->type));

    switch ((IrFormat)oi->format) {
    case IR_FMT_CONST: {
        uint64_t v = ir_inst_imm64(f, i);
        fputc(' ', out);
        if (op == IR_OP_ICONST && d->type == IR_TYPE_I32)
            fprintf(out, "%" PRId32, (int32_t)(uint32_t)v);
        else if (op == IR_OP_ICONST)
            fprintf(out, "%" PRId64, (int64_t)v);
        else
            print_float(out, op == IR_OP_F64CONST, v);
        break;
    }
    case IR_FMT_VCONST: {
        const uint8_t *b = ir_inst_vconst(f, i);
        fputs(" 0x", out);
        for (int k = 15; k >= 0; k--)
            fprintf(out, "%02x", b[k]);
        break;
    }
    case IR_FMT_UNARY:
    case IR_FMT_BINARY:
    case IR_FMT_TERNARY:
    case IR_FMT_MULTI:
        print_args(out, f, i, 0, " ");
        break;
    case IR_FMT_VOP1:
    case IR_FMT_VOP2:
    case IR_FMT_VOP3:
        fprintf(out, " %s", ir_vecop_name((IrVecOp)d->code));
        print_args(out, f, i, 0, " ");
        break;
    case IR_FMT_ICMP:
        fprintf(out, " %s", ir_intcc_name((IrIntCC)d->code));
        print_args(out, f, i, 0, " ");
        break;
    case IR_FMT_FCMP:
        fprintf(out, " %s", ir_floatcc_name((IrFloatCC)d->code));
        print_args(out, f, i, 0, " ");
        break;
    case IR_FMT_LOAD:
        fprintf(out, " %s ", ir_trap_name((IrTrapCode)d->code));
        print_mem_addr(out, f, i);
        break;
    case IR_FMT_STORE:
        fprintf(out, " %s ", ir_trap_name((IrTrapCode)d->code));
        print_value(out, ir_inst_arg(f, i, 1));
        fputs(", ", out);
        print_mem_addr(out, f, i);
        break;
    case IR_FMT_TRAP:
        fprintf(out, " %s", ir_trap_name((IrTrapCode)d->code));
        break;
    case IR_FMT_COND_TRAP:
        fputc(' ', out);
        print_value(out, ir_inst_arg(f, i, 0));
        fprintf(out, ", %s", ir_trap_name((IrTrapCode)d->code));
        break;
    case IR_FMT_JUMP:
        fputc(' ', out);
        print_block_call(out, f, i, 0);
        break;
    case IR_FMT_BRIF:
        fputc(' ', out);
        print_value(out, ir_inst_arg(f, i, 0));
        fputs(", ", out);
        print_block_call(out, f, i, 0);
        fputs(", ", out);
        print_block_call(out, f, i, 1);
        break;
    case IR_FMT_BR_TABLE: {
        fputc(' ', out);
        print_value(out, ir_inst_arg(f, i, 0));
        fputs(", ", out);
        print_block_call(out, f, i, 0);
        fputs(", [", out);
        uint32_t nd = ir_inst_num_dests(f, i);
        for (uint32_t k = 1; k < nd; k++) {
            if (k > 1)
                fputs(", ", out);
            print_block_call(out, f, i, k);
        }
        fputc(']', out);
        break;
    }
    case IR_FMT_CALL:
        fputc(' ', out);
        print_entity(out, IR_ENT_FUNC, ir_inst_entity(f, i, 0));
        fputc('(', out);
        print_args(out, f, i, 0, "");
        fputc(')', out);
        break;
    case IR_FMT_CALL_INDIRECT:
        fputc(' ', out);
        print_entity(out, IR_ENT_SIG, ir_inst_entity(f, i, 0));
        fputs(", ", out);
        print_entity(out, IR_ENT_TABLE, ir_inst_entity(f, i, 1));
        fputs(", ", out);
        print_value(out, ir_inst_arg(f, i, 0));
        fputc('(', out);
        print_args(out, f, i, 1, "");
        fputc(')', out);
        break;
    case IR_FMT_CALL_REF:
        fputc(' ', out);
        print_entity(out, IR_ENT_SIG, ir_inst_entity(f, i, 0));
        fputs(", ", out);
        print_value(out, ir_inst_arg(f, i, 0));
        fputc('(', out);
        print_args(out, f, i, 1, "");
        fputc(')', out);
        break;
    default: /* the entity formats: op E0[, E1][, values] */
        fputc(' ', out);
        print_entity(out, (IrEntityKind)fi->ent[0], ir_inst_entity(f, i, 0));
        if (fi->ent[1] != IR_ENT_NONE) {
            fputs(", ", out);
            print_entity(out, (IrEntityKind)fi->ent[1], ir_inst_entity(f, i, 1));
        }
        print_args(out, f, i, 0, ", ");
        break;
    }
}

static void print_decls(FILE *out, const IrFunc *f)
{
    for (uint32_t k = 0; k < f->nsigs; k++) {
        if (!f->sigs[k].declared)
            continue;
        fprintf(out, "    sig%u = ", k);
        print_sig(out, &f->sigs[k]);
        fputc('\n', out);
    }
    static const char *const fn_kinds[] = { "local", "import", "runtime" };
    for (uint32_t k = 0; k < f->nfns; k++) {
        const IrFuncRef *r = &f->fns[k];
        if (!r->declared)
            continue;
        fprintf(out, "    fn%u = %s ", k, fn_kinds[r->kind]);
        print_name(out, r->name, r->name_len);
        fprintf(out, " sig%u\n", r->sig);
    }
    for (uint32_t k = 0; k < f->nmems; k++) {
        const IrMemoryDecl *m = &f->mems[k];
        if (!m->declared)
            continue;
        fprintf(out, "    mem%u = memory %s min %" PRIu64, k, ir_type_name((IrType)m->index_type), m->min);
        if (m->has_max)
            fprintf(out, " max %" PRIu64, m->max);
        if (m->page_log2 != 16)
            fprintf(out, " page_log2 %u", m->page_log2);
        if (m->shared)
            fputs(" shared", out);
        fputc('\n', out);
    }
    for (uint32_t k = 0; k < f->nglobals; k++) {
        const IrGlobalDecl *g = &f->globals[k];
        if (!g->declared)
            continue;
        fprintf(out, "    global%u = global %s%s%s\n", k, ir_type_name((IrType)g->type), g->mutable_ ? " mut" : "",
                g->imported ? " import" : "");
    }
    for (uint32_t k = 0; k < f->ntables; k++) {
        const IrTableDecl *t = &f->tables[k];
        if (!t->declared)
            continue;
        fprintf(out, "    table%u = table %s %s min %" PRIu64, k, t->elem == IR_REF_FUNC ? "funcref" : "externref",
                ir_type_name((IrType)t->index_type), t->min);
        if (t->has_max)
            fprintf(out, " max %" PRIu64, t->max);
        fputc('\n', out);
    }
}

void ir_print_func(FILE *out, const IrFunc *f)
{
    fputs("function ", out);
    print_name(out, f->name, f->name_len);
    print_sig(out, &f->sig);
    fputs(" {\n", out);
    print_decls(out, f);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        if (b.id != f->first_block)
            fputc('\n', out);
        fprintf(out, "block%u", b.id);
        uint32_t np = ir_block_num_params(f, b);
        if (np) {
            fputc('(', out);
            for (uint32_t k = 0; k < np; k++) {
                IrValue v = ir_block_param(f, b, k);
                fprintf(out, "%sv%u: %s", k ? ", " : "", v.id, ir_type_name(ir_value_type(f, v)));
            }
            fputc(')', out);
        }
        fputs(":\n", out);
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            fputs("    ", out);
            ir_print_inst(out, f, i);
            fputc('\n', out);
        }
    }
    fputs("}\n", out);
}

char *ir_func_to_string(const IrFunc *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return NULL;
    ir_print_func(out, f);
    fclose(out);
    return buf;
}
