;; Self-test of test-suite/run-spec's execution mode (run by run-selftest).
;; A command whose line carries ";; FAIL: TEXT" must fail with TEXT in its message;
;; ";; SKIP: TEXT" must be skipped with TEXT in its reason; every other command passes.

(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "f32.div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "f64.id") (param f64) (result f64) (local.get 0))
  (func (export "two") (result i32 i64) (i32.const 1) (i64.const -1))
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "unreachable") (unreachable))
  (func $rec (export "runaway") (call $rec))
  (elem declare func $rec)
  (func (export "ext.id") (param externref) (result externref) (local.get 0))
  (func (export "ref.func") (result funcref) (ref.func $rec))
  (func (export "ref.null") (result funcref) (ref.null func))
  (global (export "g") i32 (i32.const 42))
)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 1) (i32.const 1)) (i32.const 3)) ;; FAIL: got i:0x00000002, expected i:0x00000003
(assert_return (invoke "add" (i32.const -1) (i32.const 0)) (i32.const 0xffffffff))
(assert_return (invoke "f32.div" (f32.const 0) (f32.const 0)) (f32.const nan:canonical))
(assert_return (invoke "f32.div" (f32.const 1) (f32.const 0)) (f32.const nan:arithmetic)) ;; FAIL: expected f:nan:arithmetic
(assert_return (invoke "f64.id" (f64.const -0x0p+0)) (f64.const -0x0p+0))
(assert_return (invoke "f64.id" (f64.const 0x0p+0)) (f64.const -0x0p+0)) ;; FAIL: got F:0x0000000000000000
(assert_return (invoke "f64.id" (f64.const nan:0x4)) (f64.const nan:arithmetic)) ;; FAIL: expected F:nan:arithmetic
(assert_return (invoke "f64.id" (f64.const -nan:0x8000000000000)) (f64.const nan:canonical))
(assert_return (invoke "two") (i32.const 1) (i64.const -1))
(assert_return (invoke "two") (i32.const 1) (i64.const 1)) ;; FAIL: got i:0x00000001 I:0xffffffffffffffff
(assert_return (get "g") (i32.const 42))
(assert_return (get "g") (i32.const 43)) ;; FAIL: got i:0x0000002a
(assert_return (invoke "ext.id" (ref.extern 1)) (ref.extern 1))
(assert_return (invoke "ext.id" (ref.extern 1)) (ref.extern 2)) ;; FAIL: expected ref.extern 2
(assert_return (invoke "ext.id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "ref.func") (ref.func))
(assert_return (invoke "ref.null") (ref.null func))
(assert_return (invoke "ref.func") (ref.null func)) ;; FAIL: expected funcref:null
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "unreachable") ;; FAIL: trapped with "integer divide by zero", expected "unreachable"
(assert_trap (invoke "div" (i32.const 1) (i32.const 1)) "integer divide by zero") ;; FAIL: returned, expected a trap
(assert_trap (invoke "unreachable") "unreachable executed")
(assert_exhaustion (invoke "runaway") "call stack exhausted")
(invoke "add" (i32.const 1) (i32.const 2))
(invoke "unreachable") ;; FAIL: trapped: unreachable

;; spectest: functions, globals, the shared table and memory (writes stay visible).
(module $S
  (import "spectest" "print_i32" (func $p (param i32)))
  (import "spectest" "print_f64_f64" (func (param f64 f64)))
  (import "spectest" "global_i32" (global $gi i32))
  (import "spectest" "global_i64" (global $gI i64))
  (import "spectest" "global_f32" (global $gf f32))
  (import "spectest" "global_f64" (global $gF f64))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "memory" (memory 1 2))
  (func (export "gi") (result i32) (call $p (global.get $gi)) (global.get $gi))
  (func (export "gI") (result i64) (global.get $gI))
  (func (export "gf") (result f32) (global.get $gf))
  (func (export "gF") (result f64) (global.get $gF))
  (func (export "store") (i32.store (i32.const 8) (i32.const 77)))
  (func (export "tsize") (result i32) (table.size 0))
  (func (export "msize") (result i32) (memory.size))
)
(assert_return (invoke "gi") (i32.const 666))
(assert_return (invoke "gI") (i64.const 666))
(assert_return (invoke "gf") (f32.const 666.6))
(assert_return (invoke "gF") (f64.const 666.6))
(assert_return (invoke "tsize") (i32.const 10))
(assert_return (invoke "msize") (i32.const 1))
(invoke "store")
(module (import "spectest" "memory" (memory 1)) (func (export "load") (result i32) (i32.load (i32.const 8))))
(assert_return (invoke "load") (i32.const 77))
(assert_unlinkable (module (import "spectest" "unknown" (func))) "unknown import")
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i64)))) "incompatible import type")
(assert_unlinkable (module (import "spectest" "global_i32" (global i64))) "incompatible import type")

;; register and named modules
(module $M (func (export "seven") (result i32) (i32.const 7)) (global (export "g") (mut i32) (i32.const 5)))
(register "M" $M)
(module (import "M" "seven" (func $s (result i32))) (import "M" "g" (global (mut i32)))
  (func (export "fourteen") (result i32) (i32.add (call $s) (call $s))))
(assert_return (invoke "fourteen") (i32.const 14))
(assert_return (invoke $M "seven") (i32.const 7))
(assert_return (invoke $S "gi") (i32.const 666))

;; export names with NUL bytes: the driver passes every name with its length
(module (func (export "a\00b") (result i32) (i32.const 1)) (func (export "a") (result i32) (i32.const 2)))
(assert_return (invoke "a\00b") (i32.const 1))
(assert_return (invoke "a") (i32.const 2))
(assert_return (invoke "a\00b") (i32.const 2)) ;; FAIL: got i:0x00000001

;; reference types of imported globals are matched by subtyping
(module $R (global (export "ext") externref (ref.null extern)) (global (export "fn") funcref (ref.null func)))
(register "R" $R)
(module (import "R" "fn" (global funcref)) (import "R" "ext" (global externref)))
(assert_unlinkable (module (import "R" "ext" (global funcref))) "incompatible import type")
(assert_unlinkable (module (import "R" "fn" (global funcref))) "incompatible import type") ;; FAIL: instantiated, expected a link error

;; instantiation traps
(assert_trap (module (func $f (unreachable)) (start $f)) "unreachable")
(assert_trap (module (memory 1) (data (i32.const 65536) "a")) "out of bounds memory access")
(assert_trap (module (memory 1) (data (i32.const 65536) "a")) "out of bounds table access") ;; FAIL: trapped with "out of bounds memory access"
(assert_trap (module (memory 1) (data (i32.const 0) "a")) "out of bounds memory access") ;; FAIL: instantiated, expected a trap
(module (func $f (unreachable)) (start $f) (func (export "x"))) ;; FAIL: instantiation trapped: unreachable
(invoke "x") ;; FAIL: the module was not instantiated

;; a module the code generator rejects: its dependents are skipped with its reason
(module $V (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)) (global (export "g") i32 (i32.const 1))) ;; SKIP: SIMD
(assert_return (invoke "v") (v128.const i32x4 1 2 3 4)) ;; SKIP: SIMD
(register "V" $V) ;; SKIP: SIMD
(module (import "V" "g" (global i32))) ;; SKIP: SIMD
(assert_return (invoke $M "seven") (i32.const 7))
