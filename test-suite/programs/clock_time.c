// Clocks: monotonic never goes back, realtime is a plausible date, sleeps
// take at least as long as asked, CPU time clocks exist.
// cflags: -D_WASI_EMULATED_PROCESS_CLOCK -lwasi-emulated-process-clocks
// expect-stdout-file: clock_time.expected
// (node is not the reference here: its WASI poll_oneoff sometimes returns
// from a 20 ms sleep early — 1 run in 15 here — which made this test flaky.)
#include <stdio.h>
#include <time.h>

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000ll + t.tv_nsec; }

int main(void) {
    struct timespec t, prev, res;
    clock_gettime(CLOCK_MONOTONIC, &prev);
    int backwards = 0;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (ns(t) < ns(prev)) backwards++;
        prev = t;
    }
    printf("monotonic non-decreasing over 100000 reads: %s\n", backwards ? "NO" : "yes");
    printf("monotonic resolution <= 1ms: %s\n",
           clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0 && ns(res) <= 1000000 ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &t);
    printf("realtime after 2020 and before 2100: %s\n", t.tv_sec > 1577836800 && t.tv_sec < 4102444800 ? "yes" : "no");
    time_t now = time(NULL);
    printf("time() agrees with realtime: %s\n", now - t.tv_sec >= 0 && now - t.tv_sec <= 2 ? "yes" : "no");
    struct tm tm;
    gmtime_r(&now, &tm);
    printf("gmtime year plausible: %s\n", tm.tm_year + 1900 >= 2020 ? "yes" : "no");
    time_t fixed = 1000000000;
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %A", gmtime(&fixed));
    printf("epoch 1e9 = %s\n", date);

    struct timespec a, b, req = {0, 20 * 1000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long long slept = ns(b) - ns(a);
    printf("nanosleep(20ms) took >= 20ms: %s, < 5s: %s\n", slept >= 20000000 ? "yes" : "no", slept < 5000000000ll ? "yes" : "no");

    clock_t c0 = clock();
    volatile double x = 0;
    for (int i = 0; i < 3000000; i++) x += i * 0.5;
    clock_t c1 = clock();
    printf("clock() non-decreasing: %s\n", c1 >= c0 ? "yes" : "no");
    struct timespec cpu;
    printf("process cputime clock available: %s\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 ? "yes" : "no");
    return 0;
}
