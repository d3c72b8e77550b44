;; SSA through nested loops: a variable changed only in the inner loop is a
;; parameter of both headers; one never changed is no parameter at all; a
;; br out of the inner loop carries the current values to the exit.
(module
  (func $nest (param $n i32) (param $c i64) (result i64)
    (local $i i32) (local $j i32) (local $acc i64)
    (block $exit
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $acc (i64.add (local.get $acc) (local.get $c)))
          (br_if $exit (i64.gt_u (local.get $acc) (i64.const 1000)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get $n))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $acc)))
;; expect:
;; function %nest(i32, i64) -> i64 {
;; block1(v1: i32, v2: i64):
;;     v23 = iconst.i64 0
;;     v24 = iconst.i32 0
;;     jump block4(v23, v24)
;;
;; block4(v15: i64, v19: i32):
;;     v4 = iconst.i32 0
;;     jump block6(v15, v4)
;;
;; block6(v5: i64, v10: i32):
;;     v7 = iadd.i64 v5, v2
;;     v8 = iconst.i64 1000
;;     v9 = icmp.i64 ugt v7, v8
;;     brif v9, block3, block8
;;
;; block8:
;;     v11 = iconst.i32 1
;;     v12 = iadd.i32 v10, v11
;;     v14 = icmp.i32 ult v12, v1
;;     brif v14, block6(v7, v12), block9
;;
;; block9:
;;     jump block7
;;
;; block7:
;;     v20 = iconst.i32 1
;;     v21 = iadd.i32 v19, v20
;;     v22 = icmp.i32 ult v21, v1
;;     brif v22, block4(v7, v21), block10
;;
;; block10:
;;     jump block5
;;
;; block5:
;;     jump block3
;;
;; block3:
;;     return v7
;; }
