// "Check an installer": installers made by the real `cib` and by GNU tar and zip are given to the
// page, which must say what `cib inspect --json` says of them, in plain words; public_keys.zip
// names the keys; hostile and broken files get customizing's messages. Fingerprints are checked
// against node's own SHA-256.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, readFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveAndBrowse, openBuilder, tempDir, run, CIB, BASES, REPO, SITE, require } from './helpers.mjs';

const env = serveAndBrowse();
const RESERVED = readFileSync(join(REPO, 'src', 'reserved.publickey'), 'utf8').trim();
const AXE = require.resolve('axe-core/axe.min.js');

/** The fingerprint of a key's text `e n`, computed here: SHA-256, first 8 bytes, 4 hex groups. */
function fingerprint(key) {
  const hex = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return hex.match(/.{4}/g).join(' ');
}

/** A key's modulus size, computed here. */
const bits = (key) => `${BigInt(key.split(' ')[1]).toString(2).length} bits`;

/** What `cib inspect --json` says (its exit code does not matter here). */
function inspect(file) {
  try {
    return JSON.parse(run(CIB, ['inspect', file, '--json'], { encoding: 'utf8' }));
  } catch (e) {
    const out = /failed \(\d+\): ([\s\S]*)$/.exec(e.message)[1];
    return JSON.parse(out.slice(out.indexOf('{')));
  }
}

/** Why `cib inspect` refuses a file outright: its message after the file's name. */
function refusal(file) {
  assert.throws(() => run(CIB, ['inspect', file]), (e) => {
    refusal.last = e.message;
    return true;
  });
  const name = file.split('/').pop();
  const line = refusal.last.split('\n').find((l) => l.includes(`${name}: `));
  assert.ok(line, `cib inspect names ${name}: ${refusal.last}`);
  return line.slice(line.indexOf(`${name}: `) + name.length + 2).trim();
}

/** Gives the check section `paths` (installer and/or public_keys.zip), waits for the result. */
async function give(page, input, ...paths) {
  await page.locator(input).setInputFiles(paths);
  const installer = paths.find((p) => !p.endsWith('public_keys.zip'));
  if (installer) {
    const name = installer.split('/').pop();
    await page.locator('#cib-check-result h3').filter({ hasText: name }).waitFor();
    await page.locator('#cib-check-result').filter({ hasNotText: `Reading ${name}` }).waitFor();
  } else {
    await page.locator('#cib-check-keys-message').filter({ hasText: 'named keys' }).waitFor();
  }
  return pageSays(page);
}

async function pageSays(page) {
  return page.locator('#cib-check-result').evaluate((el) => ({
    text: el.innerText,
    vessels: [...el.querySelectorAll('fieldset.vessel')].map((v) => ({
      legend: v.querySelector('legend').textContent,
      keys: [...v.querySelectorAll('li.inspected-key')].map((li) => li.textContent),
    })),
  }));
}

