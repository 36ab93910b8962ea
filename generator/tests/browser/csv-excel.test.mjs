// The open data's CSV files opened as a Norwegian spreadsheet opens them: LibreOffice Calc,
// headless, with the settings of Norwegian Excel (`;` between cells, `"` around text, UTF-8,
// locale nb-NO), converted back to a comma-separated file and read again. æøå must survive, every
// row must have the header's columns, and a cell holding `;`, `"` and a line break must stay one
// cell. Needs `soffice` (Debian: libreoffice-calc-nogui, which .ci/run installs); skipped without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repo, deling } from './harness.mjs';

function has(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/// RFC 4180 CSV (comma, double quotes, line breaks inside quotes) as rows of cells.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

/// The test fixture's site, with a barrier whose «meldt av» holds `;`, quotes and a line break,
/// and which names Oslo (0301, whose leading zero a number column would lose).
function buildFixture() {
  const dir = mkdtempSync(path.join(tmpdir(), 'deling-csv-'));
  const root = path.join(dir, 'site');
  cpSync(path.join(repo, 'generator/tests/fixtures/minimal'), root, { recursive: true });
  cpSync(path.join(repo, 'themes'), path.join(root, 'themes'), { recursive: true });
  const barrier = path.join(root, 'content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md');
  const text = readFileSync(barrier, 'utf8');
  const edited = text
    .replace('reported_by = "Kommunalsjef, Bergen kommune"', 'reported_by = "Kommunalsjef; \\"Bergen\\"\\nkommune"')
    .replace('municipalities = ["4601"]', 'municipalities = ["0301", "4601"]');
  assert.notEqual(edited, text);
  writeFileSync(barrier, edited);
  const out = path.join(dir, 'public');
  execFileSync(deling, ['build', '--root', root, '--output', out], { stdio: 'ignore' });
  return { dir, data: path.join(out, 'data') };
}

test('the CSV files open in LibreOffice with Norwegian settings: æøå, columns and a cell with ; and a line break intact',
  { skip: !has('soffice') && 'soffice is not installed (apt-get install libreoffice-calc-nogui)' },
  () => {
    const { dir, data } = buildFixture();
    const converted = path.join(dir, 'converted');
    const files = ['erfaringer.csv', 'hindringer.csv', 'prosjekter.csv'];
    // 59 = `;`, 34 = `"`, 76 = UTF-8, 1 = start at line 1, 1044 = Norwegian Bokmål (nb-NO).
    execFileSync('soffice', [
      '--headless', `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile'))}`,
      '--infilter=CSV:59,34,76,1,,1044',
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1',
      '--outdir', converted,
      ...files.map((f) => path.join(data, f)),
    ], { stdio: 'ignore', timeout: 120_000 });
    const tables = {};
    for (const file of files) {
      const rows = parseCsv(readFileSync(path.join(converted, file), 'utf8'));
      assert.equal(rows[0][0], 'id', `${file}: the BOM is read as the encoding's mark, not as text`);
      assert.equal(rows.length, 2, `${file}: a header and one record`);
      for (const row of rows) assert.equal(row.length, rows[0].length, `${file}: ${JSON.stringify(row)}`);
      tables[file] = rows;
    }
    const cell = (file, column) => tables[file][1][tables[file][0].indexOf(column)];
    assert.equal(cell('erfaringer.csv', 'tittel'), 'Digital søknad om sosialhjelp');
    assert.equal(cell('erfaringer.csv', 'ingress'), 'Kristiansand tok i bruk digital søknad om økonomisk sosialhjelp.');
    assert.equal(cell('prosjekter.csv', 'status'), 'pågår');
    assert.equal(cell('hindringer.csv', 'meldt_av'), 'Kommunalsjef; "Bergen"\nkommune');
    assert.equal(cell('hindringer.csv', 'kommuner'), '0301 Oslo; 4601 Bergen');
    assert.match(cell('hindringer.csv', 'lovhenvisninger'), /^Forvaltningsloven § 13 /);
  });
