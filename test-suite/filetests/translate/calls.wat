;; Direct calls to local and imported functions, multi-value results.
(module
  (import "env" "log" (func $log (param i32)))
  (func $pair (param i64) (result i64 i32) (local.get 0) (i32.const 1))
  (func $main (param i64) (result i32)
    (local $x i32)
    (call $log (i32.const 5))
    (call $pair (local.get 0))
    (local.set $x)
    (i32.wrap_i64)
    (local.get $x)
    i32.add))
;; expect:
;; function %pair(i64) -> i64, i32 {
;; block1(v1: i64):
;;     v4 = iconst.i32 1
;;     return v1, v4
;; }
;;
;; function %main(i64) -> i32 {
;;     sig0 = (i32)
;;     sig1 = (i64) -> i64, i32
;;     fn0 = import %env.log sig0
;;     fn1 = local %pair sig1
;; block1(v1: i64):
;;     v3 = iconst.i32 5
;;     call fn0(v3)
;;     v4, v5 = call fn1(v1)
;;     v6 = ireduce v4
;;     v7 = iadd.i32 v6, v5
;;     return v7
;; }
