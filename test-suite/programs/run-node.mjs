// Runs a wasm32-wasi command module under node's WASI (preview1) with the
// capabilities wasmc would bake in, and exits with the program's status.
//
//   node run-node.mjs WASM [--dir HOST[::GUEST]]... [--env NAME[=VAL]]...
//                          [--inherit-env] -- ARGV0 ARGS...
//
// A relative HOST is relative to the current directory, as for wasmc.  A trap
// (WebAssembly.RuntimeError, or V8's stack overflow RangeError) prints
// "node trap: <message>" to stderr and exits 134, the status wasmc uses.
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';

const argv = process.argv.slice(2);
let wasmPath = null;
const preopens = {};
const envList = [];
let inherit = false;
let guestArgs = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { guestArgs = argv.slice(i + 1); break; }
  if (a === '--dir') {
    const spec = argv[++i];
    const sep = spec.indexOf('::');
    const host = sep < 0 ? spec : spec.slice(0, sep);
    const guest = sep < 0 ? spec : spec.slice(sep + 2);
    preopens[guest] = resolve(host);
  } else if (a === '--env') {
    envList.push(argv[++i]);
  } else if (a === '--inherit-env') {
    inherit = true;
  } else if (wasmPath === null) {
    wasmPath = a;
  } else {
    process.stderr.write(`run-node: unexpected argument ${a}\n`);
    process.exit(2);
  }
}
if (wasmPath === null) {
  process.stderr.write('usage: run-node.mjs WASM [--dir H[::G]] [--env N[=V]] [--inherit-env] -- ARGS\n');
  process.exit(2);
}

const env = {};
if (inherit) Object.assign(env, process.env);
for (const e of envList) {
  const eq = e.indexOf('=');
  if (eq >= 0) env[e.slice(0, eq)] = e.slice(eq + 1);
  else if (process.env[e] !== undefined) env[e] = process.env[e];
}

let wasi;
try {
  wasi = new WASI({ version: 'preview1', args: guestArgs, env, preopens, returnOnExit: true });
} catch (err) {
  // node before 18.17 has no "version" option (and is preview1 only).
  wasi = new WASI({ args: guestArgs, env, preopens, returnOnExit: true });
}
let status;
try {
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const instance = await WebAssembly.instantiate(module,
    wasi.getImportObject ? wasi.getImportObject() : { wasi_snapshot_preview1: wasi.wasiImport });
  status = wasi.start(instance);
} catch (err) {
  const trap = err instanceof WebAssembly.RuntimeError ||
    (err instanceof RangeError && /call stack/i.test(err.message));
  if (!trap) throw err;
  process.stderr.write(`node trap: ${err.message}\n`);
  status = 134;
}
process.exitCode = status;
