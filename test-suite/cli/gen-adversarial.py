#!/usr/bin/env python3
"""Writes adversarial wasm binaries into DIR for run-cli-tests: deep nesting,
huge local counts, absurd vector counts, bad UTF-8, duplicate exports."""
import os
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def section(sid, payload):
    return bytes([sid]) + leb(len(payload)) + payload


def vec(items):
    return leb(len(items)) + b"".join(items)


def name(s):
    return leb(len(s)) + s


HEADER = b"\0asm\1\0\0\0"
TYPE_VOID = section(1, vec([b"\x60\x00\x00"]))
ONE_FUNC = section(3, vec([leb(0)]))


def module_with_body(locals_blob, code):
    body = locals_blob + code
    return HEADER + TYPE_VOID + ONE_FUNC + section(10, vec([leb(len(body)) + body]))


def main(out):
    files = {}
    depth = 100_000
    files["deep-blocks.wasm"] = module_with_body(leb(0), b"\x02\x40" * depth + b"\x0b" * depth + b"\x0b")
    files["deep-loops-br.wasm"] = module_with_body(
        leb(0), b"\x03\x40" * depth + b"\x0c" + leb(depth - 1) + b"\x0b" * depth + b"\x0b")
    files["deep-unclosed.wasm"] = module_with_body(leb(0), b"\x02\x40" * depth + b"\x0b")
    files["million-locals.wasm"] = module_with_body(vec([leb(1_000_000) + b"\x7f"]), b"\x0b")
    files["locals-overflow.wasm"] = module_with_body(
        vec([leb(0xFFFFFFFF) + b"\x7f", leb(0xFFFFFFFF) + b"\x7e"]), b"\x0b")
    files["absurd-type-count.wasm"] = HEADER + section(1, leb(0xFFFFFFFF) + b"\x60\x00\x00")
    files["absurd-section-size.wasm"] = HEADER + b"\x01" + leb(0xFFFFFFF0) + b"\x01\x60\x00\x00"
    files["bad-utf8-export.wasm"] = (HEADER + TYPE_VOID + ONE_FUNC
                                     + section(7, vec([name(b"\xc0\xaf") + b"\x00" + leb(0)]))
                                     + section(10, vec([b"\x02\x00\x0b"])))
    files["dup-export.wasm"] = (HEADER + TYPE_VOID + ONE_FUNC
                                + section(7, vec([name(b"f") + b"\x00" + leb(0),
                                                  name(b"f") + b"\x00" + leb(0)]))
                                + section(10, vec([b"\x02\x00\x0b"])))
    files["absurd-br-table.wasm"] = module_with_body(leb(0), b"\x41\x00\x0e" + leb(0xFFFFFFFF) + b"\x0b")
    # 100000 if-without-else merges, then a read of the local they all may
    # set: the SSA read passes every merge (was a C stack overflow).
    merges = b"\x20\x00\x04\x40\x41\x01\x21\x01\x0b" * depth + b"\x20\x01\x1a\x0b"
    files["deep-merges.wasm"] = (HEADER + section(1, vec([b"\x60\x01\x7f\x00"])) + ONE_FUNC
                                 + section(10, vec([leb(len(vec([b"\x01\x7f"]) + merges))
                                                    + vec([b"\x01\x7f"]) + merges])))
    # Found by fuzz_translate: ref.null of a GC heap type (any) followed by
    # ref.as_non_null. The rejection of the GC type was ignored and the
    # translator went on with an empty operand stack (a crash).
    files["gc-ref-null.wasm"] = bytes.fromhex(
        "0061736d010000000105016000017f03020100040401700001071002057461626c65"
        "01000467726f7700000a0b010900d06ed400fc0f000b")
    for fname, data in files.items():
        with open(os.path.join(out, fname), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
