// A whole build through the page, as a person does it: alice with a key file from `cib keygen`,
// bob with a generated key, vessels 50/30, Linux and Windows. Every download is then checked
// natively (GNU tar, gzip, unzip, `cib vesselinfo`, the demo installer's own vesselinfo reader),
// and every request the page made is checked for key material.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import {
  CIB, BASES, serveAndBrowse, openBuilder, tempDir, run, download,
  filesUnder, zipEntries, tarEntries, zipFile,
  VESSELINFO, extract,
} from './helpers.mjs';

const dir = tempDir();
const env = serveAndBrowse();
let opened;
let requests = [];
/** What (a) produced, for (d). */
const built = {};

after(async () => {
  await opened?.context.close().catch(() => {});
});



/** Parses Seattle key text into BigInts. */
const numbers = (text) => text.trim().split(/\s+/).map((n) => BigInt(n));
const gcd = (a, b) => { while (b) [a, b] = [b, a % b]; return a; };

test('(a) two users, vessels 50/30, Linux and Windows: the downloads are right, checked natively', { timeout: 240_000 }, async () => {
  // alice's key pair from the CLI; bob gets a generated one.
  const keys = join(dir, 'keys');
  run(CIB, ['keygen', 'alice', '--out', keys]);
  const alicePublic = readFileSync(join(keys, 'alice.publickey'), 'utf8').trim();
  built.alicePublic = alicePublic;

  opened = await openBuilder(env.browser, env.server.url);
  const { page } = opened;
  requests = opened.requests;

  await page.getByLabel('Public key file', { exact: true }).setInputFiles(join(keys, 'alice.publickey'));
  // The file fills the key field, and its stem the empty name field.
  const keyField = page.getByLabel('Public key', { exact: true });
  await page.waitForFunction(() => document.querySelector('#cib-key')?.value.length > 100);
  assert.equal((await keyField.inputValue()).trim(), alicePublic);
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'alice');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Remove alice', exact: true }).waitFor();
  assert.equal(await keyField.inputValue(), '', 'the form is cleared after an add');

  await page.getByLabel('Name', { exact: true }).fill('bob');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Remove bob', exact: true }).waitFor();
  assert.match(await page.locator('#cib-user-summary').textContent(), /2 users: 1 with their own key, 1 with a generated key/);

  // 80 → 40/40 → 50/30.
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  await page.getByRole('group', { name: 'Vessel 2 (40%)', exact: true }).waitFor();
  await page.getByRole('group', { name: 'Vessel 1 (40%)', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Add 10% to vessel 1', exact: true }).click();
  const v1 = page.getByRole('group', { name: 'Vessel 1 (50%)', exact: true });
  const v2 = page.getByRole('group', { name: 'Vessel 2 (30%)', exact: true });
  await v1.waitFor();
  await v2.waitFor();
  assert.equal(await page.getByRole('group', { name: /^Vessel \d+ \(\d+%\)$/ }).count(), 2);

  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('alice');
  await page.getByLabel('Owner of vessel 2', { exact: true }).selectOption('bob');
  await page.getByRole('group', { name: 'Users of vessel 1', exact: true })
    .getByRole('checkbox', { name: 'bob', exact: true }).check();

  for (const [label, on] of [['Linux', true], ['Mac', false], ['Windows', true], ['Android', false]]) {
    await page.getByRole('checkbox', { name: label, exact: true }).setChecked(on);
  }

  const build = page.getByRole('button', { name: 'Build installers', exact: true });
  assert.equal(await build.isEnabled(), true, 'the description is complete, so the build can start');
  await build.click();

  // The private keys come first; the installers are offered once they were downloaded.
  const downloads = join(dir, 'downloads');
  mkdirSync(downloads);
  const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), downloads);
  const publicZip = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), downloads);
  await page.getByRole('status').filter({ hasText: 'Done: 2 of 2 installers ready.' }).waitFor({ timeout: 120_000 });
  const linux = await download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz \(/ }), downloads);
  const windows = await download(page, page.getByRole('link', { name: /^Download seattle_win\.zip \(/ }), downloads);
  assert.equal(await page.getByRole('link', { name: /seattle_mac|seattle_android/ }).count(), 0, 'no installer for unchosen platforms');

  // The key zips: only bob's private key, both public keys, alice's exactly as uploaded.
  run('unzip', ['-tq', privateZip]);
  run('unzip', ['-tq', publicZip]);
  assert.deepEqual(zipEntries(privateZip).map((e) => e.name), ['private_keys/bob.privatekey']);
  assert.deepEqual(zipEntries(publicZip).map((e) => e.name).sort(), ['public_keys/alice.publickey', 'public_keys/bob.publickey']);
  assert.equal(zipFile(publicZip, 'public_keys/alice.publickey').trim(), alicePublic);
  const bobPublic = zipFile(publicZip, 'public_keys/bob.publickey').trim();
  const bobPrivate = zipFile(privateZip, 'private_keys/bob.privatekey').trim();
  built.bobPublic = bobPublic;
  built.bobPrivate = bobPrivate;

  // bob's private key belongs to his public key: p*q = n and d*e = 1 mod lcm(p-1, q-1).
  const [e, n] = numbers(bobPublic);
  const [d, p, q] = numbers(bobPrivate);
  assert.equal(e, 65537n);
  assert.equal(p * q, n, "bob's p*q is his public modulus");
  assert.ok(n.toString(2).length === 2048, `bob's modulus has 2048 bits (the default), not ${n.toString(2).length}`);
  const lcm = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  assert.equal((d * e) % lcm, 1n, "bob's d inverts e");

  // The vesselinfo the CLI writes for the same description.
  const buildJson = join(dir, 'build.json');
  writeFileSync(buildJson, JSON.stringify({
    vessels: [
      { percentage: 50, owner: 'alice', users: ['bob'] },
      { percentage: 30, owner: 'bob' },
    ],
    user_data: { alice: { public_key: alicePublic }, bob: { public_key: bobPublic } },
  }));
  const expected = run(CIB, ['vesselinfo', buildJson]);
  assert.match(expected.toString(), /^Percent 50\nOwner 65537 \d+\nUser 65537 \d+\nPercent 30\nOwner 65537 \d+\nPercent 20\nOwner \d+ \d+$/);

  const installers = [
    { file: linux, base: join(BASES, 'seattle_linux.tgz'), list: tarEntries, test: ['gzip', ['-t']] },
    { file: windows, base: join(BASES, 'seattle_win.zip'), list: zipEntries, test: ['unzip', ['-tq']] },
  ];
  for (const { file, base, list, test: [tool, args] } of installers) {
    const name = file.split('/').pop();
    run(tool, [...args, file]);
    if (tool === 'gzip') run('tar', ['-tzf', file]);
    const entries = list(file);
    const vesselinfos = entries.filter((x) => x.name === VESSELINFO);
    assert.equal(vesselinfos.length, 1, `${name} has exactly one ${VESSELINFO}`);
    assert.equal(vesselinfos[0].mode, '-rw-r--r--', `${name}: vesselinfo mode`);
    // Apart from vesselinfo, the entries are the base installer's, with the same modes.
    const strip = (xs) => xs.filter((x) => x.name !== VESSELINFO).map((x) => `${x.mode} ${x.name}`);
    assert.deepEqual(strip(entries), strip(list(base)), `${name}: the other entries are the base installer's`);

    const ours = extract(file, join(dir, 'x', name));
    const theirs = extract(base, join(dir, 'base', name));
    assert.deepEqual(readFileSync(join(ours, VESSELINFO)), expected, `${name}: vesselinfo equals cib vesselinfo`);
    const oursFiles = filesUnder(ours);
    assert.deepEqual(oursFiles.filter((f) => f !== VESSELINFO), filesUnder(theirs), `${name}: same files as the base`);
    for (const f of filesUnder(theirs)) {
      assert.ok(readFileSync(join(ours, f)).equals(readFileSync(join(theirs, f))), `${name}: ${f} equals the base's`);
    }
    const said = run('python3', ['seattle/seattle_repy/seattleinstaller.py'], { cwd: ours, encoding: 'utf8' });
    assert.match(said, /vesselinfo accepted/, `${name}: the installer accepts its vesselinfo`);
    assert.match(said, /vessel 1: 50%.*1 user\(s\)\nvessel 2: 30%.*0 user\(s\)\nvessel 3: 20%/s);
  }
  built.done = true;
  assert.deepEqual(opened.problems, [], 'no script errors on the page');
});

