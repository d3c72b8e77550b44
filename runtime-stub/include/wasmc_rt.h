/* wasmc_rt.h — the runtime ABI between wasmc-compiled objects and libwasmc_rt.a.
 *
 * This header is the contract. The compiler includes it (and only it) from the runtime,
 * so both sides agree by construction; the runtime never includes a compiler header.
 * Anything the compiler emits that the runtime reads is described here: the calling
 * convention, the vmctx layout descriptor (WasmcModuleDesc), trap codes and the trap
 * table, the array-call trampolines, the helper functions compiled code calls, and the
 * C symbol names used to bind imports. Embedders use the second half (instantiate, call).
 *
 * Version: WASMC_RT_ABI_VERSION below. Any change to a struct, an enum value, a helper
 * signature or a naming rule bumps it; wasmc_rt_instantiate refuses descriptors whose
 * abi_version differs (a stale .o linked with a newer runtime fails loudly, not subtly).
 * History: 1 the first; 2 full reference types of globals and tables (WasmcRefType),
 * byte lengths of import and export names (names may contain NUL), the _n lookups.
 *
 * Target: x86-64 System V (Linux). aarch64 will use AAPCS64 with the same argument order.
 *
 * ========================================================================================
 * 1. CALLING CONVENTION
 * ========================================================================================
 * Every compiled wasm function, defined or imported, is a System V function
 *
 *     R f(WasmcVmctx *callee_vmctx, WasmcVmctx *caller_vmctx, P1 p1, P2 p2, ...)
 *
 * - callee_vmctx (rdi) is the instance context of the function's own instance. For a host
 *   (C) function bound to an import it is that host function's env pointer instead
 *   (WasmcExtern.func.env; NULL for functions bound by symbol name, section 5).
 * - caller_vmctx (rsi) is the vmctx of the calling wasm instance, so a host function can
 *   reach the caller's memory: wasmc_rt_memory_base(caller_vmctx, 0). When C calls a wasm
 *   function through wasmc_rt_call, caller_vmctx is the called instance's own vmctx.
 * - i32 -> int32_t/uint32_t, i64 -> int64_t, f32 -> float, f64 -> double,
 *   v128 -> __m128i (xmm), funcref/externref -> void * (NULL is the null reference).
 * - At most one result is returned in rax/xmm0. Functions with two or more results are
 *   called only through their array trampoline from outside compiled code; between
 *   compiled functions the compiler may use any internal convention for multi-value
 *   functions, but the *exported* entry point of such a function (the one stored in
 *   funcrefs and import slots) returns its results through a hidden last pointer argument
 *   `WasmcVal *results` (results[i] is result i, one 16-byte slot each).
 * - Compiled code keeps frame pointers (push rbp; mov rbp, rsp) in every function so the
 *   runtime can walk the stack for backtraces (trap.c). It is compiled with
 *   -fno-omit-frame-pointer itself for the same reason.
 * - The prologue of every compiled function that may recurse compares rsp against the
 *   stack-limit word of its vmctx (WasmcModuleDesc.stack_limit_offset) and, if
 *   rsp < limit, calls wasmc_rt_trap(vmctx, WASMC_TRAP_STACK_OVERFLOW). The word is 0 when
 *   no entry has set it (any rsp passes). Leaf functions (no calls) with frames of at most
 *   4 KiB skip the check, so they may run up to 4 KiB + 16 bytes below the limit; the
 *   runtime keeps at least 64 KiB of real stack below the limit for them and for the trap
 *   path (STACK_RESERVE in entry.c; the limit is clamped to the thread's stack bottom
 *   plus that reserve).
 *
 * ARRAY-CALL TRAMPOLINES. For every function type of a module that is used by an export,
 * a funcref, or an import the compiler emits one trampoline
 *
 *     void tramp(WasmcVmctx *callee_vmctx, WasmcVmctx *caller_vmctx,
 *                void *fn, WasmcVal *slots);
 *
 * which loads the parameters from slots[0..nparams), calls fn with the convention above,
 * and stores the results to slots[0..nresults). One slot per value, 16 bytes, 16-byte
 * aligned (WasmcVal); the array has max(nparams, nresults) slots. The caller_vmctx
 * argument (an addition to the first ABI sketch) lets a host function called through a
 * trampoline still see a real instance's memory. WasmcModuleDesc.type_tramps[t] is the
 * trampoline for type t (NULL if the module never needs one).
 *
 * ========================================================================================
 * 2. THE VMCTX
 * ========================================================================================
 * One vmctx per instance, allocated by the runtime (64-byte aligned, zero-filled),
 * vmctx_size bytes, laid out by the compiler and described by offsets in the descriptor.
 * Fixed parts (the runtime's helpers receive only a vmctx and must find the instance):
 *     offset 0 (WASMC_VMCTX_INSTANCE_OFFSET): WasmcInstance *, the owning instance
 * Everything else lives at descriptor-given offsets (all 8-byte aligned, 16 for globals):
 *   memory i   defined:  WasmcMemoryRecord  {base, length}            (inline, 16 bytes)
 *              imported: WasmcMemoryRecord *  -> the exporter's record (8 bytes)
 *   table i    defined:  WasmcTableRecord   {base, length, max}        (inline, 24 bytes)
 *              imported: WasmcTableRecord *   -> the exporter's record (8 bytes)
 *   global i   defined:  16 bytes of inline storage (value at offset 0, little endian;
 *                        references are a void * at offset 0)
 *              imported: void * -> the exporter's 16-byte storage
 *   imported function i: WasmcImportSlot {code, vmctx}                 (16 bytes)
 *   funcrefs:  WasmcFuncRef[num_funcs], one per function index (imports first); ref.func i
 *              is the address vmctx + funcrefs_offset + i * sizeof(WasmcFuncRef)
 *   type ids:  uint32_t[num_types], canonical type id of each module type, for
 *              call_indirect: the funcref's type_id must equal type_ids[typeidx]
 *   stack limit: uintptr_t (see wasmc_rt_set_stack_budget)
 * Records and bases may move: after any call (helper, import, call_indirect) compiled
 * code must reload memory base/length and table base/length from the record.
 *
 * ========================================================================================
 * 3. TRAPS
 * ========================================================================================
 * Explicit traps: compiled code calls wasmc_rt_trap(vmctx, code), which never returns.
 * Implicit traps: a faulting instruction (guard-page load/store, idiv, ud2) at
 * code_start + site.code_offset, listed in the descriptor's trap table (sorted by
 * code_offset, offsets of the *first byte of the faulting instruction*). The runtime's
 * SIGSEGV/SIGBUS/SIGFPE/SIGILL handler maps the faulting PC to the code and unwinds to
 * the innermost entry. A fault at a PC that is not in any trap table is a real crash:
 * the handler re-raises it with the previous/default action. x86 raises the same #DE
 * for divide-by-zero and INT_MIN/-1, so compiled code checks the overflow case
 * explicitly and the idiv's trap-table code is WASMC_TRAP_INT_DIV_ZERO.
 *
 * ========================================================================================
 * 4. INSTANTIATION (what the runtime does, in the spec's order)
 * ========================================================================================
 *  1. check abi_version; allocate the vmctx; store the instance pointer at offset 0;
 *  2. resolve every import (resolver callback, then the import's host_code symbol) and
 *     type-check it by the spec's import matching: functions by equal signatures; tables
 *     by equal element types (WasmcRefType), index type and limits; memories by index
 *     type, page size, sharing and limits; immutable globals by subtyping, mutable ones by
 *     equal types (an exported imported global has its exporter's type); write the
 *     import slots / record pointers / global pointers; an unresolved or mismatched
 *     import fails with WASMC_ERR_LINK before anything runs;
 *  3. create the defined memories (min pages committed) and tables (min null elements);
 *     fill funcrefs and type ids;
 *  4. call desc->init(vmctx, &out) (see WasmcInitFn): it stores every defined global's
 *     initial value into the vmctx, in order, and writes active segment offsets, table
 *     initial values and expression-element items into the runtime's arrays;
 *  5. fill defined tables with their initial values;
 *  6. for each element segment in order: active -> table.init(seg) then elem.drop;
 *     declarative -> elem.drop; an out-of-bounds segment traps (out of bounds table
 *     access) and aborts instantiation; effects of earlier segments stay (observable
 *     through imported tables), as the spec says;
 *  7. the same for data segments (memory.init then data.drop; out of bounds memory access);
 *  8. call the start function, if any, through an entry (a trap aborts instantiation).
 *
 * ========================================================================================
 * 5. SYMBOL NAMES
 * ========================================================================================
 * A compiled object for module prefix P (--module-name) defines:
 *     const WasmcModuleDesc P_module;          the descriptor
 * and references, weakly, for every function import "mod"."name":
 *     wasmc_import_<E(mod)>_<E(name)>          a host function with the calling convention
 * where E keeps [A-Za-z0-9_] and writes every other byte as "_x" followed by two
 * lowercase hex digits (wasmc_rt_import_symbol below computes it). Example:
 *     "wasi_snapshot_preview1"."fd_write" -> wasmc_import_wasi_snapshot_preview1_fd_write
 * The name is not injective ("a_b"."c" and "a"."b_c" collide); the compiler diagnoses a
 * collision within one module. The descriptor's WasmcImport.host_code is the address of
 * that weak symbol (NULL if nothing defines it), so linking a C object (or the WASI shim)
 * that defines the symbol satisfies the import without any registration.
 *
 * THREADS. The runtime's globals (module registry for PC lookup, signature interning,
 * named-instance registry, signal handler installation) are thread-safe. An instance and
 * every instance linked to it through imports (its "store") are used by one thread at a
 * time: the entry writes the thread's stack limit into all of them. Each thread that
 * enters wasm gets its own sigaltstack (allocated on its first entry, freed at exit).
 *
 * SANITIZERS. Under AddressSanitizer run with
 * ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0 so that
 * guard-page faults reach the runtime's handler (it forwards non-wasm faults to whatever
 * handler was installed before it, else to the default action).
 */
