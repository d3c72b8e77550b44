/* objwriter/obj.h — the format-neutral object model (DESIGN.md 1-2).
 *
 * Codegen and the driver build an Obj (sections, symbols, relocations) and
 * hand it to obj_write(), which picks the writer for the target's object
 * format (elf.c today; macho.c and coff.c later). Nothing here knows about
 * the IR or wasm, and no writer prints or exits: failures come back as a
 * WasmcError.
 *
 * Invariants and conventions:
 *  - Sections and symbols are dense 1-based ids wrapped in one-member structs
 *    (id 0 means "none"), so a section cannot be passed where a symbol is
 *    expected. Ids stay valid until obj_free().
 *  - Passing an id that does not belong to the object is a caller bug and
 *    asserts. Anything the input could cause (duplicate global names, a
 *    relocation past the end of its section, an undefined local symbol) is
 *    checked by obj_write() and reported as an error instead.
 *  - Relocations are neutral: the value stored at the field is computed as
 *        absolute kinds:      S + A
 *        pc-relative kinds:   S + A - P   (P = address of the field itself)
 *    so an x86-64 `call rel32` uses addend -4 (the field is the last 4 bytes
 *    of the instruction). This is exactly ELF RELA; the Mach-O and COFF
 *    writers will convert (both measure from the end of the field and keep
 *    the addend in the section bytes).
 *  - DWARF sections are ordinary OBJ_SEC_DEBUG sections; their references to
 *    other sections are relocations against obj_section_symbol().
 */
#ifndef WASMC_OBJWRITER_OBJ_H
#define WASMC_OBJWRITER_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../support/diag.h"

/* ---- targets ----------------------------------------------------------- */

typedef enum ObjTarget {
    OBJ_TARGET_X86_64_LINUX,   /* ELF64, EM_X86_64: implemented */
    OBJ_TARGET_AARCH64_LINUX,  /* ELF64, EM_AARCH64: not yet */
    OBJ_TARGET_X86_64_MACOS,   /* Mach-O: not yet */
    OBJ_TARGET_X86_64_WINDOWS, /* COFF: not yet */
} ObjTarget;

typedef enum ObjFormat { OBJ_FORMAT_ELF, OBJ_FORMAT_MACHO, OBJ_FORMAT_COFF } ObjFormat;
typedef enum ObjArch { OBJ_ARCH_X86_64, OBJ_ARCH_AARCH64 } ObjArch;

ObjFormat obj_target_format(ObjTarget t);
ObjArch obj_target_arch(ObjTarget t);
/* "x86_64-linux", ... as spelled by --target; NULL-safe parse below. */
const char *obj_target_name(ObjTarget t);
bool obj_target_parse(const char *name, ObjTarget *out);

/* ---- handles ----------------------------------------------------------- */

typedef struct Obj Obj;
typedef struct ObjSection { uint32_t id; } ObjSection; /* 0 = none */
typedef struct ObjSymbol { uint32_t id; } ObjSymbol;   /* 0 = none */

#define OBJ_NO_SECTION ((ObjSection){ 0 })
#define OBJ_NO_SYMBOL ((ObjSymbol){ 0 })

/* ---- sections ---------------------------------------------------------- */

typedef enum ObjSectionKind {
    OBJ_SEC_TEXT,   /* code: allocated, executable */
    OBJ_SEC_RODATA, /* allocated, read-only */
    OBJ_SEC_DATA,   /* allocated, writable, initialised */
    OBJ_SEC_BSS,    /* allocated, writable, zero-filled: a size, no bytes */
    OBJ_SEC_NOTE,   /* not allocated; bytes are notes (see obj_append_note) */
    OBJ_SEC_CUSTOM, /* not allocated; arbitrary bytes kept by the linker */
    OBJ_SEC_DEBUG,  /* not allocated; DWARF (.debug_info, .debug_line, ...) */
} ObjSectionKind;

/* align is a power of two >= 1 (asserted). The name is copied. Names the
 * writer owns (".symtab", ".rela.*", ".note.GNU-stack", ...) and duplicate
 * names are rejected by obj_write(). */
ObjSection obj_add_section(Obj *o, const char *name, ObjSectionKind kind, uint32_t align);
/* Appends n bytes (copied) and returns the offset they start at. Not for
 * OBJ_SEC_BSS (asserted). */
uint64_t obj_append(Obj *o, ObjSection s, const void *bytes, size_t n);
/* Pads the section to a multiple of align (power of two) and raises the
 * section's alignment if needed; returns the new size. Text is padded with
 * the target's trap instruction (x86 int3), other sections with zeros, and
 * BSS just grows. */
uint64_t obj_align(Obj *o, ObjSection s, uint32_t align);
/* Reserves n zero bytes in a BSS section at the given alignment; returns the
 * offset of the reserved space. */
