// Where the project's Jupyter pieces live; shared by set-up, the notebook runner and tests.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Debian's python: the one the jupyter-* packages install into (PATH may hold another).
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const jupyterLocal = join(root, '.jupyter-local');
export const jupyterData = join(jupyterLocal, 'share', 'jupyter');
export const kernelDir = join(jupyterData, 'kernels', 'tslab');
export const outDir = process.env.FLUSHLAB_NOTEBOOK_OUT ?? join(root, 'out', 'notebooks');

export function jupyterEnv() {
  const prev = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: prev ? `${jupyterData}:${prev}` : jupyterData,
    // Jupyter's own folders in the project, not in $HOME: a home that is not writable (or
    // not a folder) must not stop the notebooks, and a user's config must not change them.
    JUPYTER_DATA_DIR: join(jupyterLocal, 'data'),
    JUPYTER_RUNTIME_DIR: join(jupyterLocal, 'runtime'),
    JUPYTER_CONFIG_DIR: join(jupyterLocal, 'config'),
    IPYTHONDIR: join(jupyterLocal, 'ipython'),
    // node must be the same one that runs the set-up (the kernel is a node program).
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  };
}
