/**
 * Strategies side by side in 72 columns: a table of verdicts and costs, one column per
 * strategy, then the first driver step at which their runs diverge.
 */
import type { CheckResult } from '../check/result';
import { MAIL_COLUMNS, hanging, padRight, toAscii, wrap } from './plainText';

export interface ComparisonView {
  results: readonly CheckResult[];
  divergences: readonly ({ step: number; first: string | null; other: string | null } | null)[];
}

const LABEL = 16;

/** A cell's lines; a word too long for the column breaks after a hyphen, not mid-word. */
function cellLines(text: string, width: number): string[] {
  const words = text.split(' ').flatMap((w) => {
    if (w.length <= width) return [w];
    const parts = w.split(/(?<=-)/);
    const out: string[] = [];
    for (const p of parts) {
      const last = out.length - 1;
      if (last >= 0 && out[last]!.length + p.length <= width) out[last] += p;
      else out.push(p);
    }
    return out;
  });
  return words.reduce<string[]>((lines, w) => {
    const last = lines.length - 1;
    if (last >= 0 && !lines[last]!.endsWith('-') && lines[last]!.length + 1 + w.length <= width) lines[last] += ` ${w}`;
    else if (last >= 0 && lines[last]!.endsWith('-') && lines[last]!.length + w.length <= width) lines[last] += w;
    else lines.push(...wrap(w, width));
    return lines;
  }, []);
}

/** The columns' headers: the strategy names, made distinct when two are the same. */
export function columnNames(results: readonly CheckResult[]): string[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const n = (seen.get(r.strategy) ?? 0) + 1;
    seen.set(r.strategy, n);
    return n === 1 ? r.strategy : `${r.strategy}#${n}`;
  });
}

export function comparisonToText(c: ComparisonView, width = MAIL_COLUMNS): string {
  const rs = c.results;
  const names = columnNames(rs);
  const col = Math.floor((width - LABEL) / rs.length);
  const out: string[] = [];
  const first = rs[0]!;
  out.push(...hanging('Compare ', `${first.from} -> ${first.to}`, 2, width));
  out.push(...hanging('Assume ', `${first.assume || 'spec'}; requests=${first.requests} dmas=${first.dmas} ${first.cold ? 'cold' : 'warm'}`, 2, width));
  const row = (label: string, cells: string[]): void => {
    const wrapped = cells.map((t) => cellLines(t, col - 1));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++) {
      const line = padRight(k === 0 ? label : '', LABEL) + wrapped.map((w) => padRight(w[k] ?? '', col)).join('');
      out.push(line.trimEnd());
    }
  };
  const d = (r: CheckResult, t: string) => r.cost.descriptors[t] ?? 0;
  row('', names);
  row('Verdict', rs.map((r) => r.verdict));
  row('Violates', rs.map((r) => (r.violations.length ? r.violations.map((v) => v.property).join(' ') : '-')));
  row('Counterexample', rs.map((r) => (r.violations[0] ? `${r.violations[0].trace.steps.length} steps${r.shortest === false ? ' (maybe not shortest)' : ''}` : '-')));
  row('States', rs.map((r) => String(r.states)));
  row('Descriptors', rs.map((r) => String(Object.values(r.cost.descriptors).reduce((a, b) => a + b, 0))));
  if (first.arch === 'smmuv3') {
    // The SMMU's counterparts (IHI 0070 G.b §4.3-§4.7): configuration, TLB and ATC invalidations.
    const tlbi = (r: CheckResult) => d(r, 'TLBI_NH_ASID') + d(r, 'TLBI_S12_VMALL') + d(r, 'TLBI_NSNH_ALL');
    row('  CFGI/TLBI/ATC', rs.map((r) => `${d(r, 'CFGI_STE') + d(r, 'CFGI_CD')}/${tlbi(r)}/${d(r, 'ATC_INV')}`));
  } else row('  PC/IOTLB/DEV', rs.map((r) => `${d(r, 'pc_inv')}/${d(r, 'iotlb_inv') + d(r, 'p_iotlb_inv')}/${d(r, 'dev_tlb_inv') + d(r, 'p_dev_tlb_inv')}`));
  row('Submissions', rs.map((r) => String(r.cost.submissions)));
  row('Waits', rs.map((r) => String(r.cost.waits)));
  row('Syncs', rs.map((r) => String(r.cost.syncs)));
  row('clflushes', rs.map((r) => String(r.cost.clflushes)));
  c.divergences.forEach((dv, k) => {
    const other = names[k + 1]!;
    if (!dv) { out.push(...hanging('Diverge ', `${other} runs the same driver steps as ${names[0]}`, 2, width)); return; }
    out.push(...hanging('Diverge ', `${other} from ${names[0]} at driver step ${dv.step}:`, 2, width));
    out.push(...hanging(`  ${names[0]}: `, dv.first ?? '(has returned)', 4, width));
    out.push(...hanging(`  ${other}: `, dv.other ?? '(has returned)', 4, width));
  });
  return `${out.map((l) => toAscii(l).trimEnd()).join('\n')}\n`;
}