#ifndef WASMC_RT_H
#define WASMC_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMC_RT_ABI_VERSION 2u

/* ---- values and types ----------------------------------------------------------------- */

/* Value types are characters, so a signature is a readable C string.
 * Canonical signature grammar:   sig := valtype* ':' valtype*      (params ':' results)
 * e.g. "(i32, i64) -> f64" is "iI:F", "() -> ()" is ":".  Two function types are equal
 * iff their signature strings are equal; the runtime interns them into type ids. */
typedef enum WasmcValType {
  WASMC_TYPE_I32 = 'i',
  WASMC_TYPE_I64 = 'I',
  WASMC_TYPE_F32 = 'f',
  WASMC_TYPE_F64 = 'F',
  WASMC_TYPE_V128 = 'v',
  WASMC_TYPE_FUNCREF = 'r', /* nullable funcref: a WasmcFuncRef * */
  WASMC_TYPE_EXTERNREF = 'e', /* nullable externref: an opaque host void * */
} WasmcValType;

/* The rest of a reference type, beside its WasmcValType ('r': the func hierarchy, 'e': the
 * extern hierarchy), for globals, tables and the WasmcExtern of a global. All-zero is the
 * plain nullable funcref / externref. Signatures keep one character per value: a concrete
 * reference type there is 'r'.
 *   heap TOP:    func / extern        (ref null? func)
 *   heap BOTTOM: nofunc / noextern    (ref null? nofunc)
 *   heap TYPE:   'r' only, a concrete function type: in a WasmcModuleDesc (WasmcGlobalDef,
 *                WasmcTableDef) `type` is the module's type index (desc->types[type]);
 *                everywhere else (WasmcExtern, wasmc_rt_table_new) it is the canonical
 *                type id (wasmc_rt_intern_signature), as there is no module to index.
 * Subtyping (no GC): (ref null? ht1) <: (ref null? ht2) iff the nullability allows it
 * (non-null <: nullable, not the reverse) and BOTTOM <: ht2, ht1 <: TOP, or both are TYPE
 * with equal canonical ids. Different hierarchies never match. */
