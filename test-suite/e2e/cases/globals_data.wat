;; Globals with constant-expression initializers (extended const), imported
;; global and memory, active data at a global offset, a passive segment.
;; wat2wasm-flags: --enable-multi-memory --enable-extended-const
(module
  (import "env" "g0" (global $g0 i32))
  (import "env" "mem" (memory 1))
  (global $a (mut i32) (i32.const 42))
  (global $b i64 (i64.add (i64.const 40) (i64.const 2)))
  (global $c i32 (i32.mul (global.get $g0) (i32.const 3)))
  (global $d f64 (f64.const 2.5))
  (memory $m 2 10)
  (data (memory $m) (i32.const 16) "hello")
  (data (memory $m) (global.get $g0) "at g0")
  (data "passive")
  (export "a" (global $a))
  (export "b" (global $b))
  (export "c" (global $c))
  (export "d" (global $d))
  (export "mem" (memory $m))
)
