import { randomUUID } from 'node:crypto';
import type { Doc } from './ejson';
import { DbError } from './errors';
import type { Store } from './store';

export interface Write {
  collection: string;
  id: string;
  doc: Doc | null;
  mode: 'insert' | 'put';
}

interface Transaction {
  snapshot: number;
  writes: Map<string, Write>;
  touchedAt: number;
}

interface PastVersion {
  /** Valid for snapshots in [from, to). */
  from: number;
  to: number;
  doc: Doc | undefined;
}

/**
 * Versioned access to the store, giving transactions MongoDB's semantics: snapshot
 * reads, buffered writes, first-committer-wins on write-write conflicts
 * (DATABASE_TRANSACTION_CONFLICT at commit, which the SDK's runTransaction retries) and
 * atomic commit. Every command runs synchronously on the one event loop, so each
 * single command is atomic too — a conditional update is a real compare-and-set.
 */
export class VersionedDatabase {
  private seq = 0;
  private readonly versions = new Map<string, number>();
  private readonly history = new Map<string, PastVersion[]>();
  private readonly transactions = new Map<string, Transaction>();
  private endedSincePrune = 0;

  constructor(
    readonly store: Store,
    private readonly idleTransactionMs = 30_000,
  ) {}

  /** Applies writes atomically as one new version. */
  apply(writes: Write[]): void {
    if (writes.length === 0) return;
    const next = this.seq + 1;
    const keep = this.transactions.size > 0;
    const before = keep ? writes.map((w) => this.store.get(w.collection, w.id)) : [];
    // One write is one statement, atomic by itself; several need an SQLite transaction.
    if (writes.length === 1) this.store.write(writes[0]!.collection, writes[0]!.id, writes[0]!.doc, writes[0]!.mode);
    else
      this.store.atomically(() => {
        for (const w of writes) this.store.write(w.collection, w.id, w.doc, w.mode);
      });
    this.seq = next;
    writes.forEach((w, i) => {
      const key = keyOf(w.collection, w.id);
      if (keep) {
        const past = this.history.get(key) ?? [];
        past.push({ from: this.versions.get(key) ?? 0, to: next, doc: before[i] });
        this.history.set(key, past);
      }
      this.versions.set(key, next);
    });
  }

  begin(): string {
    this.expireIdle();
    const id = randomUUID();
    this.transactions.set(id, { snapshot: this.seq, writes: new Map(), touchedAt: Date.now() });
    return id;
  }

  /** A document as the transaction sees it: its own writes, else its snapshot. */
  read(transactionId: string, collection: string, id: string): Doc | undefined {
    const tx = this.transaction(transactionId);
    if (!this.store.hasCollection(collection)) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', `Db or Table not exist: ${collection}`);
    const key = keyOf(collection, id);
    const own = tx.writes.get(key);
    if (own) return own.doc ?? undefined;
    if ((this.versions.get(key) ?? 0) <= tx.snapshot) return this.store.get(collection, id);
    return this.history.get(key)?.find((v) => v.from <= tx.snapshot && tx.snapshot < v.to)?.doc;
  }

  stage(transactionId: string, write: Write): void {
    const tx = this.transaction(transactionId);
    const key = keyOf(write.collection, write.id);
    const earlier = tx.writes.get(key);
    // An insert after the transaction's own delete is a plain put of the key.
    tx.writes.set(key, earlier ? { ...write, mode: 'put' } : write);
  }

  commit(transactionId: string): void {
    const tx = this.transaction(transactionId);
    this.transactions.delete(transactionId);
    for (const key of tx.writes.keys()) {
      if ((this.versions.get(key) ?? 0) > tx.snapshot) {
        this.pruneHistory();
        throw new DbError(
          'DATABASE_TRANSACTION_CONFLICT',
          'Transaction is conflict, maybe resource operated by others. Please check your request, but if the problem persists, contact us.',
        );
      }
    }
    try {
      this.apply([...tx.writes.values()]);
    } finally {
      this.pruneHistory();
    }
  }

  abort(transactionId: string): void {
    this.transaction(transactionId);
    this.transactions.delete(transactionId);
    this.pruneHistory();
  }

  /** Forgets all versions and open transactions (used by reset). */
  clear(): void {
    this.transactions.clear();
    this.history.clear();
    this.versions.clear();
  }

  private transaction(id: string): Transaction {
    const tx = this.transactions.get(id);
    if (!tx) throw new DbError('DATABASE_TRANSACTION_FAIL', `transaction ${id} does not exist or has ended`);
    tx.touchedAt = Date.now();
    return tx;
  }

  private expireIdle(): void {
    const limit = Date.now() - this.idleTransactionMs;
    for (const [id, tx] of this.transactions) if (tx.touchedAt < limit) this.transactions.delete(id);
    this.pruneHistory();
  }

  /**
   * Drops past versions no open snapshot can see. With transactions open that is a walk
   * over every past version, so it is done once every PRUNE_EVERY calls (with hundreds of
   * transactions open, it was most of a commit's time); a version kept longer than needed
   * costs memory only.
   */
  private pruneHistory(): void {
    if (this.transactions.size === 0) {
      this.history.clear();
      this.endedSincePrune = 0;
      return;
    }
    if (++this.endedSincePrune < PRUNE_EVERY) return;
    this.endedSincePrune = 0;
    const oldest = Math.min(...[...this.transactions.values()].map((t) => t.snapshot));
    for (const [key, past] of this.history) {
      const live = past.filter((v) => v.to > oldest);
      if (live.length) this.history.set(key, live);
      else this.history.delete(key);
    }
  }
}

/** Calls of pruneHistory between two walks over the past versions. */
const PRUNE_EVERY = 64;

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