typedef enum WasmcHeapKind {
  WASMC_HEAP_TOP = 0,
  WASMC_HEAP_BOTTOM = 1,
  WASMC_HEAP_TYPE = 2,
} WasmcHeapKind;

typedef struct WasmcRefType {
  uint8_t heap;     /* WasmcHeapKind */
  uint8_t non_null; /* 1: (ref ht), 0: (ref null ht) */
  uint32_t type;    /* WASMC_HEAP_TYPE only, see above; else 0 */
} WasmcRefType;

/* One 16-byte slot: an argument/result of an array call or a global's storage. */
typedef union WasmcVal {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  uint8_t v128[16];
  void *ref;
  _Alignas(16) uint8_t slot_[16];
} WasmcVal;

typedef struct WasmcVmctx WasmcVmctx; /* opaque: bytes laid out per WasmcModuleDesc */
typedef struct WasmcInstance WasmcInstance;
typedef struct WasmcMemory WasmcMemory; /* runtime object behind a memory record */
typedef struct WasmcTable WasmcTable;

typedef void (*WasmcArrayTramp)(WasmcVmctx *callee_vmctx, WasmcVmctx *caller_vmctx, void *fn,
                                WasmcVal *slots);

/* ---- records inside the vmctx (section 2) ----------------------------------------------- */

typedef struct WasmcMemoryRecord {
  uint8_t *base;   /* first byte of linear memory */
  uint64_t length; /* accessible length in bytes (pages << page_size_log2) */
} WasmcMemoryRecord;

typedef struct WasmcTableRecord {
  void **base;     /* length elements: WasmcFuncRef * or externref; NULL = null ref */
  uint64_t length; /* current number of elements */
  uint64_t max;    /* maximum elements (UINT64_MAX if none) */
} WasmcTableRecord;

typedef struct WasmcImportSlot {
  void *code;         /* the function, calling convention of section 1 */
  WasmcVmctx *vmctx;  /* passed as callee_vmctx: exporter's vmctx or host env */
} WasmcImportSlot;

