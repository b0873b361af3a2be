/**
 * A strategy in one line, for the command line and a mail:
 *
 *     sync=clflush,pc;after=p_iotlb+devtlb
 *
 * Grammar (whitespace around the separators is ignored):
 *
 *     strategy   := part (';' part)*
 *     part       := 'name=' NAME | 'writer=' WRITER
 *                 | 'sync' ['[' CHANGE ('|' CHANGE)* ']'] '=' actions
 *                 | 'before=' actions | 'after=' actions
 *     actions    := 'none' | action (',' action)*
 *     action     := ('clflush' | submission) ['@nc' | '@cm' | '@always']
 *     submission := descriptor ('+' descriptor)* ['!nowait']
 *     descriptor := 'pc' ['.pasid' | '.domain' | '.global'] [':new' | ':previous']
 *                 | 'p_iotlb' [':new' | ':previous'] | 'iotlb' ('.domain' | '.global') [':new' | ':previous']
 *                 | 'iotlb_by_pgtt' [':new' | ':previous'] | 'devtlb' | 'wait' | 'wait.fn'
 *
 * `,` separates actions, `+` joins descriptors into one submission (one tail write),
 * which waits (a wait descriptor, polled) unless `!nowait`. A descriptor names the old
 * entry's DID unless `:new`. `clflush` is done only when the IOMMU does not snoop (`@nc`,
 * as the kernel's clflush_cache_range under !ecap_coherent; `clflush@always` every time);
 * `@cm` runs an action only under caching mode. `sync=` sets what every writer sync does (CHANGE: P1->P1, P1->P0,
 * P0->P1, P0->P0, how the present bit changed since the previous sync); `sync[P1->P0]=`
 * sets one case; later parts win. Defaults: name=custom, writer=entry_sync, no sync
 * action, after=none.
 */
import type { Action, DescriptorTemplate, PresenceChange, Strategy } from './strategies';
import { StrategyError, validateStrategy } from './strategies';

const CHANGES: readonly PresenceChange[] = ['P1->P1', 'P1->P0', 'P0->P1', 'P0->P0'];
const WRITERS: readonly Strategy['writer'][] = ['entry_sync', 'clear-then-write', 'struct-copy'];

/** An example for messages and --help. */
export const STRATEGY_LINE_EXAMPLE = 'sync=clflush,pc;after=p_iotlb+devtlb';

/** The longest line read (a strategy of the maximum size fits in well under this). */
export const MAX_STRATEGY_LINE = 4096;

function fail(message: string): never {
  throw new StrategyError(`strategy line: ${message} (e.g. '${STRATEGY_LINE_EXAMPLE}'; flushlab check --help)`);
}

function descriptor(word: string): DescriptorTemplate {
  const m = /^([a-z_]+)(?:\.([a-z]+))?(?::(old|new|previous))?$/.exec(word);
  if (!m) fail(`'${word}' is not a descriptor (pc, p_iotlb, iotlb.domain, iotlb_by_pgtt, devtlb, wait)`);
  const [, type, gran, didText] = m;
  const did = (didText ?? 'old') as 'old' | 'new' | 'previous';
  const noDid = () => { if (didText) fail(`'${word}': ${type} names no DID`); };
  const noGran = () => { if (gran) fail(`'${word}': ${type} takes no granularity`); };
  switch (type) {
    case 'pc':
      if (gran && !['pasid', 'domain', 'global'].includes(gran)) fail(`'${word}': pc granularity is pasid, domain or global`);
      return { type: 'pc_inv', granularity: (gran ?? 'pasid') as 'pasid' | 'domain' | 'global', did };
    case 'p_iotlb':
      if (gran && gran !== 'pasid') fail(`'${word}': p_iotlb granularity is pasid`);
      return { type: 'p_iotlb_inv', granularity: 'pasid', did };
    case 'iotlb':
      if (gran !== 'domain' && gran !== 'global') fail(`'${word}': iotlb needs .domain or .global`);
      return { type: 'iotlb_inv', granularity: gran, did };
    case 'iotlb_by_pgtt':
      noGran();
      return { type: 'iotlb_by_pgtt', did };
    case 'devtlb':
      noGran(); noDid();
      return { type: 'devtlb' };
    case 'wait':
      noDid();
      if (gran && gran !== 'fn') fail(`'${word}': wait takes .fn or nothing`);
      return { type: 'inv_wait', fn: gran === 'fn' };
    default:
      return fail(`'${word}' is not a descriptor (pc, p_iotlb, iotlb.domain, iotlb_by_pgtt, devtlb, wait)`);
  }
}