test('(d) the page sent no key material and only GETs to its own origin during (a)', { timeout: 30_000 }, async () => {
  assert.ok(built.done, '(a) must have completed');
  assert.ok(requests.length >= 3, `requests were recorded (${requests.length})`);
  const modulus = (text) => numbers(text)[1].toString();
  const middle = (digits) => digits.slice(Math.floor(digits.length / 2) - 15, Math.floor(digits.length / 2) + 15);
  const secrets = {
    "alice's modulus": middle(modulus(built.alicePublic)),
    "bob's modulus": middle(modulus(built.bobPublic)),
    "bob's private exponent": middle(numbers(built.bobPrivate)[0].toString()),
    "bob's p": middle(numbers(built.bobPrivate)[1].toString()),
  };
  for (const s of Object.values(secrets)) assert.equal(s.length, 30);
  const seen = [];
  for (const r of requests) {
    const url = r.url();
    seen.push(`${r.method()} ${url}`);
    assert.equal(r.method(), 'GET', `${url} is a GET`);
    assert.equal(r.postDataBuffer(), null, `${url} has no body`);
    assert.equal(new URL(url).origin, env.server.origin, `${url} goes to the page's own origin`);
    const headers = JSON.stringify(await r.allHeaders());
    for (const [what, digits] of Object.entries(secrets)) {
      assert.ok(!url.includes(digits) && !headers.includes(digits), `${url} carries ${what}`);
    }
  }
  // The build fetched the manifest and the two chosen base installers, and nothing else of them.
  const paths = requests.map((r) => new URL(r.url()).pathname);
  for (const p of ['/', '/base_installers/manifest.json', '/base_installers/seattle_linux.tgz', '/base_installers/seattle_win.zip']) {
    assert.ok(paths.includes(p), `${p} was fetched: ${seen.join(', ')}`);
  }
  assert.ok(!paths.some((p) => /seattle_(mac|android)/.test(p)), 'unchosen base installers are not fetched');
  console.log(`${requests.length} requests, all GET to ${env.server.origin}:\n  ${[...new Set(seen)].join('\n  ')}`);
});

