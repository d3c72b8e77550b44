/* Unit tests of the IR (ir/ir.h): the opcode table's consistency, the
 * builder and layout (append, insert before, remove, replace uses, block
 * parameters), the printer's output for built functions, the verifier on
 * built (not parsed) functions, the dominator tree and use counts, parser
 * error positions, and parser robustness on truncated and mutated input
 * (never a crash, always a line:col message). The text-level cases live in
 * test-suite/filetests/ir. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

static IrFunc *parse_one(const char *text)
{
    IrFuncList l;
    WasmcError err = { 0 };
    if (!ir_parse(text, strlen(text), &l, &err))
        ck_abort_msg("parse failed: %s", err.msg);
    ck_assert_uint_eq(l.n, 1);
    IrFunc *f = l.funcs[0];
    free(l.funcs);
    return f;
}

static void assert_prints(const IrFunc *f, const char *want)
{
    char *got = ir_func_to_string(f);
    ck_assert_str_eq(got, want);
    free(got);
}

static void assert_verifies(IrFunc *f)
{
    WasmcError err = { 0 };
    if (!ir_verify(f, &err))
        ck_abort_msg("verify failed: %s", err.msg);
}

/* ---- Opcode table ---------------------------------------------------------- */

START_TEST(op_table_consistent)
{
    ck_assert_uint_eq(sizeof(IrInstData), 16);
    for (int op = 1; op < IR_OP_COUNT; op++) {
        const IrOpInfo *oi = ir_op((IrOpcode)op);
        ck_assert_ptr_nonnull(oi->name);
        ck_assert_int_eq(ir_op_by_name(oi->name, strlen(oi->name)), op);
        /* Pure excludes every effect. */
        if (oi->flags & IR_F_PURE)
            ck_assert_uint_eq(oi->flags & (IR_F_TRAPS | IR_F_READS | IR_F_WRITES | IR_F_TERM), 0);
        /* Terminators produce nothing; branches are terminators. */
        if (oi->flags & IR_F_TERM)
            ck_assert_int_eq(oi->result, IR_RES_NONE);
        if (ir_op_format((IrOpcode)op)->dests)
            ck_assert(oi->flags & IR_F_TERM);
        /* A result of the controlling type needs a type set. */
        if (oi->result == IR_RES_CTRL)
            ck_assert_uint_ne(oi->types, 0);
        /* Commutative only makes sense for two operands. */
        if (oi->flags & IR_F_COMM)
            ck_assert_int_eq(ir_op_format((IrOpcode)op)->nvals, 2);
    }
    ck_assert_int_eq(ir_op_by_name("nope", 4), IR_OP_INVALID);
    ck_assert_int_eq(ir_op_implied_type(IR_OP_F32CONST), IR_TYPE_F32);
    ck_assert_int_eq(ir_op_implied_type(IR_OP_IADD), IR_TYPE_NONE);
    ck_assert_int_eq(ir_op_implied_type(IR_OP_UEXTEND), IR_TYPE_I64);
    ck_assert_str_eq(ir_trap_name(IR_TRAP_HEAP_OOB), "heap_oob");
    ck_assert_str_eq(ir_intcc_name(IR_ICC_UGE), "uge");
    ck_assert_str_eq(ir_floatcc_name(IR_FCC_ORD), "ord");
    ck_assert_int_eq(IR_TYPE_IPTR, IR_TYPE_I64);
}
END_TEST

/* ---- Builder --------------------------------------------------------------- */

static IrFunc *build_add(void)
{
    IrFunc *f = ir_func_new("add", 3);
    IrType p[2] = { IR_TYPE_I32, IR_TYPE_I32 }, r[1] = { IR_TYPE_I32 };
    ir_func_set_sig(f, p, 2, r, 1);
    IrBlock b = ir_block_new(f);
    ir_layout_append_block(f, b);
    IrValue x = ir_block_append_param(f, b, IR_TYPE_I32);
    IrValue y = ir_block_append_param(f, b, IR_TYPE_I32);
    IrBuilder bld;
    ir_builder_at_end(&bld, f, b);
    IrValue s = ir_ins_binary(&bld, IR_OP_IADD, IR_TYPE_I32, x, y);
    ir_ins_return(&bld, &s, 1);
    ck_assert(ir_inst_is_removable(f, ir_block_first_inst(f, b)));
    ck_assert(!ir_inst_is_removable(f, ir_block_last_inst(f, b)));
    return f;
}

