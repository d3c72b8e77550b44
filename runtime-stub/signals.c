/* signals.c — SIGSEGV/SIGBUS/SIGFPE/SIGILL handling and per-thread alternate stacks.
 *
 * ************************************************************************************
 * SAFETY-CRITICAL: decides whether a hardware fault is a wasm trap. Rule: a fault is a
 * trap iff it was raised by the kernel (si_code > 0), its PC is inside a registered
 * module's code range, and that exact PC is in the module's trap table. Anything else is
 * passed to the handler that was installed before ours, or, if that was the default,
 * re-raised with the default action: a real crash stays a crash.
 * ************************************************************************************
 *
 * Handlers run on an alternate signal stack (a wasm stack overflow that slipped past the
 * prologue check, or a fault near the stack limit, still has room to run). Each thread
 * that enters wasm gets a 64 KiB sigaltstack on its first entry unless it already has
 * one (ASan installs its own); it is freed by a thread-exit destructor.
 * Installation happens once per process (pthread_once), so it is thread-safe; the
 * previous actions are recorded once and never change afterwards.
 */
#include "rt_internal.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#define ALTSTACK_SIZE (64u << 10)

static const int trap_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define NUM_TRAP_SIGNALS (sizeof trap_signals / sizeof trap_signals[0])
static struct sigaction previous[NUM_TRAP_SIGNALS];
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static bool install_ok;
static pthread_key_t altstack_key;
static _Thread_local bool altstack_checked;

static void forward(int sig, siginfo_t *si, void *ctx) {
  for (size_t i = 0; i < NUM_TRAP_SIGNALS; i++) {
    if (trap_signals[i] != sig) continue;
    const struct sigaction *p = &previous[i];
    if ((p->sa_flags & SA_SIGINFO) && p->sa_sigaction) {
      p->sa_sigaction(sig, si, ctx);
      return;
    }
    if (!(p->sa_flags & SA_SIGINFO) && p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
      p->sa_handler(sig);
      return;
    }
  }
  /* Default action: returning re-executes the faulting instruction, which now kills the
   * process with the right signal. A signal sent by kill() would not recur: raise it. */
  signal(sig, SIG_DFL);
  if (si->si_code <= 0) raise(sig);
}

static void on_fault(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  const WasmcModuleDesc *d;
  uint32_t code;
  if (si->si_code > 0 && (d = rt_registry_find(pc)) && rt_trap_site_lookup(d, pc, &code)) {
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    RtEntry *e = rt_innermost_entry();
    /* The faulting function's own frame may not be set up yet (prologue); the walk
     * simply starts at whatever rbp holds, bounded by [sp, entry frame). */
    rt_record_trap(code, pc, fp, sp, e ? e->frame_top : sp);
    rt_unwind_or_die(code);
  }
  forward(sig, si, ctx);
}

static void free_altstack(void *p) {
  stack_t ss = {.ss_flags = SS_DISABLE};
  sigaltstack(&ss, NULL);
  munmap(p, ALTSTACK_SIZE);
}

static void install(void) {
  if (pthread_key_create(&altstack_key, free_altstack) != 0) return;
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < NUM_TRAP_SIGNALS; i++)
    if (sigaction(trap_signals[i], &sa, &previous[i]) != 0) return;
  install_ok = true;
}

bool rt_signals_install(void) {
  pthread_once(&install_once, install);
  return install_ok;
}

void rt_thread_altstack_ensure(void) {
  if (altstack_checked) return;
  altstack_checked = true;
  stack_t old;
  if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) &&
      old.ss_size >= ALTSTACK_SIZE / 2)
    return;
  void *p = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  stack_t ss = {.ss_sp = p, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) {
    munmap(p, ALTSTACK_SIZE);
    return;
  }
  pthread_setspecific(altstack_key, p);
}
