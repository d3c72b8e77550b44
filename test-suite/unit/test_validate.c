/* Unit tests of the validator (frontend/validate*.c, types.c): for each
 * kind of type error at least one rejected module, plus accepted ones.
 * Modules are assembled from section bytes with a small builder; the
 * expected message is a substring of the diagnostic (the spec's wording). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../frontend/module.h"

enum { I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B, FUNCREF = 0x70, EXTERNREF = 0x6F };
enum { END = 0x0B, LOCAL_GET = 0x20, LOCAL_SET = 0x21, GLOBAL_GET = 0x23, GLOBAL_SET = 0x24,
       I32_CONST = 0x41, I64_CONST = 0x42, I32_ADD = 0x6A, DROP = 0x1A, BLOCK = 0x02, LOOP = 0x03,
       IF = 0x04, ELSE = 0x05, BR = 0x0C, BR_IF = 0x0D, BR_TABLE = 0x0E, RETURN = 0x0F, CALL = 0x10,
       UNREACHABLE = 0x00, EMPTY = 0x40 };

/* A growable byte buffer holding the module under construction. */
typedef struct Mod {
    uint8_t *b;
    size_t n, cap;
} Mod;

static void put(Mod *m, const uint8_t *p, size_t n)
{
    if (m->n + n > m->cap) {
        m->cap = (m->n + n) * 2 + 64;
        m->b = realloc(m->b, m->cap);
        ck_assert(m->b != NULL);
    }
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void put_u32(Mod *m, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7F;
        v >>= 7;
        if (v)
            byte |= 0x80;
        put(m, &byte, 1);
    } while (v);
}

static Mod mod_new(void)
{
    Mod m = { NULL, 0, 0 };
    static const uint8_t hdr[] = { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 };
    put(&m, hdr, sizeof hdr);
    return m;
}

static void section(Mod *m, uint8_t id, const uint8_t *c, size_t n)
{
    put(m, &id, 1);
    put_u32(m, (uint32_t)n);
    put(m, c, n);
}

/* A code section with one body (locals vector included in `body`). */
static void code1(Mod *m, const uint8_t *body, size_t n)
{
    Mod c = { NULL, 0, 0 };
    put_u32(&c, 1);
    put_u32(&c, (uint32_t)n);
    put(&c, body, n);
    section(m, 10, c.b, c.n);
    free(c.b);
}

#define SEC(id, ...)                                   \
    do {                                               \
        static const uint8_t c_[] = { __VA_ARGS__ };   \
        section(&mb, (id), c_, sizeof c_);             \
    } while (0)
#define CODE(...)                                      \
    do {                                               \
        static const uint8_t c_[] = { __VA_ARGS__ };   \
        code1(&mb, c_, sizeof c_);                     \
    } while (0)
/* One function of type 0: a type section with the given function type
 * ("params count, params..., results count, results...") and a function
 * section declaring it. */
#define FUNC_TYPE(...)                                 \
    do {                                               \
        SEC(1, 1, 0x60, __VA_ARGS__);                  \
        SEC(3, 1, 0);                                  \
    } while (0)

static WasmModule *load(Mod *mb, WasmcError *err)
{
    WasmModule *m = wasm_decode(mb->b, mb->n, err);
    ck_assert_msg(m != NULL, "decode failed at 0x%zx: %s", err->offset, err->msg);
    bool ok = wasm_validate(m, err);
    if (!ok) {
        wasm_module_free(m);
        return NULL;
    }
    return m;
}

static void valid_(Mod *mb, int line)
{
    WasmcError err = { 0 };
    WasmModule *m = load(mb, &err);
    ck_assert_msg(m != NULL, "line %d: rejected at 0x%zx: %s", line, err.offset, err.msg);
    ck_assert(m->validated);
    wasm_module_free(m);
    free(mb->b);
}

