/* The fn_calls harness against the -O0 build. */
#define MODULE_HEADER "fn_calls_O0.h"
#define MODULE_DESC fn_calls_O0_module
#define MODULE_NAME "fn_calls_O0"
#define MODULE_SWAP fn_calls_O0_swap
#include "fn_calls.c"
