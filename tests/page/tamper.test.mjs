// A base installer whose bytes are not the ones the manifest names is refused with a message and
// never offered; the other installers of the same build are made all the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import {
  BASES, serveAndBrowse, openBuilder, tempDir, copyDir, download, run,
} from './helpers.mjs';

const dir = tempDir();
const bases = copyDir(BASES, join(dir, 'base_installers'));
const env = serveAndBrowse({ bases });

/** The same bytes with one byte changed in the middle: same size, another sha256. */
function flipped(bytes) {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1] ^= 0xff;
  return copy;
}

/** One user with a generated key owning the one vessel; the given platforms chosen. */
async function describe(page, platforms) {
  await page.getByLabel('Name', { exact: true }).fill('dave');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('dave');
  for (const p of ['Linux', 'Mac', 'Windows', 'Android']) {
    await page.getByRole('checkbox', { name: p, exact: true }).setChecked(platforms.includes(p));
  }
}

const installerLink = (page, file) => page.getByRole('link', { name: new RegExp(`^Download ${file.replace('.', '\\.')} \\(`) });

test('(c) base installer changed on disk after the manifest was read: refused, the others made', { timeout: 120_000 }, async () => {
  const { page, context, problems } = await openBuilder(env.browser, env.server.url);
  const linuxPath = join(bases, 'seattle_linux.tgz');
  const original = readFileSync(linuxPath);
  // The page reads the manifest, then the host's file changes before the page fetches it. The
  // context's route sees the request whether the page or its service worker makes it.
  await context.route('**/base_installers/manifest.json', async (route) => {
    const response = await route.fetch();
    writeFileSync(linuxPath, flipped(original));
    await route.fulfill({ response });
  });
  try {
    await describe(page, ['Linux', 'Windows']);
    await page.getByRole('button', { name: 'Build installers', exact: true }).click();
    await page.getByRole('link', { name: 'Download private_keys.zip', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /^Done: 1 of 2 installers ready\.$/ }).waitFor({ timeout: 60_000 });
    const refusal = page.locator('#cib-failed-linux');
    assert.match(await refusal.textContent(),
      /^The Linux base installer does not match the manifest \(sha256 [0-9a-f]{64}, expected [0-9a-f]{64}\); it was not used\.$/);
    assert.equal(await refusal.getAttribute('role'), 'alert');
    assert.equal(await installerLink(page, 'seattle_linux.tgz').count(), 0, 'no Linux installer is offered');
    assert.equal(await page.getByRole('link', { name: /seattle_linux/ }).count(), 0);
    await installerLink(page, 'seattle_win.zip').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retry', exact: true }).count(), 1, 'the Linux installer can be tried again');
  } finally {
    writeFileSync(linuxPath, original);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('(c) base installer altered in transit: refused; once the bytes are right, Retry makes it', { timeout: 120_000 }, async () => {
  const { page, context, problems } = await openBuilder(env.browser, env.server.url);
  let altered = 0;
  const alter = async (route) => {
    const response = await route.fetch();
    altered += 1;
    await route.fulfill({ response, body: flipped(await response.body()) });
  };
  await page.route('**/base_installers/seattle_win.zip', alter);
  await describe(page, ['Windows']);
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  await page.getByRole('link', { name: 'Download private_keys.zip', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Done: 0 of 1 installers ready\.$/ }).waitFor({ timeout: 60_000 });
  assert.equal(altered, 1);
  assert.match(await page.locator('#cib-failed-windows').textContent(), /^The Windows base installer does not match the manifest/);
  assert.equal(await page.getByRole('link', { name: /seattle_win/ }).count(), 0, 'no Windows installer is offered');

  // The refused bytes were not kept: a retry fetches again, and the right bytes are used.
  await page.unroute('**/base_installers/seattle_win.zip', alter);
  await page.getByRole('button', { name: 'Retry', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Done: 1 of 1 installers ready\.$/ }).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#cib-failed-windows').count(), 0);
  const saved = await download(page, installerLink(page, 'seattle_win.zip'), (mkdirSync(join(dir, 'win'), { recursive: true }), join(dir, 'win')));
  run('unzip', ['-tq', saved]);
  assert.match(run('unzip', ['-p', saved, 'seattle/seattle_repy/vesselinfo'], { encoding: 'utf8' }), /^Percent 80\nOwner 65537 \d+\nPercent 20\nOwner /);
  assert.deepEqual(problems, []);
  await context.close();
});
