# opt/differential: the optimiser's safety net. test-suite/run-differential
# runs the spec suite (run-spec) and the program suite (run-programs) at -O0
# and at -O2 and requires the same verdict for every .json file and every
# program (about 90 s on 2 cores). Exits 77 (skipped) when neither suite can
# run anything (no ../shared/wasm-testsuite, no wasm32-wasi clang or node).
if(TARGET wasmc AND TARGET wasmc_rt)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME opt/differential
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run-differential
        --wasmc $<TARGET_FILE:wasmc>)
    set_tests_properties(opt/differential PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800 ENVIRONMENT
      "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=0")
  endif()
endif()
