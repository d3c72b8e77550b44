/* Type rules of the non-control instructions (WebAssembly 3.0, 3.4):
 * numeric and vector instructions with a fixed signature (the SIG column of
 * opcodes.def), memory, variables, parametric, tables, calls, references,
 * GC aggregates, lanes and atomics.
 *
 * Each rule pops its operands in reverse order and pushes its results
 * through the stack primitives of validate_code.c, so dead code (the
 * polymorphic stack) needs no special cases here. */
#include <string.h>

#include "validate_internal.h"

static const WasmValType T_I32 = { WT_I32, 0, 0, 0, 0 };
static const WasmValType T_I64 = { WT_I64, 0, 0, 0, 0 };

static WasmValType ref_to(bool nullable, uint32_t type_idx)
{
    return wasm_reftype(nullable, HT_NONE_IDX, type_idx);
}

static WasmValType unpacked(WasmValType t)
{
    return t.code == WT_I8 || t.code == WT_I16 ? T_I32 : t;
}

static bool is_packed(WasmValType t) { return t.code == WT_I8 || t.code == WT_I16; }

/* ---- fixed signatures ---- */

static WasmValType sig_type(char ch, WasmValType addr)
{
    switch (ch) {
    case 'i': return T_I32;
    case 'I': return T_I64;
    case 'f': return wasm_valtype(WT_F32);
    case 'F': return wasm_valtype(WT_F64);
    case 'v': return wasm_valtype(WT_V128);
    default: return addr; /* 'a' */
    }
}

static bool check_sig(CodeCtx *c, const char *sig, WasmValType addr)
{
    const char *colon = strchr(sig, ':');
    for (const char *p = colon; p-- > sig;)
        if (!fe_pop(c, sig_type(*p, addr), NULL))
            return false;
    for (const char *p = colon + 1; *p; p++)
        if (!fe_push(c, sig_type(*p, addr)))
            return false;
    return true;
}

/* ---- index spaces ---- */

bool fe_mem_addr(CodeCtx *c, uint32_t idx, WasmValType *at)
{
    if (idx >= c->m->nmemories)
        return FE_FAIL(c, "unknown memory %u", idx);
    if (idx > 0)
        c->v->features |= WASM_FEAT_MULTI_MEMORY;
    *at = c->m->memories[idx].limits.is64 ? T_I64 : T_I32;
    return true;
}

bool fe_table_addr(CodeCtx *c, uint32_t idx, WasmValType *at)
{
    if (idx >= c->m->ntables)
        return FE_FAIL(c, "unknown table %u", idx);
    *at = c->m->tables[idx].limits.is64 ? T_I64 : T_I32;
    return true;
}

static bool check_data_idx(CodeCtx *c, uint32_t idx)
{
    /* Data indices in code need the data count section (binary format 5.5.16). */
    if (!c->m->has_data_count)
        return FE_FAIL(c, "data count section required");
    if (idx >= c->m->ndatas)
        return FE_FAIL(c, "unknown data segment %u", idx);
    c->v->features |= WASM_FEAT_BULK_MEMORY;
    return true;
}

static bool check_elem_idx(CodeCtx *c, uint32_t idx)
{
    if (idx >= c->m->nelems)
        return FE_FAIL(c, "unknown elem segment %u", idx);
    return true;
}

/* The composite type `idx`, which must be of kind k. */
static const WasmSubType *comp_type(CodeCtx *c, uint32_t idx, WasmCompKind k)
{
    static const char *const kinds[] = { "function", "struct", "array" };
    if (idx >= c->m->ntypes) {
        FE_FAIL(c, "unknown type %u", idx);
        return NULL;
    }
    if (c->m->types[idx].kind != k) {
        FE_FAIL(c, "type mismatch: type %u is not a %s type", idx, kinds[k]);
        return NULL;
    }
    return &c->m->types[idx];
}

/* ---- memory ---- */

