#!/usr/bin/env node
// The published command line: runs the built CLI in dist/ (`npm ci` builds it through the
// `prepare` script; `npm run build` rebuilds it).
'use strict';
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main/.test(String(err.message))) {
    process.stderr.write('flushlab: dist/ is not built; run `npm run build` (or `npm ci`, which builds it)\n');
    process.exit(70);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
