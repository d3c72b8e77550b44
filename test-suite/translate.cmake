# wasm -> IR translation (frontend/translate/): the whole core spec suite
# translated and verified, and the filetests of test-suite/filetests/translate.
add_executable(translate-suite ${CMAKE_CURRENT_SOURCE_DIR}/tools/translate-suite.c)
target_link_libraries(translate-suite PRIVATE wasmc_frontend)
target_compile_definitions(translate-suite PRIVATE WASMC_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME translate/suite COMMAND translate-suite)