/* What funcref values point to; also the element type of funcref tables. */
typedef struct WasmcFuncRef {
  void *code;            /* entry point, section 1 convention */
  WasmcArrayTramp tramp; /* array trampoline for its type (may be NULL for host funcs) */
  WasmcVmctx *vmctx;     /* callee_vmctx to pass */
  uint32_t type_id;      /* canonical type id (wasmc_rt_intern_signature) */
  uint32_t reserved_;
} WasmcFuncRef;

#define WASMC_VMCTX_INSTANCE_OFFSET 0u

/* ---- trap codes (section 3) ------------------------------------------------------------ */

/* X(name, value, message). Values are ABI: trap tables store them. Messages are the
 * core spec test suite's assert_trap strings. */
#define WASMC_TRAP_LIST(X)                                                        \
  X(UNREACHABLE, 1, "unreachable")                                                \
  X(INT_DIV_ZERO, 2, "integer divide by zero")                                    \
  X(INT_OVERFLOW, 3, "integer overflow")                                          \
  X(BAD_CONVERSION, 4, "invalid conversion to integer")                           \
  X(MEMORY_OOB, 5, "out of bounds memory access")                                 \
  X(UNDEFINED_ELEMENT, 6, "undefined element")                                    \
  X(UNINITIALIZED_ELEMENT, 7, "uninitialized element")                            \
  X(INDIRECT_CALL_TYPE, 8, "indirect call type mismatch")                         \
  X(NULL_FUNC_REF, 9, "null function reference")                                  \
  X(NULL_STRUCT_REF, 10, "null structure reference")                              \
  X(NULL_ARRAY_REF, 11, "null array reference")                                   \
  X(NULL_REF, 12, "null reference")                                               \
  X(TABLE_OOB, 13, "out of bounds table access")                                  \
  X(STACK_OVERFLOW, 14, "call stack exhausted")                                   \
  X(UNALIGNED_ATOMIC, 15, "unaligned atomic")                                     \
  X(CAST_FAILURE, 16, "cast failure")                                             \
  X(ARRAY_OOB, 17, "out of bounds array access")                                  \
  X(ARRAY_TOO_LARGE, 18, "allocation too large")                                  \
  X(EXPECTED_SHARED_MEMORY, 19, "expected shared memory")                         \
  X(HOST, 20, "host function trapped")                                            \
  X(INVALID_CALL, 21, "invalid call from host (unknown function or wrong arity)")

typedef enum WasmcTrap {
  WASMC_TRAP_NONE = 0,
#define WASMC_TRAP_ENUM_(name, value, msg) WASMC_TRAP_##name = value,
  WASMC_TRAP_LIST(WASMC_TRAP_ENUM_)
#undef WASMC_TRAP_ENUM_
  WASMC_TRAP_COUNT_
} WasmcTrap;

/* One implicit trap site: the instruction at code_start + code_offset may fault. */
typedef struct WasmcTrapSite {
  uint32_t code_offset; /* first byte of the faulting instruction, from code_start */
  uint32_t trap;        /* WasmcTrap */
} WasmcTrapSite;

/* ---- the module descriptor (sections 2 and 4) ------------------------------------------- */

typedef enum WasmcExternKind {
  WASMC_EXTERN_FUNC = 0,
  WASMC_EXTERN_TABLE = 1,
  WASMC_EXTERN_MEMORY = 2,
  WASMC_EXTERN_GLOBAL = 3,
} WasmcExternKind;

enum {
  WASMC_MEM_HAS_MAX = 1u << 0,
  WASMC_MEM_64 = 1u << 1,      /* memory64: explicit bounds checks */
  WASMC_MEM_SHARED = 1u << 2,  /* threads: never moves (max reserved up front) */
  WASMC_MEM_GUARDED = 1u << 3, /* compiled code relies on the 4 GiB + guard reservation;
                                  valid only for 32-bit memories with 64 KiB pages. An
                                  import with this flag needs a guarded memory; a guarded
                                  memory also serves explicitly checked importers. */
};

#define WASMC_GUARD_BYTES ((uint64_t)32 << 20)  /* guard after the 4 GiB reservation */
#define WASMC_GUARDED_RESERVATION (((uint64_t)4 << 30) + WASMC_GUARD_BYTES)

typedef struct WasmcMemoryDef {
  uint64_t min;           /* pages */
  uint64_t max;           /* pages, if WASMC_MEM_HAS_MAX */
  uint8_t page_size_log2; /* 16, or 0 (custom-page-sizes: 1-byte pages) */
  uint8_t flags;          /* WASMC_MEM_* */
} WasmcMemoryDef;

enum { WASMC_TABLE_HAS_MAX = 1u << 0, WASMC_TABLE_64 = 1u << 1 };