static void invalid_(Mod *mb, const char *msg, int line)
{
    WasmcError err = { 0 };
    WasmModule *m = load(mb, &err);
    ck_assert_msg(m == NULL, "line %d: accepted, want '%s'", line, msg);
    ck_assert(err.set);
    ck_assert_msg(strstr(err.msg, msg) != NULL, "line %d: got '%s', want '%s'", line, err.msg, msg);
    ck_assert_msg(err.offset < mb->n, "line %d: offset 0x%zx outside the module", line, err.offset);
    free(mb->b);
}

#define VALID() valid_(&mb, __LINE__)
#define INVALID(msg) invalid_(&mb, (msg), __LINE__)

/* ---- operand types and stack shape ---- */

START_TEST(accepts_simple_function)
{
    Mod mb = mod_new();
    FUNC_TYPE(2, I32, I32, 1, I32);
    CODE(0, LOCAL_GET, 0, LOCAL_GET, 1, I32_ADD, END);
    VALID();
}
END_TEST

START_TEST(operand_type_mismatch)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, I32_CONST, 1, I64_CONST, 1, I32_ADD, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(stack_underflow)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, I32_CONST, 1, I32_ADD, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(values_left_at_end)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, I32_CONST, 1, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(block_result_arity)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, BLOCK, I32, END, DROP, END); /* block (result i32) with an empty body */
    INVALID("type mismatch");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, BLOCK, EMPTY, I32_CONST, 1, I32_CONST, 2, END, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(if_without_else_needs_matching_types)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, I32_CONST, 1, IF, I32, I32_CONST, 1, END, END);
    INVALID("type mismatch");

    mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, I32_CONST, 1, IF, I32, I32_CONST, 1, ELSE, I32_CONST, 2, END, END);
    VALID();
}
END_TEST

START_TEST(multi_value_block_params)
{
    /* type 0: [i32 i32] -> [i32], used as a block type. */
    Mod mb = mod_new();
    SEC(1, 2, 0x60, 2, I32, I32, 1, I32, 0x60, 0, 1, I32);
    SEC(3, 1, 1);
    CODE(0, I32_CONST, 1, I32_CONST, 2, BLOCK, 0, I32_ADD, END, END);
    VALID();
}
END_TEST

START_TEST(unreachable_is_polymorphic)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, UNREACHABLE, I32_ADD, END);
    VALID();

    mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, UNREACHABLE, I64_CONST, 0, I32_ADD, END);
    INVALID("type mismatch");

    /* select over unknown operands yields an unknown result */
    mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, UNREACHABLE, 0x1B, END);
    VALID();
}
END_TEST

START_TEST(br_table_arity)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    /* block (result i32) block br_table 0 1 end end: targets of different arity */
    CODE(0, BLOCK, I32, BLOCK, EMPTY, I32_CONST, 0, I32_CONST, 0, BR_TABLE, 1, 0, 1, END, I32_CONST,
         0, END, DROP, END);
    INVALID("type mismatch");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, BLOCK, EMPTY, I32_CONST, 0, BR_TABLE, 2, 0, 0, 0, END, END);
    VALID();
}
END_TEST

START_TEST(select_typed_arity)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 1, I32);
    CODE(0, I32_CONST, 1, I32_CONST, 2, I32_CONST, 0, 0x1C, 2, I32, I32, END);
    INVALID("invalid result arity");

    /* untyped select of references */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, 0xD0, FUNCREF, 0xD0, FUNCREF, I32_CONST, 0, 0x1B, DROP, END);
    INVALID("type mismatch");
}
END_TEST

/* ---- index spaces ---- */

