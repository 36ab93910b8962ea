// The pull-request previews' steps, outside GitHub: the real steps of preview.yml (putting a
// preview on its branch, removing it) and pages.yml (publishing the previews beside the site) run
// with bash, as a runner would, against a bare `origin` in a temporary folder, with a stand-in
// `gh` that records what would be sent to GitHub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repo, runners } from './harness.mjs';

const workflow = (file) => YAML.parse(readFileSync(path.join(repo, '.github/workflows', file), 'utf8'));
const preview = workflow('preview.yml');
const pages = workflow('pages.yml');
const step = (job, name) => {
  const found = job.steps.find((s) => s.name === name);
  assert.ok(found, `no step «${name}»`);
  return found;
};
const folders = runners('deling-previews-');

/// An empty bare `origin`, a clone of it with one commit on main, a temporary folder and a `gh`
/// that logs.
function runner(name) {
  const { dir, origin, clone, temp, bin } = folders(name);
  mkdirSync(clone);
  execFileSync('git', ['init', '--quiet', '--bare', origin]);
  const git = (...args) => execFileSync('git', args, { cwd: clone, env: gitEnv, encoding: 'utf8' });
  git('init', '--quiet', '--initial-branch=main');
  git('remote', 'add', 'origin', origin);
  writeFileSync(path.join(clone, 'README.md'), 'Deling\n');
  git('add', 'README.md');
  git('commit', '--quiet', '-m', 'main');
  git('push', '--quiet', 'origin', 'main');
  writeFileSync(path.join(bin, 'gh'), `#!/usr/bin/env bash\necho "gh $*" >> "${path.join(dir, 'gh.log')}"\n`);
  chmodSync(path.join(bin, 'gh'), 0o755);
  return { dir, origin, clone, temp, git };
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'runner', GIT_AUTHOR_EMAIL: 'runner@example.org',
  GIT_COMMITTER_NAME: 'runner', GIT_COMMITTER_EMAIL: 'runner@example.org',
};

/// Runs one step as GitHub's runner does (`bash -e`), with the workflow's, the step's and `env`'s
/// environment (`github.…` expressions are the repository's main branch).
function run(r, wf, s, env = {}) {
  const script = s.run.replaceAll('${{ github.event.repository.default_branch }}', 'main');
  const result = spawnSync('bash', ['-e', '-c', script], {
    cwd: r.clone,
    encoding: 'utf8',
    env: {
      ...gitEnv, ...(wf.env || {}), ...(s.env || {}), ...env,
      PATH: `${path.join(r.dir, 'bin')}:${process.env.PATH}`,
      RUNNER_TEMP: r.temp,
      GH_TOKEN: 'x',
    },
  });
  assert.equal(result.status, 0, `${s.name}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/// A built site of `bytes` bytes in `dir`, with its front page naming `what`.
function site(dir, what, bytes = 0) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), `<!doctype html><title>${what}</title>`);
  if (bytes) writeFileSync(path.join(dir, 'stor.bin'), Buffer.alloc(bytes, 1));
}

/// A fresh runner's checkout of main and temporary folder, as each workflow run starts with.
function fresh(r) {
  for (const d of [r.clone, r.temp]) rmSync(d, { recursive: true, force: true });
  mkdirSync(r.temp);
  execFileSync('git', ['clone', '--quiet', '--branch', 'main', r.origin, r.clone]);
}

/// Puts pull request `number`'s preview on the branch, as preview.yml's build job does.
function putPreview(r, number, bytes = 0) {
  fresh(r);
  site(path.join(r.temp, 'site'), `pr-${number}`, bytes);
  run(r, preview, step(preview.jobs.build, 'Legg forhåndsvisningen på grenen og publiser'), { NUMBER: String(number) });
}

const branchCommits = (r) => Number(execFileSync('git', ['rev-list', '--count', 'forhandsvisninger'], { cwd: r.origin, encoding: 'utf8' }));
const branchFiles = (r) => execFileSync('git', ['ls-tree', '--name-only', 'forhandsvisninger'], { cwd: r.origin, encoding: 'utf8' }).split('\n').filter(Boolean);

test('the preview branch stays one commit however often previews are added, updated and removed', () => {
  const r = runner('one-commit');
  putPreview(r, 3);
  putPreview(r, 7);
  putPreview(r, 3);
  assert.deepEqual(branchFiles(r), ['pr-3', 'pr-7']);
  assert.equal(branchCommits(r), 1);
  // The pull request closes: the remove job.
  fresh(r);
  run(r, preview, step(preview.jobs.remove, 'Fjern forhåndsvisningen'), { NUMBER: '3' });
  assert.deepEqual(branchFiles(r), ['pr-7']);
  assert.equal(branchCommits(r), 1);
  const gh = readFileSync(path.join(r.dir, 'gh.log'), 'utf8');
  assert.equal(gh.match(/gh workflow run pages.yml --ref main/g).length, 4, 'Pages is published after every change');
});

test('previews that would take the published site over GitHub Pages\' limit are left out, newest first kept, each with a page saying why', () => {
  const r = runner('limit');
  putPreview(r, 3, 15000);
  putPreview(r, 7, 15000);
  putPreview(r, 12, 1000);
  fresh(r);
  site(path.join(r.clone, 'public'), 'Deling', 20000);
  const summary = path.join(r.temp, 'summary.md');
  // Room for the site and two of the previews: #12 and #7, the newest, fit; #3 does not (oldest
  // first, #3 would have taken #7's place).
  const result = run(r, pages, step(pages.jobs.build, 'Ta med forhåndsvisningene'), { LIMIT: '50000', GITHUB_STEP_SUMMARY: summary });
  const page = (n) => readFileSync(path.join(r.clone, 'public/forhandsvisning', `pr-${n}`, 'index.html'), 'utf8');
  assert.match(page(12), /<title>pr-12</);
  assert.match(page(7), /<title>pr-7</);
  assert.ok(!existsSync(path.join(r.clone, 'public/forhandsvisning/pr-3/stor.bin')));
  assert.match(page(3), /<html lang="nb">/);
  assert.match(page(3), /Forhåndsvisningen av #3 er ikke publisert/);
  assert.match(page(3), /større enn 1 GB/);
  assert.match(readFileSync(summary, 'utf8'), /#3 er ikke publisert/);
  assert.match(result.stdout, /::warning::Forhåndsvisningen av #3/);
  // With room for all, all are published.
  rmSync(path.join(r.clone, 'public/forhandsvisning'), { recursive: true });
  run(r, pages, step(pages.jobs.build, 'Ta med forhåndsvisningene'), { LIMIT: '1000000' });
  assert.match(page(3), /<title>pr-3</);
});

test('a site over the limit on its own is published with an error that says so, and no preview beside it', () => {
  const r = runner('site-too-large');
  putPreview(r, 5);
  fresh(r);
  site(path.join(r.clone, 'public'), 'Deling', 20000);
  const result = run(r, pages, step(pages.jobs.build, 'Ta med forhåndsvisningene'), { LIMIT: '10000' });
  assert.match(result.stdout, /::error::Nettstedet alene er/);
  assert.match(readFileSync(path.join(r.clone, 'public/forhandsvisning/pr-5/index.html'), 'utf8'), /ikke publisert/);
});

test('with no preview branch the site is published as it is', () => {
  const r = runner('none');
  site(path.join(r.clone, 'public'), 'Deling');
  run(r, pages, step(pages.jobs.build, 'Ta med forhåndsvisningene'));
  assert.ok(!existsSync(path.join(r.clone, 'public/forhandsvisning')));
});