/* Import matching (instantiation step 2, the spec's rules): a table matches if the element
 * types are equal (elem_type and ref), both or neither are WASMC_TABLE_64, the exporter's
 * current length >= min, and, if the import has a max, the exporter has one <= it. */
typedef struct WasmcTableDef {
  uint64_t min, max; /* elements; max valid if WASMC_TABLE_HAS_MAX */
  uint8_t elem_type; /* WASMC_TYPE_FUNCREF or WASMC_TYPE_EXTERNREF */
  uint8_t flags;     /* WASMC_TABLE_* */
  WasmcRefType ref;  /* the rest of the element type (all-zero: funcref/externref) */
} WasmcTableDef;

/* An immutable global import matches if the exporter's type is a subtype of the import's;
 * a mutable one if both are mutable with equal types. */
typedef struct WasmcGlobalDef {
  uint8_t type;    /* WasmcValType */
  uint8_t mutable_;
  WasmcRefType ref; /* type 'r'/'e' only: the rest of the reference type */
} WasmcGlobalDef;

/* Import and export names are NUL-terminated, so plain names read as C strings; wasm
 * names may contain NUL too, so their byte lengths are in WasmcModuleDesc.import_name_lens
 * and export_name_lens (see wasmc_rt_import_name_len below). */
typedef struct WasmcImport {
  const char *module, *name;
  uint8_t kind;    /* WasmcExternKind */
  uint32_t index;  /* index in that kind's index space (imports come first) */
  void *host_code; /* functions: &wasmc_import_<E(mod)>_<E(name)> (weak), or NULL */
} WasmcImport;

typedef struct WasmcExport {
  const char *name;
  uint8_t kind;   /* WasmcExternKind */
  uint32_t index; /* in that kind's index space */
} WasmcExport;

/* A defined function; the array is sorted by code address and lies in [code_start,
 * code_start + code_size) so backtraces can binary-search it. */
typedef struct WasmcFuncDesc {
  void *code;         /* entry point */
  uint32_t code_size; /* bytes */
  const char *name;   /* from the name section, or NULL ("<wasm function N>") */
} WasmcFuncDesc;

enum { WASMC_SEG_ACTIVE = 0, WASMC_SEG_PASSIVE = 1, WASMC_SEG_DECLARATIVE = 2 };

typedef struct WasmcDataSegment {
  const uint8_t *bytes;
  uint32_t size;
  uint8_t mode;    /* WASMC_SEG_ACTIVE or _PASSIVE */
  uint32_t memory; /* active: target memory index */
} WasmcDataSegment;

#define WASMC_ELEM_NULL UINT32_MAX /* in func_indices: ref.null */

typedef struct WasmcElemSegment {
  uint8_t mode;      /* WASMC_SEG_* */
  uint8_t elem_type; /* WASMC_TYPE_FUNCREF or _EXTERNREF */
  uint32_t table;    /* active: target table index */
  uint32_t count;    /* number of items */
  /* The items as function indices (WASMC_ELEM_NULL = null), or NULL when the items are
   * general constant expressions evaluated by init into WasmcInitOut.elem_items[i]. */
  const uint32_t *func_indices;
} WasmcElemSegment;

/* Where init writes the results of constant expressions. Every array is allocated and
 * zero-filled by the runtime before the call; entries that do not apply are ignored. */
typedef struct WasmcInitOut {
  uint64_t *data_offsets; /* [num_data]  active segment i: offset expression value */
  uint64_t *elem_offsets; /* [num_elems] active segment i: offset expression value */
  void ***elem_items;     /* [num_elems] segment i with func_indices == NULL: an array
                             of count items to fill (WasmcFuncRef * / externref) */
  void **table_inits;     /* [num_tables] defined table i: initial element (default NULL) */
} WasmcInitOut;

/* Generated by the compiler; evaluates the module's constant expressions (global
 * initializers first, in order, stored into the vmctx; then the offsets and items above).
 * Runs after imports, memories, tables and funcrefs are in place. May be NULL. */
typedef void (*WasmcInitFn)(WasmcVmctx *vmctx, const WasmcInitOut *out);

