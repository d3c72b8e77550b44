/* The fn_memory harness, against the explicitly checked build; the memory
 * must not be guarded. */
#define MODULE_HEADER "fn_memory_explicit.h"
#define MODULE_DESC fn_memory_explicit_module
#define MODULE_NAME "fn_memory_explicit"
#define EXPECT_GUARDED 0
#include "fn_memory.c"