START_TEST(builder_add_prints_and_verifies)
{
    IrFunc *f = build_add();
    assert_verifies(f);
    assert_prints(f, "function %add(i32, i32) -> i32 {\n"
                     "block1(v1: i32, v2: i32):\n"
                     "    v3 = iadd.i32 v1, v2\n"
                     "    return v3\n"
                     "}\n");
    ir_func_free(f);
}
END_TEST

START_TEST(builder_loop_with_params)
{
    IrFunc *f = ir_func_new("count", 5);
    IrType p[1] = { IR_TYPE_I64 }, r[1] = { IR_TYPE_I64 };
    ir_func_set_sig(f, p, 1, r, 1);
    IrBlock entry = ir_block_new(f), loop = ir_block_new(f), exit = ir_block_new(f);
    ir_layout_append_block(f, entry);
    ir_layout_append_block(f, loop);
    ir_layout_append_block(f, exit);
    IrValue n = ir_block_append_param(f, entry, IR_TYPE_I64);
    IrValue i = ir_block_append_param(f, loop, IR_TYPE_I64);

    IrBuilder b;
    ir_builder_at_end(&b, f, entry);
    IrValue zero = ir_ins_iconst(&b, IR_TYPE_I64, 0);
    ir_ins_jump(&b, loop, &zero, 1);

    ir_builder_at_end(&b, f, loop);
    IrValue one = ir_ins_iconst(&b, IR_TYPE_I64, 1);
    IrValue next = ir_ins_binary(&b, IR_OP_IADD, IR_TYPE_I64, i, one);
    IrValue lt = ir_ins_icmp(&b, IR_ICC_ULT, next, n);
    ir_ins_brif(&b, lt, (IrBlockCall){ loop, &next, 1 }, (IrBlockCall){ exit, NULL, 0 });

    ir_builder_at_end(&b, f, exit);
    ir_ins_return(&b, &next, 1);

    assert_verifies(f);
    assert_prints(f, "function %count(i64) -> i64 {\n"
                     "block1(v1: i64):\n"
                     "    v3 = iconst.i64 0\n"
                     "    jump block2(v3)\n"
                     "\n"
                     "block2(v2: i64):\n"
                     "    v4 = iconst.i64 1\n"
                     "    v5 = iadd.i64 v2, v4\n"
                     "    v6 = icmp.i64 ult v5, v1\n"
                     "    brif v6, block2(v5), block3\n"
                     "\n"
                     "block3:\n"
                     "    return v5\n"
                     "}\n");

    uint32_t *uses = ir_compute_use_counts(f);
    ck_assert_uint_eq(uses[next.id], 3); /* icmp, branch arg, return */
    ck_assert_uint_eq(uses[n.id], 1);
    ck_assert_uint_eq(uses[zero.id], 1);
    ck_assert_uint_eq(uses[lt.id], 1);
    ir_func_free(f);
}
END_TEST

START_TEST(builder_insert_before_remove_replace)
{
    IrFunc *f = build_add();
    IrBlock b = ir_func_entry(f);
    IrInst add = ir_block_first_inst(f, b);
    IrBuilder bld;
    ir_builder_before(&bld, f, add);
    bld.srcloc = 77;
    IrValue c = ir_ins_iconst(&bld, IR_TYPE_I32, 5);
    ck_assert_uint_eq(f->srclocs[ir_block_first_inst(f, b).id], 77);
    /* v2 -> the constant everywhere. */
    ir_replace_uses(f, ir_block_param(f, b, 1), c);
    assert_verifies(f);
    assert_prints(f, "function %add(i32, i32) -> i32 {\n"
                     "block1(v1: i32, v2: i32):\n"
                     "    v4 = iconst.i32 5\n"
                     "    v3 = iadd.i32 v1, v4\n"
                     "    return v3\n"
                     "}\n");
    /* Removing the constant leaves a use of a removed definition. */
    ir_layout_remove_inst(f, ir_block_first_inst(f, b));
    WasmcError err = { 0 };
    ck_assert(!ir_verify(f, &err));
    ck_assert_str_eq(err.msg, "v4 is defined by a removed instruction");
    ck_assert_uint_eq(err.offset, WASMC_NO_OFFSET);
    ir_func_free(f);
}
END_TEST

