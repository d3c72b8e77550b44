# fuzz/differential: wasmc against node (V8) on random modules from binaryen's
# translate-to-fuzz (test-suite/run-fuzz-diff): 40 fixed seeds, each compiled at
# -O2, -O0 and -O2 with explicit bounds checks, every export called, every log
# import call and result compared bit-exactly (a few seconds on 2 cores).
# Exits 77 (skipped) without wasm-opt (Debian's binaryen) or node.
if(TARGET wasmc AND TARGET wasmc_rt)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME fuzz/differential
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run-fuzz-diff
        --wasmc $<TARGET_FILE:wasmc> --rt $<TARGET_FILE:wasmc_rt> --seed 1 --count 40 --jobs 2)
    set_tests_properties(fuzz/differential PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
  endif()
endif()
