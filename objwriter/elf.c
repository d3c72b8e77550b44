/* objwriter/elf.c — the neutral object model as an ELF64 relocatable object
 * (ET_REL), written with libelf (elfutils). Reference: the System V gABI
 * ("Object Files") and the x86-64 psABI (relocation types, 4.4).
 *
 * Section header table, in this order (indices are fixed before anything is
 * written, because symbols and relocation sections refer to them):
 *     0            null
 *     1 .. n       the object's sections, in the order they were added
 *     n + 1        .note.GNU-stack (empty: the code needs no executable stack)
 *     ...          .rela.<sec> for each section that has relocations
 *     then         .symtab, .strtab, .shstrtab
 * The symbol table holds the null symbol, then every local symbol (section
 * symbols included), then the globals and weaks; sh_info is the index of the
 * first non-local, as the gABI requires. Relocations within a .rela section
 * are sorted by offset (obj_check() ordered them).
 *
 * All scratch memory (symbol, relocation and string tables) comes from one
 * arena that outlives elf_end(): libelf only points at our buffers. */
#include "obj_internal.h"

#include <gelf.h>
#include <libelf.h>
#include <string.h>

typedef struct ElfStrtab {
    char *buf;
    size_t len, cap; /* cap is exact: sized by a counting pass */
} ElfStrtab;

/* Appends s (with its NUL) and returns its offset. Offset 0 is the empty
 * string every ELF string table starts with. */
static uint32_t strtab_add(ElfStrtab *t, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n == 1)
        return 0;
    uint32_t at = (uint32_t)t->len;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    return at;
}

static bool is_reserved_name(const char *name)
{
    static const char *const reserved[] = { ".symtab", ".strtab", ".shstrtab",
                                            ".note.GNU-stack", ".symtab_shndx" };
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return true;
    return strncmp(name, ".rela", 5) == 0 || strncmp(name, ".rel.", 5) == 0;
}

static bool elf_reloc_type(ObjRelocKind k, uint32_t *type)
{
    switch (k) {
    case OBJ_RELOC_ABS64: *type = R_X86_64_64; return true;
    case OBJ_RELOC_ABS32: *type = R_X86_64_32; return true;
    case OBJ_RELOC_ABS32S: *type = R_X86_64_32S; return true;
    case OBJ_RELOC_CALL_PLT32: *type = R_X86_64_PLT32; return true;
    case OBJ_RELOC_PC32: *type = R_X86_64_PC32; return true;
    }
    return false;
}

static void section_header(const ObjSectionRec *r, uint32_t *type, uint64_t *flags)
{
    switch (r->kind) {
    case OBJ_SEC_TEXT: *type = SHT_PROGBITS; *flags = SHF_ALLOC | SHF_EXECINSTR; return;
    case OBJ_SEC_RODATA: *type = SHT_PROGBITS; *flags = SHF_ALLOC; return;
    case OBJ_SEC_DATA: *type = SHT_PROGBITS; *flags = SHF_ALLOC | SHF_WRITE; return;
    case OBJ_SEC_BSS: *type = SHT_NOBITS; *flags = SHF_ALLOC | SHF_WRITE; return;
    case OBJ_SEC_NOTE: *type = SHT_NOTE; *flags = 0; return;
    case OBJ_SEC_CUSTOM:
    case OBJ_SEC_DEBUG: *type = SHT_PROGBITS; *flags = 0; return;
    }
    *type = SHT_PROGBITS;
    *flags = 0;
}

static unsigned char elf_bind(ObjBinding b)
{
    return b == OBJ_BIND_LOCAL ? STB_LOCAL : b == OBJ_BIND_WEAK ? STB_WEAK : STB_GLOBAL;
}

static unsigned char elf_symtype(ObjSymbolType t)
{
    switch (t) {
    case OBJ_SYMT_FUNC: return STT_FUNC;
    case OBJ_SYMT_OBJECT: return STT_OBJECT;
    case OBJ_SYMT_SECTION: return STT_SECTION;
    case OBJ_SYMT_NONE: break;
    }
    return STT_NOTYPE;
}

/* Adds a section with one data buffer (or none if buf is NULL and size 0)
 * and fills its header. For SHT_NOBITS, buf is NULL and size is the size. */
static bool add_scn(Elf *e, uint32_t name, uint32_t type, uint64_t flags, uint32_t link,
                    uint32_t info, uint64_t align, uint64_t entsize, Elf_Type dtype,
                    void *buf, uint64_t size, WasmcError *err)
{
    Elf_Scn *scn = elf_newscn(e);
    if (!scn)
        return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
    if (buf || size) {
        Elf_Data *d = elf_newdata(scn);
        if (!d)
            return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
        d->d_buf = buf;
        d->d_size = size;
        d->d_type = dtype;
        d->d_align = align;
        d->d_off = 0;
        d->d_version = EV_CURRENT;
    }
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh))
        return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
    sh.sh_name = name;
    sh.sh_type = type;
    sh.sh_flags = flags;
    sh.sh_link = link;
    sh.sh_info = info;
    sh.sh_addralign = align;
    sh.sh_entsize = entsize;
    if (type == SHT_NOBITS)
        sh.sh_size = size;
    if (!gelf_update_shdr(scn, &sh))
        return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
    return true;
}

