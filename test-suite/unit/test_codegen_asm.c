/* Golden -S listings (CgOptions.asm_out): the loop below must stay in
 * registers with no moves (the allocator coalesces the block parameters
 * with their arguments), and the listing shows prologue (a leaf with a small
 * frame: no stack check, no trap stub), fused compare-and-branch and the edge block. */
#include "test_codegen_harness.h"

static const char *sum_src = "function %sum(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 0\n"
                             "    jump block2(v2, v1)\nblock2(v3: i32, v4: i32):\n    brif v4, block3, block4(v3)\n"
                             "block3:\n    v5 = iadd.i32 v3, v4\n    v6 = iconst.i32 1\n    v7 = isub.i32 v4, v6\n"
                             "    jump block2(v5, v7)\nblock4(v8: i32):\n    return v8\n}\n";

static const char *sum_golden =
    "sum:\n"
    "\tpushq\t%rbp\n"
    "\tmovq\t%rsp, %rbp\n" /* no slot needed: no frame below rbp */
    /* a leaf with a small frame: no stack check (emit.c, LEAF_FRAME_MAX) */
    ".L1:\n"
    "\tmovl\t%edx, %edx\n"
    "\txorl\t%eax, %eax\n"
    ".L2:\n"
    "\ttestl\t%edx, %edx\n"
    "\tje\t.L4\n" /* threaded past the empty edge block .L5 */
    ".L3:\n"
    "\taddl\t%edx, %eax\n"
    "\tsubl\t$1, %edx\n"
    "\tjmp\t.L2\n"
    ".L4:\n"
    "\tpopq\t%rbp\n"
    "\tretq\n"
    ".L5:\n"
    "\tjmp\t.L4\n";

START_TEST(golden_sum_loop)
{
    h_reset_vmctx();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char err[300] = "";
    HProg *p = h_build_opt(sum_src, f, err);
    fclose(f);
    ck_assert_msg(p, "%s", err);
    ck_assert_str_eq(buf, sum_golden);
    /* the listing describes the emitted bytes: 30 of them before the loop */
    ck_assert_uint_eq(p->cb[0].data[0], 0x55);
    h_free(p);
    free(buf);
}
END_TEST

START_TEST(unsupported_op_is_an_error)
{
    char err[300] = "";
    HProg *p = h_build_opt("function %v() -> v128 {\nblock1:\n    v1 = vconst 0x000102030405060708090a0b0c0d0e0f\n"
                           "    return v1\n}\n",
                           NULL, err);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "vconst") != NULL, "%s", err);
}
END_TEST

/* ---- loads folded into their users, memory bases hoisted out of loops ---- */

static HProg *build_listing(const char *src, char **listing)
{
    size_t len = 0;
    FILE *f = open_memstream(listing, &len);
    char err[300] = "";
    HProg *p = h_build_opt(src, f, err);
    fclose(f);
    ck_assert_msg(p, "%s", err);
    return p;
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *q = hay; (q = strstr(q, needle)) != NULL; q++)
        n++;
    return n;
}

/* sum of n i32 at p; %msum_call also grows memory by 0 pages in the loop */
#define MSUM_SRC(name, extra)                                                                            \
    "function %" name "(i32, i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i32):\n"      \
    "    v3 = iconst.i32 0\n    jump block2(v3, v1, v2)\nblock2(v4: i32, v5: i32, v6: i32):\n"             \
    "    brif v6, block3, block4(v4)\nblock3:\n" extra "    v7 = load.i32 heap_oob mem0[v5]\n"             \
    "    v8 = iadd.i32 v4, v7\n    v9 = iconst.i32 4\n    v10 = iadd.i32 v5, v9\n    v11 = iconst.i32 1\n" \
    "    v12 = isub.i32 v6, v11\n    jump block2(v8, v10, v12)\nblock4(v13: i32):\n    return v13\n}\n"

START_TEST(hoisted_memory_base)
{
    h_reset_vmctx();
    char *buf = NULL;
    HProg *p = build_listing(MSUM_SRC("msum", ""), &buf);
    /* base (vmctx+16) and length (vmctx+24, explicit checks) loaded once, before the loop */
    ck_assert_msg(count(buf, "\tmovq\t16(%") == 1, "%s", buf);
    ck_assert_msg(count(buf, "\tmovq\t24(%") == 1, "%s", buf);
    ck_assert_msg(strstr(buf, "\tmovq\t16(%") < strstr(buf, ".L2:"), "%s", buf);
    /* and the load is folded into the add */
    ck_assert_msg(strstr(buf, "\taddl\t(%") != NULL, "%s", buf);
    typedef int32_t (*F)(void *, void *, uint32_t, uint32_t);
    for (int k = 0; k < 10; k++) {
        int32_t v = k * k - 3;
        memcpy(h_memory + 100 + 4 * k, &v, 4);
    }
    ck_assert_int_eq(((F)p->fn[0])(H_VM, H_VM, 100, 10), 285 - 30);
    int code;
    H_RUN(code, ((F)p->fn[0])(H_VM, H_VM, H_MEM_SIZE - 8, 3));
    ck_assert_int_eq(code, WASMC_TRAP_MEMORY_OOB);
    h_free(p);
    free(buf);
    /* a loop with a call reloads the base after it */
    buf = NULL;
    p = build_listing(MSUM_SRC("msum_call", "    v20 = memory_grow.i32 mem0, v3\n"), &buf);
    ck_assert_msg(count(buf, "\tmovq\t16(%") == 1, "%s", buf);
    ck_assert_msg(strstr(buf, "\tmovq\t16(%") > strstr(buf, "\tcall\tsym101"), "%s", buf);
    ck_assert_int_eq(((F)p->fn[0])(H_VM, H_VM, 100, 10), 285 - 30);
    h_free(p);
    free(buf);
}
END_TEST