typedef struct WasmcModuleDesc {
  uint32_t abi_version; /* WASMC_RT_ABI_VERSION */
  const char *name;     /* module prefix, for messages and backtraces */

  /* vmctx layout */
  uint32_t vmctx_size;
  uint32_t stack_limit_offset;
  uint32_t funcrefs_offset; /* WasmcFuncRef[num_funcs] */
  uint32_t type_ids_offset; /* uint32_t[num_types] */

  /* types: canonical signature strings, and per type its array trampoline (or NULL) */
  uint32_t num_types;
  const char *const *types;
  const WasmcArrayTramp *type_tramps;

  /* functions: index space = imports then defined */
  uint32_t num_funcs, num_imported_funcs;
  const uint32_t *func_types;          /* [num_funcs] type index */
  const uint32_t *import_func_offsets; /* [num_imported_funcs] WasmcImportSlot offset */
  const WasmcFuncDesc *funcs;          /* [num_funcs - num_imported_funcs] */

  uint32_t num_memories, num_imported_memories;
  const WasmcMemoryDef *memories; /* [num_memories], imports: the declared import type */
  const uint32_t *memory_offsets; /* [num_memories] record, or pointer for imports */

  uint32_t num_tables, num_imported_tables;
  const WasmcTableDef *tables;
  const uint32_t *table_offsets;

  uint32_t num_globals, num_imported_globals;
  const WasmcGlobalDef *globals;
  const uint32_t *global_offsets;

  uint32_t num_imports;
  const WasmcImport *imports;
  uint32_t num_exports;
  const WasmcExport *exports;
  /* Byte lengths of the names (ABI 2): import_name_lens[2 * i] is the module name's and
   * [2 * i + 1] the field name's of imports[i]; export_name_lens[i] that of exports[i].
   * NULL: every name is a C string (hand-written descriptors); the compiler always
   * writes them. Read them with the helpers after this struct. */
  const uint32_t *import_name_lens;
  const uint32_t *export_name_lens;

  uint32_t num_data;
  const WasmcDataSegment *data;
  uint32_t num_elems;
  const WasmcElemSegment *elems;

  uint32_t start_func; /* function index, or UINT32_MAX */
  WasmcInitFn init;

  /* code range and the implicit trap table */
  const void *code_start;
  uint64_t code_size;
  uint32_t num_trap_sites;
  const WasmcTrapSite *trap_sites; /* sorted by code_offset, unique */
} WasmcModuleDesc;

/* Byte lengths of the names of an import of desc (imp may also be a WasmcImport outside
 * desc->imports, such as a host's own: then the names are C strings) and of an export. */
static inline size_t wasmc_rt_strlen_(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}
static inline size_t wasmc_rt_import_len_(const WasmcModuleDesc *desc, const WasmcImport *imp,
                                          unsigned which, const char *s) {
  uintptr_t p = (uintptr_t)imp, lo = (uintptr_t)desc->imports;
  if (desc->import_name_lens && p >= lo && p < lo + desc->num_imports * sizeof *imp)
    return desc->import_name_lens[2 * ((p - lo) / sizeof *imp) + which];
  return wasmc_rt_strlen_(s);
}
static inline size_t wasmc_rt_import_module_len(const WasmcModuleDesc *desc,
                                                const WasmcImport *imp) {
  return wasmc_rt_import_len_(desc, imp, 0, imp->module);
}
static inline size_t wasmc_rt_import_name_len(const WasmcModuleDesc *desc,
                                              const WasmcImport *imp) {
  return wasmc_rt_import_len_(desc, imp, 1, imp->name);
}
static inline size_t wasmc_rt_export_name_len(const WasmcModuleDesc *desc, uint32_t e) {
  return desc->export_name_lens ? desc->export_name_lens[e]
                                : wasmc_rt_strlen_(desc->exports[e].name);
}

/* ==== helpers called by compiled code (System V; vmctx first) ============================
 * Indices are module-level indices in the caller's index spaces. Every helper that can
 * fail per the spec traps through wasmc_rt_trap and does not return. */

/* Never returns: unwinds to the innermost wasmc_rt_call/instantiate on this thread. With
 * no entry active, prints "wasm trap: <message>" and a backtrace and aborts. */
_Noreturn void wasmc_rt_trap(WasmcVmctx *vmctx, uint32_t code);

/* memory.grow: old size in pages, or -1 (beyond max, beyond 4 GiB for 32-bit memories,
 * or out of host memory). memory.size: pages. */
int64_t wasmc_rt_memory_grow(WasmcVmctx *vmctx, uint32_t mem, uint64_t delta_pages);
uint64_t wasmc_rt_memory_size(WasmcVmctx *vmctx, uint32_t mem);
void wasmc_rt_memory_fill(WasmcVmctx *vmctx, uint32_t mem, uint64_t dst, uint32_t value,
                          uint64_t len);
void wasmc_rt_memory_copy(WasmcVmctx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst,
                          uint64_t src, uint64_t len);
void wasmc_rt_memory_init(WasmcVmctx *vmctx, uint32_t mem, uint32_t seg, uint64_t dst,
                          uint32_t src, uint32_t len);
void wasmc_rt_data_drop(WasmcVmctx *vmctx, uint32_t seg);

