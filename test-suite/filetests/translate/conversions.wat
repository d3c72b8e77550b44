;; Conversions: wrap/extend, trapping and saturating truncation, int->float,
;; promote/demote, reinterpretation.
(module
  (func (param i64 i32 f32 f64) (result i32 i64 f32 f64)
    (i32.wrap_i64 (local.get 0))
    (i32.trunc_f32_s (local.get 2)) i32.add
    (i32.trunc_f64_u (local.get 3)) i32.add
    (i32.trunc_sat_f32_u (local.get 2)) i32.add
    (i32.reinterpret_f32 (local.get 2)) i32.add
    (i64.extend_i32_s (local.get 1))
    (i64.extend_i32_u (local.get 1)) i64.add
    (i64.trunc_f64_s (local.get 3)) i64.add
    (i64.trunc_sat_f64_s (local.get 3)) i64.add
    (i64.trunc_f32_u (local.get 2)) i64.add
    (i64.reinterpret_f64 (local.get 3)) i64.add
    (f32.convert_i32_s (local.get 1))
    (f32.convert_i64_u (local.get 0)) f32.add
    (f32.demote_f64 (local.get 3)) f32.add
    (f32.reinterpret_i32 (local.get 1)) f32.add
    (f64.promote_f32 (local.get 2))
    (f64.convert_i64_s (local.get 0)) f64.add
    (f64.reinterpret_i64 (local.get 0)) f64.add))
;; expect:
;; function %f0(i64, i32, f32, f64) -> i32, i64, f32, f64 {
;; block1(v1: i64, v2: i32, v3: f32, v4: f64):
;;     v9 = ireduce v1
;;     v10 = fcvt_to_sint.i32 v3
;;     v11 = iadd.i32 v9, v10
;;     v12 = fcvt_to_uint.i32 v4
;;     v13 = iadd.i32 v11, v12
;;     v14 = fcvt_to_uint_sat.i32 v3
;;     v15 = iadd.i32 v13, v14
;;     v16 = bitcast.i32 v3
;;     v17 = iadd.i32 v15, v16
;;     v18 = sextend v2
;;     v19 = uextend v2
;;     v20 = iadd.i64 v18, v19
;;     v21 = fcvt_to_sint.i64 v4
;;     v22 = iadd.i64 v20, v21
;;     v23 = fcvt_to_sint_sat.i64 v4
;;     v24 = iadd.i64 v22, v23
;;     v25 = fcvt_to_uint.i64 v3
;;     v26 = iadd.i64 v24, v25
;;     v27 = bitcast.i64 v4
;;     v28 = iadd.i64 v26, v27
;;     v29 = fcvt_from_sint.f32 v2
;;     v30 = fcvt_from_uint.f32 v1
;;     v31 = fadd.f32 v29, v30
;;     v32 = fdemote v4
;;     v33 = fadd.f32 v31, v32
;;     v34 = bitcast.f32 v2
;;     v35 = fadd.f32 v33, v34
;;     v36 = fpromote v3
;;     v37 = fcvt_from_sint.f64 v1
;;     v38 = fadd.f64 v36, v37
;;     v39 = bitcast.f64 v1
;;     v40 = fadd.f64 v38, v39
;;     return v17, v28, v35, v40
;; }
