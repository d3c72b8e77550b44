;; block/loop/if with parameters and several results (multi-value); an if
;; without else passes its parameters straight to the end block.
(module
  (type $pp (func (param i32 i64) (result i64 i32)))
  (func (param i32 i64) (result i64 i32)
    (local.get 0) (local.get 1)
    (block (type $pp)
      (br_if 0 (i64.const 1) (i32.const 2) (local.get 0))
      drop drop drop drop
      (i64.const 3) (i32.const 4))
    drop drop
    (local.get 0) (local.get 1)
    (loop (param i32 i64) (result i64 i32)
      (br_if 0 (local.get 0))
      (local.set 1) (local.set 0) (local.get 1) (local.get 0))
    drop drop
    (local.get 0) (local.get 1)
    (if (type $pp) (local.get 0)
      (then drop drop (i64.const 5) (i32.const 6))
      (else drop drop (i64.const 7) (i32.const 8))))
  (func (param i32) (result i32)
    (local.get 0)
    (if (param i32) (result i32) (local.get 0) (then (i32.add (i32.const 1))))))
;; expect:
;; function %f0(i32, i64) -> i64, i32 {
;; block1(v1: i32, v2: i64):
;;     v7 = iconst.i64 1
;;     v8 = iconst.i32 2
;;     brif v1, block3(v7, v8), block4
;;
;; block4:
;;     v9 = iconst.i64 3
;;     v10 = iconst.i32 4
;;     jump block3(v9, v10)
;;
;; block3(v5: i64, v6: i32):
;;     jump block5(v1, v2)
;;
;; block5(v13: i32, v14: i64):
;;     brif v1, block5(v13, v14), block7
;;
;; block7:
;;     jump block6(v14, v13)
;;
;; block6(v15: i64, v16: i32):
;;     brif v13, block8, block9
;;
;; block8:
;;     v20 = iconst.i64 5
;;     v21 = iconst.i32 6
;;     jump block10(v20, v21)
;;
;; block9:
;;     v22 = iconst.i64 7
;;     v23 = iconst.i32 8
;;     jump block10(v22, v23)
;;
;; block10(v18: i64, v19: i32):
;;     return v18, v19
;; }
;;
;; function %f1(i32) -> i32 {
;; block1(v1: i32):
;;     brif v1, block3, block5(v1)
;;
;; block3:
;;     v4 = iconst.i32 1
;;     v5 = iadd.i32 v1, v4
;;     jump block5(v5)
;;
;; block5(v3: i32):
;;     return v3
;; }
