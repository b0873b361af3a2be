// docs/thread.md's preset table restates PRESETS for readers of the docs; this keeps the two
// from drifting apart (a preset changed in the model must be changed in the table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS } from '../../src/model/assumptions';

/** The `name=value` pairs each row of the table names, by preset. */
export function presetTable(markdown: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of markdown.split('\n')) {
    const m = /^\| `([a-z]+)` \| (.*?) \| .* \|$/.exec(line);
    if (m) rows[m[1]] = [...m[2].matchAll(/`([a-z0-9-]+=[^`]+)`/g)].map((x) => x[1]);
  }
  return rows;
}

const fromModel = (values: Readonly<Record<string, unknown>>) =>
  Object.entries(values).map(([k, v]) => `${k}=${String(v)}`);

test('docs/thread.md lists every preset with the values PRESETS gives it', () => {
  const table = presetTable(readFileSync(join(__dirname, '..', '..', 'docs/thread.md'), 'utf8'));
  assert.deepEqual(Object.keys(table), Object.keys(PRESETS));
  for (const [name, values] of Object.entries(PRESETS)) assert.deepEqual(table[name], fromModel(values), name);
});

test('negative control: a table that names a stale value is told apart', () => {
  const stale = '| `spec` | every default | x |\n| `baolu` | `iotlb-inv-drains-translations=true` | x |';
  assert.deepEqual(presetTable(stale), { spec: [], baolu: ['iotlb-inv-drains-translations=true'] });
  assert.notDeepEqual(presetTable(stale).baolu, fromModel(PRESETS.baolu));
});
