// The client package's types: `tsc --noEmit --strict` accepts a usage file (test/types/usage.ts) and rejects
// each marked mistake of test/types/misuse.ts with the expected error. Needs the harness's npm packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const HARNESS = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function tsc(args) {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [TSC, ...args], { cwd: HARNESS }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? error.code : 0, output: stdout + stderr });
    });
  });
}

test('tsc --noEmit --strict accepts the usage file of @switchboard/client', async () => {
  const { code, output } = await tsc(['--noEmit', '--strict', '-p', 'test/types/tsconfig.json']);
  assert.equal(code, 0, output);
});

test('tsc --strict rejects each marked misuse with the expected error', async () => {
  const { code, output } = await tsc(['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext',
    '--moduleResolution', 'NodeNext', '--lib', 'ES2022,DOM', 'test/types/misuse.ts']);
  assert.notEqual(code, 0, 'the misuse file compiled');
  const lines = readFileSync(resolve(HARNESS, 'test/types/misuse.ts'), 'utf8').split('\n');
  const expected = [];
  lines.forEach((line, i) => {
    const match = /\/\/ ERROR (TS\d+)/.exec(line);
    if (match) {
      expected.push(`${i + 1}:${match[1]}`);
    }
  });
  const found = [...output.matchAll(/misuse\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => `${m[1]}:${m[2]}`);
  assert.ok(expected.length >= 5);
  assert.deepEqual(found, expected, output);
});

test('the package exports its module and its types', () => {
  const pkg = JSON.parse(readFileSync(resolve(HARNESS, 'client/package.json'), 'utf8'));
  assert.equal(pkg.name, '@switchboard/client');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './switchboard-client.d.ts');
  assert.deepEqual(pkg.exports['.'], { types: './switchboard-client.d.ts', default: './switchboard-client.js' });
  const resolved = createRequire(import.meta.url).resolve('@switchboard/client');
  assert.equal(resolved, resolve(HARNESS, 'client/switchboard-client.js'));
});
