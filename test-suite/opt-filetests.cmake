# Optimiser filetests: IR in, IR after the passes out, the verifier run after
# every pass (see opt/tools/opt-filetest.c for the format).
if(TARGET opt-filetest)
  add_test(NAME opt/filetests
           COMMAND $<TARGET_FILE:opt-filetest> ${CMAKE_CURRENT_SOURCE_DIR}/filetests/opt)
endif()
