# The official WASI preview1 test suite (../shared/wasi-testsuite/preview1: the c,
# rust and assemblyscript folders): each test compiled with wasmc, run with exactly
# the capabilities its .json grants, exit status and output checked
# (test-suite/run-wasi explains; known failures: test-suite/wasi/KNOWN-FAILURES.md).
# Compiled tests are cached in the build directory. Where the suite is absent the
# runner says so and passes with 0 tests.
if(TARGET wasmc)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    add_test(NAME wasi/testsuite
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run-wasi
        --wasmc $<TARGET_FILE:wasmc>
        --work ${CMAKE_CURRENT_BINARY_DIR}/wasi-testsuite -j 2)
    set_tests_properties(wasi/testsuite PROPERTIES TIMEOUT 600 PROCESSORS 2)
  endif()
endif()