START_TEST(unknown_indices)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, LOCAL_GET, 0, DROP, END);
    INVALID("unknown local");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, GLOBAL_GET, 0, DROP, END);
    INVALID("unknown global");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, CALL, 5, END);
    INVALID("unknown function");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, I32_CONST, 0, 0x25, 0, DROP, END); /* table.get 0 */
    INVALID("unknown table");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, I32_CONST, 0, 0x28, 2, 0, DROP, END); /* i32.load */
    INVALID("unknown memory");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, BLOCK, 7, END, END); /* block type index 7 */
    INVALID("unknown type");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, BR, 1, END);
    INVALID("unknown label");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(12, 0);
    CODE(0, 0xFC, 9, 0, END); /* data.drop 0 */
    INVALID("unknown data segment");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, 0xFC, 13, 0, END); /* elem.drop 0 */
    INVALID("unknown elem segment");
}
END_TEST

START_TEST(missing_data_count)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, 0xFC, 9, 0, END);
    SEC(11, 1, 1, 1, 'x'); /* one passive segment, but no data count section */
    INVALID("data count section required");
}
END_TEST

START_TEST(immutable_global)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(6, 1, I32, 0, I32_CONST, 0, END);
    CODE(0, I32_CONST, 1, GLOBAL_SET, 0, END);
    INVALID("immutable");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(6, 1, I32, 1, I32_CONST, 0, END);
    CODE(0, I32_CONST, 1, GLOBAL_SET, 0, END);
    VALID();
}
END_TEST

/* ---- memory instructions ---- */

START_TEST(alignment)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, I32_CONST, 0, 0x28, 3, 0, DROP, END); /* i32.load align=8 */
    INVALID("alignment must not be larger than natural");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, I32_CONST, 0, 0x28, 2, 0, DROP, END);
    VALID();

    /* atomics need exactly natural alignment */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, I32_CONST, 0, 0xFE, 0x10, 1, 0, DROP, END);
    INVALID("unaligned atomic");

    /* memory64 offsets above 4 GiB are only for 64-bit memories */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, I32_CONST, 0, 0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x10, DROP, END);
    INVALID("offset out of range");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 4, 1);
    CODE(0, I64_CONST, 0, 0x28, 2, 0x80, 0x80, 0x80, 0x80, 0x10, DROP, END);
    VALID();
}
END_TEST

START_TEST(multi_memory_memarg)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 2, 0, 1, 4, 1); /* memory 0: i32, memory 1: i64 */
    CODE(0, I64_CONST, 0, 0x28, 0x42, 1, 0, DROP, END); /* i32.load memory 1 */
    VALID();

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 2, 0, 1, 4, 1);
    CODE(0, I32_CONST, 0, 0x28, 0x42, 1, 0, DROP, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(lane_index)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 21, 16, DROP, END);
    INVALID("invalid lane index");
}
END_TEST

/* ---- references ---- */

START_TEST(undeclared_function_reference)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(0, 0xD2, 0, DROP, END);
    INVALID("undeclared function reference");

    /* declared by a declarative element segment */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(9, 1, 3, 0, 1, 0);
    CODE(0, 0xD2, 0, DROP, END);
    VALID();

    /* declared by an export */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(7, 1, 1, 'f', 0, 0);
    CODE(0, 0xD2, 0, DROP, END);
    VALID();
}
END_TEST

START_TEST(uninitialized_non_nullable_local)
{
    /* local (ref func), read before set */
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    CODE(1, 1, 0x64, FUNCREF, LOCAL_GET, 0, DROP, END);
    INVALID("uninitialized local");

    /* set inside a block: uninitialized again after its end */
    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(7, 1, 1, 'f', 0, 0);
    CODE(1, 1, 0x64, FUNCREF, BLOCK, EMPTY, 0xD2, 0, LOCAL_SET, 0, END, LOCAL_GET, 0, DROP, END);
    INVALID("uninitialized local");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(7, 1, 1, 'f', 0, 0);
    CODE(1, 1, 0x64, FUNCREF, 0xD2, 0, LOCAL_SET, 0, LOCAL_GET, 0, DROP, END);
    VALID();
}
END_TEST

