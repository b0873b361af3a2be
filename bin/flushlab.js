#!/usr/bin/env node
// The published command line: runs the built CLI (npm start / npm test build dist/ first).
'use strict';
const { main } = require('../dist/cli/main.js');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
