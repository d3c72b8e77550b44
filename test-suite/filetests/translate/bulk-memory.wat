;; memory.fill/copy/init, data.drop.
(module
  (memory 1)
  (memory $m2 1)
  (data $d "hello")
  (func (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2))
    (memory.copy (local.get 0) (local.get 1) (local.get 2))
    (memory.copy $m2 0 (local.get 0) (local.get 1) (local.get 2))
    (memory.init $d (local.get 0) (local.get 1) (local.get 2))
    (data.drop $d)))
;; expect:
;; function %f0(i32, i32, i32) {
;;     mem0 = memory i32 min 1
;;     mem1 = memory i32 min 1
;; block1(v1: i32, v2: i32, v3: i32):
;;     memory_fill mem0, v1, v2, v3
;;     memory_copy mem0, mem0, v1, v2, v3
;;     memory_copy mem1, mem0, v1, v2, v3
;;     memory_init mem0, data0, v1, v2, v3
;;     data_drop data0
;;     return
;; }
