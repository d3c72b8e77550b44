/* The IR text parser: reads the form ir/print.c writes (grammar in ir.h).
 *
 * Recursive descent over an on-demand lexer; whitespace, newlines and
 * `;` comments are insignificant. The ids in the text become the in-memory
 * ids (v7 is value 7), so the parser creates values and blocks at given ids
 * and leaves gaps undefined. Forward references are allowed: a use of a
 * value or block defined later (or never) is recorded as is; whether every
 * used id is defined, dominates its uses and has the right type is the
 * verifier's job. What the parser checks is syntax, names, numbers and
 * ranges, and that no id is defined twice.
 *
 * Every failure is "line:col: message" in a WasmcError; nothing here aborts
 * on any input. Ids and entity indices are bounded relative to the input
 * size so a short text cannot make the parser allocate gigabytes. */
#include "ir_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef enum TokKind { T_EOF, T_IDENT, T_NUM, T_NAME, T_ARROW, T_PUNCT } TokKind;

typedef struct Tok {
    TokKind kind;
    const char *s; /* start in the source */
    size_t len;
    size_t off;
} Tok;

typedef struct Parser {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t id_limit; /* largest accepted id or entity index */
    WasmcError *err;
    IrFunc *f;
} Parser;

void ir_text_line_col(const char *src, size_t len, size_t off, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    for (size_t i = 0; i < off && i < len; i++) {
        if (src[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static bool perr(Parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool perr(Parser *p, size_t off, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line, col;
    ir_text_line_col(p->src, p->len, off, &line, &col);
    return wasmc_fail(p->err, off, "%u:%u: %s", line, col, msg);
}

/* ---- Lexer ---------------------------------------------------------------- */

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_word(int c) { return is_alpha(c) || is_digit(c) || c == '.'; }
static bool is_bare_name(int c) { return is_alpha(c) || is_digit(c) || c == '.' || c == '$' || c == '-'; }

static void skip_ws(Parser *p)
{
    while (p->pos < p->len) {
        char c = p->src[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p->pos++;
        } else if (c == ';') {
            while (p->pos < p->len && p->src[p->pos] != '\n')
                p->pos++;
        } else {
            break;
        }
    }
}

/* Reads the token at the current position without consuming it. */
static bool peek(Parser *p, Tok *t)
{
    skip_ws(p);
    size_t i = p->pos;
    const char *s = p->src;
    t->s = s + i;
    t->off = i;
    t->len = 0;
    if (i >= p->len) {
        t->kind = T_EOF;
        return true;
    }
    unsigned char c = (unsigned char)s[i];
    size_t j = i + 1;
    if (c == '%') {
        if (j < p->len && s[j] == '"') {
            j++;
            while (j < p->len && s[j] != '"' && s[j] != '\n')
                j++;
            if (j >= p->len || s[j] != '"')
                return perr(p, i, "unterminated name string");
            j++;
        } else {
            while (j < p->len && is_bare_name((unsigned char)s[j]))
                j++;
            if (j == i + 1)
                return perr(p, i, "expected a name after '%%'");
        }
        t->kind = T_NAME;
    } else if (is_alpha(c)) {
        while (j < p->len && is_word((unsigned char)s[j]))
            j++;
        t->kind = T_IDENT;
    } else if (is_digit(c) || (c == '-' && j < p->len && is_digit((unsigned char)s[j]))) {
        bool hex = j + 1 < p->len && s[i] == '0' && (s[j] == 'x' || s[j] == 'X');
        while (j < p->len) {
            char d = s[j];
            bool exp = hex ? (d == 'p' || d == 'P') : (d == 'e' || d == 'E');
            if (exp && j + 1 < p->len && (s[j + 1] == '+' || s[j + 1] == '-'))
                j += 2;
            else if (is_word((unsigned char)d))
                j++;
            else
                break;
        }
        t->kind = T_NUM;
    } else if (c == '-' && j < p->len && s[j] == '>') {
        j++;
        t->kind = T_ARROW;
    } else if (strchr("(){}[],=:+-", c) && c != 0) {
        t->kind = T_PUNCT;
    } else if (c >= 0x20 && c < 0x7f) {
        return perr(p, i, "unexpected character '%c'", c);
    } else {
        return perr(p, i, "unexpected byte 0x%02x", c);
    }
    t->len = j - i;
    return true;
}

static bool next(Parser *p, Tok *t)
{
    if (!peek(p, t))
        return false;
    p->pos = t->off + t->len;
    return true;
}

static bool tok_is(const Tok *t, const char *s)
{
    return t->kind != T_EOF && strlen(s) == t->len && memcmp(t->s, s, t->len) == 0;
}

/* Consumes `s` if it is next; *yes tells whether it was. */
static bool accept(Parser *p, const char *s, bool *yes)
{
    Tok t;
    if (!peek(p, &t))
        return false;
    *yes = tok_is(&t, s);
    if (*yes)
        p->pos = t.off + t.len;
    return true;
}

static const char *tok_desc(const Tok *t, char *buf, size_t n)
{
    if (t->kind == T_EOF)
        return "end of input";
    snprintf(buf, n, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
    return buf;
}

static bool expect(Parser *p, const char *s)
{
    Tok t;
    if (!next(p, &t))
        return false;
    if (!tok_is(&t, s)) {
        char b[64];
        return perr(p, t.off, "expected '%s', found %s", s, tok_desc(&t, b, sizeof b));
    }
    return true;
}

/* ---- Numbers, ids, names ----------------------------------------------------- */

/* Unsigned decimal or 0x-hex; false on syntax error or overflow. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    }
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

static bool parse_number(Parser *p, uint64_t *out, const char *what)
{
    Tok t;
    if (!next(p, &t))
        return false;
    if (t.kind != T_NUM || t.s[0] == '-' || !parse_u64(t.s, t.len, out)) {
        char b[64];
        return perr(p, t.off, "expected %s, found %s", what, tok_desc(&t, b, sizeof b));
    }
    return true;
}

/* `prefix` followed by a canonical decimal number (no leading zeros). */
static bool ident_index(const Tok *t, const char *prefix, uint64_t *out)
{
    size_t pl = strlen(prefix);
    if (t->kind != T_IDENT || t->len <= pl || memcmp(t->s, prefix, pl) != 0)
        return false;
    const char *d = t->s + pl;
    size_t n = t->len - pl;
    if (n > 1 && d[0] == '0')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_digit((unsigned char)d[i]))
            return false;
    return parse_u64(d, n, out);
}

static bool check_id(Parser *p, const Tok *t, uint64_t v, const char *what)
{
    if (v > p->id_limit)
        return perr(p, t->off, "%s number %" PRIu64 " is too large for this input", what, v);
    return true;
}

static bool parse_value(Parser *p, IrValue *out)
{
    Tok t;
    uint64_t v;
    if (!next(p, &t))
        return false;
    if (!ident_index(&t, "v", &v)) {
        char b[64];
        return perr(p, t.off, "expected a value, found %s", tok_desc(&t, b, sizeof b));
    }
    if (v == 0)
        return perr(p, t.off, "v0 is not a value: ids start at 1");
    if (!check_id(p, &t, v, "value"))
        return false;
    *out = ir_value((uint32_t)v);
    return true;
}

static bool parse_block_ref(Parser *p, IrBlock *out, size_t *off)
{
    Tok t;
    uint64_t v;
    if (!next(p, &t))
        return false;
    if (off)
        *off = t.off;
    if (!ident_index(&t, "block", &v)) {
        char b[64];
        return perr(p, t.off, "expected a block, found %s", tok_desc(&t, b, sizeof b));
    }
    if (v == 0)
        return perr(p, t.off, "block0 is not a block: ids start at 1");
    if (!check_id(p, &t, v, "block"))
        return false;
    *out = ir_block((uint32_t)v);
    return true;
}

static bool parse_entity(Parser *p, IrEntityKind k, uint32_t *out)
{
    Tok t;
    uint64_t v;
    if (!next(p, &t))
        return false;
    if (!ident_index(&t, ir_entity_prefix(k), &v)) {
        char b[64];
        return perr(p, t.off, "expected %sN, found %s", ir_entity_prefix(k), tok_desc(&t, b, sizeof b));
    }
    if (!check_id(p, &t, v, ir_entity_prefix(k)))
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool type_from(const char *s, size_t n, IrType *out)
{
    static const struct { const char *name; IrType t; } types[] = {
        { "i32", IR_TYPE_I32 }, { "i64", IR_TYPE_I64 },   { "f32", IR_TYPE_F32 },
        { "f64", IR_TYPE_F64 }, { "v128", IR_TYPE_V128 }, { "iptr", IR_TYPE_IPTR },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].name) == n && memcmp(types[i].name, s, n) == 0) {
            *out = types[i].t;
            return true;
        }
    return false;
}

static bool parse_type(Parser *p, IrType *out)
{
    Tok t;
    if (!next(p, &t))
        return false;
    if (t.kind != T_IDENT || !type_from(t.s, t.len, out)) {
        char b[64];
        return perr(p, t.off, "expected a type, found %s", tok_desc(&t, b, sizeof b));
    }
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A %name; the decoded bytes go to the function's arena. */
static bool parse_name(Parser *p, char **out, size_t *out_len)
{
    Tok t;
    if (!next(p, &t))
        return false;
    if (t.kind != T_NAME) {
        char b[64];
        return perr(p, t.off, "expected a %%name, found %s", tok_desc(&t, b, sizeof b));
    }
    char *buf = arena_alloc(&p->f->arena, t.len + 1);
    size_t n = 0;
    if (t.s[1] != '"') {
        memcpy(buf, t.s + 1, t.len - 1);
        n = t.len - 1;
    } else {
        for (size_t i = 2; i + 1 < t.len; i++) {
            char c = t.s[i];
            if (c == '\\') {
                int h = i + 2 < t.len - 1 ? hexval(t.s[i + 1]) : -1;
                int l = h >= 0 ? hexval(t.s[i + 2]) : -1;
                if (l < 0)
                    return perr(p, t.off + i, "bad escape in name: expected \\hh");
                buf[n++] = (char)(h * 16 + l);
                i += 2;
            } else {
                buf[n++] = c;
            }
        }
    }
    buf[n] = 0;
    *out = buf;
    *out_len = n;
    return true;
}

/* ---- Declarations -------------------------------------------------------------- */

/* A growable list of types in the function arena (parser scratch). */
typedef struct TypeList {
    IrType *t;
    uint32_t n, cap;
} TypeList;

static bool parse_type_into(Parser *p, TypeList *l)
{
    l->t = ir_grow(&p->f->arena, l->t, &l->cap, l->n + 1, sizeof *l->t);
    return parse_type(p, &l->t[l->n++]);
}

/* (types) [-> types]; the result list ends at the first type not followed
 * by a comma. */
static bool parse_sig(Parser *p, TypeList *params, TypeList *results)
{
    bool yes;
    if (!expect(p, "(") || !accept(p, ")", &yes))
        return false;
    while (!yes) {
        if (!parse_type_into(p, params) || !accept(p, ")", &yes))
            return false;
        if (!yes && !expect(p, ","))
            return false;
    }
    Tok t;
    if (!peek(p, &t))
        return false;
    if (t.kind == T_ARROW) {
        p->pos = t.off + t.len;
        do {
            if (!parse_type_into(p, results) || !accept(p, ",", &yes))
                return false;
        } while (yes);
    }
    return true;
}

static bool parse_limits(Parser *p, uint64_t *min, uint64_t *max, bool *has_max)
{
    bool yes;
    if (!expect(p, "min") || !parse_number(p, min, "a number"))
        return false;
    if (!accept(p, "max", &yes))
        return false;
    *has_max = yes;
    if (yes && !parse_number(p, max, "a number"))
        return false;
    return true;
}

static bool parse_index_type(Parser *p, uint8_t *out)
{
    Tok t;
    IrType ty;
    if (!peek(p, &t) || !parse_type(p, &ty))
        return false;
    if (ty != IR_TYPE_I32 && ty != IR_TYPE_I64)
        return perr(p, t.off, "index type must be i32 or i64");
    *out = (uint8_t)ty;
    return true;
}

static bool parse_decl(Parser *p, const Tok *t)
{
    IrFunc *f = p->f;
    uint64_t idx;
    bool yes;
    if (ident_index(t, "sig", &idx)) {
        if (!check_id(p, t, idx, "sig"))
            return false;
        if (ir_func_sig_decl(f, (uint32_t)idx))
            return perr(p, t->off, "sig%" PRIu64 " declared twice", idx);
        TypeList ps = { 0 }, rs = { 0 };
        if (!expect(p, "=") || !parse_sig(p, &ps, &rs))
            return false;
        ir_declare_sig(f, (uint32_t)idx, ps.t, ps.n, rs.t, rs.n);
    } else if (ident_index(t, "fn", &idx)) {
        if (!check_id(p, t, idx, "fn"))
            return false;
        if (ir_func_fn_decl(f, (uint32_t)idx))
            return perr(p, t->off, "fn%" PRIu64 " declared twice", idx);
        Tok k;
        if (!expect(p, "=") || !next(p, &k))
            return false;
        IrFuncKind kind;
        if (tok_is(&k, "local"))
            kind = IR_FN_LOCAL;
        else if (tok_is(&k, "import"))
            kind = IR_FN_IMPORT;
        else if (tok_is(&k, "runtime"))
            kind = IR_FN_RUNTIME;
        else
            return perr(p, k.off, "expected local, import or runtime");
        char *name;
        size_t nlen;
        uint32_t sig;
        if (!parse_name(p, &name, &nlen) || !parse_entity(p, IR_ENT_SIG, &sig))
            return false;
        ir_declare_fn(f, (uint32_t)idx, kind, name, nlen, sig);
    } else if (ident_index(t, "mem", &idx)) {
        if (!check_id(p, t, idx, "mem"))
            return false;
        if (ir_func_mem_decl(f, (uint32_t)idx))
            return perr(p, t->off, "mem%" PRIu64 " declared twice", idx);
        IrMemoryDecl m = { .page_log2 = 16 };
        if (!expect(p, "=") || !expect(p, "memory") || !parse_index_type(p, &m.index_type) ||
            !parse_limits(p, &m.min, &m.max, &m.has_max) || !accept(p, "page_log2", &yes))
            return false;
        if (yes) {
            uint64_t v;
            Tok n;
            if (!peek(p, &n) || !parse_number(p, &v, "a number"))
                return false;
            if (v > 16)
                return perr(p, n.off, "page_log2 must be at most 16");
            m.page_log2 = (uint8_t)v;
        }
        if (!accept(p, "shared", &yes))
            return false;
        m.shared = yes;
        ir_declare_memory(f, (uint32_t)idx, &m);
    } else if (ident_index(t, "global", &idx)) {
        if (!check_id(p, t, idx, "global"))
            return false;
        if (ir_func_global_decl(f, (uint32_t)idx))
            return perr(p, t->off, "global%" PRIu64 " declared twice", idx);
        IrGlobalDecl g = { 0 };
        IrType ty;
        if (!expect(p, "=") || !expect(p, "global") || !parse_type(p, &ty) || !accept(p, "mut", &yes))
            return false;
        g.type = (uint8_t)ty;
        g.mutable_ = yes;
        if (!accept(p, "import", &yes))
            return false;
        g.imported = yes;
        ir_declare_global(f, (uint32_t)idx, &g);
    } else if (ident_index(t, "table", &idx)) {
        if (!check_id(p, t, idx, "table"))
            return false;
        if (ir_func_table_decl(f, (uint32_t)idx))
            return perr(p, t->off, "table%" PRIu64 " declared twice", idx);
        IrTableDecl tb = { 0 };
        Tok e;
        if (!expect(p, "=") || !expect(p, "table") || !next(p, &e))
            return false;
        if (tok_is(&e, "funcref"))
            tb.elem = IR_REF_FUNC;
        else if (tok_is(&e, "externref"))
            tb.elem = IR_REF_EXTERN;
        else
            return perr(p, e.off, "expected funcref or externref");
        if (!parse_index_type(p, &tb.index_type) || !parse_limits(p, &tb.min, &tb.max, &tb.has_max))
            return false;
        ir_declare_table(f, (uint32_t)idx, &tb);
    } else {
        return perr(p, t->off, "unknown declaration '%.*s'", (int)t->len, t->s);
    }
    return true;
}

/* ---- Instructions ----------------------------------------------------------------- */

/* A growable list of values in the function arena (parser scratch). */
typedef struct ValList {
    IrValue *v;
    uint32_t n, cap;
} ValList;

static void vl_push(Parser *p, ValList *l, IrValue v)
{
    l->v = ir_grow(&p->f->arena, l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = v;
}

/* v, v, ... up to (not including) a token that is not a value; when
 * `need_first` the list is non-empty. */
static bool parse_value_list(Parser *p, ValList *l, const char *close)
{
    bool yes;
    if (close) {
        if (!accept(p, close, &yes))
            return false;
        if (yes)
            return true;
    }
    for (;;) {
        IrValue v;
        if (!parse_value(p, &v))
            return false;
        vl_push(p, l, v);
        if (!accept(p, ",", &yes))
            return false;
        if (!yes)
            break;
    }
    return close ? expect(p, close) : true;
}

static bool parse_block_call(Parser *p, IrBlockCall *c)
{
    bool yes;
    if (!parse_block_ref(p, &c->block, NULL) || !accept(p, "(", &yes))
        return false;
    c->args = NULL;
    c->nargs = 0;
    if (yes) {
        ValList l = { 0 };
        if (!parse_value_list(p, &l, ")"))
            return false;
        c->args = l.v;
        c->nargs = l.n;
    }
    return true;
}

static bool parse_code(Parser *p, IrCodeKind kind, uint8_t *out)
{
    Tok t;
    if (!next(p, &t))
        return false;
    unsigned count = kind == IR_CODE_ICC   ? IR_ICC_COUNT
                     : kind == IR_CODE_FCC ? IR_FCC_COUNT
                     : kind == IR_CODE_VOP ? IR_VOP_COUNT
                                           : IR_TRAP_COUNT;
    for (unsigned c = 0; c < count; c++) {
        const char *n = kind == IR_CODE_ICC   ? ir_intcc_name((IrIntCC)c)
                        : kind == IR_CODE_FCC ? ir_floatcc_name((IrFloatCC)c)
                        : kind == IR_CODE_VOP ? ir_vecop_name((IrVecOp)c)
                                              : ir_trap_name((IrTrapCode)c);
        if (tok_is(&t, n)) {
            *out = (uint8_t)c;
            return true;
        }
    }
    char b[64];
    const char *what = kind == IR_CODE_TRAP  ? "a trap code"
                       : kind == IR_CODE_VOP ? "a vector operation"
                                             : "a condition code";
    return perr(p, t.off, "expected %s, found %s", what, tok_desc(&t, b, sizeof b));
}

/* memN[vA] or memN[vA+offset] */
static bool parse_mem_addr(Parser *p, IrInstSpec *s, IrValue *addr)
{
    bool yes;
    if (!parse_entity(p, IR_ENT_MEM, &s->ent[0]) || !expect(p, "[") || !parse_value(p, addr) ||
        !accept(p, "+", &yes))
        return false;
    if (yes && !parse_number(p, &s->imm, "an offset"))
        return false;
    return expect(p, "]");
}

static bool parse_iconst(Parser *p, IrType ty, uint64_t *out)
{
    Tok t;
    if (!next(p, &t))
        return false;
    bool neg = t.kind == T_NUM && t.s[0] == '-';
    uint64_t v;
    if (t.kind != T_NUM || !parse_u64(t.s + neg, t.len - neg, &v)) {
        char b[64];
        return perr(p, t.off, "expected an integer, found %s", tok_desc(&t, b, sizeof b));
    }
    bool is32 = ty == IR_TYPE_I32;
    uint64_t umax = is32 ? UINT32_MAX : UINT64_MAX;
    uint64_t nmax = is32 ? UINT64_C(1) << 31 : UINT64_C(1) << 63;
    if ((neg && v > nmax) || (!neg && v > umax))
        return perr(p, t.off, "integer out of range for %s", is32 ? "i32" : "i64");
    if (neg)
        v = 0 - v;
    *out = is32 ? v & UINT32_MAX : v;
    return true;
}

/* Floats are read as one word: C99 decimal or hex, inf, nan, nan:0xPAYLOAD,
 * each optionally negative. */
static bool parse_float(Parser *p, bool is64, uint64_t *out)
{
    skip_ws(p);
    size_t start = p->pos, end = start;
    while (end < p->len && !strchr(" \t\r\n,;)]}", p->src[end]))
        end++;
    size_t n = end - start;
    const char *s = p->src + start;
    if (n == 0 || n > 80)
        return perr(p, start, "expected a float");
    char w[96];
    memcpy(w, s, n);
    w[n] = 0;
    bool neg = w[0] == '-';
    const char *b = w + neg;
    uint64_t sign = neg ? (is64 ? UINT64_C(1) << 63 : UINT64_C(1) << 31) : 0;
    uint64_t expmask = is64 ? UINT64_C(0x7ff) << 52 : UINT64_C(0xff) << 23;
    uint64_t manmask = is64 ? (UINT64_C(1) << 52) - 1 : (UINT64_C(1) << 23) - 1;
    if (strcmp(b, "inf") == 0) {
        *out = sign | expmask;
    } else if (strncmp(b, "nan", 3) == 0) {
        uint64_t payload = (manmask >> 1) + 1; /* canonical quiet NaN */
        if (b[3] == ':') {
            if (strncmp(b + 4, "0x", 2) != 0 || !parse_u64(b + 4, strlen(b + 4), &payload) || payload == 0 ||
                payload > manmask)
                return perr(p, start, "bad NaN payload");
        } else if (b[3] != 0) {
            return perr(p, start, "bad float '%s'", w);
        }
        *out = sign | expmask | payload;
    } else {
        if (!(is_digit((unsigned char)b[0]) || b[0] == '.'))
            return perr(p, start, "expected a float, found '%s'", w);
        char *e;
        errno = 0;
        if (is64) {
            double d = strtod(w, &e);
            memcpy(out, &d, 8);
        } else {
            float fl = strtof(w, &e);
            uint32_t bits;
            memcpy(&bits, &fl, 4);
            *out = bits;
        }
        if (*e != 0)
            return perr(p, start, "bad float '%s'", w);
        if ((*out & expmask) == expmask)
            return perr(p, start, "float '%s' out of range", w);
    }
    p->pos = end;
    return true;
}

static bool parse_vconst(Parser *p, uint8_t *out)
{
    Tok t;
    if (!next(p, &t))
        return false;
    if (t.kind != T_NUM || t.len != 34 || t.s[0] != '0' || t.s[1] != 'x')
        return perr(p, t.off, "expected 0x and 32 hex digits");
    for (int k = 0; k < 16; k++) {
        int h = hexval(t.s[2 + 2 * k]), l = hexval(t.s[3 + 2 * k]);
        if (h < 0 || l < 0)
            return perr(p, t.off, "expected 0x and 32 hex digits");
        out[15 - k] = (uint8_t)(h * 16 + l);
    }
    return true;
}

/* Parses the operands of `op` per its format into s. */
static bool parse_operands(Parser *p, IrInstSpec *s)
{
    const IrFormatInfo *fi = ir_op_format(s->op);
    IrFormat fmt = (IrFormat)ir_op(s->op)->format;
    ValList vals = { 0 };
    IrBlockCall *dests = NULL;
    uint32_t nd = 0, capd = 0;
    bool yes;
    IrValue v;

    switch (fmt) {
    case IR_FMT_CONST: {
        IrType ty = s->type != IR_TYPE_NONE ? s->type : ir_op_implied_type(s->op);
        if (s->op == IR_OP_ICONST) {
            if (!parse_iconst(p, ty, &s->imm))
                return false;
        } else if (!parse_float(p, s->op == IR_OP_F64CONST, &s->imm)) {
            return false;
        }
        return true;
    }
    case IR_FMT_VCONST: {
        uint8_t *b = arena_alloc(&p->f->arena, 16);
        s->v128 = b;
        return parse_vconst(p, b);
    }
    case IR_FMT_ICMP:
    case IR_FMT_FCMP:
    case IR_FMT_VOP1:
    case IR_FMT_VOP2:
    case IR_FMT_VOP3:
        if (!parse_code(p, (IrCodeKind)fi->code, &s->code))
            return false;
        /* fall through */
    case IR_FMT_UNARY:
    case IR_FMT_BINARY:
    case IR_FMT_TERNARY:
        for (int k = 0; k < fi->nvals; k++) {
            if ((k && !expect(p, ",")) || !parse_value(p, &v))
                return false;
            vl_push(p, &vals, v);
        }
        break;
    case IR_FMT_MULTI: {
        Tok t;
        if (!peek(p, &t))
            return false;
        uint64_t dummy;
        if (ident_index(&t, "v", &dummy) && !parse_value_list(p, &vals, NULL))
            return false;
        break;
    }
    case IR_FMT_LOAD:
        if (!parse_code(p, IR_CODE_TRAP, &s->code) || !parse_mem_addr(p, s, &v))
            return false;
        vl_push(p, &vals, v);
        break;
    case IR_FMT_STORE: {
        IrValue val, addr;
        if (!parse_code(p, IR_CODE_TRAP, &s->code) || !parse_value(p, &val) || !expect(p, ",") ||
            !parse_mem_addr(p, s, &addr))
            return false;
        vl_push(p, &vals, addr);
        vl_push(p, &vals, val);
        break;
    }
    case IR_FMT_TRAP:
        return parse_code(p, IR_CODE_TRAP, &s->code);
    case IR_FMT_COND_TRAP:
        if (!parse_value(p, &v) || !expect(p, ",") || !parse_code(p, IR_CODE_TRAP, &s->code))
            return false;
        vl_push(p, &vals, v);
        break;
    case IR_FMT_JUMP:
    case IR_FMT_BRIF:
    case IR_FMT_BR_TABLE: {
        if (fmt != IR_FMT_JUMP) {
            if (!parse_value(p, &v) || !expect(p, ","))
                return false;
            vl_push(p, &vals, v);
        }
        dests = ir_grow(&p->f->arena, dests, &capd, 2, sizeof *dests);
        if (!parse_block_call(p, &dests[nd++]))
            return false;
        if (fmt == IR_FMT_BRIF) {
            if (!expect(p, ",") || !parse_block_call(p, &dests[nd++]))
                return false;
        } else if (fmt == IR_FMT_BR_TABLE) {
            if (!expect(p, ",") || !expect(p, "[") || !accept(p, "]", &yes))
                return false;
            while (!yes) {
                dests = ir_grow(&p->f->arena, dests, &capd, nd + 1, sizeof *dests);
                if (!parse_block_call(p, &dests[nd++]) || !accept(p, "]", &yes))
                    return false;
                if (!yes && !expect(p, ","))
                    return false;
            }
        }
        break;
    }
    case IR_FMT_CALL:
        if (!parse_entity(p, IR_ENT_FUNC, &s->ent[0]) || !expect(p, "(") || !parse_value_list(p, &vals, ")"))
            return false;
        break;
    case IR_FMT_CALL_INDIRECT:
        if (!parse_entity(p, IR_ENT_SIG, &s->ent[0]) || !expect(p, ",") ||
            !parse_entity(p, IR_ENT_TABLE, &s->ent[1]) || !expect(p, ",") || !parse_value(p, &v) ||
            !expect(p, "("))
            return false;
        vl_push(p, &vals, v);
        if (!parse_value_list(p, &vals, ")"))
            return false;
        break;
    case IR_FMT_CALL_REF:
        if (!parse_entity(p, IR_ENT_SIG, &s->ent[0]) || !expect(p, ",") || !parse_value(p, &v) || !expect(p, "("))
            return false;
        vl_push(p, &vals, v);
        if (!parse_value_list(p, &vals, ")"))
            return false;
        break;
    default: /* entity formats */
        if (!parse_entity(p, (IrEntityKind)fi->ent[0], &s->ent[0]))
            return false;
        if (fi->ent[1] != IR_ENT_NONE &&
            (!expect(p, ",") || !parse_entity(p, (IrEntityKind)fi->ent[1], &s->ent[1])))
            return false;
        for (int k = 0; k < fi->nvals; k++) {
            if (!expect(p, ",") || !parse_value(p, &v))
                return false;
            vl_push(p, &vals, v);
        }
        break;
    }
    s->args = vals.v;
    s->nargs = vals.n;
    s->dests = dests;
    s->ndests = nd;
    return true;
}

/* [v, v =] opcode[.type] operands */
static bool parse_inst(Parser *p, IrBlock b)
{
    IrFunc *f = p->f;
    Tok t;
    if (!peek(p, &t))
        return false;
    size_t start = t.off;
    ValList res = { 0 };
    uint64_t dummy;
    if (ident_index(&t, "v", &dummy)) {
        if (!parse_value_list(p, &res, NULL) || !expect(p, "="))
            return false;
        if (res.n > IR_MAX_DEFS)
            return perr(p, start, "more than %u results", IR_MAX_DEFS);
        if (!peek(p, &t))
            return false;
    }
    if (!next(p, &t))
        return false;
    if (t.kind != T_IDENT) {
        char buf[64];
        return perr(p, t.off, "expected an instruction, found %s", tok_desc(&t, buf, sizeof buf));
    }
    const char *dot = memchr(t.s, '.', t.len);
    size_t nlen = dot ? (size_t)(dot - t.s) : t.len;
    IrInstSpec s = { 0 };
    s.op = ir_op_by_name(t.s, nlen);
    if (s.op == IR_OP_INVALID)
        return perr(p, t.off, "unknown opcode '%.*s'", (int)nlen, t.s);
    if (dot && !type_from(dot + 1, t.len - nlen - 1, &s.type))
        return perr(p, t.off + nlen + 1, "unknown type '%.*s'", (int)(t.len - nlen - 1), dot + 1);
    if (!parse_operands(p, &s))
        return false;

    IrInst i = ir_inst_create(f, &s);
    f->srclocs[i.id] = (uint32_t)start;
    /* Check the result ids before defining any of them. */
    for (uint32_t k = 0; k < res.n; k++) {
        uint32_t id = res.v[k].id;
        if (ir_value_is_defined(f, res.v[k]))
            return perr(p, start, "value v%u defined twice", id);
        for (uint32_t j = 0; j < k; j++)
            if (res.v[j].id == id)
                return perr(p, start, "value v%u defined twice", id);
    }
    if (res.n) {
        uint32_t *ids = arena_array(&f->arena, res.n, sizeof *ids);
        IrType *types = arena_array(&f->arena, res.n, sizeof *types);
        for (uint32_t k = 0; k < res.n; k++) {
            ids[k] = res.v[k].id;
            /* Types come from the opcode; surplus results get none and
             * the verifier reports the count. */
            types[k] = k < ir_inst_expected_results(f, i) ? ir_inst_expected_result_type(f, i, k) : IR_TYPE_NONE;
        }
        ir_inst_set_results(f, i, ids, types, res.n);
    }
    ir_layout_append_inst(f, b, i);
    return true;
}

/* blockN[(v: type, ...)]: */
static bool parse_block_header(Parser *p, IrBlock *out)
{
    IrFunc *f = p->f;
    IrBlock b = IR_NO_BLOCK;
    size_t off;
    bool yes;
    if (!parse_block_ref(p, &b, &off))
        return false;
    if (ir_block_is_valid(f, b))
        return perr(p, off, "block%u defined twice", b.id);
    ir_block_create_at(f, b.id);
    f->block_srclocs[b.id] = (uint32_t)off;
    ir_layout_append_block(f, b);
    if (!accept(p, "(", &yes))
        return false;
    while (yes) {
        IrValue v;
        IrType ty;
        Tok t;
        if (!peek(p, &t) || !parse_value(p, &v) || !expect(p, ":") || !parse_type(p, &ty))
            return false;
        if (ir_value_is_defined(f, v))
            return perr(p, t.off, "value v%u defined twice", v.id);
        if (ir_block_num_params(f, b) >= IR_MAX_DEFS)
            return perr(p, t.off, "more than %u block parameters", IR_MAX_DEFS);
        ir_block_append_param_at(f, b, v.id, ty);
        if (!accept(p, ",", &yes))
            return false;
        if (!yes && !expect(p, ")"))
            return false;
    }
    *out = b;
    return expect(p, ":");
}

static bool parse_func(Parser *p)
{
    IrFunc *f = p->f;
    TypeList ps = { 0 }, rs = { 0 };
    if (!parse_sig(p, &ps, &rs) || !expect(p, "{"))
        return false;
    ir_func_set_sig(f, ps.t, ps.n, rs.t, rs.n);
    IrBlock cur = IR_NO_BLOCK;
    for (;;) {
        Tok t;
        uint64_t dummy;
        if (!peek(p, &t))
            return false;
        if (tok_is(&t, "}")) {
            p->pos = t.off + 1;
            return true;
        }
        if (t.kind == T_EOF)
            return perr(p, t.off, "expected '}' before end of input");
        if (ident_index(&t, "block", &dummy)) {
            if (!parse_block_header(p, &cur))
                return false;
            continue;
        }
        if (!cur.id && t.kind == T_IDENT && !ident_index(&t, "v", &dummy) &&
            ir_op_by_name(t.s, t.len) == IR_OP_INVALID) {
            p->pos = t.off + t.len;
            if (!parse_decl(p, &t))
                return false;
            continue;
        }
        if (!cur.id)
            return perr(p, t.off, "instruction outside a block");
        if (!parse_inst(p, cur))
            return false;
    }
}

bool ir_parse(const char *src, size_t len, IrFuncList *out, WasmcError *err)
{
    Parser p = { .src = src, .len = len, .err = err };
    /* An id needs at least two characters to be defined and some more to be
     * used, so anything above this bound is a typo or an attack. */
    p.id_limit = len > (UINT32_MAX - 4096) / 4 ? UINT32_MAX - 2 : (uint32_t)(4 * len + 4096);
    out->funcs = NULL;
    out->n = 0;
    uint32_t cap = 0;
    for (;;) {
        Tok t;
        if (!peek(&p, &t))
            goto fail;
        if (t.kind == T_EOF)
            return true;
        if (!tok_is(&t, "function")) {
            char b[64];
            perr(&p, t.off, "expected 'function', found %s", tok_desc(&t, b, sizeof b));
            goto fail;
        }
        p.pos = t.off + t.len;
        Tok nt;
        if (!peek(&p, &nt))
            goto fail;
        if (nt.kind != T_NAME) {
            char b[64];
            perr(&p, nt.off, "expected a %%name, found %s", tok_desc(&nt, b, sizeof b));
            goto fail;
        }
        p.f = ir_func_new("", 0);
        p.f->srcloc = (uint32_t)t.off;
        char *name;
        size_t nlen;
        if (!parse_name(&p, &name, &nlen)) {
            ir_func_free(p.f);
            goto fail;
        }
        p.f->name = name;
        p.f->name_len = (uint32_t)nlen;
        if (!parse_func(&p)) {
            ir_func_free(p.f);
            goto fail;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 4;
            out->funcs = xrealloc(out->funcs, cap * sizeof *out->funcs);
        }
        out->funcs[out->n++] = p.f;
    }
fail:
    ir_func_list_free(out);
    return false;
}

void ir_func_list_free(IrFuncList *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        ir_func_free(l->funcs[i]);
    free(l->funcs);
    l->funcs = NULL;
    l->n = 0;
}
