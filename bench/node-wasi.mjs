// Runs a WASI command module under node's node:wasi: node node-wasi.mjs prog.wasm [args...]
// Exit status is the program's; a trap prints its message and exits 134.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let status;
try {
  status = wasi.start(instance);
} catch (e) {
  process.stderr.write(`wasm trap: ${e && e.message}\n`);
  status = 134;
}
process.exitCode = status;
