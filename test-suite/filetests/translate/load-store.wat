;; Loads and stores of every width; offsets; the trap code is heap_oob.
(module
  (memory 1 2)
  (func (param i32) (result i64)
    (i32.load offset=4 (local.get 0))
    (i32.store (local.get 0))
    (i32.store8 (local.get 0) (i32.load8_s (local.get 0)))
    (i32.store8 (local.get 0) (i32.load8_u offset=1 (local.get 0)))
    (i32.store16 (local.get 0) (i32.load16_s (local.get 0)))
    (i32.store16 (local.get 0) (i32.load16_u (local.get 0)))
    (f32.store (local.get 0) (f32.load (local.get 0)))
    (f64.store offset=8 (local.get 0) (f64.load (local.get 0)))
    (i64.store8 (local.get 0) (i64.load8_s (local.get 0)))
    (i64.store16 (local.get 0) (i64.load16_u (local.get 0)))
    (i64.store32 (local.get 0) (i64.load32_s (local.get 0)))
    (i64.store (local.get 0) (i64.load32_u (local.get 0)))
    (i64.load8_u (local.get 0))
    (i64.load16_s (local.get 0))
    i64.add
    (i64.load offset=65535 align=1 (local.get 0))
    i64.add))
;; expect:
;; function %f0(i32) -> i64 {
;;     mem0 = memory i32 min 1 max 2
;; block1(v1: i32):
;;     v3 = load.i32 heap_oob mem0[v1+4]
;;     store.i32 heap_oob v1, mem0[v3]
;;     v4 = sload8.i32 heap_oob mem0[v1]
;;     istore8.i32 heap_oob v4, mem0[v1]
;;     v5 = uload8.i32 heap_oob mem0[v1+1]
;;     istore8.i32 heap_oob v5, mem0[v1]
;;     v6 = sload16.i32 heap_oob mem0[v1]
;;     istore16.i32 heap_oob v6, mem0[v1]
;;     v7 = uload16.i32 heap_oob mem0[v1]
;;     istore16.i32 heap_oob v7, mem0[v1]
;;     v8 = load.f32 heap_oob mem0[v1]
;;     store.f32 heap_oob v8, mem0[v1]
;;     v9 = load.f64 heap_oob mem0[v1]
;;     store.f64 heap_oob v9, mem0[v1+8]
;;     v10 = sload8.i64 heap_oob mem0[v1]
;;     istore8.i64 heap_oob v10, mem0[v1]
;;     v11 = uload16.i64 heap_oob mem0[v1]
;;     istore16.i64 heap_oob v11, mem0[v1]
;;     v12 = sload32 heap_oob mem0[v1]
;;     istore32 heap_oob v12, mem0[v1]
;;     v13 = uload32 heap_oob mem0[v1]
;;     store.i64 heap_oob v13, mem0[v1]
;;     v14 = uload8.i64 heap_oob mem0[v1]
;;     v15 = sload16.i64 heap_oob mem0[v1]
;;     v16 = iadd.i64 v14, v15
;;     v17 = load.i64 heap_oob mem0[v1+65535]
;;     v18 = iadd.i64 v16, v17
;;     return v18
;; }