uint64_t obj_reserve_bss(Obj *o, ObjSection s, uint64_t n, uint32_t align);
/* Overwrites bytes already appended (offset + n <= size, asserted): for
 * fixups resolved after emission. */
void obj_patch(Obj *o, ObjSection s, uint64_t offset, const void *bytes, size_t n);
/* Appends one note (ELF layout: namesz, descsz, type, name, desc, 4-byte
 * padded) to an OBJ_SEC_NOTE section; returns its offset. */
uint64_t obj_append_note(Obj *o, ObjSection s, const char *owner, uint32_t type,
                         const void *desc, size_t desc_len);
uint64_t obj_section_size(const Obj *o, ObjSection s);
ObjSection obj_find_section(const Obj *o, const char *name);

/* ---- symbols ----------------------------------------------------------- */

typedef enum ObjBinding { OBJ_BIND_LOCAL, OBJ_BIND_GLOBAL, OBJ_BIND_WEAK } ObjBinding;
typedef enum ObjSymbolType {
    OBJ_SYMT_NONE,
    OBJ_SYMT_FUNC,
    OBJ_SYMT_OBJECT,
    OBJ_SYMT_SECTION, /* only made by obj_section_symbol() */
} ObjSymbolType;
typedef enum ObjVisibility { OBJ_VIS_DEFAULT, OBJ_VIS_HIDDEN } ObjVisibility;

typedef struct ObjSymbolDef {
    const char *name;     /* copied; non-empty */
    ObjSection section;   /* OBJ_NO_SECTION: undefined (must not be local) */
    uint64_t offset;      /* from the start of section */
    uint64_t size;        /* bytes; 0 if unknown */
    ObjBinding bind;
    ObjSymbolType type;
    ObjVisibility vis;
} ObjSymbolDef;

ObjSymbol obj_add_symbol(Obj *o, const ObjSymbolDef *def);
/* Shorthand: a global, default-visibility, untyped undefined symbol, or the
 * existing symbol of that name if there is one (externals are deduplicated). */
ObjSymbol obj_add_undefined(Obj *o, const char *name);
/* Gives a symbol declared without a section (a forward reference) its
 * definition. Binding, type and visibility are fixed at declaration: declare
 * a module-internal function as a LOCAL FUNC with OBJ_NO_SECTION, point
 * relocations at it, and define it once emitted (an undefined local is an
 * error at write time). */
void obj_define_symbol(Obj *o, ObjSymbol sym, ObjSection s, uint64_t offset, uint64_t size);
/* A symbol's name ("" for section symbols), valid while the object lives. */
const char *obj_symbol_name(const Obj *o, ObjSymbol s);
/* The first symbol added under that name, or OBJ_NO_SYMBOL. */
ObjSymbol obj_find_symbol(const Obj *o, const char *name);
/* A local symbol standing for the start of section s (ELF STT_SECTION), for
 * section-relative relocations such as DWARF offsets. Made once per section. */
ObjSymbol obj_section_symbol(Obj *o, ObjSection s);

/* ---- relocations ------------------------------------------------------- */

typedef enum ObjRelocKind {
    OBJ_RELOC_ABS64,      /* 8 bytes: S + A                    (ELF R_X86_64_64) */
    OBJ_RELOC_ABS32,      /* 4 bytes: S + A, zero-extends      (R_X86_64_32) */
    OBJ_RELOC_ABS32S,     /* 4 bytes: S + A, sign-extends      (R_X86_64_32S) */
    OBJ_RELOC_CALL_PLT32, /* 4 bytes: S + A - P, call/jmp; may go through a PLT (R_X86_64_PLT32) */
    OBJ_RELOC_PC32,       /* 4 bytes: S + A - P, data, no GOT  (R_X86_64_PC32) */
} ObjRelocKind;

/* Bytes of the field a relocation kind patches. */
unsigned obj_reloc_size(ObjRelocKind k);
/* A relocation of field [offset, offset + obj_reloc_size(kind)) in section s
 * against sym. Range and overlap are checked by obj_write(). */
void obj_add_reloc(Obj *o, ObjSection s, uint64_t offset, ObjRelocKind kind, ObjSymbol sym,
                   int64_t addend);

/* ---- lifetime and output ----------------------------------------------- */

Obj *obj_new(ObjTarget target);
void obj_free(Obj *o);
ObjTarget obj_target(const Obj *o);

/* Checks the object and writes it to path in the target's format. The file
 * appears atomically: it is written to a temporary next to path and renamed
 * over it only on success; on failure no file is left behind and an existing
 * file at path is untouched. Returns false and fills err on failure. */
bool obj_write(const Obj *o, const char *path, WasmcError *err);

#endif
