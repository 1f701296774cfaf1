// The fast lane and the share link, as people use them: one click to an installer and its keys;
// a build with a pasted key and a generated one, whose "Share link" opened in a fresh browser
// rebuilds byte-identical installers from the donor's page's "Open in the builder"; its QR code, read back from a screenshot, is the link; a
// damaged link gives a message and an empty builder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { CIB, serveAndBrowse, openBuilder, openPage, tempDir, run, download, zipFile } from './helpers.mjs';

const VESSELINFO = 'seattle/seattle_repy/vesselinfo';
const dir = tempDir();
const env = serveAndBrowse();
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const numbers = (text) => text.trim().split(/\s+/).map((n) => BigInt(n));

function vesselinfoOf(path) {
  const into = tempDir();
  if (path.endsWith('.zip')) run('unzip', ['-q', path, '-d', into]);
  else run('tar', ['-xzf', path, '-C', into]);
  return readFileSync(join(into, VESSELINFO), 'utf8');
}

/** Ticks exactly these platforms in step 3. */
async function platforms(page, chosen) {
  for (const label of ['Linux', 'Mac', 'Windows', 'Android']) {
    await page.getByRole('checkbox', { name: label, exact: true }).setChecked(chosen.includes(label));
  }
}

/** Builds, saves the key zips (private first) and the installers; their paths by file name. */
async function buildAndSave(page, into, count) {
  mkdirSync(into, { recursive: true });
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  const saved = {};
  await page.getByRole('status').filter({ hasText: `Done: ${count} of ${count} installers ready.` }).waitFor({ timeout: 60_000 });
  const privateLink = page.getByRole('link', { name: 'Download private_keys.zip', exact: true });
  if (await privateLink.count()) saved['private_keys.zip'] = await download(page, privateLink, into);
  saved['public_keys.zip'] = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), into);
  const links = page.getByRole('link', { name: /^Download seattle_/ });
  for (let i = 0; i < count; i++) {
    const path = await download(page, links.nth(i), into);
    saved[path.split('/').pop()] = path;
  }
  return saved;
}

test('fast lane: one click gives the keys and an installer of one 80% vessel owned by "user"', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await openBuilder(env.browser, env.server.url);
  await platforms(page, ['Linux']);
  await page.getByRole('button', { name: 'Quick installer', exact: true }).click();
  const into = join(dir, 'quick');
  mkdirSync(into);
  const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), into);
  await page.getByRole('status').filter({ hasText: 'Done: 1 of 1 installers ready.' }).waitFor({ timeout: 60_000 });
  const linux = await download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz/ }), into);
  const lines = vesselinfoOf(linux).split('\n');
  assert.equal(lines.length, 4);
  assert.equal(lines[0], 'Percent 80');
  assert.equal(lines[2], 'Percent 20');
  // The private key in private_keys.zip is the installer's owner key's other half.
  const [e, n] = numbers(lines[1].replace(/^Owner /, ''));
  const [d, p, q] = numbers(zipFile(privateZip, 'private_keys/user.privatekey'));
  assert.equal(p * q, n);
  const m = 0xC0FFEEn;
  const pow = (b, x, mod) => { let r = 1n; b %= mod; while (x) { if (x & 1n) r = (r * b) % mod; b = (b * b) % mod; x >>= 1n; } return r; };
  assert.equal(pow(pow(m, e, n), d, n), m, 'the pair encrypts and decrypts');
  // Only on an empty builder: now it says why it waits.
  assert.equal(await page.getByRole('button', { name: 'Quick installer', exact: true }).isDisabled(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('share link: it rebuilds byte-identical installers in a fresh browser; its QR code is the link; no private key in it', { timeout: 300_000 }, async () => {
  run(CIB, ['keygen', 'alice', '--out', join(dir, 'keys')]);
  const alice = readFileSync(join(dir, 'keys', 'alice.publickey'), 'utf8').trim();
  const first = await openBuilder(env.browser, env.server.url);
  const { page } = first;
  assert.equal(await page.getByLabel('Share link', { exact: true }).count(), 0, 'no link before the description is complete');
  await page.getByLabel('Name', { exact: true }).fill('alice');
  await page.getByLabel('Public key', { exact: true }).fill(alice);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('bob');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('bob');
  await page.getByLabel('Owner of vessel 2', { exact: true }).selectOption('alice');
  await page.getByRole('group', { name: 'Users of vessel 2', exact: true }).getByRole('checkbox', { name: 'bob', exact: true }).check();
  await platforms(page, ['Linux', 'Windows']);
  const built = await buildAndSave(page, join(dir, 'first'), 2);

  const field = page.getByLabel('Share link', { exact: true });
  const link = await field.inputValue();
  assert.equal(link.split('#')[0], env.server.url, "nothing but the page's address before #");
  assert.ok(link.split('#')[1].length > 100);
  const privateKey = zipFile(built['private_keys.zip'], 'private_keys/bob.privatekey').trim();
  for (const part of privateKey.split(' ')) {
    const digits = part.slice(0, 40);
    assert.ok(!link.includes(digits), 'no private key digits in the link');
    assert.ok(!Buffer.from(link.split('#')[1], 'base64url').toString('latin1').includes(digits));
  }
  // The QR code, read back from the pixels on screen, is the link.
  const shot = PNG.sync.read(await page.locator('img#cib-share-qr').screenshot());
  const read = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
  assert.equal(read?.data, link);
  // Copy: the Clipboard API, or the text selected for the person.
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^(Copied\.|Selected)/ }).waitFor();
  assert.deepEqual(first.problems, []);
  await first.context.close();

  // A fresh browser context opens the link: the same builder, the same installers.
  const second = await openPage(env.browser, link, {}, 'Open in the builder');
  // A link opens the donor's page; the builder is one click away.
  await second.page.getByRole('button', { name: 'Open in the builder', exact: true }).click();
  await second.page.getByRole('button', { name: 'Remove bob', exact: true }).waitFor();
  const rebuilt = await buildAndSave(second.page, join(dir, 'second'), 2);
  assert.equal(rebuilt['private_keys.zip'], undefined, 'no key is generated again: bob has his public key');
  for (const file of ['seattle_linux.tgz', 'seattle_win.zip']) {
    assert.equal(sha256(rebuilt[file]), sha256(built[file]), `${file} is byte-identical`);
  }
  assert.equal(await second.page.getByLabel('Share link', { exact: true }).inputValue(), link);
  assert.deepEqual(second.problems, []);
  await second.context.close();
});

test('a damaged, truncated or future link: a clear message and an empty builder', { timeout: 120_000 }, async () => {
  // Cut short, not base64, damaged, and a format a newer cib would write.
  for (const fragment of ['AQ', 'hello-world', '%%%', '_wAAAAAAAA', 'AgAAAAAA']) {
    const { context, page, problems } = await openBuilder(env.browser, `${env.server.url}#${fragment}`);
    await page.getByRole('alert').filter({ hasText: /This share link cannot be used: / }).waitFor();
    assert.match(await page.locator('#cib-user-summary').textContent(), /No users yet/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
