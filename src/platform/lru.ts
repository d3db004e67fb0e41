/**
 * Puts `key` last in `map` (a Map keeps insertion order) and drops the oldest entries beyond `max`:
 * a least-recently-used cache in a plain Map, for the in-memory fronts of database lookups.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
