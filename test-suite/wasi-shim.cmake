# WASI shim unit tests: test-suite/wasi/test_wasi_*.c, each a Check executable
# linked against wasmc_wasi only (never the compiler libraries).
if(NOT TARGET wasmc_wasi)
  add_subdirectory(${PROJECT_SOURCE_DIR}/wasi-libc-shim ${PROJECT_BINARY_DIR}/wasi-libc-shim)
endif()

file(GLOB WASI_SHIM_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/wasi/test_wasi_*.c)
foreach(src ${WASI_SHIM_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src} ${CMAKE_CURRENT_LIST_DIR}/wasi/wasi_test_util.c)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/wasi)
  target_link_libraries(${name} PRIVATE wasmc_wasi PkgConfig::CHECK)
  add_test(NAME wasi/${name} COMMAND ${name})
  set_tests_properties(wasi/${name} PROPERTIES ENVIRONMENT "CK_FORK=yes")
endforeach()
