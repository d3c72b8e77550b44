;; br_table: the default destination comes first in the IR; values travel
;; to every label; a label of the function body returns.
(module
  (func (param i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (block $c (result i32)
          (br_table $a $b $c 1 (i32.const 10) (local.get 0)))
        (return (i32.add (i32.const 1))))
      (i32.add (i32.const 2)))))
;; expect:
;; function %f0(i32) -> i32 {
;; block1(v1: i32):
;;     v6 = iconst.i32 10
;;     br_table v1, block4(v6), [block3(v6), block4(v6), block5(v6)]
;;
;; block5(v5: i32):
;;     v7 = iconst.i32 1
;;     v8 = iadd.i32 v5, v7
;;     return v8
;;
;; block4(v4: i32):
;;     v9 = iconst.i32 2
;;     v10 = iadd.i32 v4, v9
;;     jump block3(v10)
;;
;; block3(v3: i32):
;;     return v3
;; }