static bool check_memarg(CodeCtx *c, const WasmInstr *in, const WasmOpInfo *info, WasmValType *at)
{
    if (!fe_mem_addr(c, in->mem.mem_idx, at))
        return false;
    if (info->prefix == 0xFE) {
        /* Atomic accesses must be naturally aligned, exactly. */
        if (in->mem.align_log2 != info->arg)
            return FE_FAIL(c, "unaligned atomic: alignment must be equal to natural");
    } else if (in->mem.align_log2 > info->arg) {
        return FE_FAIL(c, "alignment must not be larger than natural");
    }
    if (!c->m->memories[in->mem.mem_idx].limits.is64 && in->mem.offset > UINT32_MAX)
        return FE_FAIL(c, "offset out of range");
    if (info->imm == IMM_MEMARG_LANE && in->lane >= (16u >> info->arg))
        return FE_FAIL(c, "invalid lane index");
    return true;
}

static bool check_memory_op(CodeCtx *c, const WasmInstr *in)
{
    WasmValType a, b;
    switch (in->op) {
    case WASM_OP_MEMORY_FILL:
        return fe_mem_addr(c, in->idx, &a) && fe_pop(c, a, NULL) && fe_pop(c, T_I32, NULL) &&
               fe_pop(c, a, NULL);
    case WASM_OP_MEMORY_COPY: {
        if (!fe_mem_addr(c, in->idx, &a) || !fe_mem_addr(c, in->idx2, &b))
            return false;
        WasmValType n = a.code == WT_I64 && b.code == WT_I64 ? T_I64 : T_I32;
        return fe_pop(c, n, NULL) && fe_pop(c, b, NULL) && fe_pop(c, a, NULL);
    }
    case WASM_OP_MEMORY_INIT:
        return check_data_idx(c, in->idx) && fe_mem_addr(c, in->idx2, &a) &&
               fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) && fe_pop(c, a, NULL);
    case WASM_OP_DATA_DROP: return check_data_idx(c, in->idx);
    default: return FE_FAIL(c, "illegal opcode");
    }
}

/* ---- variables ---- */

static bool check_local(CodeCtx *c, const WasmInstr *in)
{
    uint32_t x = in->idx;
    if (x >= c->nlocals)
        return FE_FAIL(c, "unknown local %u", x);
    WasmValType t = c->locals[x];
    if (in->op == WASM_OP_LOCAL_GET) {
        if (!c->inited[x])
            return FE_FAIL(c, "uninitialized local %u", x);
        return fe_push(c, t);
    }
    if (!fe_pop(c, t, NULL))
        return false;
    if (!c->inited[x]) {
        c->init_log = fe_grow(c->init_log, &c->cap_init, c->ninit + 1, sizeof *c->init_log);
        c->init_log[c->ninit++] = x;
        c->inited[x] = 1;
    }
    return in->op == WASM_OP_LOCAL_TEE ? fe_push(c, t) : true;
}

static bool check_global(CodeCtx *c, const WasmInstr *in)
{
    uint32_t x = in->idx;
    uint32_t limit = c->is_const ? c->nglobals : c->m->nglobals;
    if (x >= limit)
        return FE_FAIL(c, "unknown global %u", x);
    const WasmGlobal *g = &c->m->globals[x];
    if (in->op == WASM_OP_GLOBAL_GET) {
        if (c->is_const && g->mut)
            return FE_FAIL(c, "constant expression required");
        return fe_push(c, g->type);
    }
    if (!g->mut)
        return FE_FAIL(c, "global is immutable (immutable global %u)", x);
    return fe_pop(c, g->type, NULL);
}

/* ---- parametric ---- */

static bool is_numvec(WasmValType t) { return t.code != WT_REF; }

