/* Calls: call, call_indirect, call_ref and the tail calls return_call,
 * return_call_indirect and return_call_ref. Multi-value results are pushed
 * in order. call_indirect's table bounds check (table_oob), null check
 * (null_ref) and signature check (bad_sig), and call_ref's null check
 * (null_ref), are part of the IR opcodes (ops.def); the vmctx is implicit
 * (ir.h). */
#include "translate_internal.h"

static void push_results(Translator *t, IrInst call)
{
    uint32_t n = ir_inst_num_results(t->f, call);
    for (uint32_t i = 0; i < n; i++)
        tr_push(t, ir_inst_result(t->f, call, i));
}

static bool direct(Translator *t, const WasmInstr *in, bool tail)
{
    uint32_t fidx = in->idx;
    if (!tr_decl_fn(t, fidx, in->off))
        return false;
    uint32_t np = wasm_func_type(t->m, fidx)->nparams;
    IrInst call = ir_ins_call(&t->b, tail ? IR_OP_RETURN_CALL : IR_OP_CALL, fidx, tr_top(t, np), np);
    tr_popn(t, np);
    if (tail)
        tr_set_unreachable(t);
    else
        push_results(t, call);
    return true;
}

static bool indirect(Translator *t, const WasmInstr *in, bool tail)
{
    uint32_t type_idx = in->idx, table = in->idx2;
    if (!tr_decl_sig(t, type_idx, in->off) || !tr_decl_table(t, table, in->off))
        return false;
    IrValue callee = tr_pop(t); /* element index, the table's index type */
    uint32_t np = t->m->types[type_idx].nparams;
    IrInst call = ir_ins_call_indirect(&t->b, tail ? IR_OP_RETURN_CALL_INDIRECT : IR_OP_CALL_INDIRECT, type_idx,
                                       table, callee, tr_top(t, np), np);
    tr_popn(t, np);
    if (tail)
        tr_set_unreachable(t);
    else
        push_results(t, call);
    return true;
}

/* call_ref $t: the operands are t's parameters, then the funcref on top.
 * Validation guarantees the reference has type (ref null $t), so no
 * signature check is needed. */
static bool by_ref(Translator *t, const WasmInstr *in, bool tail)
{
    uint32_t type_idx = in->idx;
    if (!tr_decl_sig(t, type_idx, in->off))
        return false;
    IrValue callee = tr_pop(t); /* iptr funcref, null = 0 */
    uint32_t np = t->m->types[type_idx].nparams;
    IrInst call = ir_ins_call_ref(&t->b, tail ? IR_OP_RETURN_CALL_REF : IR_OP_CALL_REF, type_idx, callee,
                                  tr_top(t, np), np);
    tr_popn(t, np);
    if (tail)
        tr_set_unreachable(t);
    else
        push_results(t, call);
    return true;
}

bool tr_call(Translator *t, const WasmInstr *in, bool *handled)
{
    *handled = true;
    switch (in->op) {
    case WASM_OP_CALL: return direct(t, in, false);
    case WASM_OP_RETURN_CALL: return direct(t, in, true);
    case WASM_OP_CALL_INDIRECT: return indirect(t, in, false);
    case WASM_OP_RETURN_CALL_INDIRECT: return indirect(t, in, true);
    case WASM_OP_CALL_REF: return by_ref(t, in, false);
    case WASM_OP_RETURN_CALL_REF: return by_ref(t, in, true);
    default:
        *handled = false;
        return true;
    }
}
