import { type ChildProcess, fork } from 'node:child_process';
import { writeSync } from 'node:fs';
import type { InvokeMessage, WorkerMessage } from './protocol';

export type Outcome = { ok: true; value: unknown } | { ok: false; reason: 'error' | 'timeout' | 'crash'; message: string };
/** A worker that died before the invocation reached it (killed while idle): the function never ran. */
type Exchange = Outcome | { ok: false; reason: 'unstarted'; message: string };

interface Job {
  event: unknown;
  env: Record<string, string>;
  resolve: (outcome: Outcome) => void;
  /** Workers found dead before this job reached them; bounded so a pool that cannot start answers. */
  redeliveries: number;
}

interface Worker {
  child: ChildProcess;
  /** Settles once the process has exited and its output has all been read. */
  closed: Promise<void>;
  ready: Promise<void>;
  busy: boolean;
}

export interface PoolOptions {
  name: string;
  workerScript: string;
  bundle: string;
  env: NodeJS.ProcessEnv;
  /** Where the workers' stdout and stderr go, asked at each write: an open file, or (undefined) the emulator's own. */
  output: () => number | undefined;
  size: number;
  timeoutMs: number;
  /** The emulator's count of outside edits (see InvokeMessage.generation). */
  generation: () => number;
}

/**
 * Worker processes for one cloud function, each running one invocation at a time like a
 * cloud instance. Up to `size` run concurrently; the rest queue. A worker whose
 * invocation throws, times out or crashes is replaced, and the caller gets an outcome,
 * never an exception.
 */
export class FunctionPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  invoke(event: unknown, env: Record<string, string>): Promise<Outcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'crash', message: 'emulator is shutting down' });
    return new Promise((resolve) => {
      this.queue.push({ event, env, resolve, redeliveries: 0 });
      this.dispatch();
    });
  }

  /** Starts one worker ahead of the first call. */
  warm(): Promise<void> {
    const worker = this.workers[0] ?? this.spawn();
    return worker.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, reason: 'crash', message: 'emulator is shutting down' });
    await Promise.all(this.workers.map(stop));
    this.workers.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.workers.find((w) => !w.busy) ?? (this.workers.length < this.options.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      worker.busy = true;
      void this.run(worker, job);
    }
  }

  private async run(worker: Worker, job: Job): Promise<void> {
    const outcome = await worker.ready.then(
      () => this.exchange(worker, job),
      (err: Error): Outcome => ({ ok: false, reason: 'crash', message: err.message }),
    );
    if (!outcome.ok) this.retire(worker);
    worker.busy = false;
    if (outcome.ok || outcome.reason !== 'unstarted') job.resolve(outcome);
    else if (job.redeliveries++ < this.options.size) this.queue.unshift(job);
    else job.resolve({ ...outcome, reason: 'crash' });
    this.dispatch();
  }

  private exchange(worker: Worker, job: Job): Promise<Exchange> {
    const id = this.nextId++;
    const { child } = worker;
    let started = false;
    return new Promise((resolve) => {
      const finish = (outcome: Exchange) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(outcome);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'started' && message.id === id) started = true;
        if (message.type === 'result' && message.id === id) finish({ ok: true, value: message.value });
        if (message.type === 'error' && message.id === id) finish({ ok: false, reason: 'error', message: message.message });
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish({ ok: false, reason: started ? 'crash' : 'unstarted', message: `function ${this.options.name} exited (${signal ?? code})` });
      const timer = setTimeout(
        () =>
          finish({ ok: false, reason: 'timeout', message: `function ${this.options.name} timed out after ${this.options.timeoutMs} ms` }),
        this.options.timeoutMs,
      );
      child.on('message', onMessage);
      child.on('exit', onExit);
      const message: InvokeMessage = {
        type: 'invoke',
        id,
        event: job.event,
        env: job.env,
        functionName: this.options.name,
        generation: this.options.generation(),
      };
      try {
        child.send(message, (err) => {
          if (err) finish({ ok: false, reason: 'unstarted', message: `function ${this.options.name} is unreachable: ${err.message}` });
        });
      } catch (err) {
        // Serializing the event failed (e.g. too deep): the caller's fault, answered, never thrown.
        finish({ ok: false, reason: 'error', message: `event cannot be delivered: ${(err as Error).message}` });
      }
    });
  }

  private spawn(): Worker {
    const child = fork(this.options.workerScript, [this.options.bundle], {
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Piped, not handed the file: the destination may change while the worker lives (Emulator.setFunctionLogs).
    child.stdout?.on('data', (chunk: Buffer) => this.print(chunk, process.stdout));
    child.stderr?.on('data', (chunk: Buffer) => this.print(chunk, process.stderr));
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', (m: WorkerMessage) => (m.type === 'ready' ? resolve() : reject(new Error('worker did not start'))));
      child.once('exit', (code) => reject(new Error(`worker for ${this.options.name} exited during start (${code})`)));
    });
    ready.catch(() => undefined);
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const worker: Worker = { child, closed, ready, busy: false };
    // A worker that dies between invocations leaves the pool; the next call spawns anew.
    child.once('exit', () => {
      if (!worker.busy) this.retire(worker);
    });
    this.workers.push(worker);
    return worker;
  }

  private print(chunk: Buffer, own: NodeJS.WriteStream): void {
    const fd = this.options.output();
    if (fd === undefined) own.write(chunk);
    else writeSync(fd, chunk);
  }

  private retire(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    void stop(worker);
  }
}

/** Kills the worker if it still runs; settles when what it printed has all been passed on. */
function stop({ child, closed }: Worker): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  return closed;
}