START_TEST(typed_function_references)
{
    /* type 0: [] -> []; type 1: [(ref null 0)] -> []. br_on_null, call_ref. */
    Mod mb = mod_new();
    SEC(1, 2, 0x60, 0, 0, 0x60, 1, 0x63, 0, 0);
    SEC(3, 1, 1);
    CODE(0, BLOCK, EMPTY, LOCAL_GET, 0, 0xD5, 0, 0x14, 0, END, END);
    VALID();

    /* call_ref needs the reference on top */
    mb = mod_new();
    SEC(1, 2, 0x60, 0, 0, 0x60, 1, 0x63, 0, 0);
    SEC(3, 1, 1);
    CODE(0, LOCAL_GET, 0, 0x14, 1, END);
    INVALID("type mismatch");

    mb = mod_new();
    SEC(1, 2, 0x60, 0, 0, 0x60, 1, 0x63, 0, 0);
    SEC(3, 1, 1);
    CODE(0, LOCAL_GET, 0, 0x14, 9, END);
    INVALID("unknown type");
}
END_TEST

/* ---- module-level rules ---- */

START_TEST(duplicate_export)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(7, 2, 1, 'a', 0, 0, 1, 'a', 0, 0);
    CODE(0, END);
    INVALID("duplicate export name");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(7, 2, 1, 'a', 0, 0, 2, 'a', 0, 0, 0);
    CODE(0, END);
    VALID();
}
END_TEST

START_TEST(start_function_type)
{
    Mod mb = mod_new();
    FUNC_TYPE(1, I32, 0);
    SEC(8, 0);
    CODE(0, END);
    INVALID("start function");

    mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(8, 1);
    CODE(0, END);
    INVALID("unknown function");
}
END_TEST

START_TEST(limits)
{
    Mod mb = mod_new();
    SEC(5, 1, 1, 2, 1); /* min 2 > max 1 */
    INVALID("size minimum must not be greater than maximum");

    mb = mod_new();
    SEC(5, 1, 0, 0x81, 0x80, 0x04); /* 65537 pages */
    INVALID("memory size");

    mb = mod_new();
    SEC(5, 1, 0, 0x80, 0x80, 0x04); /* 65536 pages */
    VALID();

    mb = mod_new();
    SEC(5, 1, 2, 1); /* shared, no maximum */
    INVALID("shared memory must have maximum");

    mb = mod_new();
    SEC(4, 1, FUNCREF, 1, 3, 2);
    INVALID("size minimum must not be greater than maximum");
}
END_TEST

START_TEST(non_nullable_table_needs_init)
{
    Mod mb = mod_new();
    SEC(1, 1, 0x60, 0, 0);
    SEC(4, 1, 0x64, 0, 0, 1);
    INVALID("type mismatch");
}
END_TEST

