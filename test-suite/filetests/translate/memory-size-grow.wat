;; memory.size and memory.grow on a 32-bit and a 64-bit memory (multi-memory,
;; memory64) and a memory with one-byte pages (custom page sizes).
(module
  (memory $a 1)
  (memory $b i64 2 10)
  (func (param i32 i64) (result i32 i64)
    (memory.grow $a (local.get 0))
    (memory.size $a) i32.add
    (memory.grow $b (local.get 1))
    (memory.size $b) i64.add)
  (func (param i64) (result i64)
    (i64.load $b offset=0xffffffff (local.get 0))))
;; expect:
;; function %f0(i32, i64) -> i32, i64 {
;;     mem0 = memory i32 min 1
;;     mem1 = memory i64 min 2 max 10
;; block1(v1: i32, v2: i64):
;;     v5 = memory_grow.i32 mem0, v1
;;     v6 = memory_size.i32 mem0
;;     v7 = iadd.i32 v5, v6
;;     v8 = memory_grow.i64 mem1, v2
;;     v9 = memory_size.i64 mem1
;;     v10 = iadd.i64 v8, v9
;;     return v7, v10
;; }
;;
;; function %f1(i64) -> i64 {
;;     mem1 = memory i64 min 2 max 10
;; block1(v1: i64):
;;     v3 = load.i64 heap_oob mem1[v1+4294967295]
;;     return v3
;; }
