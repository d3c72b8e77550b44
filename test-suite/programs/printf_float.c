// printf of floating point: %f %e %g %a, widths, precisions, flags, rounding,
// extremes, inf and nan; strtod round trips.
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double values[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123.456, -987654.321,
    1e-5, 1e-10, 1e15, 1e16, 1e21, 1e22, 1e100, 1e-300, 6.02214076e23,
    3.141592653589793, 2.718281828459045, 0.125, 1.5, 2.5, 1234567.0,
    DBL_MAX, DBL_MIN, DBL_TRUE_MIN, DBL_EPSILON, 9007199254740993.0,
};

int main(void) {
    static const char *const fmts[] = {
        "%f", "%.0f", "%.1f", "%.3f", "%.17f", "%e", "%.0e", "%.3E", "%.16e",
        "%g", "%.0g", "%.1g", "%.10g", "%.17g", "%#g", "%G", "%a", "%A", "%.3a",
        "%+f", "% e", "%12.4f", "%-12.4f|", "%012.4f", "%+.2e",
    };
    size_t nv = sizeof values / sizeof values[0];
    size_t nf = sizeof fmts / sizeof fmts[0];
    for (size_t i = 0; i < nv; i++) {
        printf("value %zu:", i);
        for (size_t j = 0; j < nf; j++) {
            char buf[512];
            snprintf(buf, sizeof buf, fmts[j], values[i]);
            if (strlen(buf) > 60) { buf[57] = '.'; buf[58] = '.'; buf[59] = 0; }
            printf(" [%s]", buf);
        }
        printf("\n");
    }
    /* Round half to even in the binary value: these are exact binary halves. */
    static const double halves[] = {0.5, 1.5, 2.5, 3.5, -0.5, -2.5, 0.125, 0.375, 1.0625};
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++)
        printf("%.0f %.2f %.3f\n", halves[i], halves[i], halves[i]);
    /* Not exact: 0.15 is 0.1499999..., 0.35 is 0.34999... */
    printf("%.1f %.1f %.1f %.2f\n", 0.15, 0.25, 0.35, 1.005);
    /* Specials. */
    double inf = INFINITY, nan_ = NAN;
    printf("[%f] [%F] [%e] [%g] [%a] [%5.1f] [%-6f|] [%+f]\n", inf, inf, -inf, inf, -inf, inf, inf, inf);
    printf("[%f] [%F] [%e] [%g] [%8f]\n", nan_, nan_, nan_, nan_, nan_);
    printf("signbit(-nan)=%d isnan=%d isinf=%d\n", signbit(-nan_) != 0, isnan(nan_), isinf(-inf));
    /* float promoted to double. */
    float f = 0.1f;
    printf("%.20f %a %g\n", f, f, f);
    printf("%.9g %.9g\n", (double)FLT_MAX, (double)FLT_MIN);
    /* strtod / %.17g round trips. */
    int ok = 1;
    for (size_t i = 0; i < nv; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", values[i]);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &values[i], sizeof back) != 0) { ok = 0; printf("round trip failed for %s\n", buf); }
    }
    printf("strtod round trip: %s\n", ok ? "ok" : "FAILED");
    printf("strtod: %g %g %g %g %a\n", strtod("1e309", NULL), strtod("-0x1.8p3", NULL),
           strtod("  42.5xyz", NULL), strtod("nan", NULL), strtod("0x1p-1074", NULL));
    /* Some libm. */
    printf("%.15g %.15g %.15g %.15g %.15g\n", sqrt(2.0), sin(1.0), exp(1.0), log(10.0), pow(2.0, 0.5));
    printf("%.15g %.15g %.15g %.15g\n", floor(-2.5), ceil(-2.5), round(-2.5), trunc(-2.5));
    printf("%.15g %.15g %.15g\n", fmod(7.5, 2.0), rint(2.5), nearbyint(3.5));
    return 0;
}
