;; Float arithmetic with wasm's NaN, min/max and rounding operators.
(module
  (func (param f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 1))
    (f32.sub (f32.const 1.5))
    (f32.mul (local.get 1))
    (f32.div (local.get 0))
    (f32.min (local.get 1))
    (f32.max (f32.const nan))
    (f32.copysign (f32.const -0.0))
    f32.abs f32.neg f32.sqrt f32.ceil f32.floor f32.trunc f32.nearest)
  (func (param f64) (result f64)
    (f64.add (local.get 0) (f64.const -inf))
    f64.nearest
    (f64.min (f64.const 0x1p-1074))))
;; expect:
;; function %f0(f32, f32) -> f32 {
;; block1(v1: f32, v2: f32):
;;     v4 = fadd.f32 v1, v2
;;     v5 = f32const 0x1.8p+0
;;     v6 = fsub.f32 v4, v5
;;     v7 = fmul.f32 v6, v2
;;     v8 = fdiv.f32 v7, v1
;;     v9 = fmin.f32 v8, v2
;;     v10 = f32const nan:0x400000
;;     v11 = fmax.f32 v9, v10
;;     v12 = f32const -0x0p+0
;;     v13 = fcopysign.f32 v11, v12
;;     v14 = fabs.f32 v13
;;     v15 = fneg.f32 v14
;;     v16 = sqrt.f32 v15
;;     v17 = ceil.f32 v16
;;     v18 = floor.f32 v17
;;     v19 = trunc.f32 v18
;;     v20 = nearest.f32 v19
;;     return v20
;; }
;;
;; function %f1(f64) -> f64 {
;; block1(v1: f64):
;;     v3 = f64const -inf
;;     v4 = fadd.f64 v1, v3
;;     v5 = nearest.f64 v4
;;     v6 = f64const 0x0.0000000000001p-1022
;;     v7 = fmin.f64 v5, v6
;;     return v7
;; }
