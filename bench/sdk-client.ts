import { describe, measure } from './measure';

/**
 * The SDK side of the transport benchmark: the real wx-server-sdk issuing a conditional
 * update and an insert from 8 concurrent loops against the server its environment points
 * at (the SDK environment the server printed).
 * Prints one JSON line with both measurements.
 */
const perWorker = Number(process.argv[2] ?? 1000);
const WORKERS = 8;

async function main(): Promise<void> {
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's typings union in callback-style returns this benchmark never uses
  const db = cloud.database() as any;
  const _ = db.command;
  const bench = db.collection('bench');
  // Set, not added: the rounds of the benchmark run this client against one server again and again.
  for (let w = 0; w < WORKERS; w++) await bench.doc(`stock-${w}`).set({ data: { n: 1_000_000_000 } });
  const update = await measure(WORKERS, perWorker, (w) =>
    bench.where({ _id: `stock-${w}`, n: _.gte(1) }).update({ data: { n: _.inc(-1) } }),
  );
  const insert = await measure(WORKERS, perWorker, (w, i) => bench.add({ data: { worker: w, i, at: new Date() } }));
  console.error(`  conditional update ${describe(update)}\n  insert             ${describe(insert)}`);
  console.log(JSON.stringify({ update, insert }));
}

void main();
