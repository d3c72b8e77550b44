;; Exception handling is rejected with the feature's name.
(module
  (tag $e)
  (func (throw $e)))
;; expect:
;; error: exception handling is not supported by the code generator yet (function 0)
