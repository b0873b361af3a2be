/**
 * JSON shapes of a decoded entry and descriptor (what `flushlab decode --json` prints and a
 * script reads): field names lower case (snake_case where the TypeScript name is camelCase),
 * numbers as numbers, flags as booleans, pointers, addresses and words as 0x-hex strings
 * (they exceed 2^53). Key order is fixed, so the same words give the same text.
 */
import { hex, hex64 } from './bits';
import { DESCRIPTOR_LAYOUT, DESCRIPTOR_TYPE_CODE, DescriptorType, decodeDescriptor, describeDescriptor, validateDescriptor } from './descriptors';
import { PASID_ENTRY_LAYOUT, decodePasidEntry, formatEntry, pasidEntryUsedFields, validatePasidEntry } from './pasidEntry';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The `type` a JSON descriptor carries: the Descriptor type without `_inv` (`p_iotlb`, `pc`, `inv_wait`). */
export const DESCRIPTOR_JSON_TYPE: { readonly [T in DescriptorType]: string } = {
  cc_inv: 'cc', iotlb_inv: 'iotlb', dev_tlb_inv: 'dev_tlb', inv_wait: 'inv_wait',
  p_iotlb_inv: 'p_iotlb', pc_inv: 'pc', p_dev_tlb_inv: 'p_dev_tlb',
};

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function jsonValue(v: unknown): JsonValue {
  if (typeof v === 'bigint') return hex(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  return v as JsonValue;
}

/**
 * `{"kind":"pasid-entry","words":[...],"compact":"fl:did=5,...","fields":{...},"used":[...],"problems":[...]}`:
 * fields in bit order (`present`, `fpd`, `aw`, `pgtt` (name or null), `pgtt_code`, ...,
 * `reserved` as 8 hex words), `used` the fields intel_pasid_get_used lists for the entry,
 * `problems` what validatePasidEntry reports.
 */
export function pasidEntryJson(words: readonly bigint[]): { [key: string]: JsonValue } {
  const e = decodePasidEntry(words) as unknown as Record<string, unknown>;
  const fields: { [key: string]: JsonValue } = {};
  for (const l of PASID_ENTRY_LAYOUT) {
    fields[l.key] = jsonValue(e[l.key]);
    if (l.key === 'pgtt') fields['pgtt_code'] = e['pgttCode'] as number;
  }
  fields['reserved'] = (e['reserved'] as bigint[]).map(hex);
  return {
    kind: 'pasid-entry',
    words: words.map(hex64),
    compact: formatEntry(words),
    fields,
    used: pasidEntryUsedFields(words),
    problems: validatePasidEntry(words),
  };
}

/**
 * `{"kind":"descriptor","type":"p_iotlb","code":6,"summary":"P_IOTLB ...","words":[...],
 * <fields in bit order>,"problems":[...]}`; addresses as hex strings.
 */
export function descriptorJson(words: readonly bigint[]): { [key: string]: JsonValue } {
  const d = decodeDescriptor(words);
  const rec = d as unknown as Record<string, unknown>;
  const out: { [key: string]: JsonValue } = {
    kind: 'descriptor',
    type: DESCRIPTOR_JSON_TYPE[d.type],
    code: DESCRIPTOR_TYPE_CODE[d.type],
    summary: describeDescriptor(d),
    words: words.map(hex64),
  };
  for (const field of DESCRIPTOR_LAYOUT[d.type]) {
    if (field.kind !== 'type') out[snake(field.key)] = jsonValue(rec[field.key]);
  }
  out['problems'] = validateDescriptor(d);
  return out;
}