START_TEST(builder_block_param_removal)
{
    IrFunc *f = parse_one("function %f(i32) {\n"
                          "block1(v1: i32):\n"
                          "    jump block2(v1, v1)\n"
                          "\n"
                          "block2(v2: i32, v3: i32):\n"
                          "    return\n"
                          "}\n");
    assert_verifies(f);
    IrBlock b2 = ir_block(2);
    ir_block_remove_param(f, b2, 0);
    WasmcError err = { 0 };
    ck_assert(!ir_verify(f, &err));
    ck_assert_str_eq(err.msg, "block2 takes 1 arguments, 2 given");
    IrInst j = ir_block_last_inst(f, ir_func_entry(f));
    IrValue v1 = ir_value(1);
    ir_inst_set_dest(f, j, 0, b2, &v1, 1);
    assert_verifies(f);
    ck_assert_uint_eq(ir_value_type(f, ir_block_param(f, b2, 0)), IR_TYPE_I32);
    ck_assert_uint_eq(ir_block_param(f, b2, 0).id, 3);
    ck_assert(!ir_value_is_defined(f, ir_value(2)));
    ir_func_free(f);
}
END_TEST

START_TEST(builder_calls_and_memory)
{
    IrFunc *f = ir_func_new("caller", 6);
    IrType i32 = IR_TYPE_I32, i64 = IR_TYPE_I64;
    IrType pr[2] = { IR_TYPE_I32, IR_TYPE_I64 };
    ir_func_set_sig(f, &i32, 1, &i64, 1);
    ir_declare_sig(f, 0, &i32, 1, pr, 2);
    ir_declare_fn(f, 4, IR_FN_IMPORT, "env.g", 5, 0);
    IrMemoryDecl m = { .min = 1, .index_type = IR_TYPE_I32, .page_log2 = 16 };
    ir_declare_memory(f, 0, &m);
    IrTableDecl t = { .min = 1, .elem = IR_REF_FUNC, .index_type = IR_TYPE_I32 };
    ir_declare_table(f, 0, &t);
    IrBlock b = ir_block_new(f);
    ir_layout_append_block(f, b);
    IrValue a = ir_block_append_param(f, b, IR_TYPE_I32);
    IrBuilder bld;
    ir_builder_at_end(&bld, f, b);
    IrInst call = ir_ins_call(&bld, IR_OP_CALL, 4, &a, 1);
    ck_assert_uint_eq(ir_inst_num_results(f, call), 2);
    IrValue r0 = ir_inst_result(f, call, 0), r1 = ir_inst_result(f, call, 1);
    ck_assert_int_eq(ir_value_type(f, r1), IR_TYPE_I64);
    IrValue ld = ir_ins_load(&bld, IR_OP_SLOAD16, IR_TYPE_I64, IR_TRAP_HEAP_OOB, 0, r0, 6);
    IrInst ldi = ir_inst(f->values[ld.id].def);
    ck_assert(ir_inst_can_trap(f, ldi));
    ck_assert(!ir_inst_is_removable(f, ldi));
    f->insts[ldi.id].code = IR_TRAP_NONE; /* as if proven in bounds */
    ck_assert(ir_inst_is_removable(f, ldi));
    f->insts[ldi.id].code = IR_TRAP_HEAP_OOB;
    ck_assert(!ir_inst_is_removable(f, call));
    ir_ins_store(&bld, IR_OP_ISTORE32, IR_TRAP_HEAP_OOB, 0, a, 1ull << 33, ld);
    IrInst ci = ir_ins_call_indirect(&bld, IR_OP_CALL_INDIRECT, 0, 0, a, &r0, 1);
    ck_assert_uint_eq(ir_inst_num_args(f, ci), 2);
    ck_assert_uint_eq(ir_inst_entity(f, ci, 1), 0);
    IrValue sum = ir_ins_binary(&bld, IR_OP_IADD, IR_TYPE_I64, ld, r1);
    ir_ins_return(&bld, &sum, 1);
    assert_verifies(f);
    assert_prints(f, "function %caller(i32) -> i64 {\n"
                     "    sig0 = (i32) -> i32, i64\n"
                     "    fn4 = import %env.g sig0\n"
                     "    mem0 = memory i32 min 1\n"
                     "    table0 = table funcref i32 min 1\n"
                     "block1(v1: i32):\n"
                     "    v2, v3 = call fn4(v1)\n"
                     "    v4 = sload16.i64 heap_oob mem0[v2+6]\n"
                     "    istore32 heap_oob v4, mem0[v1+8589934592]\n"
                     "    v5, v6 = call_indirect sig0, table0, v1(v2)\n"
                     "    v7 = iadd.i64 v4, v3\n"
                     "    return v7\n"
                     "}\n");
    ir_func_free(f);
}
END_TEST

