/* CodeBuf: the byte sink every target emits into (STYLE.md 4, "Emission").
 *
 * It owns, for one function (or one blob of glue code):
 *   - the bytes, in a growable heap buffer;
 *   - labels: positions in the buffer that may be referenced before they are
 *     bound. A reference is a fix-up (rel8 or rel32, PC-relative); it is
 *     patched at bind time if the label is still unbound when used, or at
 *     once if it is already bound. Nothing is left for cb_finalize except
 *     reporting labels that were used but never bound;
 *   - relocations against external symbols, in format-neutral kinds that
 *     objwriter maps onto ELF/Mach-O/COFF;
 *   - the trap-site table (code offset -> trap code) the runtime uses to turn
 *     a fault at that offset into a wasm trap;
 *   - source locations (code offset -> wasm byte offset) for DWARF lines.
 *
 * Branch sizing: no relaxation pass. Targets choose the fix-up size when they
 * emit the branch; the x86-64 encoder uses rel32 for every label branch,
 * which is always correct and costs a few bytes per forward jump.
 *
 * Symbols are caller-chosen 32-bit ids: the codegen maps them to names when
 * it hands the function to objwriter, so this layer never sees strings. */
#ifndef WASMC_CODEGEN_CODEBUF_H
#define WASMC_CODEGEN_CODEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../support/diag.h"

/* A label id; 0 is "no label" (STYLE.md 2: id 0 reserved). */
typedef struct CgLabel {
    uint32_t id;
} CgLabel;

typedef enum CgFixupKind {
    CG_FIXUP_REL8,  /* 1-byte signed displacement */
    CG_FIXUP_REL32, /* 4-byte signed displacement, little endian */
} CgFixupKind;

/* Format-neutral relocation kinds. The value written is, with S the symbol
 * address, A the addend and P the address of the relocated field:
 *   CG_RELOC_ABS64      S + A, 8 bytes      (ELF R_X86_64_64)
 *   CG_RELOC_PC32       S + A - P, 4 bytes  (ELF R_X86_64_PC32)
 *   CG_RELOC_CALL_PC32  S + A - P, 4 bytes, a call target that the linker may
 *                       route through a PLT  (ELF R_X86_64_PLT32)
 * On x86-64 the field is followed by the rest of the instruction, so A is
 * -(4 + bytes after the field), e.g. -4 for call rel32. */
typedef enum CgRelocKind {
    CG_RELOC_ABS64,
    CG_RELOC_PC32,
    CG_RELOC_CALL_PC32,
} CgRelocKind;

typedef struct CgReloc {
    uint32_t offset; /* of the relocated field, from the start of the buffer */
    CgRelocKind kind;
    uint32_t symbol; /* caller-defined symbol id */
    int64_t addend;
} CgReloc;

typedef struct CgTrapSite {
    uint32_t offset; /* code offset of the faulting / trapping instruction */
    uint32_t code;   /* trap code number (wasmc_rt.h trap codes) */
} CgTrapSite;

typedef struct CgSrcLoc {
    uint32_t offset;      /* code offset where this source position starts */
    uint32_t wasm_offset; /* byte offset in the wasm input */
} CgSrcLoc;

/* Internal records, exposed only so CodeBuf can be a plain struct. */
typedef struct CgLabelInfo {
    uint32_t pos;         /* bound offset, or CG_UNBOUND */
    uint32_t first_fixup; /* head of the pending fix-up list, 1-based, 0 = none */
} CgLabelInfo;

typedef struct CgFixup {
    uint32_t offset; /* of the field to patch */
    int32_t addend;  /* value = label_pos - offset + addend */
    uint32_t next;   /* next pending fix-up of the same label, 1-based, 0 = end */
    CgFixupKind kind;
} CgFixup;

#define CG_UNBOUND UINT32_MAX

