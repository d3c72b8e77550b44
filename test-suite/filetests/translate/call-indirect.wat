;; call_indirect through two tables; table_oob, null_ref and
;; bad_sig are the call's own traps.
(module
  (type $t (func (param i32) (result i32)))
  (table $t0 2 funcref)
  (table $t1 1 funcref)
  (func (param i32 i32) (result i32)
    (call_indirect $t0 (type $t) (local.get 0) (local.get 0))
    (call_indirect $t1 (type $t) (local.get 1))))
;; expect:
;; function %f0(i32, i32) -> i32 {
;;     sig0 = (i32) -> i32
;;     table0 = table funcref i32 min 2
;;     table1 = table funcref i32 min 1
;; block1(v1: i32, v2: i32):
;;     v4 = call_indirect sig0, table0, v1(v1)
;;     v5 = call_indirect sig0, table1, v2(v4)
;;     return v5
;; }
