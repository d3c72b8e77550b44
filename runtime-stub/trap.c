/* trap.c — trap messages, wasmc_rt_trap, backtrace capture and printing.
 *
 * ************************************************************************************
 * SAFETY-CRITICAL: runs inside signal handlers. Everything here is async-signal-safe:
 * no malloc, no stdio, no locks; output goes through write(2).
 * ************************************************************************************
 *
 * Backtraces walk the rbp chain (compiled code and this runtime keep frame pointers).
 * The walk is bounded: each frame pointer must be 8-aligned, strictly increase, and lie
 * in [lo, hi) where hi is the innermost entry's frame, so a host frame compiled without
 * frame pointers ends the walk instead of sending it into foreign memory. Only PCs inside
 * registered wasm code are kept.
 */
#include "rt_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const trap_messages[WASMC_TRAP_COUNT_] = {
    [WASMC_TRAP_NONE] = "no trap",
#define MSG_(name, value, msg) [WASMC_TRAP_##name] = msg,
    WASMC_TRAP_LIST(MSG_)
#undef MSG_
};

const char *wasmc_rt_trap_message(uint32_t code) {
  return code < WASMC_TRAP_COUNT_ && trap_messages[code] ? trap_messages[code] : "unknown trap";
}

static _Thread_local WasmcTrapInfo last_trap;

const WasmcTrapInfo *wasmc_rt_last_trap(void) { return &last_trap; }

void rt_record_trap(uint32_t code, uintptr_t pc, uintptr_t fp, uintptr_t lo, uintptr_t hi) {
  WasmcTrapInfo *t = &last_trap;
  t->code = (WasmcTrap)code;
  t->pc = pc;
  t->num_frames = 0;
  if (pc && rt_registry_find(pc)) t->frames[t->num_frames++] = pc;
  while (t->num_frames < WASMC_MAX_FRAMES && fp >= lo && fp % 8 == 0 && hi - fp >= 16 &&
         fp < hi) {
    uintptr_t next = ((const uintptr_t *)fp)[0];
    uintptr_t ret = ((const uintptr_t *)fp)[1];
    /* ret - 1 lies inside the call instruction, so it names the calling function. */
    if (ret && rt_registry_find(ret - 1)) {
      if (!t->pc) t->pc = ret;
      t->frames[t->num_frames++] = ret - 1;
    }
    if (next <= fp) break;
    lo = fp;
    fp = next;
  }
}

/* ---- async-signal-safe output ------------------------------------------------------------- */

static void put(int fd, const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

static void put_uint(int fd, uint64_t v) {
  char buf[24];
  int i = (int)sizeof buf - 1;
  buf[i] = '\0';
  do buf[--i] = (char)('0' + v % 10); while ((v /= 10) && i > 0);
  put(fd, buf + i);
}

void wasmc_rt_print_backtrace(int fd, const WasmcTrapInfo *info) {
  put(fd, "wasm backtrace:\n");
  for (uint32_t i = 0; i < info->num_frames; i++) {
    const char *mod, *func;
    uint32_t index;
    if (!wasmc_rt_lookup_pc(info->frames[i], &mod, &func, &index)) continue;
    put(fd, "    ");
    put_uint(fd, i);
    put(fd, ": ");
    put(fd, mod ? mod : "<module>");
    put(fd, "!");
    if (func) {
      put(fd, func);
    } else if (index != UINT32_MAX) {
      put(fd, "<wasm function ");
      put_uint(fd, index);
      put(fd, ">");
    } else {
      put(fd, "<unknown>");
    }
    put(fd, "\n");
  }
}

_Noreturn void rt_unwind_or_die(uint32_t code) {
  RtEntry *e = rt_innermost_entry();
  if (e) {
    e->trap = code;
    siglongjmp(e->jmp, 1);
  }
  /* Wasm code called without an entry: the trap cannot be returned, so it ends the
   * process the way the standalone entry would report it. */
  put(2, "wasm trap: ");
  put(2, wasmc_rt_trap_message(code));
  put(2, "\n");
  wasmc_rt_print_backtrace(2, &last_trap);
  signal(SIGABRT, SIG_DFL);
  abort();
}

_Noreturn void wasmc_rt_trap(WasmcVmctx *vmctx, uint32_t code) {
  (void)vmctx;
  uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
  RtEntry *e = rt_innermost_entry();
  /* Without an entry there is no safe upper bound for the walk: keep only the caller. */
  rt_record_trap(code, e ? 0 : (uintptr_t)__builtin_return_address(0) - 1, fp, fp,
                 e ? e->frame_top : fp);
  rt_unwind_or_die(code);
}
