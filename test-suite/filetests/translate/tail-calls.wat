;; return_call and return_call_indirect end their block.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (func $f (param i32) (result i32)
    (if (i32.eqz (local.get 0))
      (then (return_call $f (i32.const 1))))
    (return_call_indirect (type $t) (local.get 0) (i32.const 0))))
;; expect:
;; function %f(i32) -> i32 {
;;     sig0 = (i32) -> i32
;;     fn0 = local %f sig0
;;     table0 = table funcref i32 min 1
;; block1(v1: i32):
;;     v3 = iconst.i32 0
;;     v4 = icmp.i32 eq v1, v3
;;     brif v4, block3, block5
;;
;; block3:
;;     v5 = iconst.i32 1
;;     return_call fn0(v5)
;;
;; block5:
;;     v6 = iconst.i32 0
;;     return_call_indirect sig0, table0, v6(v1)
;; }
