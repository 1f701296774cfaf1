// The size of generated key pairs: chosen beside "Add user" and the quick installer (2048 bits
// unless the person picks another), remembered while the page is open, shown with each user's
// fingerprint; a build's private_keys.zip and installer carry keys of that size, checked with
// BigInt arithmetic here. A pasted key under 2048 bits is accepted with a note.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { CIB, serveAndBrowse, openBuilder, tempDir, run, download, zipFile } from './helpers.mjs';

const dir = tempDir();
const env = serveAndBrowse();
const openedBuilders = [];
after(async () => {
  for (const s of openedBuilders) await s.context.close().catch(() => {});
});

const VESSELINFO = 'seattle/seattle_repy/vesselinfo';
const numbers = (text) => text.trim().split(/\s+/).map((n) => BigInt(n));
const bitsOf = (n) => n.toString(2).length;

/** base^exponent mod modulus, by squaring. */
function modPow(base, exponent, modulus) {
  let result = 1n;
  base %= modulus;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

/** The core's fingerprint of a key's text: its SHA-256's first 8 bytes, in groups of 4 digits. */
function fingerprint(keyText) {
  const hex = createHash('sha256').update(keyText).digest('hex').slice(0, 16);
  return hex.match(/.{4}/g).join(' ');
}

async function open(query = '') {
  const opened = await openBuilder(env.browser, `${env.server.url}${query}`);
  openedBuilders.push(opened);
  return opened;
}

/** The generated pair of `name` in private_keys.zip / public_keys.zip: it belongs together. */
function checkPair(privateZip, publicZip, name, bits) {
  const publicKey = zipFile(publicZip, `public_keys/${name}.publickey`).trim();
  const [e, n] = numbers(publicKey);
  const [d, p, q] = numbers(zipFile(privateZip, `private_keys/${name}.privatekey`));
  assert.equal(e, 65537n);
  assert.equal(p * q, n, 'p·q = n');
  assert.equal(bitsOf(n), bits, `the modulus has ${bits} bits`);
  for (const m of [2n, 123456789n, n - 2n]) {
    assert.equal(modPow(modPow(m, e, n), d, n), m, 'm^e^d mod n = m');
  }
  return publicKey;
}

/** One keyless user owning the one vessel, Windows only, built at `bits`; the checked files. */
async function buildAt(page, name, bits, label) {
  assert.equal(await page.locator('#cib-key-bits').inputValue(), '2048', 'the default size');
  await page.locator('#cib-key-bits').selectOption(String(bits));
  assert.equal(await page.locator('#cib-quick-key-bits').inputValue(), String(bits), 'one choice, shown twice');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  const row = page.locator('ul.users li').filter({ hasText: name });
  await row.filter({ hasText: `key pair made when you build, ${bits} bits` }).waitFor();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption(name);
  for (const [platform, on] of [['Linux', false], ['Mac', false], ['Windows', true], ['Android', false]]) {
    await page.getByRole('checkbox', { name: platform, exact: true }).setChecked(on);
  }
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  const downloads = join(dir, label);
  mkdirSync(downloads);
  const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), downloads);
  const publicZip = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), downloads);
  await page.getByRole('status').filter({ hasText: 'Done: 1 of 1 installers ready.' }).waitFor({ timeout: 120_000 });
  const windows = await download(page, page.getByRole('link', { name: /^Download seattle_win\.zip \(/ }), downloads);
  const publicKey = checkPair(privateZip, publicZip, name, bits);
  const owner = zipFile(windows, VESSELINFO).split('\n')[1];
  assert.equal(owner, `Owner ${publicKey}`, 'the vesselinfo carries the generated public key');
  await row.filter({ hasText: `generated, ${bits} bits, fingerprint ${fingerprint(publicKey)}` }).waitFor();
}

test('a 4096-bit key by WebCrypto: private_keys.zip and the installer carry it', { timeout: 180_000 }, async () => {
  const { page, problems } = await open();
  await buildAt(page, 'gina', 4096, 'webcrypto');
  assert.deepEqual(problems, []);
});

