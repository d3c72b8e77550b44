;; Division and remainder: the IR opcodes trap int_divz on zero and sdiv
;; traps int_ovf on MIN / -1 (srem gives 0 there).
(module
  (func (param i32 i32) (result i32 i32 i32 i32)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  (func (param i64 i64) (result i64 i64)
    (i64.div_s (local.get 0) (local.get 1))
    (i64.rem_u (local.get 0) (local.get 1))))
;; expect:
;; function %f0(i32, i32) -> i32, i32, i32, i32 {
;; block1(v1: i32, v2: i32):
;;     v7 = sdiv.i32 v1, v2
;;     v8 = udiv.i32 v1, v2
;;     v9 = srem.i32 v1, v2
;;     v10 = urem.i32 v1, v2
;;     return v7, v8, v9, v10
;; }
;;
;; function %f1(i64, i64) -> i64, i64 {
;; block1(v1: i64, v2: i64):
;;     v5 = sdiv.i64 v1, v2
;;     v6 = urem.i64 v1, v2
;;     return v5, v6
;; }
