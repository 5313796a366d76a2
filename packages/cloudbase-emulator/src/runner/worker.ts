import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Script } from 'node:vm';
import type { InvokeMessage, WorkerMessage } from './protocol';

/**
 * One cloud-function instance: loads the function's bundle and runs one invocation at a
 * time. wx-server-sdk reads the caller's identity from process.env on every call, so
 * the per-invocation environment is written there before `main` runs.
 */
const bundle = process.argv[2];
if (!bundle) throw new Error('worker needs the bundle path');
type CloudFunction = { main: (event: unknown, context: unknown) => unknown };

/**
 * The function's entry file, compiled once. Each instance of it (the first, and each
 * fresh start after an outside edit) runs this script again with a new `module`: a new
 * module scope for the price of running its top level, not of reading and compiling the
 * file again. What it requires stays loaded, as with `require`'s own cache.
 */
const entry = resolve(bundle);
const compiled = new Script(Module.wrap(readFileSync(entry, 'utf8')), { filename: entry });
const requireFromEntry = createRequire(entry);
function instantiate(): CloudFunction {
  const module = { exports: {} as CloudFunction, id: entry, filename: entry, loaded: false, children: [], paths: [] };
  const wrapper = compiled.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, requireFromEntry, module, entry, dirname(entry));
  module.loaded = true;
  return module.exports;
}

let fn = instantiate();
let loadedGeneration: number | undefined;

/** A fresh instance, as a redeploy starts: the bundle's module scope (and whatever it cached) begins again. */
function reload(generation: number): void {
  // A new worker's module scope is fresh already; it adopts the current generation.
  if (loadedGeneration === undefined) loadedGeneration = generation;
  if (generation === loadedGeneration) return;
  fn = instantiate();
  loadedGeneration = generation;
}
const perInvocationKeys = new Set<string>();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

process.on('message', async (message: InvokeMessage) => {
  if (message.type !== 'invoke') return;
  send({ type: 'started', id: message.id });
  reload(message.generation);
  for (const key of perInvocationKeys) delete process.env[key];
  perInvocationKeys.clear();
  for (const [key, value] of Object.entries(message.env)) {
    process.env[key] = value;
    perInvocationKeys.add(key);
  }
  try {
    const context = { function_name: message.functionName, request_id: randomUUID(), namespace: process.env['SCF_NAMESPACE'] };
    const value = await fn.main(message.event, context);
    // The platform returns results as JSON: what cannot survive that must not reach the caller.
    send({ type: 'result', id: message.id, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (err) {
    send({ type: 'error', id: message.id, message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
});

// An emulator that ended without stopping its workers (killed, or its process exited) takes them with it.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
