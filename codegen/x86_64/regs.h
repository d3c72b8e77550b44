/* x86-64 registers and System V AMD64 calling-convention facts, as data.
 *
 * One numbering for all physical registers: GPRs 0..15 in hardware order
 * (the low 3 bits go in ModRM/SIB/opcode, bit 3 in REX.R/X/B), XMM registers
 * 16..31 (hardware number = id - 16). A register set is a 32-bit mask with
 * bit `id` set, so the allocator can treat both classes alike.
 *
 * Source: System V Application Binary Interface, AMD64 Architecture Processor
 * Supplement, section 3.2 (register usage, parameter passing). */
#ifndef WASMC_CODEGEN_X86_64_REGS_H
#define WASMC_CODEGEN_X86_64_REGS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum X64Reg {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
    X64_XMM0, X64_XMM1, X64_XMM2, X64_XMM3, X64_XMM4, X64_XMM5, X64_XMM6, X64_XMM7,
    X64_XMM8, X64_XMM9, X64_XMM10, X64_XMM11, X64_XMM12, X64_XMM13, X64_XMM14, X64_XMM15,
    X64_NUM_REGS,
    X64_NOREG = 0xff,
} X64Reg;

typedef uint32_t X64RegSet; /* bit i = register i */

#define X64_REGSET(r) ((X64RegSet)1u << (r))

static inline bool x64_is_gpr(int r) { return r >= X64_RAX && r <= X64_R15; }
static inline bool x64_is_xmm(int r) { return r >= X64_XMM0 && r <= X64_XMM15; }
/* 4-bit hardware number (ModRM/SIB field + REX extension bit). */
static inline unsigned x64_hw(int r) { return (unsigned)r & 15u; }

/* All GPRs / XMMs. RSP is never allocatable; RBP is reserved as the frame
 * pointer so backtraces and debuggers can walk wasm frames. */
#define X64_ALL_GPRS ((X64RegSet)0x0000ffffu)
#define X64_ALL_XMMS ((X64RegSet)0xffff0000u)
#define X64_ALLOCATABLE \
    (X64_ALL_GPRS & ~(X64_REGSET(X64_RSP) | X64_REGSET(X64_RBP)) | X64_ALL_XMMS)

/* System V: integer arguments in order; classes INTEGER/POINTER. */
static const X64Reg x64_sysv_int_args[6] = { X64_RDI, X64_RSI, X64_RDX, X64_RCX, X64_R8, X64_R9 };
/* SSE arguments (floats, doubles) in order. */
static const X64Reg x64_sysv_float_args[8] = {
    X64_XMM0, X64_XMM1, X64_XMM2, X64_XMM3, X64_XMM4, X64_XMM5, X64_XMM6, X64_XMM7,
};
/* Integer results in RAX then RDX; float results in XMM0 then XMM1. */
static const X64Reg x64_sysv_int_rets[2] = { X64_RAX, X64_RDX };
static const X64Reg x64_sysv_float_rets[2] = { X64_XMM0, X64_XMM1 };

/* Preserved across calls: RBX, RBP, R12-R15 (and RSP). No XMM is preserved. */
#define X64_SYSV_CALLEE_SAVED                                                                  \
    (X64_REGSET(X64_RBX) | X64_REGSET(X64_RBP) | X64_REGSET(X64_R12) | X64_REGSET(X64_R13) | \
     X64_REGSET(X64_R14) | X64_REGSET(X64_R15))
/* Clobbered by a call: everything else except RSP. */
#define X64_SYSV_CALLER_SAVED (~(X64_SYSV_CALLEE_SAVED | X64_REGSET(X64_RSP)))

/* The stack pointer is 16-byte aligned at every call instruction (so
 * RSP % 16 == 8 on entry, after the return address is pushed). */
#define X64_SYSV_STACK_ALIGN 16
/* Leaf functions may use 128 bytes below RSP without moving it; signal
 * handlers will not clobber it. */
#define X64_SYSV_RED_ZONE 128
/* Variadic calls pass the number of vector registers used in AL. */
#define X64_SYSV_VARARG_COUNT_REG X64_RAX

/* Register names for a given operand size in bytes (1, 2, 4, 8); XMM names
 * ignore the size. Without the "%" prefix. */
const char *x64_reg_name(X64Reg r, unsigned size);

#endif
