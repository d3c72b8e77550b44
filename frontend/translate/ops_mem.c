/* Linear memory: loads, stores, memory.size/grow and bulk memory.
 *
 * Every access carries the memory, the address (the memory's index type:
 * i64 for memory64), the static offset and the trap code heap_oob; the
 * bounds-check strategy (guard pages or explicit checks) is the lowering's
 * choice (DESIGN.md 3). Alignment hints carry no semantics here. */
#include "translate_internal.h"

static bool load(Translator *t, const WasmInstr *in, IrOpcode op, IrType ty)
{
    if (!tr_decl_mem(t, in->mem.mem_idx, in->off))
        return false;
    IrValue addr = tr_pop(t);
    tr_push(t, ir_ins_load(&t->b, op, ty, IR_TRAP_HEAP_OOB, in->mem.mem_idx, addr, in->mem.offset));
    return true;
}

static bool store(Translator *t, const WasmInstr *in, IrOpcode op)
{
    if (!tr_decl_mem(t, in->mem.mem_idx, in->off))
        return false;
    IrValue v = tr_pop(t), addr = tr_pop(t);
    ir_ins_store(&t->b, op, IR_TRAP_HEAP_OOB, in->mem.mem_idx, addr, in->mem.offset, v);
    return true;
}

bool tr_memory(Translator *t, const WasmInstr *in, bool *handled)
{
    *handled = true;
    IrBuilder *b = &t->b;
    switch (in->op) {
    case WASM_OP_I32_LOAD: return load(t, in, IR_OP_LOAD, IR_TYPE_I32);
    case WASM_OP_I64_LOAD: return load(t, in, IR_OP_LOAD, IR_TYPE_I64);
    case WASM_OP_F32_LOAD: return load(t, in, IR_OP_LOAD, IR_TYPE_F32);
    case WASM_OP_F64_LOAD: return load(t, in, IR_OP_LOAD, IR_TYPE_F64);
    case WASM_OP_I32_LOAD8_S: return load(t, in, IR_OP_SLOAD8, IR_TYPE_I32);
    case WASM_OP_I32_LOAD8_U: return load(t, in, IR_OP_ULOAD8, IR_TYPE_I32);
    case WASM_OP_I32_LOAD16_S: return load(t, in, IR_OP_SLOAD16, IR_TYPE_I32);
    case WASM_OP_I32_LOAD16_U: return load(t, in, IR_OP_ULOAD16, IR_TYPE_I32);
    case WASM_OP_I64_LOAD8_S: return load(t, in, IR_OP_SLOAD8, IR_TYPE_I64);
    case WASM_OP_I64_LOAD8_U: return load(t, in, IR_OP_ULOAD8, IR_TYPE_I64);
    case WASM_OP_I64_LOAD16_S: return load(t, in, IR_OP_SLOAD16, IR_TYPE_I64);
    case WASM_OP_I64_LOAD16_U: return load(t, in, IR_OP_ULOAD16, IR_TYPE_I64);
    case WASM_OP_I64_LOAD32_S: return load(t, in, IR_OP_SLOAD32, IR_TYPE_I64);
    case WASM_OP_I64_LOAD32_U: return load(t, in, IR_OP_ULOAD32, IR_TYPE_I64);
    case WASM_OP_I32_STORE:
    case WASM_OP_I64_STORE:
    case WASM_OP_F32_STORE:
    case WASM_OP_F64_STORE: return store(t, in, IR_OP_STORE);
    case WASM_OP_I32_STORE8:
    case WASM_OP_I64_STORE8: return store(t, in, IR_OP_ISTORE8);
    case WASM_OP_I32_STORE16:
    case WASM_OP_I64_STORE16: return store(t, in, IR_OP_ISTORE16);
    case WASM_OP_I64_STORE32: return store(t, in, IR_OP_ISTORE32);

    case WASM_OP_MEMORY_SIZE: {
        if (!tr_decl_mem(t, in->idx, in->off))
            return false;
        IrInst i = ir_ins_entity_op(b, IR_OP_MEMORY_SIZE, tr_mem_index_type(t, in->idx), in->idx, 0, NULL, 0);
        tr_push(t, ir_inst_result(t->f, i, 0));
        return true;
    }
    case WASM_OP_MEMORY_GROW: {
        if (!tr_decl_mem(t, in->idx, in->off))
            return false;
        IrValue delta = tr_pop(t);
        IrInst i = ir_ins_entity_op(b, IR_OP_MEMORY_GROW, tr_mem_index_type(t, in->idx), in->idx, 0, &delta, 1);
        tr_push(t, ir_inst_result(t->f, i, 0));
        return true;
    }
    case WASM_OP_MEMORY_FILL: {
        if (!tr_decl_mem(t, in->idx, in->off))
            return false;
        IrValue *args = tr_top(t, 3); /* dest, value, length */
        ir_ins_entity_op(b, IR_OP_MEMORY_FILL, IR_TYPE_NONE, in->idx, 0, args, 3);
        tr_popn(t, 3);
        return true;
    }
    case WASM_OP_MEMORY_COPY: {
        /* idx = destination memory, idx2 = source memory */
        if (!tr_decl_mem(t, in->idx, in->off) || !tr_decl_mem(t, in->idx2, in->off))
            return false;
        IrValue *args = tr_top(t, 3); /* dest, src, length */
        ir_ins_entity_op(b, IR_OP_MEMORY_COPY, IR_TYPE_NONE, in->idx, in->idx2, args, 3);
        tr_popn(t, 3);
        return true;
    }
    case WASM_OP_MEMORY_INIT: {
        /* idx = data segment, idx2 = memory */
        if (!tr_decl_mem(t, in->idx2, in->off))
            return false;
        IrValue *args = tr_top(t, 3); /* dest, segment offset, length */
        ir_ins_entity_op(b, IR_OP_MEMORY_INIT, IR_TYPE_NONE, in->idx2, in->idx, args, 3);
        tr_popn(t, 3);
        return true;
    }
    case WASM_OP_DATA_DROP:
        ir_ins_entity_op(b, IR_OP_DATA_DROP, IR_TYPE_NONE, in->idx, 0, NULL, 0);
        return true;
    default:
        *handled = false;
        return true;
    }
}
