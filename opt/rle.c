/* rle: not written yet (a no-op). */
#include "opt_internal.h"

bool opt_rle(IrFunc *f, PassCtx *cx)
{
    (void)f;
    (void)cx;
    return false;
}
