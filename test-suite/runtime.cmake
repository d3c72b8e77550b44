# Runtime tests: every test-suite/runtime/test_rt_*.c is one Check executable linked only
# with libwasmc_rt (never with compiler libraries: the runtime must stand alone).
# "Wasm functions" in these tests are hand-written C or machine code following the
# calling convention of wasmc_rt.h, described by hand-written module descriptors.
if(NOT TARGET wasmc_rt)
  add_subdirectory(${PROJECT_SOURCE_DIR}/runtime-stub ${PROJECT_BINARY_DIR}/runtime-stub)
endif()

file(GLOB RT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/runtime/test_rt_*.c)
foreach(src ${RT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/runtime)
  target_compile_options(${name} PRIVATE -fno-omit-frame-pointer)
  target_link_libraries(${name} PRIVATE wasmc_rt PkgConfig::CHECK)
  add_test(NAME rt/${name} COMMAND ${name})
  # Each Check test runs in a forked child (fresh signal state). Under ASan
  # (-DWASMC_SANITIZE=ON) ASan must leave SIGSEGV/SIGBUS/SIGFPE/SIGILL to the runtime's
  # handler: its own handler would report the guard-page faults that are wasm traps.
  set_tests_properties(rt/${name} PROPERTIES ENVIRONMENT
    "CK_FORK=yes;ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=1")
endforeach()
