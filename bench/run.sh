#!/usr/bin/env bash
# bench/run.sh — wasmc against wasm2c + gcc, node and native gcc, side by side.
#
#   bench/run.sh [--runs N] [--filter S] [--no-opt-levels] [--wasmc PATH]
#                [--results FILE | --no-results] [--work DIR] [--keep] [-h]
#
# For each bench/programs/*.c (name containing S, if --filter is given):
#   1. gcc -O2 prog.c -lm                      -> native executable (the reference)
#   2. clang --target=wasm32-wasi -O2 prog.c   -> prog.wasm
#   3. wasmc -O2 prog.wasm (and -O1, -O0 unless --no-opt-levels)
#   4. wasm2c prog.wasm + gcc -O2 with bench/wasm2c/host.c (the WASI calls the
#      benchmarks use) and wabt's wasm-rt-impl.c
#   5. node bench/node-wasi.mjs prog.wasm (node:wasi)
# then runs every variant N times (default 5), interleaved runner by runner, so each
# round gives one time per runner taken back to back; stdout must equal native's.
# Prints, and writes to bench/RESULTS.md (or FILE): median times, the ratio to native
# (median over rounds of the per-round ratio), geometric means, compile times (median
# of 3 for wasmc, 1 for wasm2c + gcc), compiler peak memory (/usr/bin/time -f %M,
# child processes included) and executable sizes. A failing or wrong cell is FAILED
# with its reason.
#
# Installs nothing: missing tools are named with their Debian packages and the script
# exits 2. wasmc itself is built (Release, target wasmc only) in build-bench/ unless
# --wasmc names a binary. Not part of CI; takes about 10-15 minutes on 2 cores.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RUNS=5
FILTER=""
OPT_LEVELS=1
WASMC=""
RESULTS="$HERE/RESULTS.md"
WORK=""
KEEP=0
CMDLINE="bench/run.sh${*:+ $*}"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --filter) FILTER="$2"; shift 2 ;;
        --no-opt-levels) OPT_LEVELS=0; shift ;;
        --wasmc) WASMC="$2"; shift 2 ;;
        --results) RESULTS="$2"; shift 2 ;;
        --no-results) RESULTS=""; shift ;;
        --work) WORK="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$RUNS" in ''|*[!0-9]*) echo "run.sh: --runs needs a number" >&2; exit 2 ;; esac
[ "$RUNS" -ge 1 ] || { echo "run.sh: --runs must be at least 1" >&2; exit 2; }

# ---- tools -------------------------------------------------------------------------
WABT_RT=/usr/share/wabt/wasm2c
missing=()
need() { # need DESCRIPTION PACKAGE TEST...
    local what="$1" pkg="$2"; shift 2
    if ! "$@" >/dev/null 2>&1; then missing+=("$what (Debian: $pkg)"); fi
}
need "gcc" gcc command -v gcc
need "python3" python3 command -v python3
need "/usr/bin/time" time test -x /usr/bin/time
need "node with node:wasi" nodejs node -e "require('node:wasi')"
need "clang --target=wasm32-wasi" "clang wasi-libc libclang-rt-14-dev-wasm32" \
    sh -c 't=$(mktemp) && printf "int main(void){return 0;}\n" | clang --target=wasm32-wasi -O2 -x c - -o "$t"; r=$?; rm -f "$t"; exit $r'
need "wasm2c" wabt test -x /usr/bin/wasm2c
need "/usr/include/wasm-rt.h" wabt test -f /usr/include/wasm-rt.h
need "$WABT_RT/wasm-rt-impl.c" wabt test -f "$WABT_RT/wasm-rt-impl.c"
if [ -z "$WASMC" ]; then
    need "cmake" cmake command -v cmake
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: missing tools (this script installs nothing):" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "  (scripts/install-deps.sh installs all of them)" >&2
    exit 2
fi
if command -v hyperfine >/dev/null 2>&1; then
    echo "run.sh: hyperfine found; not needed (runs are interleaved and timed here)"
fi

# ---- wasmc ---------------------------------------------------------------------------
if [ -z "$WASMC" ]; then
    echo "run.sh: building wasmc (Release) in build-bench/"
    cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$ROOT/build-bench" --target wasmc -j2 >/dev/null
    WASMC="$ROOT/build-bench/driver/wasmc"
fi
[ -x "$WASMC" ] || { echo "run.sh: no wasmc at $WASMC" >&2; exit 2; }
WASMC="$(cd "$(dirname "$WASMC")" && pwd)/$(basename "$WASMC")"

