#!/usr/bin/env node
// Jupyter Notebook on 127.0.0.1 (token on) with the project's tslab kernel, at notebooks/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SYSTEM_PYTHON, jupyterEnv, root } from './jupyter-env.mjs';

const port = process.env.FLUSHLAB_JUPYTER_PORT ?? '8888';
// Jupyter refuses to run as root unless told to (the set-up and CI run as root).
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--allow-root'] : [];
const child = spawn(SYSTEM_PYTHON, ['-m', 'notebook', '--ip=127.0.0.1', `--port=${port}`, '--no-browser', ...asRoot,
  `--notebook-dir=${join(root, 'notebooks')}`], { stdio: 'inherit', env: jupyterEnv() });
child.on('exit', (code) => process.exit(code ?? 1));
