/* entry.c — entries from C into wasm: trap catching, nesting, and the stack limit.
 *
 * Each thread keeps a chain of RtEntry records on its native stack (innermost first).
 * rt_enter pushes one, sigsetjmp's, and calls an array trampoline; wasmc_rt_trap and the
 * signal handler siglongjmp to the innermost record. Entries nest freely
 * (host -> wasm -> host -> wasm): a trap unwinds only to the nearest one, skipping the
 * host frames in between without running any cleanup in them.
 *
 * Signal mask: handlers are installed with SA_NODEFER and an empty sa_mask, so a handler
 * blocks nothing and sigsetjmp need not save the mask (no syscall per call).
 *
 * Stack limit: at a thread's outermost entry the limit is (sp - budget), clamped to stay
 * 64 KiB above the thread's real stack bottom, and every entry writes the thread's limit
 * into each instance of the entered instance's store (calls through imports may land in
 * any of them). Compiled prologues trap when rsp < limit.
 */
#include "rt_internal.h"

#include <string.h>

#define STACK_RESERVE (64u << 10) /* host stack kept free below the wasm budget */

static _Thread_local RtEntry *innermost;
static _Thread_local uintptr_t thread_limit;
static _Thread_local uintptr_t thread_stack_lo; /* 0 = not known yet */
static atomic_size_t stack_budget = 512u << 10;

RtEntry *rt_innermost_entry(void) { return innermost; }

void wasmc_rt_set_stack_budget(size_t bytes) { atomic_store(&stack_budget, bytes); }

static uintptr_t compute_limit(uintptr_t sp) {
  if (!thread_stack_lo) {
    pthread_attr_t a;
    void *lo;
    size_t size;
    thread_stack_lo = 1; /* unknown: no clamp */
    if (pthread_getattr_np(pthread_self(), &a) == 0) {
      if (pthread_attr_getstack(&a, &lo, &size) == 0) thread_stack_lo = (uintptr_t)lo;
      pthread_attr_destroy(&a);
    }
  }
  size_t budget = atomic_load(&stack_budget);
  uintptr_t limit = sp > budget ? sp - budget : 0;
  uintptr_t floor = thread_stack_lo + STACK_RESERVE;
  if (thread_stack_lo > 1 && limit < floor) limit = floor;
  return limit;
}

WasmcTrap rt_enter(WasmcInstance *inst, WasmcArrayTramp tramp, WasmcVmctx *callee,
                   WasmcVmctx *caller, void *fn, WasmcVal *slots) {
  RtEntry e;
  e.prev = innermost;
  e.trap = WASMC_TRAP_NONE;
  e.frame_top = (uintptr_t)__builtin_frame_address(0);
  if (!e.prev) {
    rt_thread_altstack_ensure();
    thread_limit = compute_limit(e.frame_top);
  }
  RtStore *s = inst->store;
  for (uint32_t i = 0; i < s->count; i++) {
    WasmcInstance *m = s->members[i];
    *VMCTX_AT(m->vmctx, m->desc->stack_limit_offset, uintptr_t) = thread_limit;
  }
  innermost = &e;
  if (sigsetjmp(e.jmp, 0) == 0) {
    tramp(callee, caller, fn, slots);
    innermost = e.prev;
    return WASMC_TRAP_NONE;
  }
  innermost = e.prev; /* reached by siglongjmp from trap.c */
  return (WasmcTrap)e.trap;
}

WasmcTrap wasmc_rt_call_func(WasmcInstance *inst, uint32_t func, const WasmcVal *args,
                             size_t nargs, WasmcVal *results, size_t nresults) {
  const WasmcModuleDesc *d = inst->desc;
  if (func >= d->num_funcs) return WASMC_TRAP_INVALID_CALL;
  const char *sig = d->types[d->func_types[func]];
  uint32_t np = rt_sig_params(sig), nr = rt_sig_results(sig);
  if (nargs != np || nresults != nr) return WASMC_TRAP_INVALID_CALL;
  WasmcFuncRef *fr = rt_funcref(inst, func);
  if (!fr->tramp) return WASMC_TRAP_INVALID_CALL; /* the compiler emitted no trampoline */
  size_t n = np > nr ? np : nr;
  WasmcVal slots[n ? n : 1];
  if (np) memcpy(slots, args, np * sizeof *slots);
  WasmcTrap t = rt_enter(inst, fr->tramp, fr->vmctx, inst->vmctx, fr->code, slots);
  if (t == WASMC_TRAP_NONE && nr) memcpy(results, slots, nr * sizeof *slots);
  return t;
}

WasmcTrap wasmc_rt_call(WasmcInstance *inst, const char *name, const WasmcVal *args,
                        size_t nargs, WasmcVal *results, size_t nresults) {
  return wasmc_rt_call_n(inst, name, strlen(name), args, nargs, results, nresults);
}

WasmcTrap wasmc_rt_call_n(WasmcInstance *inst, const char *name, size_t name_len,
                          const WasmcVal *args, size_t nargs, WasmcVal *results,
                          size_t nresults) {
  const WasmcModuleDesc *d = inst->desc;
  for (uint32_t e = 0; e < d->num_exports; e++) {
    const WasmcExport *x = &d->exports[e];
    if (x->kind == WASMC_EXTERN_FUNC && wasmc_rt_export_name_len(d, e) == name_len &&
        memcmp(x->name, name, name_len) == 0)
      return wasmc_rt_call_func(inst, x->index, args, nargs, results, nresults);
  }
  return WASMC_TRAP_INVALID_CALL;
}