static bool check_select(CodeCtx *c, const WasmInstr *in)
{
    WasmValType t1, t2;
    if (in->op == WASM_OP_SELECT_T) {
        c->v->features |= WASM_FEAT_REF_TYPES;
        if (in->u.select.count != 1)
            return FE_FAIL(c, "invalid result arity");
        WasmValType t = in->u.select.type;
        return fe_check_valtype(c->v, t, c->m->ntypes, c->off) && fe_pop(c, T_I32, NULL) &&
               fe_pop(c, t, NULL) && fe_pop(c, t, NULL) && fe_push(c, t);
    }
    if (!fe_pop(c, T_I32, NULL) || !fe_pop_any(c, &t1) || !fe_pop_any(c, &t2))
        return false;
    /* Untyped select only takes numeric or vector operands. */
    if (!is_numvec(t1) || !is_numvec(t2))
        return FE_FAIL(c, "type mismatch: select without type needs numeric or vector operands");
    if (t1.code != t2.code && t1.code != WT_BOT && t2.code != WT_BOT)
        return FE_FAIL(c, "type mismatch: select operands differ");
    return fe_push(c, t1.code == WT_BOT ? t2 : t1);
}

/* ---- tables ---- */

static bool check_table_op(CodeCtx *c, const WasmInstr *in)
{
    WasmValType at, at2;
    c->v->features |= WASM_FEAT_REF_TYPES;
    if (in->op == WASM_OP_ELEM_DROP)
        return check_elem_idx(c, in->idx);
    if (!fe_table_addr(c, in->idx, &at))
        return false;
    WasmValType et = c->m->tables[in->idx].elem;
    switch (in->op) {
    case WASM_OP_TABLE_GET: return fe_pop(c, at, NULL) && fe_push(c, et);
    case WASM_OP_TABLE_SET: return fe_pop(c, et, NULL) && fe_pop(c, at, NULL);
    case WASM_OP_TABLE_SIZE: return fe_push(c, at);
    case WASM_OP_TABLE_GROW: return fe_pop(c, at, NULL) && fe_pop(c, et, NULL) && fe_push(c, at);
    case WASM_OP_TABLE_FILL:
        return fe_pop(c, at, NULL) && fe_pop(c, et, NULL) && fe_pop(c, at, NULL);
    case WASM_OP_TABLE_COPY: {
        if (!fe_table_addr(c, in->idx2, &at2))
            return false;
        if (!fe_valtype_sub(c->v, c->m->tables[in->idx2].elem, et))
            return FE_FAIL(c, "type mismatch: table.copy element types");
        WasmValType n = at.code == WT_I64 && at2.code == WT_I64 ? T_I64 : T_I32;
        return fe_pop(c, n, NULL) && fe_pop(c, at2, NULL) && fe_pop(c, at, NULL);
    }
    default: return FE_FAIL(c, "illegal opcode"); /* not reached: dispatch by IMM kind */
    }
}

static bool check_table_init(CodeCtx *c, const WasmInstr *in)
{
    WasmValType at;
    if (!check_elem_idx(c, in->idx) || !fe_table_addr(c, in->idx2, &at))
        return false;
    if (!fe_valtype_sub(c->v, c->m->elems[in->idx].type, c->m->tables[in->idx2].elem))
        return FE_FAIL(c, "type mismatch: table.init element type");
    return fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) && fe_pop(c, at, NULL);
}

/* ---- calls ---- */

bool fe_check_call_type(CodeCtx *c, uint32_t type_idx, bool tail)
{
    const WasmSubType *t = &c->m->types[type_idx];
    if (tail) {
        const WasmValType *rs;
        uint32_t n;
        c->v->features |= WASM_FEAT_TAIL_CALL;
        if (!fe_func_results(c, &rs, &n))
            return false;
        if (n != t->nresults)
            return FE_FAIL(c, "type mismatch: tail call results differ from the caller's");
        for (uint32_t i = 0; i < n; i++)
            if (!fe_valtype_sub(c->v, t->results[i], rs[i]))
                return FE_FAIL(c, "type mismatch: tail call results differ from the caller's");
    }
    if (!fe_pop_vals(c, t->params, t->nparams))
        return false;
    if (tail) {
        fe_set_unreachable(c);
        return true;
    }
    return fe_push_vals(c, t->results, t->nresults);
}

