;; A driver that crashes part-way (run-selftest sets WASMC_SPEC_CRASH_AT to the first
;; "crashed" command): earlier results stay, the rest fail with "crashed".
(module (func (export "ok") (result i32) (i32.const 1)))
(assert_return (invoke "ok") (i32.const 1))
(assert_return (invoke "ok") (i32.const 1)) ;; FAIL: crashed (signal 6)
(assert_return (invoke "ok") (i32.const 1)) ;; FAIL: crashed (signal 6)
