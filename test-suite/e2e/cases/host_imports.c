#include "e2e.h"
#include "host_imports.h"

/* Bound by name: the object's weak reference resolves to these. */
double wasmc_import_env_many(WasmcVmctx *env, WasmcVmctx *caller_vmctx, int32_t p0, int64_t p1, float p2,
                             double p3, int32_t p4, int64_t p5, float p6, double p7, int32_t p8, int64_t p9,
                             double p10, double p11, double p12, double p13, double p14, double p15,
                             double p16)
{
    CHECK(env == NULL);
    CHECK(caller_vmctx != NULL);
    CHECK(p0 == 1 && p1 == 2 && p2 == 3.0f && p3 == 4.0 && p4 == 5 && p5 == 6 && p6 == 7.0f && p7 == 8.0);
    CHECK(p8 == 9 && p9 == 10 && p10 == 11 && p11 == 12 && p12 == 13 && p13 == 14 && p14 == 15);
    CHECK(p15 == 16 && p16 == 17);
    return p0 + p1 + p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9 + p10 + p11 + p12 + p13 + p14 + p15 + p16;
}

void wasmc_import_env_pair(WasmcVmctx *env, WasmcVmctx *caller_vmctx, int32_t p0, WasmcVal *results)
{
    results[0].i32 = p0 + 1;
    results[1].i64 = (int64_t)p0 << 40;
}

static float halve(WasmcVmctx *env, WasmcVmctx *caller_vmctx, float x)
{
    CHECK(env == (WasmcVmctx *)(uintptr_t)0x1234);
    return x / 2;
}

static bool resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp, WasmcExtern *out)
{
    if (strcmp(imp->module, "host") != 0)
        return false; /* the rest: by symbol name */
    memset(out, 0, sizeof *out);
    out->kind = WASMC_EXTERN_FUNC;
    out->u.func.code = (void *)halve;
    out->u.func.env = (WasmcVmctx *)(uintptr_t)0x1234;
    out->u.func.signature = "f:f";
    return true;
}

static void missing_body(WasmcVmctx *env, WasmcVmctx *caller_vmctx) {}

static bool resolve_missing(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp, WasmcExtern *out)
{
    if (strcmp(imp->name, "missing") == 0) {
        memset(out, 0, sizeof *out);
        out->kind = WASMC_EXTERN_FUNC;
        out->u.func.code = (void *)missing_body;
        return true;
    }
    return resolve(user, desc, imp, out);
}

int main(void)
{
    /* "env"."missing" has no C definition: the weak reference is NULL and
     * instantiation fails with a link error naming it. */
    const WasmcModuleDesc *d = &host_imports_module;
    CHECK(d->imports[3].host_code == NULL);
    CHECK(d->imports[0].host_code == (void *)wasmc_import_env_many);
    WasmcInstance *inst = NULL;
    CHECK(wasmc_rt_instantiate(d, resolve, NULL, &inst, NULL) == WASMC_ERR_LINK);
    CHECK(strstr(wasmc_rt_error_message(), "missing") != NULL);

    inst = e2e_instantiate(d, resolve_missing, NULL);
    WasmcVal args[17], res[2];
    memset(args, 0, sizeof args);
    for (int i = 0; i < 17; i++) {
        switch (d->types[0][i]) {
        case 'i': args[i].i32 = i + 1; break;
        case 'I': args[i].i64 = i + 1; break;
        case 'f': args[i].f32 = (float)(i + 1); break;
        default: args[i].f64 = i + 1; break;
        }
    }
    CHECK(wasmc_rt_call(inst, "many", args, 17, res, 1) == WASMC_TRAP_NONE);
    CHECK(res[0].f64 == 153.0);

    args[0].i32 = 5;
    CHECK(wasmc_rt_call(inst, "pair", args, 1, res, 2) == WASMC_TRAP_NONE);
    CHECK(res[0].i32 == 6 && res[1].i64 == (int64_t)5 << 40);

    args[0].f32 = 3.0f;
    CHECK(wasmc_rt_call(inst, "res", args, 1, res, 1) == WASMC_TRAP_NONE);
    CHECK(res[0].f32 == 1.5f);
    CHECK(wasmc_rt_call(inst, "missing", NULL, 0, NULL, 0) == WASMC_TRAP_NONE);

    /* The table holds funcrefs of the imports, callable through their tramp. */
    WasmcExtern tx;
    CHECK(wasmc_rt_instance_export(inst, "table", &tx) && tx.kind == WASMC_EXTERN_TABLE);
    const WasmcTableRecord *t = wasmc_rt_table_record(tx.u.table);
    CHECK(t->length == 4 && t->base[0] == NULL && t->base[3] == NULL);
    WasmcFuncRef *fr = t->base[2];
    CHECK(fr != NULL && fr->code == (void *)halve && fr->tramp != NULL);
    WasmcVal slot[1] = { { .f32 = 10.0f } };
    fr->tramp(fr->vmctx, wasmc_rt_instance_vmctx(inst), fr->code, slot);
    CHECK(slot[0].f32 == 5.0f);
    CHECK(((WasmcFuncRef *)t->base[1])->code == (void *)wasmc_import_env_pair);

    wasmc_rt_instance_free(inst);
    return e2e_done("host_imports");
}
