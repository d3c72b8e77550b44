// node_runner.mjs — the V8 half of test-suite/run-fuzz-diff.
//
// Usage: node node_runner.mjs MODULE.wasm PLAN
// Instantiates the module with binaryen's "fuzzing-support" logging imports, runs the
// calls of PLAN (format: fdiff_driver.c) and prints exactly what fdiff_driver.c prints
// for the same behaviour (see the output format there).
import { readFileSync } from "node:fs";

const [wasmPath, planPath] = process.argv.slice(2);
const out = [];
const f32buf = new Float32Array(1), u32buf = new Uint32Array(f32buf.buffer);
const f64buf = new Float64Array(1), u64buf = new BigUint64Array(f64buf.buffer);

const hex = (v, digits) => v.toString(16).padStart(digits, "0");
function fmt(type, v) {
  switch (type) {
    case "i": return "i32 0x" + hex(v >>> 0, 8);
    case "I": return "i64 0x" + hex(BigInt.asUintN(64, v), 16);
    case "f":
      if (Number.isNaN(v)) return "f32 nan";
      f32buf[0] = v;
      return "f32 0x" + hex(u32buf[0], 8);
    case "F":
      if (Number.isNaN(v)) return "f64 nan";
      f64buf[0] = v;
      return "f64 0x" + hex(u64buf[0], 16);
    case "r": return "funcref " + (v === null ? "null" : "nonnull");
    case "e": return "externref " + (v === null ? "null" : "nonnull");
    default: return type + " ?";
  }
}

function arg(type, bits) {
  switch (type) {
    case "i": return Number(BigInt.asIntN(32, BigInt("0x" + bits)));
    case "I": return BigInt.asIntN(64, BigInt("0x" + bits));
    case "f": u32buf[0] = Number(BigInt("0x" + bits)); return f32buf[0];
    case "F": u64buf[0] = BigInt("0x" + bits); return f64buf[0];
    default: return null;
  }
}

const imports = {
  "fuzzing-support": {
    "log-i32": (v) => { out.push("log " + fmt("i", v)); },
    "log-i64": (v) => { out.push("log " + fmt("I", v)); },
    "log-f32": (v) => { out.push("log " + fmt("f", v)); },
    "log-f64": (v) => { out.push("log " + fmt("F", v)); },
  },
};

function isExhaustion(e) {
  return e instanceof RangeError && /call stack/i.test(String(e.message));
}

function flush() {
  process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
  out.length = 0;
}

let instance;
try {
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  instance = new WebAssembly.Instance(module, imports);
} catch (e) {
  if (e instanceof WebAssembly.RuntimeError) {
    out.push("instantiate trap", "done");
    flush();
    process.exit(0);
  }
  if (isExhaustion(e)) {
    out.push("instantiate exhaustion", "done");
    flush();
    process.exit(0);
  }
  out.push("instantiate error: " + e);
  flush();
  process.exit(1);
}

const plan = readFileSync(planPath, "utf8").split("\n").filter((l) => l.trim() !== "");
for (const line of plan) {
  const [nameHex, params0, results0, ...argBits] = line.trim().split(/\s+/);
  const params = params0 === "-" ? "" : params0, results = results0 === "-" ? "" : results0;
  const name = Buffer.from(nameHex, "hex").toString("utf8");
  const args = [...params].map((t, i) => arg(t, argBits[i] ?? "0"));
  out.push("call " + name);
  let r;
  try {
    r = instance.exports[name](...args);
  } catch (e) {
    if (isExhaustion(e)) out.push("exhaustion");
    else if (e instanceof WebAssembly.RuntimeError) out.push("trap");
    else out.push("error " + String(e).split("\n")[0]);
    continue;
  }
  const rs = results.length === 1 ? [r] : results.length === 0 ? [] : [...r];
  [...results].forEach((t, i) => out.push("result " + fmt(t, rs[i])));
  if (out.length > 100000) flush();
}
out.push("done");
flush();