/* Everything computed before the file is opened. */
typedef struct ElfLayout {
    ObjRelocOrder ord;
    uint32_t *rela_index;   /* per section id: index of its .rela section, 0 if none */
    uint32_t note_index, symtab_index, strtab_index, shstrtab_index, nscns;
    Elf64_Sym *syms;        /* nsyms_elf entries, locals first */
    uint32_t nsyms_elf, first_global;
    uint32_t *sym_index;    /* per symbol id: its index in syms */
    ElfStrtab strtab, shstrtab;
    uint32_t *sec_name;     /* per section id: offset in shstrtab */
    uint32_t note_name, symtab_name, strtab_name, shstrtab_name;
    uint32_t *rela_name;    /* per section id */
} ElfLayout;

static bool elf_plan(const Obj *o, Arena *a, ElfLayout *l, WasmcError *err)
{
    for (uint32_t i = 0; i < o->nsecs; i++)
        if (is_reserved_name(o->secs[i].name))
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "section name '%s' is reserved for the ELF writer",
                              o->secs[i].name);
    if (!obj_check(o, a, &l->ord, err))
        return false;

    /* Section indices. */
    uint32_t next = o->nsecs + 1;
    l->note_index = next++;
    l->rela_index = arena_array(a, (size_t)o->nsecs + 1, sizeof *l->rela_index);
    for (uint32_t id = 1; id <= o->nsecs; id++)
        if (l->ord.start[id + 1] > l->ord.start[id])
            l->rela_index[id] = next++;
    l->symtab_index = next++;
    l->strtab_index = next++;
    l->shstrtab_index = next++;
    l->nscns = next;
    /* Beyond this, st_shndx and e_shstrndx need the SHN_XINDEX escapes,
     * which one object per module never comes near. */
    if (l->nscns >= SHN_LORESERVE)
        return wasmc_fail(err, WASMC_NO_OFFSET, "too many sections (%u)", l->nscns);

    /* Section name table: every name once, ".rela" + name for relocations. */
    size_t cap = 1 + sizeof ".note.GNU-stack" + sizeof ".symtab" + sizeof ".strtab"
                 + sizeof ".shstrtab";
    for (uint32_t i = 0; i < o->nsecs; i++)
        cap += 2 * (strlen(o->secs[i].name) + 1) + 5;
    l->shstrtab = (ElfStrtab){ arena_alloc(a, cap), 1, cap };
    l->sec_name = arena_array(a, (size_t)o->nsecs + 1, sizeof *l->sec_name);
    l->rela_name = arena_array(a, (size_t)o->nsecs + 1, sizeof *l->rela_name);
    char *tmp = arena_alloc(a, cap);
    for (uint32_t id = 1; id <= o->nsecs; id++) {
        const char *name = obj_sec(o, (ObjSection){ id })->name;
        l->sec_name[id] = strtab_add(&l->shstrtab, name);
        if (l->rela_index[id]) {
            strcpy(tmp, ".rela");
            strcat(tmp, name);
            l->rela_name[id] = strtab_add(&l->shstrtab, tmp);
        }
    }
    l->note_name = strtab_add(&l->shstrtab, ".note.GNU-stack");
    l->symtab_name = strtab_add(&l->shstrtab, ".symtab");
    l->strtab_name = strtab_add(&l->shstrtab, ".strtab");
    l->shstrtab_name = strtab_add(&l->shstrtab, ".shstrtab");

    /* Symbol table: index 0 is the null symbol, then locals, then the rest. */
    size_t strcap = 1;
    for (uint32_t i = 0; i < o->nsyms; i++)
        strcap += strlen(o->syms[i].name) + 1;
    l->strtab = (ElfStrtab){ arena_alloc(a, strcap), 1, strcap };
    l->nsyms_elf = o->nsyms + 1;
    l->syms = arena_array(a, l->nsyms_elf, sizeof *l->syms);
    l->sym_index = arena_array(a, (size_t)o->nsyms + 1, sizeof *l->sym_index);
    uint32_t n = 1;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            l->first_global = n;
        for (uint32_t id = 1; id <= o->nsyms; id++) {
            const ObjSymbolRec *r = obj_sym(o, (ObjSymbol){ id });
            if ((r->bind == OBJ_BIND_LOCAL) != (pass == 0))
                continue;
            Elf64_Sym *s = &l->syms[n];
            s->st_name = strtab_add(&l->strtab, r->name);
            s->st_info = ELF64_ST_INFO(elf_bind(r->bind), elf_symtype(r->type));
            s->st_other = r->vis == OBJ_VIS_HIDDEN ? STV_HIDDEN : STV_DEFAULT;
            s->st_shndx = (Elf64_Section)(r->section.id ? r->section.id : SHN_UNDEF);
            s->st_value = r->offset;
            s->st_size = r->size;
            l->sym_index[id] = n++;
        }
    }
    return true;
}

