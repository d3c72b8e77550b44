;; Globals: own and imported, mutable or not, every numeric and reference type.
(module
  (import "env" "g" (global $imp (mut i64)))
  (global $a (mut i32) (i32.const 1))
  (global $b f64 (f64.const 2))
  (global $r (mut funcref) (ref.null func))
  (func (result i32)
    (global.set $imp (i64.add (global.get $imp) (i64.const 1)))
    (global.set $a (i32.add (global.get $a) (i32.trunc_f64_s (global.get $b))))
    (global.set $r (ref.null func))
    (global.get $a)))
;; expect:
;; function %f0() -> i32 {
;;     global0 = global i64 mut import
;;     global1 = global i32 mut
;;     global2 = global f64
;;     global3 = global i64 mut
;; block1:
;;     v2 = global_get.i64 global0
;;     v3 = iconst.i64 1
;;     v4 = iadd.i64 v2, v3
;;     global_set.i64 global0, v4
;;     v5 = global_get.i32 global1
;;     v6 = global_get.f64 global2
;;     v7 = fcvt_to_sint.i32 v6
;;     v8 = iadd.i32 v5, v7
;;     global_set.i32 global1, v8
;;     v9 = iconst.i64 0
;;     global_set.i64 global3, v9
;;     v10 = global_get.i32 global1
;;     return v10
;; }
