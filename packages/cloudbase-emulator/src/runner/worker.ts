import { randomUUID } from 'node:crypto';
import type { InvokeMessage, WorkerMessage } from './protocol';

/**
 * One cloud-function instance: loads the function's bundle and runs one invocation at a
 * time. wx-server-sdk reads the caller's identity from process.env on every call, so
 * the per-invocation environment is written there before `main` runs.
 */
const bundle = process.argv[2];
if (!bundle) throw new Error('worker needs the bundle path');
type CloudFunction = { main: (event: unknown, context: unknown) => unknown };
let fn = require(bundle) as CloudFunction;
let loadedGeneration: number | undefined;

/** A fresh instance, as a redeploy starts: the bundle's module scope (and whatever it cached) begins again. */
function reload(generation: number): void {
  // A new worker's module scope is fresh already; it adopts the current generation.
  if (loadedGeneration === undefined) loadedGeneration = generation;
  if (generation === loadedGeneration) return;
  const path = require.resolve(bundle as string);
  const old = require.cache[path];
  delete require.cache[path];
  // `require` also lists the bundle among this module's children: left there, every
  // reload would keep the previous bundle (its code and all it built) alive.
  if (old) module.children.splice(module.children.indexOf(old), 1);
  fn = require(bundle as string) as CloudFunction;
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

send({ type: 'ready' });
