// The issue-form workflow, end to end, outside GitHub: the real steps of
// .github/workflows/issue-form.yml run with bash, as a runner would, in a clone whose `origin` is
// a bare repository in a temporary folder, with the real `deling` and a stand-in `gh` that
// records what would be sent to GitHub. Sample issue bodies are the import-issue fixtures.
// What cannot run here: GitHub's own events, permissions and the pull request's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repo, deling, runners } from './harness.mjs';

const workflow = YAML.parse(readFileSync(path.join(repo, '.github/workflows/issue-form.yml'), 'utf8'));
const steps = Object.fromEntries(workflow.jobs.import.steps.filter((s) => s.name).map((s) => [s.name, s]));
const fixture = (name) => readFileSync(path.join(repo, 'generator/tests/fixtures/issues', name), 'utf8');
const folders = runners('deling-issue-form-');

/// A fresh runner: a bare `origin` cloned from this repository's HEAD, a working clone of it
/// with the built `deling` where the workflow's build step puts it, and a `gh` that logs.
function runner(name) {
  const { dir, origin, clone, temp, bin } = folders(name);
  execFileSync('git', ['clone', '--quiet', '--bare', repo, origin]);
  execFileSync('git', ['clone', '--quiet', origin, clone]);
  mkdirSync(path.join(clone, 'target/release'), { recursive: true });
  symlinkSync(deling, path.join(clone, 'target/release/deling'));
  const log = path.join(dir, 'gh.log');
  // `gh pr view` fails until `gh pr create` has run, as on GitHub.
  writeFileSync(path.join(bin, 'gh'), `#!/usr/bin/env bash
echo "gh $*" >> "${log}"
case "$1 $2" in
  "issue view") echo "Erfaring: Digital sosialhjelp" ;;
  "pr view") [ -f "${dir}/pr-created" ] || exit 1; echo "https://github.com/ks-no/deling/pull/99" ;;
  "pr create") touch "${dir}/pr-created" ;;
  "issue comment") while [ $# -gt 0 ]; do [ "$1" = "--body-file" ] && cat "$2" >> "${dir}/comments.md"; shift; done ;;
esac
`);
  chmodSync(path.join(bin, 'gh'), 0o755);
  return { dir, origin, clone, temp, log };
}

/// Runs one step of the workflow as GitHub's runner does (`bash -e`), with the job's and the
/// step's environment; returns its outputs.
function run(r, stepName, event) {
  const step = steps[stepName];
  assert.ok(step, `no step «${stepName}» in issue-form.yml`);
  const output = path.join(r.temp, `output-${stepName.length}`);
  writeFileSync(output, '');
  const env = {
    ...process.env,
    PATH: `${path.join(r.dir, 'bin')}:${process.env.PATH}`,
    RUNNER_TEMP: r.temp,
    GITHUB_OUTPUT: output,
    GIT_AUTHOR_NAME: 'runner', GIT_AUTHOR_EMAIL: 'runner@example.org',
    GIT_COMMITTER_NAME: 'runner', GIT_COMMITTER_EMAIL: 'runner@example.org',
    ISSUE: String(event.number), AUTHOR: event.author, AUTHOR_ID: '12345', LABELS: event.labels, GH_TOKEN: 'x',
    BODY: event.body, CREATED: '2026-11-30T09:15:00Z',
  };
  const result = spawnSync('bash', ['-e', '-c', step.run], { cwd: r.clone, env, encoding: 'utf8' });
  assert.equal(result.status, 0, `${stepName}:\n${result.stdout}\n${result.stderr}`);
  return Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=')));
}

