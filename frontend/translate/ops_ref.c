/* Globals, tables and references. References (funcref, externref and
 * typed function references) are iptr values with null = 0 (ir.h). */
#include "translate_internal.h"

static IrValue entity_result(Translator *t, IrOpcode op, IrType ty, uint32_t e0, uint32_t e1, uint32_t nargs)
{
    IrInst i = ir_ins_entity_op(&t->b, op, ty, e0, e1, tr_top(t, nargs), nargs);
    tr_popn(t, nargs);
    return ir_inst_result(t->f, i, 0);
}

static void entity_void(Translator *t, IrOpcode op, uint32_t e0, uint32_t e1, uint32_t nargs)
{
    ir_ins_entity_op(&t->b, op, IR_TYPE_NONE, e0, e1, tr_top(t, nargs), nargs);
    tr_popn(t, nargs);
}

bool tr_ref(Translator *t, const WasmInstr *in, bool *handled)
{
    *handled = true;
    IrBuilder *b = &t->b;
    switch (in->op) {
    case WASM_OP_GLOBAL_GET: {
        if (!tr_decl_global(t, in->idx, in->off))
            return false;
        IrType ty = (IrType)ir_func_global_decl(t->f, in->idx)->type;
        tr_push(t, entity_result(t, IR_OP_GLOBAL_GET, ty, in->idx, 0, 0));
        return true;
    }
    case WASM_OP_GLOBAL_SET: {
        if (!tr_decl_global(t, in->idx, in->off))
            return false;
        IrType ty = (IrType)ir_func_global_decl(t->f, in->idx)->type;
        ir_ins_entity_op(b, IR_OP_GLOBAL_SET, ty, in->idx, 0, tr_top(t, 1), 1);
        tr_popn(t, 1);
        return true;
    }
    case WASM_OP_REF_NULL: {
        IrType ty;
        if (!tr_valtype(t, in->u.ref, in->off, &ty))
            return false;
        tr_push(t, ir_ins_iconst(b, IR_TYPE_IPTR, 0));
        return true;
    }
    case WASM_OP_REF_IS_NULL: {
        IrValue r = tr_pop(t);
        tr_push(t, ir_ins_icmp(b, IR_ICC_EQ, r, ir_ins_iconst(b, IR_TYPE_IPTR, 0)));
        return true;
    }
    case WASM_OP_REF_AS_NON_NULL:
        ir_ins_cond_trap(b, IR_OP_TRAPZ, *tr_top(t, 1), IR_TRAP_NULL_REF);
        return true;
    case WASM_OP_REF_FUNC:
        if (!tr_decl_fn(t, in->idx, in->off))
            return false;
        tr_push(t, entity_result(t, IR_OP_REF_FUNC, IR_TYPE_IPTR, in->idx, 0, 0));
        return true;
    default:
        break;
    }

    /* Tables: every operand order below is wasm's. */
    uint32_t tbl = in->op == WASM_OP_TABLE_INIT ? in->idx2 : in->idx;
    switch (in->op) {
    case WASM_OP_TABLE_GET:
    case WASM_OP_TABLE_SET:
    case WASM_OP_TABLE_SIZE:
    case WASM_OP_TABLE_GROW:
    case WASM_OP_TABLE_FILL:
    case WASM_OP_TABLE_INIT:
        if (!tr_decl_table(t, tbl, in->off))
            return false;
        break;
    case WASM_OP_TABLE_COPY:
        if (!tr_decl_table(t, in->idx, in->off) || !tr_decl_table(t, in->idx2, in->off))
            return false;
        break;
    default:
        break;
    }
    switch (in->op) {
    case WASM_OP_TABLE_GET: /* index -> ref */
        tr_push(t, entity_result(t, IR_OP_TABLE_GET, IR_TYPE_IPTR, tbl, 0, 1));
        return true;
    case WASM_OP_TABLE_SET: /* index, ref */
        entity_void(t, IR_OP_TABLE_SET, tbl, 0, 2);
        return true;
    case WASM_OP_TABLE_SIZE:
        tr_push(t, entity_result(t, IR_OP_TABLE_SIZE, tr_table_index_type(t, tbl), tbl, 0, 0));
        return true;
    case WASM_OP_TABLE_GROW: /* init ref, delta -> old size or -1 */
        tr_push(t, entity_result(t, IR_OP_TABLE_GROW, tr_table_index_type(t, tbl), tbl, 0, 2));
        return true;
    case WASM_OP_TABLE_FILL: /* index, ref, length */
        entity_void(t, IR_OP_TABLE_FILL, tbl, 0, 3);
        return true;
    case WASM_OP_TABLE_COPY: /* idx = destination, idx2 = source; dest, src, length */
        entity_void(t, IR_OP_TABLE_COPY, in->idx, in->idx2, 3);
        return true;
    case WASM_OP_TABLE_INIT: /* idx = elem segment, idx2 = table; dest, offset, length */
        entity_void(t, IR_OP_TABLE_INIT, tbl, in->idx, 3);
        return true;
    case WASM_OP_ELEM_DROP:
        entity_void(t, IR_OP_ELEM_DROP, in->idx, 0, 0);
        return true;
    default:
        *handled = false;
        return true;
    }
}
