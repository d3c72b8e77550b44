// Indirect calls: tables of function pointers with several signatures, a
// switch compiled to a jump table, a state machine, callbacks through qsort.
#include <stdio.h>
#include <stdlib.h>

typedef int (*binop)(int, int);
typedef double (*dfun)(double);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int mod(int a, int b) { return b ? a % b : 0; }
static double half(double x) { return x / 2; }
static double sq(double x) { return x * x; }
static long long many(int a, long long b, double c, float d, int e, int f, int g, int h, int i, long long j) {
    return a + b + (long long)c + (long long)d + e + f + g + h + i + j;
}

static const char *name_of(int k) {
    switch (k) {
    case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
    case 4: return "four"; case 5: return "five"; case 6: return "six"; case 7: return "seven";
    case 8: return "eight"; case 9: return "nine"; case 100: return "hundred";
    default: return "many";
    }
}

int main(void) {
    binop ops[] = {add, sub, mul, mod};
    volatile int pick = 0;
    int acc = 1;
    for (int i = 1; i < 1000; i++) {
        pick = (pick + i) & 3;
        acc = ops[pick](acc, i) & 0xffff;
    }
    printf("acc %d\n", acc);
    dfun fs[] = {half, sq};
    double x = 3;
    for (int i = 0; i < 10; i++) x = fs[i & 1](x);
    printf("x %.17g\n", x);
    long long (*volatile m)(int, long long, double, float, int, int, int, int, int, long long) = many;
    printf("many %lld\n", m(1, 2, 3.9, 4.9f, 5, 6, 7, 8, 9, 10000000000ll));
    for (int k = -1; k < 12; k++) printf("%s ", name_of(k));
    printf("%s\n", name_of(100));
    /* A tiny state machine: count "ab+c" matches. */
    const char *s = "xxabcabbbcacbabbcabc";
    int st = 0, matches = 0;
    for (const char *p = s; *p; p++) {
        switch (st) {
        case 0: st = *p == 'a'; break;
        case 1: st = *p == 'b' ? 2 : *p == 'a'; break;
        case 2: if (*p == 'c') { matches++; st = 0; } else if (*p != 'b') st = *p == 'a'; break;
        }
    }
    printf("matches %d\n", matches);
    return 0;
}
