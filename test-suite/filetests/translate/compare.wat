;; Integer and float comparisons; eqz compares with zero.
(module
  (func (param i32 i32 i64 f32 f64 f64) (result i32)
    (i32.eqz (local.get 0))
    (i32.lt_s (local.get 0) (local.get 1)) i32.add
    (i32.ge_u (local.get 0) (local.get 1)) i32.add
    (i64.eqz (local.get 2)) i32.add
    (i64.gt_s (local.get 2) (i64.const 3)) i32.add
    (i64.le_u (local.get 2) (i64.const 3)) i32.add
    (f32.ne (local.get 3) (local.get 3)) i32.add
    (f32.lt (local.get 3) (f32.const 0)) i32.add
    (f64.ge (local.get 4) (local.get 5)) i32.add
    (f64.eq (local.get 4) (local.get 5)) i32.add))
;; expect:
;; function %f0(i32, i32, i64, f32, f64, f64) -> i32 {
;; block1(v1: i32, v2: i32, v3: i64, v4: f32, v5: f64, v6: f64):
;;     v8 = iconst.i32 0
;;     v9 = icmp.i32 eq v1, v8
;;     v10 = icmp.i32 slt v1, v2
;;     v11 = iadd.i32 v9, v10
;;     v12 = icmp.i32 uge v1, v2
;;     v13 = iadd.i32 v11, v12
;;     v14 = iconst.i64 0
;;     v15 = icmp.i64 eq v3, v14
;;     v16 = iadd.i32 v13, v15
;;     v17 = iconst.i64 3
;;     v18 = icmp.i64 sgt v3, v17
;;     v19 = iadd.i32 v16, v18
;;     v20 = iconst.i64 3
;;     v21 = icmp.i64 ule v3, v20
;;     v22 = iadd.i32 v19, v21
;;     v23 = fcmp.f32 ne v4, v4
;;     v24 = iadd.i32 v22, v23
;;     v25 = f32const 0x0p+0
;;     v26 = fcmp.f32 lt v4, v25
;;     v27 = iadd.i32 v24, v26
;;     v28 = fcmp.f64 ge v5, v6
;;     v29 = iadd.i32 v27, v28
;;     v30 = fcmp.f64 eq v5, v6
;;     v31 = iadd.i32 v29, v30
;;     return v31
;; }