void *wasmc_rt_table_get(WasmcVmctx *vmctx, uint32_t table, uint64_t idx);
void wasmc_rt_table_set(WasmcVmctx *vmctx, uint32_t table, uint64_t idx, void *ref);
uint64_t wasmc_rt_table_size(WasmcVmctx *vmctx, uint32_t table);
int64_t wasmc_rt_table_grow(WasmcVmctx *vmctx, uint32_t table, void *init, uint64_t delta);
void wasmc_rt_table_fill(WasmcVmctx *vmctx, uint32_t table, uint64_t dst, void *ref,
                         uint64_t len);
void wasmc_rt_table_copy(WasmcVmctx *vmctx, uint32_t dst_table, uint32_t src_table,
                         uint64_t dst, uint64_t src, uint64_t len);
void wasmc_rt_table_init(WasmcVmctx *vmctx, uint32_t table, uint32_t seg, uint64_t dst,
                         uint32_t src, uint32_t len);
void wasmc_rt_elem_drop(WasmcVmctx *vmctx, uint32_t seg);

/* ==== embedder API ====================================================================== */

typedef enum WasmcStatus {
  WASMC_OK = 0,
  WASMC_ERR_ABI = 1,   /* descriptor's abi_version is not WASMC_RT_ABI_VERSION */
  WASMC_ERR_LINK = 2,  /* unknown import or incompatible import type */
  WASMC_ERR_NOMEM = 3, /* allocation or address-space reservation failed */
  WASMC_ERR_TRAP = 4,  /* segment initialization or the start function trapped */
} WasmcStatus;

/* A value bound to an import, or read from an export. */
typedef struct WasmcExtern {
  uint8_t kind;          /* WasmcExternKind */
  WasmcInstance *owner;  /* instance exporting it (kept alive by importers), or NULL */
  union {
    struct {
      void *code;            /* section 1 convention */
      void *env;             /* passed as callee_vmctx */
      const char *signature; /* canonical signature, or NULL to skip the check */
    } func;
    WasmcMemory *memory;
    WasmcTable *table;
    struct {
      WasmcVal *storage; /* 16 bytes that outlive every instance importing them */
      uint8_t type;      /* WasmcValType */
      uint8_t mutable_;
      WasmcRefType ref;  /* references: the rest of the type; a concrete type is a
                            canonical id (all-zero: funcref/externref) */
    } global;
  } u;
} WasmcExtern;

/* Binds one import; return false to leave it to imp->host_code (then a link error). */
typedef bool (*WasmcResolveFn)(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                               WasmcExtern *out);

/* Instantiates desc (section 4). On WASMC_ERR_TRAP, *trap holds the code; on any error,
 * wasmc_rt_error_message() says what. Imports taken from other instances keep those
 * instances alive (reference counted) until this one is freed. */
WasmcStatus wasmc_rt_instantiate(const WasmcModuleDesc *desc, WasmcResolveFn resolve, void *user,
                                 WasmcInstance **out, WasmcTrap *trap);
void wasmc_rt_instance_free(WasmcInstance *inst);
WasmcVmctx *wasmc_rt_instance_vmctx(WasmcInstance *inst);
const WasmcModuleDesc *wasmc_rt_instance_desc(WasmcInstance *inst);
/* Thread-local text of the last failure of instantiate. */
const char *wasmc_rt_error_message(void);

/* Looks up an export for linking into another instance (or host use). The _n variant
 * takes the name as len bytes (wasm names may contain NUL); the plain one a C string. */
bool wasmc_rt_instance_export(WasmcInstance *inst, const char *name, WasmcExtern *out);
bool wasmc_rt_instance_export_n(WasmcInstance *inst, const char *name, size_t len,
                                WasmcExtern *out);

/* Named instances, for the stock resolver (spec "register"; host linking by name).
 * wasmc_rt_resolve_registered resolves "mod"."name" to export "name" of the instance
 * registered as "mod". Registration does not take ownership. */
bool wasmc_rt_register_instance(const char *name, WasmcInstance *inst);
void wasmc_rt_unregister_instance(const char *name);
bool wasmc_rt_resolve_registered(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                                 WasmcExtern *out);

/* Calls export `name` / function index `func` with args[nargs]; results[nresults] are
 * written on success. Returns WASMC_TRAP_NONE (0) or the trap. Catches traps raised in
 * the callee, including through host frames (host -> wasm -> host -> wasm nests). */
WasmcTrap wasmc_rt_call(WasmcInstance *inst, const char *name, const WasmcVal *args,
                        size_t nargs, WasmcVal *results, size_t nresults);
/* The same with the export name as name_len bytes (which may contain NUL). */
WasmcTrap wasmc_rt_call_n(WasmcInstance *inst, const char *name, size_t name_len,
                          const WasmcVal *args, size_t nargs, WasmcVal *results,
                          size_t nresults);