test('(d) ?keygen=worker: the rsa crate in the worker makes a matching pair, and no key leaves the page', { timeout: 120_000 }, async () => {
  const worker = await openBuilder(env.browser, `${env.server.url}?keygen=worker`);
  const { page } = worker;
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  try {
    await page.getByLabel('Name', { exact: true }).fill('frank');
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('frank');
    // Windows only: the zip is customized in the builder's kept worker, which drew the QR code.
    for (const [label, on] of [['Linux', false], ['Mac', false], ['Windows', true], ['Android', false]]) {
      await page.getByRole('checkbox', { name: label, exact: true }).setChecked(on);
    }
    await page.getByRole('button', { name: 'Build installers', exact: true }).click();
    const downloads = join(dir, 'worker');
    mkdirSync(downloads);
    const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), downloads);
    const publicZip = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), downloads);
    await page.getByRole('status').filter({ hasText: 'Done: 1 of 1 installers ready.' }).waitFor({ timeout: 60_000 });
    const windows = await download(page, page.getByRole('link', { name: /^Download seattle_win\.zip \(/ }), downloads);
    // One worker made the key; once every user has a key, the builder's kept worker draws the
    // share link's QR code, then writes the key zips and customizes the installer.
    assert.equal(workers.length, 2, `the key's worker and the QR code's: ${workers.join(', ')}`);
    const publicKey = zipFile(publicZip, 'public_keys/frank.publickey').trim();
    const privateKey = zipFile(privateZip, 'private_keys/frank.privatekey').trim();
    const [e, n] = numbers(publicKey);
    const [d, p, q] = numbers(privateKey);
    assert.equal(p * q, n);
    assert.equal(n.toString(2).length, 2048);
    assert.equal((d * e) % (((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n)), 1n);
    const x = extract(windows, join(downloads, 'x'));
    assert.equal(readFileSync(join(x, VESSELINFO), 'utf8').split('\n')[1], `Owner ${publicKey}`);

    const paths = worker.requests.map((r) => new URL(r.url()).pathname);
    assert.ok(paths.includes('/cib-worker_bg.wasm'), `the worker's module was loaded: ${paths.join(', ')}`);
    const digits = [n, d, p].map((v) => v.toString()).map((s) => s.slice(s.length / 2 - 15, s.length / 2 + 15));
    for (const r of worker.requests) {
      assert.equal(r.method(), 'GET', r.url());
      assert.equal(r.postDataBuffer(), null, r.url());
      assert.equal(new URL(r.url()).origin, env.server.origin, r.url());
      const headers = JSON.stringify(await r.allHeaders());
      for (const s of digits) assert.ok(!r.url().includes(s) && !headers.includes(s), `${r.url()} carries key digits`);
    }
    assert.deepEqual(worker.problems, []);
  } finally {
    await worker.context.close();
  }
});
