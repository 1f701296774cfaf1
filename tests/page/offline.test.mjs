// The hosted page without a network: its service worker keeps the page's files, and the
// page keeps each base installer it verified. A first visit builds Linux; then the host stops
// and the browser goes offline; the reloaded page builds the same installer, byte for byte,
// from what was kept. A new build of the site (the post-build step run again on a changed page)
// is offered as an update, and taking it loads the new page.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CIB, SITE, REPO, startServer, launchBrowser, tempDir, cleanupTemps, copyDir, run, download,
} from './helpers.mjs';

const dir = tempDir();
const site = copyDir(SITE, join(dir, 'site'));
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
let server;
let browser;
after(async () => {
  await browser?.close();
  await server?.stop();
  cleanupTemps();
});

/** alice (a pasted key) owns the one vessel; Linux only; the installer saved under `into`. */
async function buildLinux(page, key, into) {
  await page.getByRole('button', { name: 'Add user', exact: true }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Name', { exact: true }).fill('alice');
  await page.getByLabel('Public key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('alice');
  for (const label of ['Linux', 'Mac', 'Windows', 'Android']) {
    await page.getByRole('checkbox', { name: label, exact: true }).setChecked(label === 'Linux');
  }
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Done: 1 of 1 installers ready.' }).waitFor({ timeout: 60_000 });
  mkdirSync(into, { recursive: true });
  return download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz \(/ }), into);
}

test('offline: the reloaded page builds the same installer; a new build of the site is offered and taken', { timeout: 300_000 }, async () => {
  const keys = join(dir, 'keys');
  run(CIB, ['keygen', 'alice', '--out', keys]);
  const key = readFileSync(join(keys, 'alice.publickey'), 'utf8').trim();
  server = await startServer({ site });
  const addr = new URL(server.url).host;
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.setDefaultTimeout(30_000);

  await page.goto(server.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  const online = await buildLinux(page, key, join(dir, 'online'));
  run('tar', ['-tzf', online]);

  // No network: the host is gone and the browser is offline.
  await server.stop();
  await context.setOffline(true);
  const servedBy = [];
  page.on('response', (r) => servedBy.push([r.url(), r.fromServiceWorker()]));
  await page.reload();
  const offline = await buildLinux(page, key, join(dir, 'offline'));
  assert.equal(sha256(offline), sha256(online), 'the installer built offline is byte-identical');
  const own = servedBy.filter(([url]) => url.startsWith(server.origin));
  assert.ok(own.some(([url]) => url === server.url), `the page was answered: ${own.map(([u]) => u).join(', ')}`);
  for (const [url, fromWorker] of own) assert.ok(fromWorker, `${url} came from the service worker`);
  assert.ok(own.some(([url]) => url.endsWith('/base_installers/manifest.json')), 'the kept manifest was used');

  // A new build of the site, on the same address: the page says so, and reloads into it.
  await context.setOffline(false);
  const index = join(site, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('</title>', ' (second build)</title>'));
  run('python3', [join(REPO, 'web', 'post_build.py')], { cwd: join(REPO, 'web'), env: { ...process.env, TRUNK_STAGING_DIR: site } });
  server = await startServer({ site, addr });
  const banner = page.getByRole('status').filter({ hasText: 'A new version of the builder is ready.' });
  assert.equal(await banner.isVisible(), false);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await banner.waitFor({ timeout: 60_000 });
  await Promise.all([
    page.waitForEvent('load', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Reload to update', exact: true }).click(),
  ]);
  await page.getByRole('button', { name: 'Add user', exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(await page.title(), 'Seattle custom installer builder (second build)', 'the new page is shown');
  assert.equal(await banner.isVisible(), false, 'no update is offered any more');
  assert.deepEqual(problems, []);
  await context.close();
});
