# End-to-end tests of the module compiler (compile/): .wat cases assembled at
# test time, compiled with `wasmc -c`, linked with libwasmc_rt.a and a C
# harness, and run (test-suite/e2e/run-e2e explains the case format).
if(TARGET wasmc_compile AND TARGET wasmc)
  set(WASMC_E2E_CFLAGS "-fno-omit-frame-pointer")
  if(WASMC_SANITIZE)
    set(WASMC_E2E_CFLAGS "${WASMC_E2E_CFLAGS} -fsanitize=address,undefined")
  endif()
  add_test(NAME e2e/compile
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/e2e/run-e2e
      --wasmc $<TARGET_FILE:wasmc>
      --rt $<TARGET_FILE:wasmc_rt>
      --include ${PROJECT_SOURCE_DIR}/runtime-stub/include
      --cases ${CMAKE_CURRENT_LIST_DIR}/e2e/cases
      --work ${CMAKE_CURRENT_BINARY_DIR}/e2e-compile
      --cflags "${WASMC_E2E_CFLAGS}")
  # Guard-page faults must reach the runtime's handler under ASan (wasmc_rt.h).
  set_tests_properties(e2e/compile PROPERTIES ENVIRONMENT
    "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=1")
endif()