if [ -z "$WORK" ]; then
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/wasmc-bench.XXXXXX")"
    [ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
else
    mkdir -p "$WORK"
fi

export BENCH_HERE="$HERE" BENCH_ROOT="$ROOT" BENCH_RUNS="$RUNS" BENCH_FILTER="$FILTER" \
    BENCH_OPT_LEVELS="$OPT_LEVELS" BENCH_WASMC="$WASMC" BENCH_RESULTS="$RESULTS" \
    BENCH_WORK="$WORK" BENCH_CMDLINE="$CMDLINE" BENCH_WABT_RT="$WABT_RT"

python3 - <<'PY'
import datetime, glob, math, os, platform, statistics, subprocess, sys, time

E = os.environ
HERE, ROOT, WORK = E['BENCH_HERE'], E['BENCH_ROOT'], E['BENCH_WORK']
RUNS, FILTER = int(E['BENCH_RUNS']), E['BENCH_FILTER']
OPT_LEVELS = E['BENCH_OPT_LEVELS'] == '1'
WASMC, RESULTS, CMDLINE, WABT_RT = E['BENCH_WASMC'], E['BENCH_RESULTS'], E['BENCH_CMDLINE'], E['BENCH_WABT_RT']
HOST_C = os.path.join(HERE, 'wasm2c', 'host.c')
NODE_JS = os.path.join(HERE, 'node-wasi.mjs')
WASMC_COMPILE_RUNS = 3
RUN_TIMEOUT = 300
# --no-concurrent-marking: node v20.20.2 (Debian) crashes (SIGSEGV at exit, or SIGABRT)
# in V8's concurrent marker on the crc32 and sort modules; marking on the main thread
# costs these compute-bound programs nothing measurable.
NODE_FLAGS = ['--no-warnings', '--no-concurrent-marking']

progs = sorted(glob.glob(os.path.join(HERE, 'programs', '*.c')))
names = [os.path.basename(p)[:-2] for p in progs if FILTER in os.path.basename(p)[:-2]]
if not names:
    sys.exit('run.sh: no benchmark matches')

WASMC_LEVELS = ['-O2'] + (['-O1', '-O0'] if OPT_LEVELS else [])
RUNNERS = ['native'] + ['wasmc ' + o for o in WASMC_LEVELS] + ['wasm2c', 'node']

def log(*a):
    print(*a, file=sys.stderr, flush=True)

def first_line(s):
    s = (s or '').strip().splitlines()
    return s[0][:120] if s else ''

def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time; returns (ok, seconds, peak_kb, stderr)."""
    tf = os.path.join(cwd, '.time')
    p = subprocess.run(['/usr/bin/time', '-f', '%e %M', '-o', tf] + cmd, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with open(tf) as f:
            last = f.read().strip().splitlines()[-1].split()
        secs, kb = float(last[0]), int(last[1])
    except (OSError, IndexError, ValueError):
        secs, kb = float('nan'), 0
    return p.returncode == 0, secs, kb, p.stderr

def wall(cmd, cwd):
    """Wall-clock time of cmd at higher resolution than /usr/bin/time's %e."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode == 0, time.perf_counter() - t0, p.stderr

# ---- build -----------------------------------------------------------------------------
exe = {}        # (runner, name) -> argv prefix, or None when it failed
failed = {}     # (runner, name) -> reason
compile_info = {}  # (kind, name) -> dict(secs, kb, size)

def build(name):
    src = os.path.join(HERE, 'programs', name + '.c')
    d = os.path.join(WORK, name)
    os.makedirs(d, exist_ok=True)
    def fail(runner, why):
        failed[(runner, name)] = why
        exe[(runner, name)] = None
    # native reference
    p = subprocess.run(['gcc', '-O2', '-o', 'native', src, '-lm'], cwd=d,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit(f'run.sh: gcc failed on {name}: {p.stderr}')
    exe[('native', name)] = [os.path.join(d, 'native')]
    compile_info[('native', name)] = dict(size=os.path.getsize(os.path.join(d, 'native')))
    p = subprocess.run(['clang', '--target=wasm32-wasi', '-O2', '-o', 'prog.wasm', src], cwd=d,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit(f'run.sh: clang --target=wasm32-wasi failed on {name}: {p.stderr}')
    compile_info[('wasm', name)] = dict(size=os.path.getsize(os.path.join(d, 'prog.wasm')))
    # wasmc at each level
    for o in WASMC_LEVELS:
        r = 'wasmc ' + o
        out = 'wasmc' + o
        times, kbs, ok, err = [], [], True, ''
        for _ in range(WASMC_COMPILE_RUNS):
            ok, secs, kb, err = timed([WASMC, o, 'prog.wasm', '-o', out], d)
            if not ok:
                break
            ok2, wsecs, _ = wall([WASMC, o, 'prog.wasm', '-o', out], d)
            times.append(wsecs if ok2 else secs)
            kbs.append(kb)
        if not ok:
            fail(r, 'compile failed: ' + first_line(err))
            compile_info[(r, name)] = None
            continue
        exe[(r, name)] = [os.path.join(d, out)]
        compile_info[(r, name)] = dict(secs=statistics.median(times), kb=max(kbs),
                                       size=os.path.getsize(os.path.join(d, out)))
    # wasm2c + gcc -O2 (translation plus the whole C build: module, host, runtime)
    wd = os.path.join(d, 'w2c')
    os.makedirs(wd, exist_ok=True)
    ok1, s1, kb1, err1 = timed(['wasm2c', '../prog.wasm', '-n', 'bench', '-o', 'module.c'], wd)
    ok2 = False
    if ok1:
        ok2, s2, kb2, err2 = timed(['gcc', '-O2', '-I.', '-I' + WABT_RT, '-o', 'prog', 'module.c',
                                    HOST_C, os.path.join(WABT_RT, 'wasm-rt-impl.c'), '-lm'], wd)
    if not (ok1 and ok2):
        fail('wasm2c', 'build failed: ' + first_line(err1 if not ok1 else err2))
        compile_info[('wasm2c', name)] = None
    else:
        exe[('wasm2c', name)] = [os.path.join(wd, 'prog')]
        compile_info[('wasm2c', name)] = dict(secs=s1 + s2, kb=max(kb1, kb2),
                                              size=os.path.getsize(os.path.join(wd, 'prog')))
    exe[('node', name)] = ['node'] + NODE_FLAGS + [NODE_JS, os.path.join(d, 'prog.wasm')]

t_start = time.time()
load_start = os.getloadavg()
for n in names:
    log(f'build {n}')
    build(n)

# ---- run -------------------------------------------------------------------------------
times = {}   # (runner, name) -> [seconds per round]
ratios = {}  # (runner, name) -> [runner/native per round]
expected = {}

def run_once(runner, name):
    argv = exe[(runner, name)]
    d = os.path.join(WORK, name)
    # stdout goes to a file, not a pipe: node's WASI would see EAGAIN on a full pipe
    out_path = os.path.join(d, 'stdout.txt')
    with open(out_path, 'wb') as out:
        t0 = time.perf_counter()
        try:
            p = subprocess.run(argv, cwd=d, stdout=out, stderr=subprocess.PIPE,
                               timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, f'timeout after {RUN_TIMEOUT} s'
        secs = time.perf_counter() - t0
    with open(out_path, 'rb') as f:
        p.stdout = f.read()
    if p.returncode != 0:
        return None, f'exit status {p.returncode}: ' + first_line(p.stderr.decode(errors="replace"))
    if runner == 'native':
        expected.setdefault(name, p.stdout)
    if p.stdout != expected.get(name):
        got = first_line(p.stdout.decode(errors='replace'))
        want = first_line(expected.get(name, b'').decode(errors='replace'))
        return None, f'wrong checksum: got "{got}", native "{want}"'
    return secs, None

for n in names:
    log(f'run {n} ({RUNS} rounds)')
    for rnd in range(RUNS):
        # rotate the order so no runner always follows the same one
        k = rnd % len(RUNNERS)
        order = RUNNERS[k:] + RUNNERS[:k]
        if 'native' in order and rnd == 0:
            order.remove('native'); order.insert(0, 'native')  # reference output first
        this = {}
        for r in order:
            if exe.get((r, n)) is None:
                continue
            secs, why = run_once(r, n)
            if why:
                failed[(r, n)] = why
                exe[(r, n)] = None
                if r == 'native':
                    sys.exit(f'run.sh: native {n} failed: {why}')
                continue
            this[r] = secs
            times.setdefault((r, n), []).append(secs)
        for r, s in this.items():
            if r != 'native' and 'native' in this:
                ratios.setdefault((r, n), []).append(s / this['native'])

elapsed = time.time() - t_start

# ---- report ----------------------------------------------------------------------------
def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float('nan')

def cell_run(r, n):
    if (r, n) in failed:
        return 'FAILED: ' + failed[(r, n)]
    t = statistics.median(times[(r, n)])
    if r == 'native':
        return f'{t:.3f}'
    return f'{t:.3f} ({statistics.median(ratios[(r, n)]):.2f}x)'

def size_kb(b):
    return f'{b / 1024:.0f} KiB'

def git_rev():
    try:
        rev = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(['git', '-C', ROOT, 'status', '--porcelain', '--untracked-files=no'],
                               capture_output=True, text=True).stdout.strip()
        return rev + (' (+ uncommitted changes in the tree)' if dirty else '')
    except OSError:
        return '?'

def version(cmd):
    try:
        return first_line(subprocess.run(cmd, capture_output=True, text=True).stdout)
    except OSError:
        return '?'

cpu = '?'
try:
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip(); break
except OSError:
    pass

L = []
L.append('# Benchmark results')
L.append('')
L.append(f'Date: {datetime.datetime.now().strftime("%Y-%m-%d %H:%M")}  ')
L.append(f'Command: `{CMDLINE}` ({RUNS} rounds, {elapsed / 60:.1f} min in all)  ')
L.append(f'wasmc: {git_rev()}  ')
L.append(f'Machine: {cpu}, {os.cpu_count()} CPUs; load average (1, 5, 15 min) at the start '
         f'{" ".join(f"{x:.1f}" for x in load_start)}, at the end '
         f'{" ".join(f"{x:.1f}" for x in os.getloadavg())}  ')
L.append(f'Tools: {version(["gcc", "--version"])}; {version(["clang", "--version"])}; '
         f'node {version(["node", "--version"])} (`{" ".join(NODE_FLAGS)}`); '
         f'wasm2c {version(["wasm2c", "--version"])}')
L.append('')
L.append('## Run time')
L.append('')
L.append('Median wall time in seconds over the rounds; in parentheses the ratio to native '
         '(gcc -O2 of the same C), the median of the per-round ratios (each round runs '
         'every variant back to back). Every output is checked against native\'s.')
L.append('')
L.append('| benchmark | ' + ' | '.join(RUNNERS) + ' |')
L.append('|---|' + '---:|' * len(RUNNERS))
for n in names:
    L.append(f'| {n} | ' + ' | '.join(cell_run(r, n) for r in RUNNERS) + ' |')
gm = {}
row = []
for r in RUNNERS:
    if r == 'native':
        row.append('1.00x'); continue
    xs = [statistics.median(ratios[(r, n)]) for n in names if (r, n) not in failed and (r, n) in ratios]
    gm[r] = geomean(xs)
    note = '' if len(xs) == len(names) else f' (of {len(xs)}/{len(names)})'
    row.append(f'**{gm[r]:.2f}x**{note}')
L.append('| **geomean ratio** | ' + ' | '.join(row) + ' |')
L.append('')
L.append('## Compile time, compiler memory, executable size')
L.append('')
L.append('Per wasm module: wall time of `wasmc -O<n> prog.wasm -o prog` (median of '
         f'{WASMC_COMPILE_RUNS}, linking included) and of `wasm2c` + `gcc -O2` of the '
         'generated C with the host and wasm-rt-impl.c (one run); peak memory is '
         '`/usr/bin/time -f %M` (largest process, children included); size of the '
         'executable produced.')
L.append('')
hdr = ['benchmark', 'wasm size', 'native exe']
for o in WASMC_LEVELS:
    hdr += [f'wasmc {o} compile', f'wasmc {o} peak', f'wasmc {o} exe']
hdr += ['wasm2c+gcc compile', 'wasm2c+gcc peak', 'wasm2c exe', 'compile ratio wasm2c+gcc / wasmc -O2']
L.append('| ' + ' | '.join(hdr) + ' |')
L.append('|---|' + '---:|' * (len(hdr) - 1))
cratios = []
for n in names:
    c = [n, size_kb(compile_info[('wasm', n)]['size']), size_kb(compile_info[('native', n)]['size'])]
    for r in ['wasmc ' + o for o in WASMC_LEVELS] + ['wasm2c']:
        ci = compile_info.get((r, n))
        if ci is None:
            c += ['FAILED: ' + failed.get((r, n), '?'), '', '']
        else:
            c += [f'{ci["secs"]:.3f} s', f'{ci["kb"] / 1024:.0f} MiB', size_kb(ci['size'])]
    a, b = compile_info.get(('wasmc -O2', n)), compile_info.get(('wasm2c', n))
    if a and b and a['secs'] > 0:
        cratios.append(b['secs'] / a['secs'])
        c.append(f'{cratios[-1]:.1f}x')
    else:
        c.append('n/a')
    L.append('| ' + ' | '.join(c) + ' |')
L.append('')
L.append(f'Geometric mean compile-time ratio, wasm2c + gcc -O2 over wasmc -O2: **{geomean(cratios):.1f}x**')
L.append('')
summary = ', '.join(f'{r}/native {gm[r]:.2f}x' for r in RUNNERS if r != 'native')
L.append(f'Summary (geomean run-time ratios): {summary}.')
fails = sorted(failed.items())
if fails:
    L.append('')
    L.append('## Failures')
    L.append('')
    for (r, n), why in fails:
        L.append(f'- {n} under {r}: {why}')

text = '\n'.join(L) + '\n'
print(text)
if RESULTS:
    with open(RESULTS, 'w') as f:
        f.write(text)
    log(f'run.sh: wrote {RESULTS}')
sys.exit(1 if any(r.startswith('wasmc') for (r, n) in failed) else 0)
PY
