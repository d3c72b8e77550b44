# End-to-end program suite (test-suite/programs/*.c): each C program is built
# with clang --target=wasm32-wasi, run under node's WASI for the reference,
# compiled with wasmc (and -static for some) and run natively; stdout and exit
# status must match (test-suite/run-programs explains the header directives).
# The runner exits 77 when it cannot run anything (no wasm32-wasi clang, no
# node), which ctest reports as skipped.
if(TARGET wasmc)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME programs/e2e
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run-programs
        --wasmc $<TARGET_FILE:wasmc>
        --work ${CMAKE_CURRENT_BINARY_DIR}/programs)
    set_tests_properties(programs/e2e PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)
  endif()
endif()
