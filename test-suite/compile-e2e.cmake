# End-to-end tests of the module compiler (compile/): .wat cases assembled at
# test time, compiled to objects, linked with libwasmc_rt.a and a C harness,
# and run (test-suite/e2e/run-e2e explains the case format). Until the driver
# wires `wasmc -c`, a small tool calls wasmc_compile_module directly.
if(TARGET wasmc_compile)
  if(NOT TARGET wasmc_rt)
    add_subdirectory(${PROJECT_SOURCE_DIR}/runtime-stub ${PROJECT_BINARY_DIR}/runtime-stub)
  endif()
  add_executable(wasmc_compile_tool ${CMAKE_CURRENT_LIST_DIR}/e2e/compile_tool.c)
  target_link_libraries(wasmc_compile_tool PRIVATE wasmc_compile)

  # Function-body cases need cg_compile_func (compile/CMakeLists.txt detects it).
  get_property(WASMC_E2E_CODEGEN GLOBAL PROPERTY WASMC_HAVE_CG_COMPILE_FUNC)
  if(NOT WASMC_E2E_CODEGEN)
    set(WASMC_E2E_CODEGEN 0)
  endif()
  set(WASMC_E2E_CFLAGS "-fno-omit-frame-pointer")
  if(WASMC_SANITIZE)
    set(WASMC_E2E_CFLAGS "${WASMC_E2E_CFLAGS} -fsanitize=address,undefined")
  endif()
  # Once the driver calls wasmc_compile_module (`wasmc -c`), test through it.
  file(GLOB WASMC_DRIVER_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/driver/*.c)
  set(WASMC_E2E_TOOL $<TARGET_FILE:wasmc_compile_tool>)
  set(WASMC_E2E_MODE)
  foreach(src ${WASMC_DRIVER_SOURCES})
    file(STRINGS ${src} calls REGEX "wasmc_compile_module[ \t]*\\(")
    if(calls AND TARGET wasmc)
      set(WASMC_E2E_TOOL $<TARGET_FILE:wasmc>)
      set(WASMC_E2E_MODE --wasmc-c)
    endif()
  endforeach()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${WASMC_DRIVER_SOURCES})
  add_test(NAME e2e/compile
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/e2e/run-e2e ${WASMC_E2E_MODE}
      --tool ${WASMC_E2E_TOOL}
      --rt $<TARGET_FILE:wasmc_rt>
      --include ${PROJECT_SOURCE_DIR}/runtime-stub/include
      --cases ${CMAKE_CURRENT_LIST_DIR}/e2e/cases
      --work ${CMAKE_CURRENT_BINARY_DIR}/e2e-compile
      --codegen ${WASMC_E2E_CODEGEN}
      --cflags "${WASMC_E2E_CFLAGS}")
  # Guard-page faults must reach the runtime's handler under ASan (wasmc_rt.h).
  set_tests_properties(e2e/compile PROPERTIES ENVIRONMENT
    "ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:allow_user_segv_handler=1:detect_leaks=1")
endif()
