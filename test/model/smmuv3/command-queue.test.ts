// The command queue's rules (IHI 0070 G.b §4.7.3): a CMD_SYNC completes only after every
// command ahead of it; other commands between CMD_SYNCs take effect in any order unless
// cmdq-in-order; an ATC invalidation completes only with the device's Invalidate Completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSmmuModel, type SmmuModel } from '../../../src/model/smmuv3/build';
import type { SmmuState } from '../../../src/model/smmuv3/state';
import { SMMU_TRANSITIONS } from '../../../src/model/smmuv3/transitions';

/** Takes the driver's steps (always first in the successor list) until the queue holds something. */
function afterLastSubmit(m: SmmuModel): SmmuState {
  let s = m.system.initial();
  const last = m.ctx.program.ops.map((op) => op.op).lastIndexOf('submit');
  while (s.pc <= last) {
    const succ = m.system.successors(s);
    const driver = succ.find((x) => x.label().lane === 'driver');
    if (driver) { s = driver.next; continue; }
    // A poll: let the queue run to the CMD_SYNC (and the device answer) first.
    s = succ.find((x) => x.label().lane !== 'device' || /Invalidate/.test(x.label().text))!.next;
  }
  return s;
}

const texts = (m: SmmuModel, s: SmmuState) => m.system.successors(s).map((x) => x.label().text);

test('TLBI and ATC_INV before one CMD_SYNC may start in either order; the CMD_SYNC waits for both', () => {
  const m = buildSmmuModel({ arch: 'smmuv3', ...SMMU_TRANSITIONS.cdSameAsid, strategy: 'jason-ordered', requests: 0, dmas: 0 });
  const s = afterLastSubmit(m);
  const t = texts(m, s);
  assert.ok(t.some((x) => /CMD_TLBI_NH_ASID ASID=1 done/.test(x)), t.join('\n'));
  assert.ok(t.some((x) => /CMD_ATC_INV .* sends Invalidate Request/.test(x)), t.join('\n'));
  assert.ok(!t.some((x) => /CMD_SYNC completes/.test(x)));
});

test('cmdq-in-order: the ATC_INV waits for the TLBI ahead of it (negative control of the rule above)', () => {
  const m = buildSmmuModel({ arch: 'smmuv3', ...SMMU_TRANSITIONS.cdSameAsid, strategy: 'jason-ordered', assume: 'cmdq-in-order=true', requests: 0, dmas: 0 });
  const t = texts(m, afterLastSubmit(m));
  assert.ok(t.some((x) => /CMD_TLBI_NH_ASID ASID=1 done/.test(x)));
  assert.ok(!t.some((x) => /CMD_ATC_INV/.test(x)), t.join('\n'));
});

test('a CMD_SYNC after CMD_ATC_INV completes only once the Invalidate Completion is back', () => {
  const m = buildSmmuModel({ arch: 'smmuv3', ...SMMU_TRANSITIONS.cdNewAsid, strategy: 'linux', requests: 0, dmas: 0 });
  let s = afterLastSubmit(m);
  const step = (re: RegExp) => {
    const x = m.system.successors(s).find((y) => re.test(y.label().text));
    assert.ok(x, `no step ${re}: ${texts(m, s).join(' | ')}`);
    s = x.next;
  };
  step(/sends Invalidate Request/);
  assert.ok(!texts(m, s).some((x) => /CMD_SYNC completes/.test(x)));
  step(/Invalidate Request received/);
  assert.ok(!texts(m, s).some((x) => /CMD_SYNC completes/.test(x)));
  step(/sends Invalidate Completion/);
  step(/Invalidate Completion received/);
  step(/CMD_SYNC completes/);
});