START_TEST(builder_many_instructions)
{
    /* Exercises the growth of every per-function array. */
    IrFunc *f = ir_func_new("big", 3);
    IrType i32 = IR_TYPE_I32;
    ir_func_set_sig(f, &i32, 1, &i32, 1);
    IrBlock b = ir_block_new(f);
    ir_layout_append_block(f, b);
    IrValue acc = ir_block_append_param(f, b, IR_TYPE_I32);
    IrBuilder bld;
    ir_builder_at_end(&bld, f, b);
    for (int k = 0; k < 100000; k++) {
        IrValue c = ir_ins_iconst(&bld, IR_TYPE_I32, (uint64_t)k);
        acc = ir_ins_binary(&bld, IR_OP_BXOR, IR_TYPE_I32, acc, c);
    }
    ir_ins_return(&bld, &acc, 1);
    assert_verifies(f);
    ck_assert_uint_eq(acc.id, 200001);
    char *text = ir_func_to_string(f);
    IrFunc *g = parse_one(text);
    char *again = ir_func_to_string(g);
    ck_assert_str_eq(text, again);
    free(text);
    free(again);
    ir_func_free(g);
    ir_func_free(f);
}
END_TEST

/* ---- Verifier on built functions ---------------------------------------------- */

START_TEST(verify_dominance_built)
{
    IrFunc *f = build_add();
    IrBlock b = ir_func_entry(f);
    IrInst add = ir_block_first_inst(f, b);
    /* A constant appended after the return's position but used by iadd. */
    IrInstSpec s = { .op = IR_OP_ICONST, .type = IR_TYPE_I32, .imm = 1 };
    IrInst c = ir_inst_create(f, &s);
    ir_inst_make_results(f, c);
    ir_layout_insert_inst_before(f, ir_block_last_inst(f, b), c);
    ir_inst_set_arg(f, add, 1, ir_inst_result(f, c, 0));
    WasmcError err = { 0 };
    ck_assert(!ir_verify(f, &err));
    ck_assert_str_eq(err.msg, "use of v4 is not dominated by its definition");
    ir_func_free(f);
}
END_TEST

START_TEST(verify_missing_terminator_built)
{
    IrFunc *f = ir_func_new("f", 1);
    IrBlock b = ir_block_new(f);
    ir_layout_append_block(f, b);
    IrBuilder bld;
    ir_builder_at_end(&bld, f, b);
    ir_ins_iconst(&bld, IR_TYPE_I32, 1);
    WasmcError err = { 0 };
    ck_assert(!ir_verify(f, &err));
    ck_assert_str_eq(err.msg, "block1 does not end in a terminator");
    ir_func_free(f);
}
END_TEST

