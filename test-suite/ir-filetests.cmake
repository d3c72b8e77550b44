# IR filetests: text in, text out (see ir/tools/ir-filetest.c for the format).
if(TARGET ir-filetest)
  add_test(NAME ir/filetests
           COMMAND $<TARGET_FILE:ir-filetest> ${CMAKE_CURRENT_SOURCE_DIR}/filetests/ir)
endif()
