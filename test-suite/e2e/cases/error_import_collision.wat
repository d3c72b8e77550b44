;; Two imports whose host symbols escape to the same name (wasmc_rt.h section 5).
;; expect-error: both map to the host symbol wasmc_import_a_b_c
(module (import "a_b" "c" (func)) (import "a" "b_c" (func (param i32))))
