;; Function imports bound by symbol name (weak wasmc_import_* defined by the
;; harness) and by the resolver, re-exported and called from C through the
;; compiler's array trampolines: many parameters (stack arguments), floats,
;; two results (hidden results pointer). A table filled from an element
;; segment with funcrefs of the imports, and an import nobody defines.
(module
  (type $many (func (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f64 f64 f64 f64 f64 f64 f64) (result f64)))
  (import "env" "many" (func $many (type $many)))
  (import "env" "pair" (func $pair (param i32) (result i32 i64)))
  (import "host" "by-resolver" (func $res (param f32) (result f32)))
  (import "env" "missing" (func $missing))
  (table $t (export "table") 4 funcref)
  (elem (table $t) (i32.const 1) func $pair $res)
  (export "many" (func $many))
  (export "pair" (func $pair))
  (export "res" (func $res))
  (export "missing" (func $missing))
)
