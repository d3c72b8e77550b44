;; select, untyped and typed.
(module
  (func (param i32 f64 f64 funcref) (result f64 funcref)
    (select (local.get 1) (local.get 2) (local.get 0))
    (select (result funcref) (local.get 3) (ref.null func) (local.get 0))))
;; expect:
;; function %f0(i32, f64, f64, i64) -> f64, i64 {
;; block1(v1: i32, v2: f64, v3: f64, v4: i64):
;;     v7 = select.f64 v1, v2, v3
;;     v8 = iconst.i64 0
;;     v9 = select.i64 v1, v4, v8
;;     return v7, v9
;; }
