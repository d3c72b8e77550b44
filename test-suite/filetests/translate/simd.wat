;; SIMD: lane ops become vop1/vop2/vop3, lane immediates iconst operands,
;; shuffle indices a vconst; memory forms are scalar accesses plus lane ops.
(module
  (memory 1)
  (func (param v128 v128 i32) (result v128)
    (local v128)
    (i32x4.add (local.get 0) (local.get 1))
    (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get 1))
    (i16x8.replace_lane 7 (i32.const 5))
    (local.set 3)
    (v128.store16_lane offset=4 1 (local.get 2) (local.get 3))
    (v128.load8x8_s (local.get 2))
    (v128.load32_zero offset=8 (local.get 2))
    (f32x4.max)
    (v128.load16_lane 3 (local.get 2) (local.get 3))
    (local.get 0)
    (v128.bitselect)
    (i32x4.extract_lane 2 (local.get 1))
    (i8x16.shl)))
;; expect:
;; function %f0(v128, v128, i32) -> v128 {
;;     mem0 = memory i32 min 1
;; block1(v1: v128, v2: v128, v3: i32):
;;     v5 = vop2.v128 i32x4.add v1, v2
;;     v6 = vconst 0x1f0e1d0c1b0a19081706150413021100
;;     v7 = vop3.v128 i8x16.shuffle v5, v2, v6
;;     v8 = iconst.i32 5
;;     v9 = iconst.i32 7
;;     v10 = vop3.v128 i16x8.replace_lane v7, v9, v8
;;     v11 = iconst.i32 1
;;     v12 = vop2.i32 i16x8.extract_lane_u v10, v11
;;     istore16.i32 heap_oob v12, mem0[v3+4]
;;     v13 = load.i64 heap_oob mem0[v3]
;;     v14 = vop1.v128 i64x2.splat v13
;;     v15 = vop1.v128 i16x8.extend_low_i8x16_s v14
;;     v16 = load.i32 heap_oob mem0[v3+8]
;;     v17 = vconst 0x00000000000000000000000000000000
;;     v18 = iconst.i32 0
;;     v19 = vop3.v128 i32x4.replace_lane v17, v18, v16
;;     v20 = vop2.v128 f32x4.max v15, v19
;;     v21 = uload16.i32 heap_oob mem0[v3]
;;     v22 = iconst.i32 3
;;     v23 = vop3.v128 i16x8.replace_lane v10, v22, v21
;;     v24 = vop3.v128 v128.bitselect v20, v23, v1
;;     v25 = iconst.i32 2
;;     v26 = vop2.i32 i32x4.extract_lane v2, v25
;;     v27 = vop2.v128 i8x16.shl v24, v26
;;     return v27
;; }
