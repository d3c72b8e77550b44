/* Helpers shared by the files of ir/ and by nobody else. */
#ifndef WASMC_IR_INTERNAL_H
#define WASMC_IR_INTERNAL_H

#include "ir.h"

/* Returns an arena array with room for at least `need` elements, copying the
 * old contents. Growth doubles, so the space abandoned in the arena is at
 * most the final size. */
void *ir_grow(Arena *a, void *p, uint32_t *cap, uint32_t need, size_t elem);

/* Appends n words to the pool and returns the offset of the first. */
uint32_t ir_pool_alloc(IrFunc *f, uint32_t n);

/* Makes value/block slots up to id exist (the parser keeps the text's ids,
 * which may have gaps). */
void ir_reserve_values(IrFunc *f, uint32_t id);
void ir_reserve_blocks(IrFunc *f, uint32_t id);
/* Creates block `id` (which must not exist yet). */
void ir_block_create_at(IrFunc *f, uint32_t id);
/* Defines value `id` (currently undefined) as the next parameter of b. */
void ir_block_append_param_at(IrFunc *f, IrBlock b, uint32_t id, IrType t);
/* Defines the results of i with the given (undefined) value ids and types. */
void ir_inst_set_results(IrFunc *f, IrInst i, const uint32_t *ids, const IrType *types, uint32_t n);
/* What an instruction's opcode says its results are: how many, and the
 * type of result k. For calls, the signature's results (none when the
 * callee or signature is undeclared: the verifier reports that). */
uint32_t ir_inst_expected_results(const IrFunc *f, IrInst i);
IrType ir_inst_expected_result_type(const IrFunc *f, IrInst i, uint32_t k);
/* The signature a call instruction uses, or NULL when undeclared. */
const IrSig *ir_inst_call_sig(const IrFunc *f, IrInst i);

#endif
