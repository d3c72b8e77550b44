;; table.get/set/size/grow/fill/copy/init and elem.drop.
(module
  (table $f 1 10 funcref)
  (table $e 0 externref)
  (elem $seg func $g)
  (func $g)
  (func (param i32 externref) (result i32 i32)
    (table.set $f (local.get 0) (table.get $f (local.get 0)))
    (table.fill $f (i32.const 0) (ref.null func) (local.get 0))
    (table.copy $f $f (i32.const 0) (local.get 0) (i32.const 1))
    (table.init $f $seg (local.get 0) (i32.const 0) (i32.const 1))
    (elem.drop $seg)
    (table.size $f)
    (table.grow $e (local.get 1) (i32.const 2))))
;; expect:
;; function %g() {
;; block1:
;;     return
;; }
;;
;; function %f1(i32, i64) -> i32, i32 {
;;     table0 = table funcref i32 min 1 max 10
;;     table1 = table externref i32 min 0
;; block1(v1: i32, v2: i64):
;;     v5 = table_get table0, v1
;;     table_set table0, v1, v5
;;     v6 = iconst.i32 0
;;     v7 = iconst.i64 0
;;     table_fill table0, v6, v7, v1
;;     v8 = iconst.i32 0
;;     v9 = iconst.i32 1
;;     table_copy table0, table0, v8, v1, v9
;;     v10 = iconst.i32 0
;;     v11 = iconst.i32 1
;;     table_init table0, elem0, v1, v10, v11
;;     elem_drop elem0
;;     v12 = table_size.i32 table0
;;     v13 = iconst.i32 2
;;     v14 = table_grow.i32 table1, v2, v13
;;     return v12, v14
;; }