/* ---- Dominator tree ----------------------------------------------------------- */

START_TEST(domtree_diamond_and_loop)
{
    IrFunc *f = parse_one("function %f(i32) {\n"
                          "block1(v1: i32):\n"
                          "    brif v1, block2, block3\n"
                          "block2:\n"
                          "    jump block4\n"
                          "block3:\n"
                          "    jump block4\n"
                          "block4:\n"
                          "    brif v1, block5, block6\n"
                          "block5:\n"
                          "    jump block4\n"
                          "block6:\n"
                          "    return\n"
                          "block7:\n"
                          "    jump block6\n"
                          "}\n");
    assert_verifies(f);
    IrCfg *cfg = ir_compute_cfg(f);
    IrDomTree *d = ir_compute_domtree(f, cfg);
    ck_assert_uint_eq(cfg->preds[4].n, 3);
    ck_assert_uint_eq(cfg->succs[1].n, 2);
    ck_assert_uint_eq(cfg->preds[6].n, 2); /* block4 and unreachable block7 */
    ck_assert_uint_eq(d->idom[1], 0);
    ck_assert_uint_eq(d->idom[2], 1);
    ck_assert_uint_eq(d->idom[3], 1);
    ck_assert_uint_eq(d->idom[4], 1);
    ck_assert_uint_eq(d->idom[5], 4);
    ck_assert_uint_eq(d->idom[6], 4);
    ck_assert(!ir_dom_is_reachable(d, ir_block(7)));
    ck_assert_uint_eq(d->nrpo, 6);
    ck_assert_uint_eq(d->rpo[0], 1);
    ck_assert(ir_dom_dominates(d, ir_block(1), ir_block(6)));
    ck_assert(ir_dom_dominates(d, ir_block(4), ir_block(5)));
    ck_assert(ir_dom_dominates(d, ir_block(4), ir_block(4)));
    ck_assert(!ir_dom_dominates(d, ir_block(2), ir_block(4)));
    ck_assert(!ir_dom_dominates(d, ir_block(5), ir_block(6)));
    ck_assert(!ir_dom_dominates(d, ir_block(7), ir_block(6)));
    ck_assert(!ir_dom_dominates(d, ir_block(1), ir_block(7)));
    /* RPO numbers respect dominance. */
    for (uint32_t k = 1; k < d->nrpo; k++)
        ck_assert_uint_lt(d->rpo_num[d->idom[d->rpo[k]]], d->rpo_num[d->rpo[k]]);
    ir_func_free(f);
}
END_TEST

/* ---- Parser ------------------------------------------------------------------- */