/** The page says what the CLI says of `file`; `names` maps a key's text to a user's name. */
function sameAsCli(said, file, names = {}) {
  const json = inspect(file);
  const key = (role, k) => `${role}: ${names[k.key] ? `${names[k.key]} — ` : ''}${k.fingerprint}, ${k.bits ?? '?'} bits`;
  assert.deepEqual(said.vessels, json.vessels.map((v, i) => ({
    legend: `Vessel ${i + 1} (${v.percent ?? '?'}%)`,
    keys: [...(v.owner ? [key('Owner', v.owner)] : []), ...v.users.map((u) => key('User', u))],
  })), `${file}: the vessels`);
  if (!json.vesselinfo) {
    assert.match(said.text, /It has no seattle\/seattle_repy\/vesselinfo/);
  } else if (json.seattle_accepts) {
    assert.match(said.text, /Seattle's installer accepts its vesselinfo\./);
  } else {
    assert.match(said.text, /Seattle's installer refuses its vesselinfo:/);
    for (const p of json.problems) assert.ok(said.text.includes(p), `${file}: shows "${p}"`);
  }
  if (json.vessels.length) {
    assert.ok(said.text.includes(json.reserved_vessel ? 'The last vessel is the reserved one'
      : 'The last vessel is NOT the reserved one'), `${file}: the reserved vessel`);
  }
  for (const u of json.unusable_keys) {
    assert.ok(said.text.includes(`Line ${u.line}: ${u.fingerprint}: ${u.why}`), `${file}: unusable key`);
  }
  const m = json.metainfo;
  if (!m.present) {
    assert.match(said.text, /Metainfo: none/);
  } else {
    assert.match(said.text, m.holds ? /Metainfo: holds\./ : /Metainfo: does not hold:/);
    for (const p of m.problems) assert.ok(said.text.includes(p), `${file}: metainfo shows "${p}"`);
    if (m.signer) {
      assert.ok(said.text.includes(`Signer fingerprint: ${m.signer.fingerprint}, ${m.signer.bits} bits; signature ${m.signature_valid ? 'valid' : 'NOT valid'}.`), `${file}: signer`);
      assert.ok(said.text.includes(m.expires ? `Expires: ${m.expires}` : 'Expires: never.'), `${file}: expiry`);
    }
    for (const f of m.files.filter((f) => !f.matches)) {
      assert.ok(said.text.includes(`Does not match the installer's file: ${f.path}`), `${file}: ${f.path} differs`);
    }
  }
  return json;
}

/** A tar.gz by GNU tar of `seattle/seattle_repy/` with `vesselinfo`, the base's files if given. */
function tarball(dir, name, vesselinfo, { base, edit } = {}) {
  const tree = join(dir, `${name}.tree`);
  mkdirSync(join(tree, 'seattle', 'seattle_repy'), { recursive: true });
  if (base) run('tar', ['-xzf', base, '-C', tree]);
  writeFileSync(join(tree, 'seattle', 'seattle_repy', 'vesselinfo'), vesselinfo);
  edit?.(join(tree, 'seattle', 'seattle_repy'));
  const file = join(dir, `${name}.tgz`);
  run('tar', ['-czf', file, 'seattle'], { cwd: tree });
  return file;
}

function keygen(dir, name) {
  run(CIB, ['keygen', name, '--out', join(dir, 'keys')]);
  return readFileSync(join(dir, 'keys', `${name}.publickey`), 'utf8').trim();
}

test('cib installers of every platform: vessels, fingerprints, the reserved vessel, names', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const alice = keygen(dir, 'alice');
  writeFileSync(join(dir, 'build.json'), JSON.stringify({
    vessels: [{ percentage: 50, owner: 'alice', users: ['bob'] }, { percentage: 30, owner: 'bob' }],
    user_data: { alice: { public_key: alice }, bob: {} },
  }));
  const out = join(dir, 'out');
  run(CIB, ['build', join(dir, 'build.json'), '--base-installers', BASES, '--out', out]);
  const publicZip = join(out, 'public_keys.zip');
  const bob = run('unzip', ['-p', publicZip, 'public_keys/bob.publickey'], { encoding: 'utf8' }).trim();
  const { page, problems } = await openBuilder(env.browser, env.server.url);
  for (const name of ['seattle_linux.tgz', 'seattle_mac.tgz', 'seattle_win.zip', 'seattle_android.zip']) {
    const file = join(out, name);
    let said = await give(page, '#cib-check-file', file);
    const owner = (k, who = '') => `Owner: ${who}${fingerprint(k)}, ${bits(k)}`;
    const user = (k, who = '') => `User: ${who}${fingerprint(k)}, ${bits(k)}`;
    assert.deepEqual(said.vessels, [
      { legend: 'Vessel 1 (50%)', keys: [owner(alice), user(bob)] },
      { legend: 'Vessel 2 (30%)', keys: [owner(bob)] },
      { legend: 'Vessel 3 (20%)', keys: [owner(RESERVED)] },
    ], name);
    assert.match(said.text, /Seattle's installer accepts its vesselinfo\./, name);
    assert.match(said.text, /The last vessel is the reserved one/, name);
    sameAsCli(said, file);
    // With public_keys.zip dropped beside it, the keys are named.
    said = await give(page, '#cib-check-keys', publicZip);
    said = await pageSays(page);
    assert.deepEqual(said.vessels.map((v) => v.keys), [
      [owner(alice, 'alice — '), user(bob, 'bob — ')], [owner(bob, 'bob — ')], [owner(RESERVED)],
    ], `${name}: named`);
    sameAsCli(said, file, { [alice]: 'alice', [bob]: 'bob' });
    await page.reload();
    await page.getByRole('button', { name: 'Add user', exact: true }).waitFor();
  }
  // A builder's own user names the key too, without any zip.
  await page.getByLabel('Name', { exact: true }).fill('carol');
  await page.getByLabel('Public key', { exact: true }).fill(alice);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  const said = await give(page, '#cib-check-file', join(out, 'seattle_win.zip'));
  assert.equal(said.vessels[0].keys[0], `Owner: carol — ${fingerprint(alice)}, ${bits(alice)}`);
  assert.deepEqual(problems, []);
});

test('hand-written vesselinfo: comments and tabs, refused ones with every reason, odd accepted ones', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const alice = keygen(dir, 'alice');
  const [e, n] = alice.split(' ');
  const { page, problems } = await openBuilder(env.browser, env.server.url);
  const cases = [
    ['hand', `# made by hand\nPercent\t80\nComment the next line has a tab\nOwner\t${e}\t${n}\tignored words\nUser 3 3127\nPercent 20\nOwner ${RESERVED}\n`, true],
    ['odd', `Percent 080\nOwner ${e}L 000${n}l\nPercent\x0c20\nOwner\x0c${RESERVED}\x0c\n`, true],
    ['blank', 'Percent 100\n\nOwner 1 2', false],
    ['cr', 'Percent 100\rOwner 1 2\r', false],
    ['user-first', 'User 1 2\nPercent 100\nOwner 1 2', false],
    ['percent85', 'Percent 85\nOwner 1 2\nPercent 15\nOwner 1 2', false],
    ['total90', 'Percent 70\nOwner 1 2\nPercent 20\nOwner 1 2', false],
  ];
  for (const [name, vesselinfo, accepted] of cases) {
    const file = tarball(dir, name, vesselinfo);
    const said = await give(page, '#cib-check-file', file);
    const json = sameAsCli(said, file);
    assert.equal(json.seattle_accepts, accepted, name);
    if (!accepted) assert.ok(json.problems.length > 0, name);
  }
  // The reasons, in the page's words as in the CLI's.
  let said = await give(page, '#cib-check-file', tarball(dir, 'total90b', 'Percent 70\nOwner 1 2\nPercent 20\nOwner 1 2'));
  assert.match(said.text, /the vessels total 90%, not 100%/);
  said = await give(page, '#cib-check-file', tarball(dir, 'blank2', 'Percent 100\n\nOwner 1 2'));
  assert.match(said.text, /line 2: the line is blank/);
  said = await give(page, '#cib-check-file', tarball(dir, 'hand2', cases[0][1]));
  assert.match(said.text, /Line 5: .*the modulus has 12 bits; at least 512 are needed/);
  said = await give(page, '#cib-check-file', tarball(dir, 'odd2', cases[1][1]));
  assert.equal(said.vessels[0].keys[0], `Owner: ${fingerprint(alice)}, ${bits(alice)}`);
  assert.deepEqual(problems, []);
});

test('a tampered and an unsigned metainfo', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const alice = keygen(dir, 'alice');
  const vesselinfo = `Percent 80\nOwner ${alice}\nPercent 20\nOwner ${RESERVED}`;
  const base = join(BASES, 'seattle_linux.tgz');
  const { page, problems } = await openBuilder(env.browser, env.server.url);
  const tampered = tarball(dir, 'tampered', vesselinfo, {
    base, edit: (repy) => appendFileSync(join(repy, 'nmmain.py'), "\nprint('and something else')\n"),
  });
  let said = await give(page, '#cib-check-file', tampered);
  let json = sameAsCli(said, tampered);
  assert.equal(json.metainfo.holds, false);
  assert.match(said.text, /Metainfo: does not hold:/);
  assert.match(said.text, /nmmain\.py differs/);
  assert.match(said.text, /Does not match the installer's file: nmmain\.py/);
  assert.match(said.text, /signature valid\./);
  const unsigned = tarball(dir, 'unsigned', vesselinfo, {
    base, edit: (repy) => {
      const text = readFileSync(join(repy, 'metainfo'), 'utf8');
      writeFileSync(join(repy, 'metainfo'), text.split('\n!')[0]);
    },
  });
  said = await give(page, '#cib-check-file', unsigned);
  json = sameAsCli(said, unsigned);
  assert.equal(json.metainfo.signer, null);
  assert.match(said.text, /seattle\/seattle_repy\/metainfo cannot be read/);
  assert.doesNotMatch(said.text, /Signer fingerprint/);
  assert.deepEqual(problems, []);
});

test('a non-archive and hostile archives get customizing\'s messages', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const { page, problems } = await openBuilder(env.browser, env.server.url);
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'Percent 100\nOwner 1 2');
  // A path escaping the installer's folder, written by GNU tar itself.
  const tree = join(dir, 'evil.tree');
  mkdirSync(join(tree, 'seattle', 'seattle_repy'), { recursive: true });
  writeFileSync(join(tree, 'seattle', 'seattle_repy', 'vesselinfo'), 'Percent 100\nOwner 1 2');
  writeFileSync(join(tree, 'seattle', 'seattle_repy', 'evil'), 'x');
  const escaping = join(dir, 'escaping.tgz');
  run('tar', ['-czf', escaping, '--transform', 's,seattle_repy/evil,../../../evil,', 'seattle'], { cwd: tree });
  assert.match(run('tar', ['-tzf', escaping], { encoding: 'utf8' }), /\.\.\/\.\.\/\.\.\/evil/);
  // A zip cut short (its central directory gone).
  const truncated = join(dir, 'truncated.zip');
  const win = readFileSync(join(BASES, 'seattle_win.zip'));
  writeFileSync(truncated, win.subarray(0, Math.floor(win.length / 2)));
  // A zip by the zip tool with no Seattle folder.
  mkdirSync(join(dir, 'other', 'stuff'), { recursive: true });
  writeFileSync(join(dir, 'other', 'stuff', 'vesselinfo'), 'Percent 100\nOwner 1 2');
  const other = join(dir, 'other.zip');
  run('zip', ['-qr', other, 'other'], { cwd: dir });
  for (const file of [notes, escaping, truncated, other]) {
    const why = refusal(file);
    const said = await give(page, '#cib-check-file', file);
    assert.ok(said.text.includes('It cannot be used:'), `${file}: ${said.text}`);
    assert.ok(said.text.includes(why.slice(1).replace(/\.$/, '')), `${file}: page says ${said.text}; cib says ${why}`);
    // Customizing it in the saved builder's way would say the same: the core's message.
    assert.deepEqual(said.vessels, []);
  }
  assert.deepEqual(problems, []);
});

