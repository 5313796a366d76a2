/**
 * Preloaded into each test process (jest.config.cjs). jest-light-runner 0.8.2's
 * child_process runtime answers a process's first "jest-light-runner-get-worker-data"
 * request by sending the data to every process that has a test file waiting — including
 * one still loading the runner, which is not listening yet and loses it, then asks and
 * waits forever (about one run in five hung on 2 cores). The data is noted here as it
 * arrives (watching `emit`: a 'message' listener this early stalls tinypool's own
 * handshake) and handed back when the runner asks.
 */
if (process.env.TINYPOOL_WORKER_ID && process.send) {
  let workerData;
  const emit = process.emit;
  process.emit = function (event, message, ...rest) {
    if (event === 'message' && message?.type === 'jest-light-runner-worker-data') workerData = message;
    return emit.call(this, event, message, ...rest);
  };
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    if (message === 'jest-light-runner-get-worker-data' && workerData) {
      setImmediate(() => process.emit('message', workerData));
      return true;
    }
    return send(message, ...rest);
  };
}
