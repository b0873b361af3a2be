// The device and the downstream link (src/model/parts/device.ts): ATC, ATS requests, DMAs, Invalidate Requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceMoves } from '../../../src/model/parts/device';
import type { DownMessage } from '../../../src/model/state';
import { at, model, movesOf, only, texts } from './kit';

test('device: an Invalidate Request may pass a Translation Completion only under inv-may-pass-completion (PCIe 10.3.6; ordering table A5a)', () => {
  const down: DownMessage[] = [{ kind: 'completion', request: 1, image: 0 }, { kind: 'invalidate', descriptor: 4 }];
  for (const [assume, passes] of [['spec,inv-may-pass-completion=true', true], ['spec,inv-may-pass-completion=false', false]] as const) {
    const m = model({ assume });
    const s = at(m, { down, outstanding: [{ request: 1, discard: false }], requestsIssued: 1 });
    assert.equal(texts(movesOf(deviceMoves, m, s)).some((t) => t.includes('Invalidate Request received')), passes, assume);
  }
});

test('device: a Translation Completion does not pass an Invalidate Request unless completion-may-pass-inv (PCIe ordering table D2a)', () => {
  const down: DownMessage[] = [{ kind: 'invalidate', descriptor: 4 }, { kind: 'completion', request: 1, image: 0 }];
  for (const [assume, passes] of [['spec', false], ['spec,completion-may-pass-inv=true', true]] as const) {
    const m = model({ assume });
    const s = at(m, { down, outstanding: [{ request: 1, discard: false }], requestsIssued: 1 });
    assert.equal(texts(movesOf(deviceMoves, m, s)).some((t) => t.includes('Translation Completion #1')), passes, assume);
  }
});

test('device: an Invalidate Request drops the ATC and tags outstanding requests for discard (PCIe 10.3.6)', () => {
  for (const [assume, tagged] of [['spec', true], ['spec,device-discards-racing-completions=false', false]] as const) {
    const m = model({ assume });
    const s = at(m, { down: [{ kind: 'invalidate', descriptor: 4 }], outstanding: [{ request: 1, discard: false }], requestsIssued: 1 });
    const next = only(movesOf(deviceMoves, m, s), 'Invalidate Request received').next;
    assert.deepEqual([next.atc, next.outstanding[0].discard, next.answering], [-1, tagged, [4]], assume);
  }
});

test('device: a completion of a tagged request is discarded, an untagged one fills the ATC (PCIe 10.3.6)', () => {
  const m = model();
  const im = m.ctx.images;
  for (const discard of [true, false]) {
    const s = at(m, { atc: -1, down: [{ kind: 'completion', request: 1, image: im.oldId }], outstanding: [{ request: 1, discard }], requestsIssued: 1 });
    const next = only(movesOf(deviceMoves, m, s), 'Translation Completion #1').next;
    assert.deepEqual([next.atc, next.outstanding], [discard ? -1 : im.oldId, []], `discard=${discard}`);
  }
});

test('device: an untranslated DMA is issued on an ATC miss, evicting the ATC entry (PCIe 10.2, AT=00b)', () => {
  const m = model({ dmas: 1 });
  const issue = only(movesOf(deviceMoves, m, at(m, {})), 'DMA #1');
  assert.deepEqual([issue.next.atc, issue.next.dmasIssued, issue.next.walks.map((w) => w.kind)], [-1, 1, ['dma']]);
});

test('device: the device answers an Invalidate Request with an Invalidate Completion up the link (PCIe 10.3.2)', () => {
  const m = model();
  const next = only(movesOf(deviceMoves, m, at(m, { answering: [4] })), 'sends Invalidate Completion').next;
  assert.deepEqual([next.answering, next.up], [[], [4]]);
});