static bool elf_emit(const Obj *o, Arena *a, const ElfLayout *l, int fd, const char *path,
                     WasmcError *err)
{
    Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
    if (!e)
        return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
    bool ok = false;
    GElf_Ehdr eh;
    if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
        goto libelf_fail;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_REL;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_shstrndx = (Elf64_Half)l->shstrtab_index;
    if (!gelf_update_ehdr(e, &eh))
        goto libelf_fail;

    for (uint32_t id = 1; id <= o->nsecs; id++) {
        const ObjSectionRec *r = obj_sec(o, (ObjSection){ id });
        uint32_t type;
        uint64_t flags;
        section_header(r, &type, &flags);
        /* libelf never writes through d_buf for ELF_T_BYTE: the cast only
         * satisfies its non-const field. */
        if (!add_scn(e, l->sec_name[id], type, flags, 0, 0, r->align, 0, ELF_T_BYTE,
                     (void *)r->bytes, r->size, err))
            goto fail;
    }
    if (!add_scn(e, l->note_name, SHT_PROGBITS, 0, 0, 0, 1, 0, ELF_T_BYTE, NULL, 0, err))
        goto fail;
    for (uint32_t id = 1; id <= o->nsecs; id++) {
        if (!l->rela_index[id])
            continue;
        uint32_t from = l->ord.start[id], to = l->ord.start[id + 1];
        Elf64_Rela *rela = arena_array(a, to - from, sizeof *rela);
        for (uint32_t i = from; i < to; i++) {
            const ObjRelocRec *r = &o->relocs[l->ord.order[i]];
            uint32_t type;
            if (!elf_reloc_type(r->kind, &type)) {
                wasmc_fail(err, WASMC_NO_OFFSET, "relocation kind %d has no ELF x86-64 form",
                           (int)r->kind);
                goto fail;
            }
            rela[i - from].r_offset = r->offset;
            rela[i - from].r_info = ELF64_R_INFO(l->sym_index[r->sym.id], type);
            rela[i - from].r_addend = r->addend;
        }
        if (!add_scn(e, l->rela_name[id], SHT_RELA, SHF_INFO_LINK, l->symtab_index, id, 8,
                     sizeof(Elf64_Rela), ELF_T_RELA, rela, (uint64_t)(to - from) * sizeof *rela,
                     err))
            goto fail;
    }
    if (!add_scn(e, l->symtab_name, SHT_SYMTAB, 0, l->strtab_index, l->first_global, 8,
                 sizeof(Elf64_Sym), ELF_T_SYM, l->syms, (uint64_t)l->nsyms_elf * sizeof(Elf64_Sym),
                 err))
        goto fail;
    if (!add_scn(e, l->strtab_name, SHT_STRTAB, 0, 0, 0, 1, 0, ELF_T_BYTE, l->strtab.buf,
                 l->strtab.len, err))
        goto fail;
    if (!add_scn(e, l->shstrtab_name, SHT_STRTAB, 0, 0, 0, 1, 0, ELF_T_BYTE, l->shstrtab.buf,
                 l->shstrtab.len, err))
        goto fail;

    if (elf_update(e, ELF_C_WRITE) < 0)
        goto libelf_fail;
    ok = true;
    goto done;
libelf_fail:
    wasmc_fail(err, WASMC_NO_OFFSET, "cannot write '%s': libelf: %s", path, elf_errmsg(-1));
fail:
done:
    elf_end(e);
    return ok;
}

bool elf_write(const Obj *o, const char *path, WasmcError *err)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return wasmc_fail(err, WASMC_NO_OFFSET, "libelf: %s", elf_errmsg(-1));
    Arena a;
    arena_init(&a);
    ElfLayout l;
    memset(&l, 0, sizeof l);
    ObjOutFile f;
    bool ok = false;
    /* Plan first: a bad object fails before any file is created. */
    if (!elf_plan(o, &a, &l, err))
        goto done;
    if (!obj_out_open(&f, path, err))
        goto done;
    if (!elf_emit(o, &a, &l, f.fd, path, err)) {
        obj_out_abort(&f);
        goto done;
    }
    ok = obj_out_commit(&f, err);
done:
    arena_free(&a);
    return ok;
}
