;; A driver that hangs: the commands after the hang fail with "timeout", the ones
;; before keep their results (run-selftest runs this file with --timeout 3).
(module
  (func (export "ok") (result i32) (i32.const 1))
  (func (export "spin") (loop (br 0))))
(assert_return (invoke "ok") (i32.const 1))
(invoke "spin") ;; FAIL: timeout
(assert_return (invoke "ok") (i32.const 1)) ;; FAIL: timeout