static bool check_call(CodeCtx *c, const WasmInstr *in)
{
    bool tail = in->op == WASM_OP_RETURN_CALL || in->op == WASM_OP_RETURN_CALL_INDIRECT ||
                in->op == WASM_OP_RETURN_CALL_REF;
    switch (in->op) {
    case WASM_OP_CALL:
    case WASM_OP_RETURN_CALL:
        if (in->idx >= c->m->nfuncs)
            return FE_FAIL(c, "unknown function %u", in->idx);
        return fe_check_call_type(c, c->m->funcs[in->idx].type_idx, tail);
    case WASM_OP_CALL_INDIRECT:
    case WASM_OP_RETURN_CALL_INDIRECT: {
        WasmValType at;
        if (!fe_table_addr(c, in->idx2, &at))
            return false;
        if (in->idx >= c->m->ntypes)
            return FE_FAIL(c, "unknown type %u", in->idx);
        if (!comp_type(c, in->idx, COMP_FUNC))
            return false;
        if (!fe_valtype_sub(c->v, c->m->tables[in->idx2].elem, wasm_reftype(true, HT_FUNC, 0)))
            return FE_FAIL(c, "type mismatch: call_indirect on a table of non-function references");
        return fe_pop(c, at, NULL) && fe_check_call_type(c, in->idx, tail);
    }
    default: /* call_ref, return_call_ref */
        c->v->features |= WASM_FEAT_FUNC_REFS;
        if (!comp_type(c, in->idx, COMP_FUNC))
            return false;
        return fe_pop(c, ref_to(true, in->idx), NULL) && fe_check_call_type(c, in->idx, tail);
    }
}

/* ---- references ---- */

static bool check_ref_func(CodeCtx *c, uint32_t x)
{
    if (x >= c->m->nfuncs)
        return FE_FAIL(c, "unknown function %u", x);
    if (c->is_const)
        c->v->func_refs[x] = 1; /* constant expressions outside code declare C.refs */
    else if (!c->v->func_refs[x])
        return FE_FAIL(c, "undeclared function reference %u", x);
    return fe_push(c, ref_to(false, c->m->funcs[x].type_idx));
}

/* The nullable top type of a reference type's hierarchy. */
static WasmValType top_of(CodeCtx *c, WasmValType t)
{
    return wasm_reftype(true, fe_heap_top(c->m, t), 0);
}

static bool check_ref_op(CodeCtx *c, const WasmInstr *in)
{
    WasmValType r, t = in->u.ref;
    switch (in->op) {
    case WASM_OP_REF_NULL:
        return fe_check_valtype(c->v, t, c->m->ntypes, c->off) && fe_push(c, t);
    case WASM_OP_REF_IS_NULL: return fe_pop_ref(c, &r) && fe_push(c, T_I32);
    case WASM_OP_REF_AS_NON_NULL:
        c->v->features |= WASM_FEAT_FUNC_REFS;
        if (!fe_pop_ref(c, &r))
            return false;
        r.nullable = false;
        return fe_push(c, r);
    case WASM_OP_REF_FUNC: return check_ref_func(c, in->idx);
    case WASM_OP_REF_EQ: {
        WasmValType eq = wasm_reftype(true, HT_EQ, 0);
        return fe_pop(c, eq, NULL) && fe_pop(c, eq, NULL) && fe_push(c, T_I32);
    }
    case WASM_OP_REF_TEST:
    case WASM_OP_REF_TEST_NULL:
    case WASM_OP_REF_CAST:
    case WASM_OP_REF_CAST_NULL: {
        if (!fe_check_valtype(c->v, t, c->m->ntypes, c->off) || !fe_pop(c, top_of(c, t), NULL))
            return false;
        bool test = in->op == WASM_OP_REF_TEST || in->op == WASM_OP_REF_TEST_NULL;
        return fe_push(c, test ? T_I32 : t);
    }
    case WASM_OP_ANY_CONVERT_EXTERN:
    case WASM_OP_EXTERN_CONVERT_ANY: {
        bool to_any = in->op == WASM_OP_ANY_CONVERT_EXTERN;
        if (!fe_pop(c, wasm_reftype(true, to_any ? HT_EXTERN : HT_ANY, 0), &r))
            return false;
        /* Nullability carries over; dead code picks the non-null (smaller) type. */
        bool nullable = r.code == WT_REF && r.nullable;
        return fe_push(c, wasm_reftype(nullable, to_any ? HT_ANY : HT_EXTERN, 0));
    }
    case WASM_OP_REF_I31:
        return fe_pop(c, T_I32, NULL) && fe_push(c, wasm_reftype(false, HT_I31, 0));
    case WASM_OP_I31_GET_S:
    case WASM_OP_I31_GET_U:
        return fe_pop(c, wasm_reftype(true, HT_I31, 0), NULL) && fe_push(c, T_I32);
    default: return FE_FAIL(c, "illegal opcode");
    }
}