START_TEST(parse_error_position)
{
    const char *text = "function %f() {\nblock1:\n    v1 = iconst.i32 1\n    v2 = bogus v1\n}\n";
    IrFuncList l;
    WasmcError err = { 0 };
    ck_assert(!ir_parse(text, strlen(text), &l, &err));
    ck_assert_str_eq(err.msg, "4:10: unknown opcode 'bogus'");
    ck_assert_uint_eq(err.offset, (size_t)(strstr(text, "bogus") - text));
    ck_assert_ptr_null(l.funcs);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(parse_multiple_and_iptr)
{
    const char *text = "; two functions\n"
                       "function %a(iptr) -> iptr {\nblock1(v1: iptr):\n    return v1\n}\n\n"
                       "function %b() {\nblock1:\n    return\n}\n";
    IrFuncList l;
    WasmcError err = { 0 };
    ck_assert(ir_parse(text, strlen(text), &l, &err));
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.funcs[1]->name, "b");
    assert_prints(l.funcs[0], "function %a(i64) -> i64 {\nblock1(v1: i64):\n    return v1\n}\n");
    ir_func_list_free(&l);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(parse_verify_srclocs)
{
    const char *text = "function %f(i32) -> i32 {\n"
                       "block1(v1: i32):\n"
                       "    v2 = iadd.i32 v1, v3\n"
                       "    return v2\n"
                       "}\n";
    IrFunc *f = parse_one(text);
    WasmcError err = { 0 };
    ck_assert(!ir_verify(f, &err));
    unsigned line, col;
    ir_text_line_col(text, strlen(text), err.offset, &line, &col);
    ck_assert_uint_eq(line, 3);
    ck_assert_uint_eq(col, 5);
    ck_assert_str_eq(err.msg, "v3 is not defined");
    ir_func_free(f);
}
END_TEST

static const char *const robust_text =
    "function %\"m\\00x\"(i32, i64) -> i64, f32 {\n"
    "    sig0 = (i32) -> i32\n"
    "    fn1 = runtime %h sig0\n"
    "    mem0 = memory i64 min 1 max 9 page_log2 0 shared\n"
    "    global2 = global f32 mut import\n"
    "    table0 = table funcref i32 min 0\n"
    "block1(v1: i32, v2: i64):\n"
    "    v3 = f32const -0x1.8p+1\n"
    "    v4 = vconst 0x0102030405060708090a0b0c0d0e0f10\n"
    "    v5 = load.i64 heap_oob mem0[v2+18446744073709551615]\n"
    "    br_table v1, block2(v5), [block3, block2(v2)]\n"
    "\n"
    "block2(v6: i64):\n"
    "    v7 = call fn1(v1)\n"
    "    global_set.f32 global2, v3\n"
    "    return v6, v3\n"
    "\n"
    "block3:\n"
    "    v8 = fcmp.f32 uno v3, v3\n"
    "    trapnz v8, bad_toint\n"
    "    v9 = call_indirect sig0, table0, v1(v1)\n"
    "    trap unreachable\n"
    "}\n";

START_TEST(parse_never_crashes)
{
    size_t n = strlen(robust_text);
    /* The whole text parses and round-trips. */
    IrFunc *f = parse_one(robust_text);
    assert_verifies(f);
    assert_prints(f, robust_text);
    ir_func_free(f);
    char *buf = malloc(n + 1);
    /* Every prefix, and every single-byte mutation to a few nasty bytes:
     * either parses or fails with a "line:col: " message. */
    static const char nasty[] = { 0, '(', ')', ',', '%', '"', '\\', '-', '9', 'v', '\n', ';', '\xff' };
    for (size_t cut = 0; cut <= n; cut++) {
        for (size_t m = 0; m <= sizeof nasty; m++) {
            memcpy(buf, robust_text, n);
            size_t len = cut;
            if (m < sizeof nasty) {
                if (cut == n)
                    continue;
                buf[cut] = nasty[m];
                len = n;
            }
            IrFuncList l;
            WasmcError err = { 0 };
            if (ir_parse(buf, len, &l, &err)) {
                for (uint32_t k = 0; k < l.n; k++) {
                    WasmcError verr = { 0 };
                    (void)ir_verify(l.funcs[k], &verr); /* must not crash either */
                    free(ir_func_to_string(l.funcs[k]));
                }
                ir_func_list_free(&l);
            } else {
                unsigned line, col;
                ck_assert(err.set);
                ck_assert_msg(sscanf(err.msg, "%u:%u: ", &line, &col) == 2, "bad message '%s'", err.msg);
            }
        }
    }
    free(buf);
}
END_TEST

static Suite *ir_suite(void)
{
    Suite *s = suite_create("ir");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, op_table_consistent);
    tcase_add_test(tc, builder_add_prints_and_verifies);
    tcase_add_test(tc, builder_loop_with_params);
    tcase_add_test(tc, builder_insert_before_remove_replace);
    tcase_add_test(tc, builder_block_param_removal);
    tcase_add_test(tc, builder_calls_and_memory);
    tcase_add_test(tc, builder_many_instructions);
    tcase_add_test(tc, verify_dominance_built);
    tcase_add_test(tc, verify_missing_terminator_built);
    tcase_add_test(tc, domtree_diamond_and_loop);
    tcase_add_test(tc, parse_error_position);
    tcase_add_test(tc, parse_multiple_and_iptr);
    tcase_add_test(tc, parse_verify_srclocs);
    tcase_add_test(tc, parse_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ir_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
