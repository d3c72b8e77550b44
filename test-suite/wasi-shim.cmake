# WASI shim unit tests: test-suite/wasi/test_wasi_*.c, each a Check executable
# linked against wasmc_wasi only (never the compiler libraries).
# test_wasi_glue*.c test the glue between compiled imports and the shim: they also
# link the runtime (wasmc_rt, for real instances and vmctxs) and glue_test_util.c.
if(NOT TARGET wasmc_wasi)
  add_subdirectory(${PROJECT_SOURCE_DIR}/wasi-libc-shim ${PROJECT_BINARY_DIR}/wasi-libc-shim)
endif()
# runtime.cmake creates wasmc_rt too; whichever of the two is included first does it.
if(NOT TARGET wasmc_rt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/runtime-stub ${PROJECT_BINARY_DIR}/runtime-stub)
endif()

file(GLOB WASI_SHIM_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/wasi/test_wasi_*.c)
foreach(src ${WASI_SHIM_TESTS})
  get_filename_component(name ${src} NAME_WE)
  if(name MATCHES "^test_wasi_glue")
    add_executable(${name} ${src} ${CMAKE_CURRENT_LIST_DIR}/wasi/glue_test_util.c)
    # wasmc_wasi before wasmc_rt: the glue references the runtime's accessors.
    target_link_libraries(${name} PRIVATE wasmc_wasi wasmc_rt PkgConfig::CHECK)
    target_compile_options(${name} PRIVATE -fno-omit-frame-pointer)
    # As for the runtime tests: under ASan the runtime's signal handler must see faults.
    set(env "CK_FORK=yes;ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=1")
  else()
    add_executable(${name} ${src} ${CMAKE_CURRENT_LIST_DIR}/wasi/wasi_test_util.c)
    target_link_libraries(${name} PRIVATE wasmc_wasi PkgConfig::CHECK)
    set(env "CK_FORK=yes")
  endif()
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/wasi)
  add_test(NAME wasi/${name} COMMAND ${name})
  set_tests_properties(wasi/${name} PROPERTIES ENVIRONMENT "${env}")
endforeach()

# The shim's public headers must also compile as C++ (embedders). wasmc_wasi_glue.h is
# left out while wasmc_rt.h uses C-only _Alignas/_Noreturn.
find_program(WASI_CXX_FOR_CHECK NAMES c++ g++ clang++)
if(WASI_CXX_FOR_CHECK)
  add_test(NAME wasi/headers_as_cxx COMMAND ${WASI_CXX_FOR_CHECK} -std=c++17 -Wall -Werror
    -fsyntax-only -I${PROJECT_SOURCE_DIR}/wasi-libc-shim
    -include wasi_shim.h -include wasmc_wasi_config.h -x c++ /dev/null)
endif()