/* ---- GC aggregates ---- */

static bool check_field_access(CodeCtx *c, WasmValType st, bool want_packed)
{
    if (is_packed(st) != want_packed)
        return FE_FAIL(c, want_packed ? "type mismatch: field is not packed"
                                      : "type mismatch: packed field needs a signed or unsigned get");
    return true;
}

static bool check_struct_op(CodeCtx *c, const WasmInstr *in)
{
    const WasmSubType *t = comp_type(c, in->idx, COMP_STRUCT);
    if (!t)
        return false;
    if (in->op == WASM_OP_STRUCT_NEW) {
        for (uint32_t i = t->nfields; i-- > 0;)
            if (!fe_pop(c, unpacked(t->fields[i].type), NULL))
                return false;
        return fe_push(c, ref_to(false, in->idx));
    }
    if (in->op == WASM_OP_STRUCT_NEW_DEFAULT) {
        for (uint32_t i = 0; i < t->nfields; i++)
            if (!fe_is_defaultable(t->fields[i].type))
                return FE_FAIL(c, "type mismatch: field %u has no default value", i);
        return fe_push(c, ref_to(false, in->idx));
    }
    if (in->idx2 >= t->nfields)
        return FE_FAIL(c, "unknown field %u", in->idx2);
    WasmFieldType f = t->fields[in->idx2];
    if (in->op == WASM_OP_STRUCT_SET) {
        if (!f.mut)
            return FE_FAIL(c, "field is immutable");
        return fe_pop(c, unpacked(f.type), NULL) && fe_pop(c, ref_to(true, in->idx), NULL);
    }
    return check_field_access(c, f.type, in->op != WASM_OP_STRUCT_GET) &&
           fe_pop(c, ref_to(true, in->idx), NULL) && fe_push(c, unpacked(f.type));
}

/* Pops n operands of type t without looping more than the stack holds:
 * beyond the polymorphic base every pop would yield WT_BOT anyway. */
static bool pop_n(CodeCtx *c, WasmValType t, uint32_t n)
{
    const Ctrl *f = &c->ctrls[c->nctrls - 1];
    uint32_t avail = c->nvals - f->height;
    if (n > avail && !f->unreachable)
        return FE_FAIL(c, "type mismatch: instruction requires more operands than the stack has");
    for (uint32_t i = 0; i < n && i < avail; i++)
        if (!fe_pop(c, t, NULL))
            return false;
    return true;
}

