/* Internal interface of the binary decoder (frontend/decode*.c).
 *
 * The decoder is split by binary-format production: decode.c owns the
 * header, the section loop and the cross-section checks; decode_types.c the
 * value/reference/heap types, limits and the type section; decode_sections.c
 * the import..export/start/datacount sections; decode_segments.c elements
 * and data; decode_code.c the code section; decode_const.c constant
 * expressions; decode_names.c the "name" custom section.
 *
 * Invariants every decoder keeps:
 * - it reads only through a Reader bounded by its section, so a count or a
 *   length can never take it past the section's end;
 * - every vector length is read with rd_count(), so no count exceeds the
 *   bytes left and allocations stay proportional to the input. The element
 *   size passed is 1 even where entries are larger: a truncated vector then
 *   fails at the first bad entry, with the message the spec suite expects
 *   (e.g. "malformed import kind"), not with a generic count error;
 * - on failure it returns false with the first (innermost) error recorded in
 *   d->err and leaves the module half-filled (wasm_decode frees it). */
#ifndef WASMC_FRONTEND_DECODE_INTERNAL_H
#define WASMC_FRONTEND_DECODE_INTERNAL_H

#include "../support/reader.h"
#include "module.h"

/* Section ids of the binary format. */
enum {
    SEC_CUSTOM = 0,
    SEC_TYPE = 1,
    SEC_IMPORT = 2,
    SEC_FUNCTION = 3,
    SEC_TABLE = 4,
    SEC_MEMORY = 5,
    SEC_GLOBAL = 6,
    SEC_EXPORT = 7,
    SEC_START = 8,
    SEC_ELEMENT = 9,
    SEC_CODE = 10,
    SEC_DATA = 11,
    SEC_DATACOUNT = 12,
    SEC_TAG = 13,
};

/* Implementation limit on declared locals per function (the JS API's). */
enum { WASM_MAX_LOCALS = 50000 };

typedef struct Decoder {
    WasmModule *m;
    WasmcError *err;
    bool has_code;     /* a code section was seen */
    uint32_t ncode;    /* its entry count */
    bool has_data;     /* a data section was seen */
    bool seen_names;   /* a "name" section was already looked at */
} Decoder;

/* Offset of the reader's next byte, as a uint32_t (inputs are < 4 GiB). */
static inline uint32_t dec_off(const Reader *r) { return (uint32_t)rd_offset(r); }

/* decode_types.c */
bool wasm_read_heaptype(Reader *r, uint8_t *heap, uint32_t *idx);
bool wasm_read_reftype(Reader *r, WasmValType *out);
bool wasm_read_valtype(Reader *r, WasmValType *out);
bool wasm_read_mut(Reader *r, bool *mut);
bool wasm_read_limits(Reader *r, bool is_memory, WasmLimits *out);
bool wasm_read_tabletype(Reader *r, WasmTable *out);
bool wasm_read_globaltype(Reader *r, WasmGlobal *out);
bool wasm_read_tagtype(Reader *r, WasmTag *out);
bool wasm_decode_type_section(Decoder *d, Reader *r);

/* decode_sections.c */
bool wasm_decode_import_section(Decoder *d, Reader *r);
bool wasm_decode_function_section(Decoder *d, Reader *r);
bool wasm_decode_table_section(Decoder *d, Reader *r);
bool wasm_decode_memory_section(Decoder *d, Reader *r);
bool wasm_decode_tag_section(Decoder *d, Reader *r);
bool wasm_decode_global_section(Decoder *d, Reader *r);
bool wasm_decode_export_section(Decoder *d, Reader *r);
bool wasm_decode_start_section(Decoder *d, Reader *r);
bool wasm_decode_datacount_section(Decoder *d, Reader *r);

/* decode_segments.c */
bool wasm_decode_element_section(Decoder *d, Reader *r);
bool wasm_decode_data_section(Decoder *d, Reader *r);

/* decode_code.c */
bool wasm_decode_code_section(Decoder *d, Reader *r);

/* decode_const.c: reads one constant expression up to and including its
 * `end`, recording its byte range; rejects non-constant opcodes. */
bool wasm_read_const_expr(Reader *r, WasmConstExpr *out);

/* decode_names.c: fills module_name/func_names/local_names from the payload
 * of a "name" section; a malformed payload leaves them untouched. */
void wasm_decode_name_section(WasmModule *m, Reader payload);

#endif
