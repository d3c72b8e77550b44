;; A function that uses SIMD is rejected with the feature's name.
(module
  (func (result i32) (i32.const 0))
  (func (param v128) (result v128) (local.get 0)))
;; expect:
;; error: SIMD is not supported by the code generator yet (function 1)