START_TEST(const_expressions)
{
    /* non-constant instruction */
    Mod mb = mod_new();
    SEC(6, 1, I32, 0, I32_CONST, 0, I32_CONST, 0, 0x6D, END); /* i32.div_s */
    ck_assert(mb.n > 0);
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(mb.b, mb.n, &err);
    ck_assert(m == NULL);
    ck_assert_msg(strstr(err.msg, "constant expression required"), "%s", err.msg);
    free(mb.b);

    /* extended constant expressions are fine */
    mb = mod_new();
    SEC(6, 1, I32, 0, I32_CONST, 1, I32_CONST, 2, I32_ADD, END);
    VALID();

    /* reading a mutable global */
    mb = mod_new();
    SEC(6, 2, I32, 1, I32_CONST, 0, END, I32, 0, GLOBAL_GET, 0, END);
    INVALID("constant expression required");

    /* reading an earlier immutable global (3.0) */
    mb = mod_new();
    SEC(6, 2, I32, 0, I32_CONST, 0, END, I32, 0, GLOBAL_GET, 0, END);
    VALID();

    /* reading a later global */
    mb = mod_new();
    SEC(6, 2, I32, 0, GLOBAL_GET, 1, END, I32, 0, I32_CONST, 0, END);
    INVALID("unknown global");

    /* wrong result type */
    mb = mod_new();
    SEC(6, 1, I64, 0, I32_CONST, 0, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(tags)
{
    Mod mb = mod_new();
    SEC(1, 1, 0x60, 0, 1, I32);
    SEC(13, 1, 0, 0);
    INVALID("non-empty tag result type");
}
END_TEST

/* ---- GC types ---- */

START_TEST(subtyping_declarations)
{
    /* type 0: final struct; type 1: sub 0 -> super is final */
    Mod mb = mod_new();
    SEC(1, 2, 0x5F, 0, 0x50, 1, 0, 0x5F, 0);
    INVALID("sub type");

    /* non-final struct {i32}; sub with {i64} mismatches */
    mb = mod_new();
    SEC(1, 2, 0x50, 0, 0x5F, 1, I32, 0, 0x50, 1, 0, 0x5F, 1, I64, 0);
    INVALID("sub type");

    /* width subtyping is fine */
    mb = mod_new();
    SEC(1, 2, 0x50, 0, 0x5F, 1, I32, 0, 0x50, 1, 0, 0x5F, 2, I32, 0, I64, 1);
    VALID();

    /* a struct cannot extend a function type */
    mb = mod_new();
    SEC(1, 2, 0x50, 0, 0x60, 0, 0, 0x50, 1, 0, 0x5F, 0);
    INVALID("sub type");
}
END_TEST

START_TEST(iso_recursive_equivalence)
{
    /* Two identical singleton rec groups are the same type, so a function
     * of type 1 can be called through call_ref with type 0. */
    Mod mb = mod_new();
    SEC(1, 3, 0x60, 0, 0, 0x60, 0, 0, 0x60, 1, 0x64, 1, 0);
    SEC(3, 1, 2);
    CODE(0, LOCAL_GET, 0, 0x14, 0, END);
    VALID();

    /* Different shapes are not equal. */
    mb = mod_new();
    SEC(1, 3, 0x60, 0, 0, 0x60, 1, I32, 0, 0x60, 1, 0x64, 1, 0);
    SEC(3, 1, 2);
    CODE(0, LOCAL_GET, 0, 0x14, 0, END);
    INVALID("type mismatch");
}
END_TEST

START_TEST(struct_access)
{
    /* struct {mut i32, i8}: get field 0, get_s field 1, set field 1 (immutable) */
    Mod mb = mod_new();
    SEC(1, 2, 0x5F, 2, I32, 1, 0x78, 0, 0x60, 1, 0x63, 0, 1, I32);
    SEC(3, 1, 1);
    CODE(0, LOCAL_GET, 0, 0xFB, 2, 0, 0, LOCAL_GET, 0, 0xFB, 3, 0, 1, I32_ADD, END);
    VALID();

    mb = mod_new();
    SEC(1, 2, 0x5F, 2, I32, 1, 0x78, 0, 0x60, 1, 0x63, 0, 0);
    SEC(3, 1, 1);
    CODE(0, LOCAL_GET, 0, I32_CONST, 0, 0xFB, 5, 0, 1, END);
    INVALID("immutable");

    mb = mod_new();
    SEC(1, 2, 0x5F, 2, I32, 1, 0x78, 0, 0x60, 1, 0x63, 0, 1, I32);
    SEC(3, 1, 1);
    CODE(0, LOCAL_GET, 0, 0xFB, 2, 0, 1, END); /* struct.get on a packed field */
    INVALID("type mismatch");
}
END_TEST

/* ---- exceptions ---- */

START_TEST(try_table_catch_types)
{
    /* tag of type [i32]; block (result i32) try_table catch 0 -> 0 ... */
    Mod mb = mod_new();
    SEC(1, 2, 0x60, 1, I32, 0, 0x60, 0, 1, I32);
    SEC(3, 1, 1);
    SEC(13, 1, 0, 0);
    CODE(0, BLOCK, I32, 0x1F, EMPTY, 1, 0, 0, 0, END, UNREACHABLE, END, END);
    VALID();

    mb = mod_new();
    SEC(1, 2, 0x60, 1, I32, 0, 0x60, 0, 1, I32);
    SEC(3, 1, 1);
    SEC(13, 1, 0, 0);
    CODE(0, BLOCK, I64, 0x1F, EMPTY, 1, 0, 0, 0, END, UNREACHABLE, END, DROP, I32_CONST, 0, END);
    INVALID("type mismatch");
}
END_TEST

/* ---- robustness ---- */

START_TEST(deep_nesting)
{
    enum { DEPTH = 100000 };
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    Mod body = { NULL, 0, 0 };
    put_u32(&body, 0);
    for (int i = 0; i < DEPTH; i++) {
        static const uint8_t open[] = { BLOCK, EMPTY };
        put(&body, open, 2);
    }
    for (int i = 0; i <= DEPTH; i++) {
        static const uint8_t end = END;
        put(&body, &end, 1);
    }
    code1(&mb, body.b, body.n);
    free(body.b);
    VALID();
}
END_TEST

START_TEST(many_locals)
{
    /* 50000 locals (the decoder's cap), all read once */
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    Mod body = { NULL, 0, 0 };
    put_u32(&body, 1);
    put_u32(&body, 50000);
    static const uint8_t t = I64, get[] = { LOCAL_GET }, drop = DROP, end = END;
    put(&body, &t, 1);
    put(&body, get, 1);
    put_u32(&body, 49999);
    put(&body, &drop, 1);
    put(&body, &end, 1);
    code1(&mb, body.b, body.n);
    free(body.b);
    VALID();
}
END_TEST

START_TEST(features_recorded)
{
    Mod mb = mod_new();
    FUNC_TYPE(0, 0);
    SEC(5, 1, 0, 1);
    CODE(0, I32_CONST, 0, 0xFD, 0, 4, 0, DROP, END); /* v128.load */
    WasmcError err = { 0 };
    WasmModule *m = load(&mb, &err);
    ck_assert_msg(m != NULL, "%s", err.msg);
    ck_assert(m->features & WASM_FEAT_SIMD);
    ck_assert(!(m->features & WASM_FEAT_GC));
    wasm_module_free(m);
    free(mb.b);
}
END_TEST

static Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, accepts_simple_function);
    tcase_add_test(tc, operand_type_mismatch);
    tcase_add_test(tc, stack_underflow);
    tcase_add_test(tc, values_left_at_end);
    tcase_add_test(tc, block_result_arity);
    tcase_add_test(tc, if_without_else_needs_matching_types);
    tcase_add_test(tc, multi_value_block_params);
    tcase_add_test(tc, unreachable_is_polymorphic);
    tcase_add_test(tc, br_table_arity);
    tcase_add_test(tc, select_typed_arity);
    tcase_add_test(tc, unknown_indices);
    tcase_add_test(tc, missing_data_count);
    tcase_add_test(tc, immutable_global);
    tcase_add_test(tc, alignment);
    tcase_add_test(tc, multi_memory_memarg);
    tcase_add_test(tc, lane_index);
    tcase_add_test(tc, undeclared_function_reference);
    tcase_add_test(tc, uninitialized_non_nullable_local);
    tcase_add_test(tc, typed_function_references);
    tcase_add_test(tc, duplicate_export);
    tcase_add_test(tc, start_function_type);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, non_nullable_table_needs_init);
    tcase_add_test(tc, const_expressions);
    tcase_add_test(tc, tags);
    tcase_add_test(tc, subtyping_declarations);
    tcase_add_test(tc, iso_recursive_equivalence);
    tcase_add_test(tc, struct_access);
    tcase_add_test(tc, try_table_catch_types);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, many_locals);
    tcase_add_test(tc, features_recorded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(validate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
