/**
 * Looks a user-given name up in a table of names. A plain object literal also "has"
 * `constructor`, `__proto__`, `toString`, … through its prototype; those are not names a
 * user may pick, so only the table's own keys count.
 */
export function own<V>(table: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
