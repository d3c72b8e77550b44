# Spec conformance over ../shared/wasm-testsuite (test-suite/run-spec; each test
# says so and passes where that folder is absent).
#   spec/module-level  decode/validate checks only (wasmc -fsyntax-only); must pass.
#   spec/core-exec     every command executed: modules compiled with `wasmc -c`, one
#                      generated C driver per .json linked with libwasmc_rt.a. Must
#                      pass: any failed assertion fails CI. Skips (SIMD, GC, exception
#                      handling, atomics, text-format modules) are counted by reason.
if(NOT TARGET wasmc_rt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/runtime-stub ${PROJECT_BINARY_DIR}/runtime-stub)
endif()

add_test(NAME spec/module-level
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run-spec --module-level-only --wasmc $<TARGET_FILE:wasmc>)

set(WASMC_SPEC_CFLAGS)
if(WASMC_SANITIZE)
  set(WASMC_SPEC_CFLAGS --cflags=-fsanitize=address,undefined)
endif()
add_test(NAME spec/core-exec
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/run-spec
    --wasmc $<TARGET_FILE:wasmc>
    --rt $<TARGET_FILE:wasmc_rt>
    --include ${PROJECT_SOURCE_DIR}/runtime-stub/include
    ${WASMC_SPEC_CFLAGS})
# Guard-page faults must reach the runtime's handler under ASan (wasmc_rt.h).
set_tests_properties(spec/core-exec PROPERTIES TIMEOUT 1200 ENVIRONMENT
  "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=0")

# The runner itself: known-good and known-bad commands (test-suite/spec/selftest/*.wast,
# converted with wast2json at test time; skipped without it) must get the right verdicts.
add_test(NAME spec/runner-selftest
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/spec/selftest/run-selftest
    --wasmc $<TARGET_FILE:wasmc>
    --rt $<TARGET_FILE:wasmc_rt>
    --include ${PROJECT_SOURCE_DIR}/runtime-stub/include
    ${WASMC_SPEC_CFLAGS})
set_tests_properties(spec/runner-selftest PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 ENVIRONMENT
  "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=0")