static const char *fold_src =
    /* 0: a load is not moved past a store */
    "function %nofold(i32, i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i32):\n"
    "    v3 = load.i32 heap_oob mem0[v1]\n    v4 = iconst.i32 99\n    store.i32 heap_oob v4, mem0[v2]\n"
    "    v5 = iadd.i32 v2, v3\n    return v5\n}\n\n"
    /* 1, 2: compare with a load, either side */
    "function %cmp1(i32, i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i32):\n"
    "    v3 = load.i32 heap_oob mem0[v1]\n    v4 = icmp.i32 slt v2, v3\n    brif v4, block2, block3\n"
    "block2:\n    v5 = iconst.i32 1\n    return v5\nblock3:\n    v6 = iconst.i32 2\n    return v6\n}\n\n"
    "function %cmp2(i32, i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i32):\n"
    "    v3 = load.i32 heap_oob mem0[v1]\n    v4 = icmp.i32 slt v3, v2\n    brif v4, block2, block3\n"
    "block2:\n    v5 = iconst.i32 1\n    return v5\nblock3:\n    v6 = iconst.i32 2\n    return v6\n}\n\n"
    /* 3: float */
    "function %fsub(i32, f64) -> f64 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: f64):\n"
    "    v3 = load.f64 heap_oob mem0[v1]\n    v4 = fsub.f64 v2, v3\n    return v4\n}\n\n"
    /* 4: i64 multiply, the load first (commutative) */
    "function %mul(i32, i64) -> i64 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i64):\n"
    "    v3 = load.i64 heap_oob mem0[v1+8]\n    v4 = imul.i64 v3, v2\n    return v4\n}\n\n"
    /* 5: a float constant is a constant-pool operand */
    "function %fk(f64) -> f64 {\nblock1(v1: f64):\n    v2 = f64const 0x1.8p+1\n    v3 = fmul.f64 v2, v1\n"
    "    return v3\n}\n";

START_TEST(folded_loads)
{
    h_reset_vmctx();
    char *buf = NULL;
    HProg *p = build_listing(fold_src, &buf);
    ck_assert_msg(count(buf, "\tcmpl\t(%") == 2, "%s", buf);
    ck_assert_msg(strstr(buf, "\tsubsd\t(%") != NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "\timulq\t8(%") != NULL, "%s", buf);
    ck_assert_msg(count(buf, "\taddl\t(%") == 0, "%s", buf);
    ck_assert_msg(strstr(buf, "\tmulsd\t.L") != NULL, "%s", buf);
    int32_t five = 5;
    memcpy(h_memory, &five, 4);
    typedef int32_t (*F)(void *, void *, uint32_t, uint32_t);
    /* the store to the same address comes after the load */
    ck_assert_int_eq(((F)p->fn[0])(H_VM, H_VM, 0, 0), 5);
    memcpy(h_memory, &five, 4);
    ck_assert_int_eq(((F)p->fn[1])(H_VM, H_VM, 0, 4), 1);
    ck_assert_int_eq(((F)p->fn[1])(H_VM, H_VM, 0, 5), 2);
    ck_assert_int_eq(((F)p->fn[1])(H_VM, H_VM, 0, (uint32_t)-7), 1);
    ck_assert_int_eq(((F)p->fn[2])(H_VM, H_VM, 0, 6), 1);
    ck_assert_int_eq(((F)p->fn[2])(H_VM, H_VM, 0, 5), 2);
    int code;
    H_RUN(code, ((F)p->fn[1])(H_VM, H_VM, H_MEM_SIZE - 2, 0));
    ck_assert_int_eq(code, WASMC_TRAP_MEMORY_OOB);
    double x = 2.5;
    memcpy(h_memory + 16, &x, 8);
    ck_assert(((double (*)(void *, void *, uint32_t, double))p->fn[3])(H_VM, H_VM, 16, 10.0) == 7.5);
    int64_t y = -3;
    memcpy(h_memory + 40, &y, 8);
    ck_assert_int_eq(((int64_t (*)(void *, void *, uint32_t, int64_t))p->fn[4])(H_VM, H_VM, 32, 1ll << 40),
                     -3 * (1ll << 40));
    ck_assert(((double (*)(void *, void *, double))p->fn[5])(H_VM, H_VM, 1.5) == 4.5);
    h_free(p);
    free(buf);
}
END_TEST