typedef struct CodeBuf {
    uint8_t *data;
    uint32_t len, cap;

    CgLabelInfo *labels; /* index = label id; [0] unused */
    uint32_t nlabels, labels_cap;
    CgFixup *fixups;
    uint32_t nfixups, fixups_cap;
    CgReloc *relocs;
    uint32_t nrelocs, relocs_cap;
    CgTrapSite *traps;
    uint32_t ntraps, traps_cap;
    CgSrcLoc *srclocs;
    uint32_t nsrclocs, srclocs_cap;

    uint32_t range_error_at; /* offset of the first rel8 that did not fit, or CG_UNBOUND */
} CodeBuf;

void cb_init(CodeBuf *cb);
void cb_free(CodeBuf *cb);
/* Forget all contents but keep the allocations (reuse between functions). */
void cb_reset(CodeBuf *cb);

static inline uint32_t cb_offset(const CodeBuf *cb) { return cb->len; }

void cb_emit8(CodeBuf *cb, uint8_t b);
void cb_emit16(CodeBuf *cb, uint16_t v);
void cb_emit32(CodeBuf *cb, uint32_t v);
void cb_emit64(CodeBuf *cb, uint64_t v);
void cb_emit_bytes(CodeBuf *cb, const void *p, size_t n);
/* Overwrite already-emitted bytes (little endian). */
void cb_patch8(CodeBuf *cb, uint32_t offset, uint8_t v);
void cb_patch32(CodeBuf *cb, uint32_t offset, uint32_t v);
uint32_t cb_read32(const CodeBuf *cb, uint32_t offset);

/* Pad with `fill` bytes to a multiple of `align` (a power of two). Targets
 * that need executable padding use their own NOP filler (x64_align). */
void cb_align(CodeBuf *cb, uint32_t align, uint8_t fill);

CgLabel cb_new_label(CodeBuf *cb);
/* Bind the label to the current offset; patches every pending use. A label
 * is bound at most once. */
void cb_bind(CodeBuf *cb, CgLabel l);
static inline bool cb_is_bound(const CodeBuf *cb, CgLabel l) { return cb->labels[l.id].pos != CG_UNBOUND; }
/* Offset a bound label refers to. */
uint32_t cb_label_offset(const CodeBuf *cb, CgLabel l);
/* Emit a 1- or 4-byte field referring to `l`: it will hold
 * label_offset - field_offset + addend. On x86-64, addend is minus the
 * distance from the field to the end of the instruction (-4 for jmp rel32).
 * A jump-table entry i holding "target - table_start" is the field at
 * table_start + 4*i with addend 4*i. */
void cb_use_label(CodeBuf *cb, CgLabel l, CgFixupKind kind, int32_t addend);

/* Record a relocation whose field starts at `offset` (already emitted, or
 * emitted right after by the caller). */
void cb_add_reloc(CodeBuf *cb, uint32_t offset, CgRelocKind kind, uint32_t symbol, int64_t addend);
/* Emit the field (zeros, 4 or 8 bytes by kind) and record its relocation. */
void cb_emit_reloc(CodeBuf *cb, CgRelocKind kind, uint32_t symbol, int64_t addend);

void cb_add_trap(CodeBuf *cb, uint32_t offset, uint32_t code);
/* The next instruction emitted may trap with `code`. */
static inline void cb_trap_here(CodeBuf *cb, uint32_t code) { cb_add_trap(cb, cb->len, code); }
/* Record that code from the current offset on comes from wasm_offset.
 * Consecutive records with the same wasm offset are merged. */
void cb_set_srcloc(CodeBuf *cb, uint32_t wasm_offset);

/* Check that every used label was bound and every rel8 fix-up fitted, and
 * sort the trap table by offset (stable). Returns false with a message in
 * err otherwise; these are compiler bugs, reported as values so a fuzzer
 * sees a diagnostic rather than a crash. */
bool cb_finalize(CodeBuf *cb, WasmcError *err);

/* The trap code recorded at exactly `offset`, or -1. Trap table must be
 * sorted (after cb_finalize). */
int64_t cb_find_trap(const CodeBuf *cb, uint32_t offset);

#endif
