/** Types for the notebook runner shared by `npm start` and the tests. */
export function executeNotebook(path: string, dest?: string): { ok: boolean; message: string };
