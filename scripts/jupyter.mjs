#!/usr/bin/env node
// Jupyter Notebook on 127.0.0.1 (token on) with the project's tslab kernel, at notebooks/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SYSTEM_PYTHON, jupyterEnv, root } from './jupyter-env.mjs';

const port = process.env.FLUSHLAB_JUPYTER_PORT ?? '8888';
const child = spawn(SYSTEM_PYTHON, ['-m', 'notebook', '--ip=127.0.0.1', `--port=${port}`, '--no-browser',
  `--notebook-dir=${join(root, 'notebooks')}`], { stdio: 'inherit', env: jupyterEnv() });
child.on('exit', (code) => process.exit(code ?? 1));
