;; Locals become SSA values: zero-initialised declared locals, merges after
;; if/else as block parameters, loop-carried variables as loop header
;; parameters, and trivial parameters removed (a local unchanged in a loop).
(module
  (func $sum (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $k i32)
    (local.set $k (i32.const 7))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $k))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $abs (param $x i32) (result i32)
    (local $r i32)
    (if (i32.lt_s (local.get $x) (i32.const 0))
      (then (local.set $r (i32.sub (i32.const 0) (local.get $x))))
      (else (local.set $r (local.get $x))))
    (local.get $r))
  (func $same (param $x i64) (result i64)
    (local $f f32)
    (if (i64.eqz (local.get $x)) (then (local.set $f (f32.const 1))))
    (i64.add (local.get $x) (i64.trunc_f32_s (local.get $f)))))
;; expect:
;; function %sum(i32) -> i32 {
;; block1(v1: i32):
;;     v13 = iconst.i32 0
;;     v14 = iconst.i32 0
;;     v3 = iconst.i32 7
;;     jump block3(v13, v14)
;;
;; block3(v4: i32, v5: i32):
;;     v7 = imul.i32 v5, v3
;;     v8 = iadd.i32 v4, v7
;;     v9 = iconst.i32 1
;;     v10 = iadd.i32 v5, v9
;;     v12 = icmp.i32 ult v10, v1
;;     brif v12, block3(v8, v10), block5
;;
;; block5:
;;     jump block4
;;
;; block4:
;;     return v8
;; }
;;
;; function %abs(i32) -> i32 {
;; block1(v1: i32):
;;     v3 = iconst.i32 0
;;     v4 = icmp.i32 slt v1, v3
;;     brif v4, block3, block4
;;
;; block3:
;;     v5 = iconst.i32 0
;;     v6 = isub.i32 v5, v1
;;     jump block5(v6)
;;
;; block4:
;;     jump block5(v1)
;;
;; block5(v7: i32):
;;     return v7
;; }
;;
;; function %same(i64) -> i64 {
;; block1(v1: i64):
;;     v8 = f32const 0x0p+0
;;     v3 = iconst.i64 0
;;     v4 = icmp.i64 eq v1, v3
;;     brif v4, block3, block5(v8)
;;
;; block3:
;;     v5 = f32const 0x1p+0
;;     jump block5(v5)
;;
;; block5(v7: f32):
;;     v9 = fcvt_to_sint.i64 v7
;;     v10 = iadd.i64 v1, v9
;;     return v10
;; }
