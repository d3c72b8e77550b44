;; SIMD is refused with a message naming it, and no output is written.
;; expect-error: SIMD is not supported by the code generator yet
(module (global v128 (v128.const i32x4 1 2 3 4)))
