# libFuzzer targets, built with -DWASMC_FUZZ=ON and CC=clang.
if(WASMC_FUZZ)
  add_executable(fuzz_decode ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_decode.c)
  target_link_libraries(fuzz_decode PRIVATE wasmc_frontend)
  target_compile_options(fuzz_decode PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_decode PRIVATE -fsanitize=fuzzer,address,undefined)
endif()
