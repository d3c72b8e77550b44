;; unreachable traps; code after br, return and unreachable is skipped
;; (including nested blocks), and an end nobody reaches starts no block.
(module
  (func (param i32) (result i32)
    (block
      (br 0)
      (drop (i32.add (local.get 0) (i32.const 1)))
      (block (loop (br 0))))
    (if (local.get 0) (then unreachable))
    (block (result i32)
      (return (local.get 0))
      (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))
  (func (result i32)
    (unreachable)
    (i32.add)))
;; expect:
;; function %f0(i32) -> i32 {
;; block1(v1: i32):
;;     jump block3
;;
;; block3:
;;     brif v1, block4, block6
;;
;; block4:
;;     trap unreachable
;;
;; block6:
;;     return v1
;; }
;;
;; function %f1() -> i32 {
;; block1:
;;     trap unreachable
;; }
