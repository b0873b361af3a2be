/**
 * The entry formats the writer runs on, by the name the command line uses. Apart from
 * writer.ts so the algorithm imports no format and the formats import it only for types.
 */
import type { EntryFormat } from './writer';
import { vtdPasidFormat } from './vtd';
import { smmuv3CdFormat, smmuv3SteFormat } from './smmuv3';

export { vtdPasidFormat, smmuv3CdFormat, smmuv3SteFormat };

export const WRITER_FORMATS: Readonly<Record<string, EntryFormat>> = {
  vtd: vtdPasidFormat,
  'smmuv3-ste': smmuv3SteFormat,
  'smmuv3-cd': smmuv3CdFormat,
};