function action(text: string): Action {
  const m = /^([^@]*?)(?:@(\w*))?$/.exec(text.trim())!;
  const body = m[1]!.trim();
  if (m[2] !== undefined && !['nc', 'cm', 'always'].includes(m[2])) fail(`'@${m[2]}' is not a condition (@nc, @cm, @always)`);
  const when = m[2] === 'nc' ? 'not-coherent' : m[2] === 'cm' ? 'caching-mode' : undefined;
  if (body === '') fail('an empty action (two commas, or a comma at the end?)');
  if (body === 'clflush') return m[2] === 'always' ? { do: 'clflush' } : { do: 'clflush', when: when ?? 'not-coherent' };
  const noWait = body.endsWith('!nowait');
  const words = (noWait ? body.slice(0, -'!nowait'.length) : body).split('+').map((w) => w.trim());
  if (words.some((w) => w === '')) fail(`'${body}': an empty descriptor around '+'`);
  const a: Action = { do: 'submit', descriptors: words.map(descriptor), wait: noWait ? 'none' : 'poll' };
  return when ? { ...a, when } : a;
}

function actions(text: string): Action[] {
  const t = text.trim();
  if (t === 'none' || t === '') return [];
  return t.split(',').map(action);
}

/** True when the text is meant as a strategy line (it has a `key=` part). */
export function isStrategyLine(text: string): boolean {
  return /^\s*(name|writer|sync(\[[^\]]*\])?|before|after)\s*=/.test(text);
}

/** Parses a strategy line into a strategy value, validated as any hand-written strategy. */
export function parseStrategyLine(text: string): Strategy {
  if (text.length > MAX_STRATEGY_LINE) fail(`longer than ${MAX_STRATEGY_LINE} characters`);
  let name = 'custom';
  let writer: Strategy['writer'] = 'entry_sync';
  const sync: Partial<Record<PresenceChange, Action[]>> = {};
  let after: Action[] = [];
  let before: Action[] = [];
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) fail(`'${part.trim()}' has no '=' (parts are name=, writer=, sync=, sync[P1->P0]=, before=, after=)`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const s = /^sync(?:\[([^\]]*)\])?$/.exec(key);
    if (key === 'name') name = value;
    else if (key === 'writer') {
      if (!(WRITERS as readonly string[]).includes(value)) fail(`writer is one of ${WRITERS.join(', ')} (got '${value}')`);
      writer = value as Strategy['writer'];
    } else if (key === 'after') after = actions(value);
    else if (key === 'before') before = actions(value);
    else if (s) {
      const changes = s[1] === undefined ? CHANGES : s[1].split('|').map((c) => c.trim());
      for (const c of changes) if (!(CHANGES as readonly string[]).includes(c)) fail(`'${c}' is not one of ${CHANGES.join(', ')}`);
      const list = actions(value);
      for (const c of changes) sync[c as PresenceChange] = list;
    } else fail(`unknown part '${key}=' (parts are name=, writer=, sync=, sync[P1->P0]=, before=, after=)`);
  }
  // Each sync case its own list, so that the value has no shared parts (YAML aliases).
  const own = Object.fromEntries(Object.entries(sync).map(([k, v]) => [k, v.map((a) => ({ ...a }))]));
  return validateStrategy({ name, description: `one-line strategy: ${text.trim()}`, source: 'command line', writer, sync: own, ...(before.length ? { before } : {}), after });
}

function descriptorWord(d: DescriptorTemplate): string {
  const did = 'did' in d && d.did !== 'old' ? `:${d.did}` : '';
  switch (d.type) {
    case 'pc_inv': return `pc${d.granularity === 'pasid' ? '' : `.${d.granularity}`}${did}`;
    case 'p_iotlb_inv': return `p_iotlb${did}`;
    case 'iotlb_inv': return `iotlb.${d.granularity}${did}`;
    case 'iotlb_by_pgtt': return `iotlb_by_pgtt${did}`;
    case 'devtlb': return 'devtlb';
    case 'inv_wait': return d.fn ? 'wait.fn' : 'wait';
  }
}

function actionWord(a: Action): string {
  if (a.do === 'clflush') return a.when === 'not-coherent' ? 'clflush' : a.when === 'caching-mode' ? 'clflush@cm' : 'clflush@always';
  const when = a.when === 'caching-mode' ? '@cm' : a.when === 'not-coherent' ? '@nc' : '';
  return `${a.descriptors.map(descriptorWord).join('+')}${a.wait === 'none' ? '!nowait' : ''}${when}`;
}

function actionsWord(list: readonly Action[] | undefined): string {
  return !list || list.length === 0 ? 'none' : list.map(actionWord).join(',');
}

/** A strategy as a line that parses back to the same writer, sync and after (name kept). */
export function formatStrategyLine(s: Strategy): string {
  const parts: string[] = [`name=${s.name}`];
  if (s.writer !== 'entry_sync') parts.push(`writer=${s.writer}`);
  const present = CHANGES.filter((c) => s.sync[c] !== undefined);
  const groups = new Map<string, PresenceChange[]>();
  for (const c of present) {
    const w = actionsWord(s.sync[c]);
    groups.set(w, [...(groups.get(w) ?? []), c]);
  }
  for (const [w, cs] of groups) parts.push(cs.length === CHANGES.length ? `sync=${w}` : `sync[${cs.join('|')}]=${w}`);
  if (s.before && s.before.length) parts.push(`before=${actionsWord(s.before)}`);
  if (s.after.length) parts.push(`after=${actionsWord(s.after)}`);
  return parts.join(';');
}