test('a filled-in form becomes a pull request whose record passes check, crediting the author', () => {
  const r = runner('clean');
  const event = { number: 7, author: 'kari-nordmann', labels: 'erfaring', body: fixture('erfaring.md') };
  const read = run(r, 'Les skjemaet', event);
  assert.equal(read.ok, 'true', readFileSync(path.join(r.temp, 'resultat.json'), 'utf8'));
  run(r, 'Åpne eller oppdater pull requesten', event);
  // The branch reached origin, with the record and the author as co-author.
  const message = execFileSync('git', ['--git-dir', r.origin, 'log', '-1', '--format=%B', 'skjema/sak-7'], { encoding: 'utf8' });
  assert.match(message, /Post fra skjema i sak #7/);
  assert.match(message, /Co-authored-by: kari-nordmann <12345\+kari-nordmann@users\.noreply\.github\.com>/);
  const files = execFileSync('git', ['--git-dir', r.origin, 'diff', '--name-only', 'HEAD', 'skjema/sak-7'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(files.length, 1, files.join(', '));
  assert.match(files[0], /^content\/.+\/erfaringer\/.+\.md$/);
  // The record on the branch passes check.
  const check = spawnSync(deling, ['check', '--root', r.clone], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  // A pull request was opened and the issue answered with its link, in Norwegian.
  const gh = readFileSync(r.log, 'utf8');
  assert.match(gh, /gh pr create --head skjema\/sak-7/);
  const comment = readFileSync(path.join(r.dir, 'comments.md'), 'utf8');
  assert.match(comment, /Posten er laget som en pull request: https:\/\/github\.com\/ks-no\/deling\/pull\/99/);
  // Editing the form runs again on a fresh checkout of main: the same branch is replaced,
  // no second pull request.
  execFileSync('git', ['-C', r.clone, 'switch', '--quiet', '--detach', 'origin/HEAD']);
  run(r, 'Les skjemaet', event);
  run(r, 'Åpne eller oppdater pull requesten', event);
  assert.equal(readFileSync(r.log, 'utf8').match(/gh pr create/g).length, 1);
});

test('a form with mistakes gets a Norwegian answer naming the form fields, and no pull request', () => {
  const r = runner('mistakes');
  const event = { number: 8, author: 'ola', labels: 'regelverkshindring', body: fixture('hindring-mange-feil.md') };
  const read = run(r, 'Les skjemaet', event);
  assert.equal(read.ok, 'false');
  run(r, 'Svar med det som må rettes', event);
  const comment = readFileSync(path.join(r.dir, 'comments.md'), 'utf8');
  assert.match(comment, /Før posten kan lages, må dette rettes i skjemaet/);
  const items = comment.split('\n').filter((l) => l.startsWith('- **'));
  assert.ok(items.length >= 2, comment);
  // Problems are named by the form's labels, not TOML keys.
  assert.ok(!/`(title|summary|service_areas|municipalities)`/.test(comment), comment);
  assert.ok(!existsSync(path.join(r.dir, 'pr-created')));
  const branches = execFileSync('git', ['--git-dir', r.origin, 'branch', '--list', 'skjema/*'], { encoding: 'utf8' });
  assert.equal(branches.trim(), '', 'nothing was pushed');
});

// Issue 15: files dragged into the form. `curl` is a stand-in that serves a PNG from the
// repository for any address (no network in tests) and logs what it was asked for.
test('pictures dragged into the form are downloaded into the record\'s folder on the pull request', () => {
  const r = runner('uploads');
  const png = path.join(repo, 'content/nettverk/digi-agder/erfaringer/digital-post-svarut-og-eformidling/brevflyt.png');
  writeFileSync(path.join(r.dir, 'bin', 'curl'), `#!/usr/bin/env bash
echo "curl $*" >> "${r.dir}/curl.log"
out=""; while [ $# -gt 1 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
cp "${png}" "$out"
`);
  chmodSync(path.join(r.dir, 'bin', 'curl'), 0o755);
  const image = 'https://github.com/user-attachments/assets/0b8e6c2a-1111-4c4c-9d9d-123456789abc';
  const body = fixture('erfaring.md').replace('### Modenhet',
    `### Bilder og dokumenter\n\n![Flytskjema for digital post fra kommunen](${image})\n\n![Bilde fra et annet nettsted](https://example.com/x.png)\n\n### Modenhet`);
  const event = { number: 9, author: 'kari-nordmann', labels: 'erfaring', body };
  const read = run(r, 'Les skjemaet', event);
  const result = readFileSync(path.join(r.temp, 'resultat.json'), 'utf8');
  // Only GitHub's own upload address was fetched, over https only.
  const fetched = readFileSync(path.join(r.dir, 'curl.log'), 'utf8').trim().split('\n');
  assert.equal(fetched.length, 1, fetched.join('\n'));
  assert.match(fetched[0], /--proto =https --proto-redir =https .*--max-filesize 10000000 .*user-attachments/);
  // The image from another site stays a problem in the form; nothing is written.
  assert.equal(read.ok, 'false', result);
  assert.match(result, /ligger på et annet nettsted/);
  // Without it, the record and its picture reach the branch.
  event.body = body.replace('![Bilde fra et annet nettsted](https://example.com/x.png)', '');
  assert.equal(run(r, 'Les skjemaet', event).ok, 'true', readFileSync(path.join(r.temp, 'resultat.json'), 'utf8'));
  run(r, 'Åpne eller oppdater pull requesten', event);
  const files = execFileSync('git', ['--git-dir', r.origin, 'diff', '--name-only', 'HEAD', 'skjema/sak-9'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(files.length, 2, files.join(', '));
  assert.ok(files.some((f) => /\/erfaringer\/[^/]+\/bilde-1\.png$/.test(f)), files.join(', '));
  const check = spawnSync(deling, ['check', '--root', r.clone], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

// Review of issue 15, finding 1: the download step took any github.com path whose characters
// fitted, so `assets/../../attacker/repo/raw/main/evil.png` passed and curl collapsed the `..`.
test('an upload address that climbs out of GitHub\'s upload paths is never downloaded', () => {
  const r = runner('climbing');
  writeFileSync(path.join(r.dir, 'bin', 'curl'), `#!/usr/bin/env bash
echo "curl $*" >> "${r.dir}/curl.log"
out=""; while [ $# -gt 1 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
printf 'x' > "$out"
`);
  chmodSync(path.join(r.dir, 'bin', 'curl'), 0o755);
  const uuid = '0b8e6c2a-1111-4c4c-9d9d-123456789abc';
  const addresses = [
    `https://github.com/user-attachments/assets/../../attacker/repo/raw/main/evil.png`,
    `https://github.com/user-attachments/files/19000001/../../../attacker/repo/raw/main/evil.pdf`,
    `https://github.com/user-attachments/files/19000001/./../evil.pdf`,
    `https://github.com/user-attachments/files/19000001/..`,
    `https://user-images.githubusercontent.com/../attacker/evil.png`,
    `https://github.com/user-attachments/assets/${uuid}`,
    `https://github.com/user-attachments/files/19000001/Rapport.2024.pdf`,
  ];
  const body = fixture('erfaring.md').replace('### Modenhet',
    `### Bilder og dokumenter\n\n${addresses.map((a) => `[fil.pdf](${a})`).join('\n\n')}\n\n### Modenhet`);
  run(r, 'Les skjemaet', { number: 10, author: 'ola', labels: 'erfaring', body });
  const fetched = readFileSync(path.join(r.dir, 'curl.log'), 'utf8').trim().split('\n').map((l) => l.split(' ').pop());
  assert.deepEqual(fetched.sort(), [
    `https://github.com/user-attachments/assets/${uuid}`,
    'https://github.com/user-attachments/files/19000001/Rapport.2024.pdf',
  ]);
  const log = readFileSync(path.join(r.dir, 'curl.log'), 'utf8');
  assert.match(log, /--path-as-is/);
  assert.doesNotMatch(log, /\.\.|attacker/);
});

// Review of issue 15, finding 6: GitHub often inserts a dropped picture as an HTML `<img>` tag.
test('a picture GitHub inserted as an <img> tag is downloaded and becomes a Markdown image in the record', () => {
  const r = runner('img-tag');
  const png = path.join(repo, 'content/nettverk/digi-agder/erfaringer/digital-post-svarut-og-eformidling/brevflyt.png');
  writeFileSync(path.join(r.dir, 'bin', 'curl'), `#!/usr/bin/env bash
out=""; while [ $# -gt 1 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
cp "${png}" "$out"
`);
  chmodSync(path.join(r.dir, 'bin', 'curl'), 0o755);
  const image = 'https://github.com/user-attachments/assets/0b8e6c2a-1111-4c4c-9d9d-123456789abc';
  const body = fixture('erfaring.md').replace('### Modenhet',
    `### Bilder og dokumenter\n\n<img width="1024" height="640" alt="Flytskjema for digital post fra kommunen" src="${image}" />\n\n### Modenhet`);
  const read = run(r, 'Les skjemaet', { number: 11, author: 'kari-nordmann', labels: 'erfaring', body });
  assert.equal(read.ok, 'true', readFileSync(path.join(r.temp, 'resultat.json'), 'utf8'));
  const added = execFileSync('git', ['-C', r.clone, 'status', '--porcelain', '-uall'], { encoding: 'utf8' })
    .split('\n').map((l) => l.slice(3)).filter(Boolean);
  const record = added.find((f) => f.endsWith('.md'));
  assert.ok(added.some((f) => f.endsWith('/bilde-1.png')), added.join(', '));
  const text = readFileSync(path.join(r.clone, record), 'utf8');
  assert.match(text, /!\[Flytskjema for digital post fra kommunen\]\(bilde-1\.png\)/);
  assert.doesNotMatch(text, /<img/);
});
