#!/usr/bin/env node
// Jupyter Notebook on 127.0.0.1 with the project's tslab kernel, at notebooks/. The token
// is set here (a fresh random one, printed by Jupyter in the URL), so that a user's own
// Jupyter config cannot turn authentication off; FLUSHLAB_JUPYTER_TOKEN sets it instead.
// SIGINT/SIGTERM are passed on to the server, so killing this launcher frees the port.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SYSTEM_PYTHON, jupyterEnv, root } from './jupyter-env.mjs';

const port = process.env.FLUSHLAB_JUPYTER_PORT ?? '8888';
const token = process.env.FLUSHLAB_JUPYTER_TOKEN || randomBytes(24).toString('hex');
// Jupyter refuses to run as root unless told to (the set-up and CI run as root).
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--allow-root'] : [];
// Notebook 6.x takes --NotebookApp.token (checked with `python3 -m notebook --help-all`).
const child = spawn(SYSTEM_PYTHON, ['-m', 'notebook', '--ip=127.0.0.1', `--port=${port}`, '--no-browser', ...asRoot,
  `--NotebookApp.token=${token}`, `--notebook-dir=${join(root, 'notebooks')}`], { stdio: 'inherit', env: jupyterEnv() });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { if (child.exitCode === null) child.kill(signal); });
}
child.on('error', (err) => { console.error(`flushlab jupyter: cannot start ${SYSTEM_PYTHON} -m notebook (${err.message})`); process.exit(1); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15) : 1)));