test('the check section: reachable from the header by keyboard, and axe-clean', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const alice = keygen(dir, 'alice');
  const file = tarball(dir, 'refused', `Percent 70\nOwner ${alice}\nUser 3 3127\nPercent 20\nOwner 1 2`, { base: join(BASES, 'seattle_linux.tgz') });
  const { page, problems } = await openBuilder(env.browser, env.server.url, { bypassCSP: true });
  // Keyboard only: Tab from the top reaches the header's link; Enter goes to the section.
  await page.locator('body').focus();
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.textContent === 'Check an installer');
  }
  assert.ok(reached, 'Tab reaches the "Check an installer" link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#cib-check');
  // The file input is reached by Tab too.
  let onInput = false;
  for (let i = 0; i < 200 && !onInput; i++) {
    await page.keyboard.press('Tab');
    onInput = await page.evaluate(() => document.activeElement?.id === 'cib-check-file');
  }
  assert.ok(onInput, 'Tab reaches the installer input');
  await page.locator('#cib-check-file').setInputFiles(file);
  await page.locator('#cib-check-result').filter({ hasText: 'Metainfo:' }).waitFor();
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document.getElementById('cib-check')))
    .violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
});

test('the saved page checks offline, from files dropped on the section', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  const alice = keygen(dir, 'alice');
  writeFileSync(join(dir, 'build.json'), JSON.stringify({
    vessels: [{ percentage: 80, owner: 'alice' }], user_data: { alice: { public_key: alice } },
  }));
  const out = join(dir, 'out');
  run(CIB, ['build', join(dir, 'build.json'), '--base-installers', BASES, '--out', out, '--platform', 'windows']);
  const context = await env.browser.newContext({ offline: true });
  await context.route(/^https?:/, (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);
  await page.goto(pathToFileURL(join(SITE, 'seattle-installer-builder.html')).href);
  await page.getByRole('link', { name: 'Check an installer', exact: true }).click();
  assert.equal(await page.evaluate(() => location.hash), '#cib-check');
  for (const name of ['public_keys.zip', 'seattle_win.zip']) {
    const bytes = [...readFileSync(join(out, name))];
    await page.evaluate(([name, bytes]) => {
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], name));
      for (const kind of ['dragover', 'drop']) {
        document.getElementById('cib-check').dispatchEvent(new DragEvent(kind, { dataTransfer: files, bubbles: true, cancelable: true }));
      }
    }, [name, bytes]);
  }
  await page.locator('#cib-check-result').filter({ hasText: 'Metainfo:' }).waitFor();
  const said = await pageSays(page);
  assert.deepEqual(said.vessels.map((v) => v.keys), [
    [`Owner: alice — ${fingerprint(alice)}, ${bits(alice)}`], [`Owner: ${fingerprint(RESERVED)}, ${bits(RESERVED)}`],
  ]);
  sameAsCli(said, join(out, 'seattle_win.zip'), { [alice]: 'alice' });
  assert.deepEqual(problems, []);
  await context.close();
});