WasmcTrap wasmc_rt_call_func(WasmcInstance *inst, uint32_t func, const WasmcVal *args,
                             size_t nargs, WasmcVal *results, size_t nresults);

/* Bytes of native stack wasm code may use below the outermost entry's stack pointer
 * (default 512 KiB, clamped to the thread's real stack minus 64 KiB). The limit word is
 * written at every entry: (sp at the thread's outermost entry) - budget. */
void wasmc_rt_set_stack_budget(size_t bytes);

/* Details of this thread's last trap (code, PC, wasm frames innermost first). */
#define WASMC_MAX_FRAMES 64
typedef struct WasmcTrapInfo {
  WasmcTrap code;
  uintptr_t pc;        /* faulting PC, or the return address into the trapping code */
  uint32_t num_frames; /* PCs inside registered wasm code, innermost first */
  uintptr_t frames[WASMC_MAX_FRAMES];
} WasmcTrapInfo;
const WasmcTrapInfo *wasmc_rt_last_trap(void);

const char *wasmc_rt_trap_message(uint32_t code); /* spec string; "unknown trap" if bad */
/* Names the wasm function containing pc: module name and function name (or NULL if the
 * function has none; *func_index is then meaningful). false if pc is not wasm code. */
bool wasmc_rt_lookup_pc(uintptr_t pc, const char **module, const char **func,
                        uint32_t *func_index);
/* Writes "    <i>: <module>!<func>" lines for info's frames to fd (async-signal-safe). */
void wasmc_rt_print_backtrace(int fd, const WasmcTrapInfo *info);

/* Accessors for host functions (they get the caller's vmctx). */
uint8_t *wasmc_rt_memory_base(WasmcVmctx *vmctx, uint32_t mem);
uint64_t wasmc_rt_memory_length(WasmcVmctx *vmctx, uint32_t mem); /* bytes */
WasmcMemory *wasmc_rt_instance_memory(WasmcInstance *inst, uint32_t mem);

/* Host-created memories and tables (for imports). Freed by the host after every instance
 * using them is freed. A table's def->ref.type (WASMC_HEAP_TYPE) is a canonical type id. */
WasmcMemory *wasmc_rt_memory_new(const WasmcMemoryDef *def);
void wasmc_rt_memory_free(WasmcMemory *mem);
const WasmcMemoryRecord *wasmc_rt_memory_record(const WasmcMemory *mem);
int64_t wasmc_rt_memory_grow_object(WasmcMemory *mem, uint64_t delta_pages);
WasmcTable *wasmc_rt_table_new(const WasmcTableDef *def);
void wasmc_rt_table_free(WasmcTable *table);
const WasmcTableRecord *wasmc_rt_table_record(const WasmcTable *table);

/* Canonical type id of a signature string (>= 1; equal strings give equal ids). */
uint32_t wasmc_rt_intern_signature(const char *sig);

/* The standalone process entry (what `wasmc app.wasm -o app` links as main's body):
 * calls the WASI hook, instantiates desc, calls export "_start", and returns the exit
 * status: 0, or 134 after printing "wasm trap: <reason>" and a backtrace, or 1 on a link
 * error. proc_exit exits the process directly (the WASI shim calls exit). */
int wasmc_rt_main(const WasmcModuleDesc *desc, int argc, char **argv);

/* WASI hook, defined by wasi-libc-shim (weak here): records argv/environ and preopens
 * before instantiation. Returns 0, or an exit status to stop with. */
int wasmc_wasi_init(int argc, char **argv);

/* ---- symbol naming (section 5), shared by the compiler and C hosts ---------------------- */

/* Writes wasmc_import_<E(mod)>_<E(name)> into buf (NUL-terminated, truncated to size) and
 * returns the full length, like snprintf. */
static inline size_t wasmc_rt_import_symbol(const char *mod, const char *name, char *buf,
                                            size_t size) {
  static const char hex[] = "0123456789abcdef";
  const char *parts[3] = {"wasmc_import_", mod, name};
  size_t n = 0;
  for (int p = 0; p < 3; p++) {
    if (p == 2) {
      if (n + 1 < size) buf[n] = '_';
      n++;
    }
    for (const unsigned char *s = (const unsigned char *)parts[p]; *s; s++) {
      unsigned char c = *s;
      bool plain = p == 0 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_';
      char esc[4] = {'_', 'x', hex[c >> 4], hex[c & 15]};
      for (int k = 0; k < (plain ? 1 : 4); k++, n++)
        if (n + 1 < size) buf[n] = plain ? (char)c : esc[k];
    }
  }
  if (size) buf[n < size ? n : size - 1] = '\0';
  return n;
}

#ifdef __cplusplus
}
#endif
#endif /* WASMC_RT_H */
