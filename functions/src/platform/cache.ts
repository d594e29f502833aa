/**
 * The one bounded cache for what an instance remembers between calls: event identities, opened
 * credentials, Vonage clients, token signers, the session index, rate-limit windows, seat listeners.
 * Every such cache is one of these, so each is bounded and evicts the same way:
 *
 * - `max`: a `set` that would go beyond it drops the least recently used entry (a `get` or `set`
 *   counts as a use; the Map's order is the order of use);
 * - `ttlMs` (optional): an entry older than this reads as absent and is dropped; its age counts from
 *   its `set`, or, with `sliding`, from its last use (an idle timeout);
 * - `onEvict` (optional): called with every entry that leaves (dropped for room, expired, deleted,
 *   cleared or replaced by another value), to release what it holds (a database listener).
 *
 * Expired entries are dropped when read, or all at once by `prune` (for caches whose entries hold
 * resources). What a cache holds is per instance: another instance of the same function has its own.
 */
export interface CacheOptions<K, V> {
  max: number;
  ttlMs?: number;
  sliding?: boolean;
  onEvict?: (key: K, value: V) => void;
}

interface Entry<V> {
  value: V;
  at: number;
}

/**
 * Every live cache of this instance, for `cacheSizes`: weakly held, and each reference dropped once
 * its cache is collected (a per-signer cache goes with its signer), so the set itself stays bounded.
 */
const liveCaches = new Set<WeakRef<BoundedCache<unknown, unknown>>>();
const collected = new FinalizationRegistry<WeakRef<BoundedCache<unknown, unknown>>>((ref) => liveCaches.delete(ref));

export interface CacheSize {
  /** Where the cache was made (file:line), to tell the caches apart. */
  label: string;
  size: number;
  max: number;
}

/** The size and bound of every cache alive in this instance (the soak and storm tests assert on them). */
export function cacheSizes(): CacheSize[] {
  const sizes: CacheSize[] = [];
  for (const ref of liveCaches) {
    const cache = ref.deref();
    if (!cache) liveCaches.delete(ref);
    else sizes.push({ label: cache.label, size: cache.size, max: cache.max });
  }
  return sizes;
}

/** What the caches made at each place hold in all (a per-signer cache has one per signer). */
export function cacheTotals(): Map<string, number> {
  const totals = new Map<string, number>();
  for (const cache of cacheSizes()) totals.set(cache.label, (totals.get(cache.label) ?? 0) + cache.size);
  return totals;
}

/** The caller of the constructor, as `file.js:line`, read once per cache. */
function creationSite(): string {
  const frame = (new Error().stack ?? "").split("\n")[3] ?? "";
  const match = /([^/\\(]+):(\d+):\d+\)?\s*$/.exec(frame);
  return match ? `${match[1]}:${match[2]}` : "unknown";
}

export class BoundedCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  readonly label: string;

  constructor(private readonly options: CacheOptions<K, V>) {
    if (!(options.max >= 1)) throw new Error("BoundedCache: max must be at least 1");
    this.label = creationSite();
    const ref = new WeakRef(this as BoundedCache<unknown, unknown>);
    liveCaches.add(ref);
    collected.register(this, ref);
  }

  get max(): number {
    return this.options.max;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `now` (ms) matters only to caches with a TTL; it defaults to the clock. */
  get(key: K, now?: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.options.ttlMs !== undefined) {
      now ??= Date.now();
      if (this.expired(entry, now)) {
        this.drop(key, entry);
        return undefined;
      }
      if (this.options.sliding) entry.at = now;
    }
    // Re-inserting moves the entry to the back: the front is always the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: K, now?: number): boolean {
    return this.get(key, now) !== undefined;
  }

  set(key: K, value: V, now?: number): V {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      if (previous.value !== value) this.options.onEvict?.(key, previous.value);
    }
    this.entries.set(key, { value, at: this.options.ttlMs === undefined ? 0 : (now ?? Date.now()) });
    while (this.entries.size > this.options.max) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [K, Entry<V>];
      this.drop(oldestKey, oldest);
    }
    return value;
  }

  /** The cached value, else `make()`'s, stored. */
  getOrSet(key: K, make: () => V, now?: number): V {
    const hit = this.get(key, now);
    return hit !== undefined ? hit : this.set(key, make(), now);
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.drop(key, entry);
    return true;
  }

  clear(): void {
    for (const [key, entry] of [...this.entries]) this.drop(key, entry);
  }

  /** Drops every expired entry; returns how many went. */
  prune(now = Date.now()): number {
    let dropped = 0;
    for (const [key, entry] of [...this.entries]) {
      if (this.expired(entry, now)) {
        this.drop(key, entry);
        dropped++;
      }
    }
    return dropped;
  }

  private expired(entry: Entry<V>, now: number): boolean {
    return this.options.ttlMs !== undefined && now - entry.at >= this.options.ttlMs;
  }

  private drop(key: K, entry: Entry<V>): void {
    this.entries.delete(key);
    this.options.onEvict?.(key, entry.value);
  }
}
