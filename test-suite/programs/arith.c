// Integer and floating-point arithmetic at the edges: 64-bit ops, shifts,
// rotates, bit counts, conversions (saturating and not), float min/max/NaN.
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t v64[] = {0, 1, -1, INT64_MAX, INT64_MIN, 0x123456789abcdefll, -987654321012345ll, 3};
static volatile int32_t v32[] = {0, 1, -1, INT32_MAX, INT32_MIN, 0x12345678, -98765, 7};
static volatile double vd[] = {0.0, -0.0, 1.5, -1.5, 2.5, -2.5, 1e10, -1e10, 4294967296.5, 1e300, -1e300, NAN, INFINITY, -INFINITY};

static uint64_t mix = 0;
static void acc(uint64_t x) { mix = (mix ^ x) * 0x100000001b3ull; }

int main(void) {
    int n64 = sizeof v64 / sizeof v64[0], n32 = sizeof v32 / sizeof v32[0], nd = sizeof vd / sizeof vd[0];
    for (int i = 0; i < n64; i++)
        for (int j = 0; j < n64; j++) {
            int64_t a = v64[i], b = v64[j];
            acc((uint64_t)(a + b)); acc((uint64_t)(a - b)); acc((uint64_t)a * (uint64_t)b);
            if (b != 0 && !(a == INT64_MIN && b == -1)) { acc((uint64_t)(a / b)); acc((uint64_t)(a % b)); }
            if (b != 0) { acc((uint64_t)a / (uint64_t)b); acc((uint64_t)a % (uint64_t)b); }
            acc((uint64_t)a << (b & 63)); acc((uint64_t)(a >> (b & 63))); acc((uint64_t)a >> (b & 63));
            acc(a < b); acc((uint64_t)a < (uint64_t)b); acc(a == b);
        }
    printf("i64 mix %016llx\n", (unsigned long long)mix);
    mix = 0;
    for (int i = 0; i < n32; i++)
        for (int j = 0; j < n32; j++) {
            int32_t a = v32[i], b = v32[j];
            acc((uint32_t)(a + b)); acc((uint32_t)a * (uint32_t)b);
            if (b != 0 && !(a == INT32_MIN && b == -1)) { acc((uint32_t)(a / b)); acc((uint32_t)(a % b)); }
            if (b != 0) { acc((uint32_t)a / (uint32_t)b); acc((uint32_t)a % (uint32_t)b); }
            uint32_t ua = (uint32_t)a, s = (uint32_t)b & 31;
            acc(ua << s); acc((uint32_t)(a >> s)); acc(ua >> s);
            acc((ua << s) | (ua >> ((32 - s) & 31)));
            acc((uint64_t)(int64_t)a * (int64_t)b);
        }
    printf("i32 mix %016llx\n", (unsigned long long)mix);
    for (int i = 0; i < n32; i++) {
        uint32_t u = (uint32_t)v32[i];
        printf("%08x: clz %d ctz %d popcnt %d bswap %08x\n", u, u ? __builtin_clz(u) : 32, u ? __builtin_ctz(u) : 32,
               __builtin_popcount(u), __builtin_bswap32(u));
    }
    for (int i = 0; i < nd; i++) {
        double d = vd[i];
        float f = (float)d;
        /* C casts of out-of-range values are UB; clang emits the saturating
           wasm ops for these builtins-free forms only when in range, so guard. */
        long long ll = (d > -9.2e18 && d < 9.2e18) ? (long long)d : 0;
        unsigned u = (d > -1.0 && d < 4294967296.0) ? (unsigned)d : 0;
        printf("%g: f=%g ll=%lld u=%u floor=%g ceil=%g trunc=%g nearest=%g sqrt=%g neg=%g abs=%g copysign=%g\n",
               d, (double)f, ll, u, floor(d), ceil(d), trunc(d), nearbyint(d), sqrt(d), -d, fabs(d), copysign(3.0, d));
    }
    for (int i = 0; i < nd; i++)
        for (int j = 0; j < nd; j += 3) {
            double a = vd[i], b = vd[j];
            printf("%g,%g: min %g max %g fmin %g fmax %g lt %d le %d eq %d ne %d / %g\n", a, b, a < b ? a : b,
                   a > b ? a : b, fmin(a, b), fmax(a, b), a < b, a <= b, a == b, a != b, a / b);
        }
    float fx = 16777217.0f, fy = 0.1f;
    printf("float: %.9g %.9g %.9g %.9g\n", (double)(fx + 1.0f), (double)(fy * 3.0f), (double)sqrtf(2.0f), (double)(float)(1.0 / 3.0));
    uint64_t big = 18446744073709551615ull;
    printf("u64->double %.17g double->u64 %llu i64->float %.9g\n", (double)big, (unsigned long long)1.8446744073709550e19,
           (double)(float)INT64_MAX);
    return 0;
}
