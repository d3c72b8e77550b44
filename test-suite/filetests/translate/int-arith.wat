;; Integer arithmetic, bitwise ops, shifts, rotates, counts, sign extension.
(module
  (func $i32ops (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))
    (i32.sub (local.get 1))
    (i32.mul (local.get 0))
    (i32.and (local.get 1))
    (i32.or (local.get 0))
    (i32.xor (i32.const -1))
    (i32.shl (local.get 1))
    (i32.shr_s (local.get 1))
    (i32.shr_u (local.get 1))
    (i32.rotl (local.get 1))
    (i32.rotr (local.get 1))
    i32.clz
    i32.ctz
    i32.popcnt
    i32.extend8_s
    i32.extend16_s)
  (func $i64ops (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1))
    (i64.mul (i64.const 0x7fffffffffffffff))
    (i64.shr_u (local.get 1))
    i64.popcnt
    i64.extend32_s
    i64.extend8_s))
;; expect:
;; function %i32ops(i32, i32) -> i32 {
;; block1(v1: i32, v2: i32):
;;     v4 = iadd.i32 v1, v2
;;     v5 = isub.i32 v4, v2
;;     v6 = imul.i32 v5, v1
;;     v7 = band.i32 v6, v2
;;     v8 = bor.i32 v7, v1
;;     v9 = iconst.i32 -1
;;     v10 = bxor.i32 v8, v9
;;     v11 = ishl.i32 v10, v2
;;     v12 = sshr.i32 v11, v2
;;     v13 = ushr.i32 v12, v2
;;     v14 = rotl.i32 v13, v2
;;     v15 = rotr.i32 v14, v2
;;     v16 = clz.i32 v15
;;     v17 = ctz.i32 v16
;;     v18 = popcnt.i32 v17
;;     v19 = sextend8.i32 v18
;;     v20 = sextend16.i32 v19
;;     return v20
;; }
;;
;; function %i64ops(i64, i64) -> i64 {
;; block1(v1: i64, v2: i64):
;;     v4 = iadd.i64 v1, v2
;;     v5 = iconst.i64 9223372036854775807
;;     v6 = imul.i64 v4, v5
;;     v7 = ushr.i64 v6, v2
;;     v8 = popcnt.i64 v7
;;     v9 = sextend32 v8
;;     v10 = sextend8.i64 v9
;;     return v10
;; }