static bool check_array_new(CodeCtx *c, const WasmInstr *in, const WasmSubType *t)
{
    WasmValType et = t->fields[0].type, ut = unpacked(et);
    WasmValType res = ref_to(false, in->idx);
    switch (in->op) {
    case WASM_OP_ARRAY_NEW: return fe_pop(c, T_I32, NULL) && fe_pop(c, ut, NULL) && fe_push(c, res);
    case WASM_OP_ARRAY_NEW_DEFAULT:
        if (!fe_is_defaultable(et))
            return FE_FAIL(c, "type mismatch: array element has no default value");
        return fe_pop(c, T_I32, NULL) && fe_push(c, res);
    case WASM_OP_ARRAY_NEW_FIXED: return pop_n(c, ut, in->idx2) && fe_push(c, res);
    case WASM_OP_ARRAY_NEW_DATA:
        if (fe_is_ref(et))
            return FE_FAIL(c, "type mismatch: array type is not numeric or vector");
        return check_data_idx(c, in->idx2) && fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) &&
               fe_push(c, res);
    default: /* array.new_elem */
        if (!check_elem_idx(c, in->idx2))
            return false;
        if (!fe_valtype_sub(c->v, c->m->elems[in->idx2].type, et))
            return FE_FAIL(c, "type mismatch: element segment type");
        return fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) && fe_push(c, res);
    }
}

static bool check_array_op(CodeCtx *c, const WasmInstr *in)
{
    if (in->op == WASM_OP_ARRAY_LEN)
        return fe_pop(c, wasm_reftype(true, HT_ARRAY, 0), NULL) && fe_push(c, T_I32);
    const WasmSubType *t = comp_type(c, in->idx, COMP_ARRAY);
    if (!t)
        return false;
    WasmFieldType f = t->fields[0];
    WasmValType ut = unpacked(f.type), ref = ref_to(true, in->idx);
    switch (in->op) {
    case WASM_OP_ARRAY_NEW:
    case WASM_OP_ARRAY_NEW_DEFAULT:
    case WASM_OP_ARRAY_NEW_FIXED:
    case WASM_OP_ARRAY_NEW_DATA:
    case WASM_OP_ARRAY_NEW_ELEM: return check_array_new(c, in, t);
    case WASM_OP_ARRAY_GET:
    case WASM_OP_ARRAY_GET_S:
    case WASM_OP_ARRAY_GET_U:
        return check_field_access(c, f.type, in->op != WASM_OP_ARRAY_GET) &&
               fe_pop(c, T_I32, NULL) && fe_pop(c, ref, NULL) && fe_push(c, ut);
    default: break;
    }
    /* The rest write to the array. */
    if (!f.mut)
        return FE_FAIL(c, "array is immutable");
    switch (in->op) {
    case WASM_OP_ARRAY_SET:
        return fe_pop(c, ut, NULL) && fe_pop(c, T_I32, NULL) && fe_pop(c, ref, NULL);
    case WASM_OP_ARRAY_FILL:
        return fe_pop(c, T_I32, NULL) && fe_pop(c, ut, NULL) && fe_pop(c, T_I32, NULL) &&
               fe_pop(c, ref, NULL);
    case WASM_OP_ARRAY_COPY: {
        const WasmSubType *src = comp_type(c, in->idx2, COMP_ARRAY);
        if (!src)
            return false;
        WasmValType st = src->fields[0].type;
        bool ok = is_packed(f.type) || is_packed(st) ? st.code == f.type.code
                                                     : fe_valtype_sub(c->v, st, f.type);
        if (!ok)
            return FE_FAIL(c, "type mismatch: array.copy element types");
        return fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) &&
               fe_pop(c, ref_to(true, in->idx2), NULL) && fe_pop(c, T_I32, NULL) &&
               fe_pop(c, ref, NULL);
    }
    case WASM_OP_ARRAY_INIT_DATA:
        if (fe_is_ref(f.type))
            return FE_FAIL(c, "type mismatch: array type is not numeric or vector");
        if (!check_data_idx(c, in->idx2))
            return false;
        break;
    default: /* array.init_elem */
        if (!check_elem_idx(c, in->idx2))
            return false;
        if (!fe_valtype_sub(c->v, c->m->elems[in->idx2].type, f.type))
            return FE_FAIL(c, "type mismatch: element segment type");
        break;
    }
    return fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) && fe_pop(c, T_I32, NULL) &&
           fe_pop(c, ref, NULL);
}

