/** Types for the Jupyter locations shared by set-up, the notebook runner and tests. */
export const root: string;
export const SYSTEM_PYTHON: string;
export const jupyterLocal: string;
export const jupyterData: string;
export const kernelDir: string;
export const outDir: string;
export function jupyterEnv(): NodeJS.ProcessEnv;
