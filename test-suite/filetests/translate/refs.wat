;; References are iptr values, null is 0: ref.null, ref.is_null, ref.func.
;; (ref.as_non_null and br_on_null/br_on_non_null are covered by the spec
;; suite: wabt 1.0.32 does not parse typed references.)
(module
  (func $f)
  (elem declare func $f)
  (func (param externref) (result i32)
    (ref.is_null (local.get 0)))
  (func (result funcref) (ref.func $f))
  (func (result externref) (ref.null extern)))
;; expect:
;; function %f() {
;; block1:
;;     return
;; }
;;
;; function %f1(i64) -> i32 {
;; block1(v1: i64):
;;     v3 = iconst.i64 0
;;     v4 = icmp.i64 eq v1, v3
;;     return v4
;; }
;;
;; function %f2() -> i64 {
;;     sig0 = ()
;;     fn0 = local %f sig0
;; block1:
;;     v2 = ref_func fn0
;;     return v2
;; }
;;
;; function %f3() -> i64 {
;; block1:
;;     v2 = iconst.i64 0
;;     return v2
;; }