/* ---- dispatch ---- */

static void note_features(CodeCtx *c, const WasmOpInfo *info)
{
    uint32_t *f = &c->v->features;
    switch (info->prefix) {
    case 0xFD: *f |= WASM_FEAT_SIMD | (info->code >= 256 ? WASM_FEAT_RELAXED_SIMD : 0); break;
    case 0xFE: *f |= WASM_FEAT_THREADS; break;
    case 0xFB: *f |= WASM_FEAT_GC; break;
    case 0xFC:
        if (info->code >= 8 && info->code <= 17)
            *f |= WASM_FEAT_BULK_MEMORY;
        else if (info->code >= 19)
            *f |= WASM_FEAT_WIDE_ARITH;
        break;
    default: break;
    }
}

bool fe_check_op(CodeCtx *c, const WasmInstr *in)
{
    const WasmOpInfo *info = wasm_op_info(in->op);
    WasmValType at = T_I32;
    note_features(c, info);
    if (info->sig[0]) {
        if (info->imm == IMM_MEMARG || info->imm == IMM_MEMARG_LANE) {
            if (!check_memarg(c, in, info, &at))
                return false;
        } else if (info->imm == IMM_MEMORY) {
            if (!fe_mem_addr(c, in->idx, &at))
                return false;
        } else if (info->imm == IMM_LANE && in->lane >= info->arg) {
            return FE_FAIL(c, "invalid lane index");
        } else if (info->imm == IMM_SHUFFLE) {
            for (int i = 0; i < 16; i++)
                if (in->u.v128[i] >= 32)
                    return FE_FAIL(c, "invalid lane index");
        }
        return check_sig(c, info->sig, at);
    }
    switch (info->imm) {
    case IMM_LOCAL: return check_local(c, in);
    case IMM_GLOBAL: return check_global(c, in);
    case IMM_TABLE:
    case IMM_TABLE_COPY:
    case IMM_ELEM: return check_table_op(c, in);
    case IMM_TABLE_INIT: return check_table_init(c, in);
    case IMM_MEMORY:
    case IMM_MEMORY_COPY:
    case IMM_MEMORY_INIT:
    case IMM_DATA: return check_memory_op(c, in);
    case IMM_CALL_INDIRECT: return check_call(c, in);
    case IMM_SELECT_T: return check_select(c, in);
    case IMM_ZERO_BYTE: return true; /* atomic.fence */
    case IMM_STRUCT_FIELD: return check_struct_op(c, in);
    case IMM_TYPE_COUNT:
    case IMM_TYPE_DATA:
    case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE: return check_array_op(c, in);
    case IMM_HEAPTYPE: return check_ref_op(c, in);
    default: break;
    }
    switch (in->op) {
    case WASM_OP_DROP: {
        WasmValType t;
        return fe_pop_any(c, &t);
    }
    case WASM_OP_SELECT: return check_select(c, in);
    case WASM_OP_CALL:
    case WASM_OP_RETURN_CALL:
    case WASM_OP_CALL_REF:
    case WASM_OP_RETURN_CALL_REF: return check_call(c, in);
    case WASM_OP_STRUCT_NEW:
    case WASM_OP_STRUCT_NEW_DEFAULT: return check_struct_op(c, in);
    case WASM_OP_ARRAY_NEW:
    case WASM_OP_ARRAY_NEW_DEFAULT:
    case WASM_OP_ARRAY_GET:
    case WASM_OP_ARRAY_GET_S:
    case WASM_OP_ARRAY_GET_U:
    case WASM_OP_ARRAY_SET:
    case WASM_OP_ARRAY_LEN:
    case WASM_OP_ARRAY_FILL: return check_array_op(c, in);
    default: return check_ref_op(c, in);
    }
}