test('a 3072-bit key in the worker (?keygen=worker): progress says it takes seconds, the page stays free', { timeout: 240_000 }, async () => {
  const { page, problems } = await open('?keygen=worker');
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  const stage = page.locator('#cib-stage');
  const watched = (async () => {
    await stage.filter({ hasText: /Generating 3072-bit key pairs: 0 of 1 done….*several seconds/ }).waitFor({ timeout: 60_000 });
    // While the worker generates, the main thread answers at once.
    const started = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(1))));
    return Date.now() - started;
  })();
  await buildAt(page, 'hugo', 3072, 'worker');
  const answered = await watched;
  assert.ok(answered < 1000, `the page answered in ${answered} ms while generating`);
  assert.ok(workers.length >= 1, 'a worker made the key');
  assert.deepEqual(problems, []);
});

test('the quick installer generates 2048 bits by default', { timeout: 180_000 }, async () => {
  const { page, problems } = await open();
  assert.equal(await page.locator('#cib-quick-key-bits').inputValue(), '2048');
  await page.getByRole('button', { name: 'Quick installer', exact: true }).click();
  const downloads = join(dir, 'quick');
  mkdirSync(downloads);
  const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), downloads);
  const publicZip = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), downloads);
  checkPair(privateZip, publicZip, 'user', 2048);
  assert.deepEqual(problems, []);
});

/** The kinds of event listener on the page's window, as DevTools lists them. */
async function windowListeners(page) {
  const cdp = await page.context().newCDPSession(page);
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
  await cdp.detach();
  return listeners.map((l) => l.type);
}

test('the page asks before it is left only while private keys made here are unsaved', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await open();
  // A builder with nothing to lose leaves at once: no listener for the browser to wait for.
  assert.ok(!(await windowListeners(page)).includes('beforeunload'), 'no beforeunload listener at first');
  await page.getByRole('button', { name: 'Quick installer', exact: true }).click();
  const privateKeys = page.getByRole('link', { name: 'Download private_keys.zip', exact: true });
  await privateKeys.waitFor({ timeout: 120_000 });
  assert.ok((await windowListeners(page)).includes('beforeunload'), 'a listener while the keys are unsaved');
  const asked = [];
  page.on('dialog', (dialog) => { asked.push(dialog.type()); dialog.dismiss(); });
  await page.close({ runBeforeUnload: true });
  await page.waitForTimeout(500);
  assert.deepEqual(asked, ['beforeunload'], 'leaving with unsaved keys is asked');
  assert.ok(!page.isClosed(), 'the person chose to stay');
  const downloads = join(dir, 'leaving');
  mkdirSync(downloads);
  await download(page, privateKeys, downloads);
  assert.ok(!(await windowListeners(page)).includes('beforeunload'), 'no listener once they are saved');
  const closed = new Promise((resolve) => page.once('close', resolve));
  await page.close({ runBeforeUnload: true });
  await closed;
  assert.deepEqual(asked, ['beforeunload'], 'leaving with the keys saved is not asked');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted 1024-bit key is accepted with a note that it is weak; a 2048-bit one without', { timeout: 60_000 }, async () => {
  const keys = join(dir, 'keys');
  run(CIB, ['keygen', 'weak', '--bits', '1024', '--out', keys]);
  run(CIB, ['keygen', 'strong', '--bits', '2048', '--out', keys]);
  const { page, problems } = await open();
  const message = page.locator('#cib-key-message');
  for (const [name, bits, weak] of [['weak', 1024, true], ['strong', 2048, false]]) {
    const key = readFileSync(join(keys, `${name}.publickey`), 'utf8').trim();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Public key', { exact: true }).fill(key);
    await message.filter({ hasText: `A valid public key (${bits}-bit modulus).` }).waitFor();
    assert.equal(/weak by current standards/.test(await message.textContent()), weak, `${name}: the note`);
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    const row = page.locator('ul.users li').filter({ hasText: name });
    const said = weak ? `own key, ${bits} bits (weak by current standards), ` : `own key, ${bits} bits, `;
    await row.filter({ hasText: `${said}fingerprint ${fingerprint(key)}` }).waitFor();
  }
  assert.deepEqual(problems, []);
});