/* With guard pages the folded instruction itself is the trap site. */
START_TEST(folded_load_is_trap_site)
{
    h_reset_vmctx();
    h_memories[0].strategy = CG_BOUNDS_GUARD;
    char *buf = NULL;
    HProg *p = build_listing("function %g(i32, i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32, v2: i32):\n"
                             "    v3 = load.i32 heap_oob mem0[v1+4]\n    v4 = iadd.i32 v2, v3\n    return v4\n}\n",
                             &buf);
    h_memories[0].strategy = CG_BOUNDS_EXPLICIT;
    ck_assert_msg(strstr(buf, "\taddl\t4(%") != NULL, "%s", buf);
    const CodeBuf *cb = &p->cb[0];
    bool found = false;
    for (uint32_t k = 0; k < cb->ntraps; k++) {
        if (cb->traps[k].code != WASMC_TRAP_MEMORY_OOB)
            continue;
        const uint8_t *at = cb->data + cb->traps[k].offset;
        if ((at[0] & 0xf0) == 0x40)
            at++; /* REX */
        ck_assert_uint_eq(at[0], 0x03); /* add r32, r/m32 */
        found = true;
    }
    ck_assert(found);
    h_free(p);
    free(buf);
}
END_TEST

/* A loop back edge that needs an edge block (block arguments swapped) gets
 * it right behind the loop, not after the function's other blocks. */
START_TEST(back_edge_block_next_to_loop)
{
    h_reset_vmctx();
    char *buf = NULL;
    HProg *p = build_listing("function %swp(i32, i32, i32) -> i32 {\nblock1(v1: i32, v2: i32, v3: i32):\n"
                             "    jump block2(v1, v2, v3)\nblock2(v4: i32, v5: i32, v6: i32):\n    v7 = iconst.i32 1\n"
                             "    v8 = isub.i32 v6, v7\n    brif v8, block2(v5, v4, v8), block3\nblock3:\n"
                             "    v9 = isub.i32 v4, v5\n    return v9\n}\n",
                             &buf);
    const char *back = strstr(buf, "\tjmp\t.L2\n"), *ret = strstr(buf, "\tretq\n");
    ck_assert_msg(back && ret && back < ret, "%s", buf);
    typedef int32_t (*F)(void *, void *, int32_t, int32_t, int32_t);
    ck_assert_int_eq(((F)p->fn[0])(H_VM, H_VM, 10, 3, 5), 7);
    ck_assert_int_eq(((F)p->fn[0])(H_VM, H_VM, 10, 3, 4), -7);
    h_free(p);
    free(buf);
}
END_TEST

/* An argument computed by a two-address instruction whose input stays live
 * (v1 is used after the call): the allocator falls back to the preg hint and
 * computes it in the argument register (no copy to %edx afterwards). */
START_TEST(argument_computed_in_place)
{
    h_reset_vmctx();
    char *buf = NULL;
    HProg *p = build_listing("function %g(i32) -> i32 {\n    sig0 = (i32) -> i32\n    fn0 = local %g sig0\n"
                             "block1(v1: i32):\n    v2 = iconst.i32 1\n    v3 = isub.i32 v1, v2\n"
                             "    v4 = call fn0(v3)\n    v5 = iadd.i32 v4, v1\n    return v5\n}\n",
                             &buf);
    ck_assert_msg(strstr(buf, "\tsubl\t$1, %edx\n") != NULL, "%s", buf);
    h_free(p);
    free(buf);
}
END_TEST

/* brif on the result of the sub just before it: the sub's ZF decides the
 * branch, no `test` (emit.c, zf_known). */
START_TEST(branch_on_alu_flags)
{
    h_reset_vmctx();
    char *buf = NULL;
    HProg *p = build_listing("function %h(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 1\n"
                             "    v3 = isub.i32 v1, v2\n    brif v3, block2, block3\nblock2:\n    return v3\n"
                             "block3:\n    v4 = iconst.i32 7\n    return v4\n}\n",
                             &buf);
    ck_assert_msg(strstr(buf, "\ttest") == NULL, "%s", buf);
    ck_assert_msg(strstr(buf, "\tsubl\t$1, %") != NULL, "%s", buf);
    typedef uint32_t (*Fn)(void *, void *, uint32_t);
    ck_assert_uint_eq(((Fn)p->fn[0])(H_VM, H_VM, 1), 7);
    ck_assert_uint_eq(((Fn)p->fn[0])(H_VM, H_VM, 5), 4);
    h_free(p);
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_asm");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, golden_sum_loop);
    tcase_add_test(tc, unsupported_op_is_an_error);
    tcase_add_test(tc, hoisted_memory_base);
    tcase_add_test(tc, folded_loads);
    tcase_add_test(tc, folded_load_is_trap_site);
    tcase_add_test(tc, back_edge_block_next_to_loop);
    tcase_add_test(tc, argument_computed_in_place);
    tcase_add_test(tc, branch_on_alu_flags);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
