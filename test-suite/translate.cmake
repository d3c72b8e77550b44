# wasm -> IR translation (frontend/translate/): the whole core spec suite
# translated and verified, and the filetests of test-suite/filetests/translate.
add_executable(translate-suite ${CMAKE_CURRENT_SOURCE_DIR}/tools/translate-suite.c)
target_link_libraries(translate-suite PRIVATE wasmc_frontend wasmc_filetest_util)
target_compile_definitions(translate-suite PRIVATE WASMC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME translate/suite COMMAND translate-suite)

find_program(WAT2WASM wat2wasm)
if(NOT WAT2WASM)
  set(WAT2WASM wat2wasm) # the runner reports the tests as skipped
endif()
add_executable(translate-filetest ${CMAKE_CURRENT_SOURCE_DIR}/tools/translate-filetest.c)
target_link_libraries(translate-filetest PRIVATE wasmc_frontend wasmc_filetest_util)
add_test(NAME translate/filetests
         COMMAND translate-filetest ${WAT2WASM} ${CMAKE_CURRENT_SOURCE_DIR}/filetests/translate)

# The proposals the translator handles beyond the core suite (wide
# arithmetic, custom page sizes; threads modules are rejected by feature).
set(WASMC_PROPOSALS_DIR ${PROJECT_SOURCE_DIR}/../shared/wasm-testsuite/json/proposals)
add_test(NAME translate/suite-proposals
         COMMAND translate-suite ${WASMC_PROPOSALS_DIR}/wide-arithmetic ${WASMC_PROPOSALS_DIR}/custom-page-sizes
                 ${WASMC_PROPOSALS_DIR}/threads)
