/* objwriter/obj_internal.h — the object model's records and what the format
 * writers share (checking, relocation order, atomic output). Only files in
 * objwriter/ include this; everyone else goes through obj.h. */
#ifndef WASMC_OBJWRITER_OBJ_INTERNAL_H
#define WASMC_OBJWRITER_OBJ_INTERNAL_H

#include "../support/arena.h"
#include "obj.h"

#include <stdio.h>
#include <stdlib.h>

/* Misuse of the builder API (a foreign id, a bad alignment) is a compiler
 * bug, never an input error: abort with file:line, also in release builds
 * (where assert() is compiled out and a bad id would corrupt memory). */
#define OBJ_ASSERT(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "wasmc: internal error: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                       \
        }                                                                                  \
    } while (0)

typedef struct ObjSectionRec {
    const char *name;    /* arena copy */
    ObjSectionKind kind;
    uint32_t align;      /* power of two >= 1 */
    uint8_t *bytes;      /* heap, NULL for BSS */
    uint64_t size;       /* bytes appended, or reserved size for BSS */
    size_t cap;          /* allocated bytes */
    ObjSymbol secsym;    /* its obj_section_symbol(), or none yet */
} ObjSectionRec;

typedef struct ObjSymbolRec {
    const char *name;    /* arena copy; "" for section symbols */
    ObjSection section;  /* none = undefined */
    uint64_t offset, size;
    ObjBinding bind;
    ObjSymbolType type;
    ObjVisibility vis;
} ObjSymbolRec;

typedef struct ObjRelocRec {
    ObjSection section;  /* the section whose bytes are patched */
    uint64_t offset;     /* of the field within section */
    ObjRelocKind kind;
    ObjSymbol sym;
    int64_t addend;      /* see obj.h for the neutral convention */
} ObjRelocRec;

struct Obj {
    ObjTarget target;
    Arena arena;              /* names */
    ObjSectionRec *secs;      /* secs[id - 1] */
    uint32_t nsecs, secs_cap;
    ObjSymbolRec *syms;       /* syms[id - 1] */
    uint32_t nsyms, syms_cap;
    ObjRelocRec *relocs;      /* in the order added */
    uint32_t nrelocs, relocs_cap;
    uint32_t *names;          /* open-addressed: symbol id of the first symbol per name, 0 = empty */
    uint32_t names_cap;       /* power of two, kept at most half full */
    ObjSymbol dup;            /* first non-local symbol whose name was already non-local, or none */
};

static inline ObjSectionRec *obj_sec(const Obj *o, ObjSection s)
{
    return &o->secs[s.id - 1];
}
static inline ObjSymbolRec *obj_sym(const Obj *o, ObjSymbol s)
{
    return &o->syms[s.id - 1];
}

/* The relocations grouped by section and sorted by offset, built by
 * obj_check(): positions start[id] .. start[id + 1] - 1 of order[] hold the
 * indices (into o->relocs) of section id's relocations. */
typedef struct ObjRelocOrder {
    uint32_t *order;     /* nrelocs entries */
    uint32_t *start;     /* nsecs + 2 entries, indexed by section id */
} ObjRelocOrder;

/* Format-neutral checks of everything the input could get wrong; on success
 * fills ord (arena-allocated from a). */
bool obj_check(const Obj *o, Arena *a, ObjRelocOrder *ord, WasmcError *err);

/* Atomic output: data goes to a temporary file next to the destination,
 * which is renamed over it only by obj_out_commit(). */
typedef struct ObjOutFile {
    int fd;              /* what the writer writes to; -1 once closed */
    const char *path;    /* destination (borrowed) */
    char *tmp;           /* temporary path (heap), or NULL when spooling */
    FILE *spool;         /* for a non-regular destination: an anonymous tmpfile() */
    int dest_fd;         /* that destination, opened; -1 otherwise */
} ObjOutFile;

bool obj_out_open(ObjOutFile *f, const char *path, WasmcError *err);
/* Closes and renames; on any failure removes the temporary. */
bool obj_out_commit(ObjOutFile *f, WasmcError *err);
/* Closes and removes the temporary. Safe after a failed commit. */
void obj_out_abort(ObjOutFile *f);

/* elf.c */
bool elf_write(const Obj *o, const char *path, WasmcError *err);

#endif
