// The donor's page: a share link opened in a fresh browser says what installing donates, vessel
// by vessel, with each key's fingerprint and size; offers the visitor's platform first; makes a
// real installer (checked natively against `cib vesselinfo` and its base); shows its install
// steps; is axe-clean and works from the keyboard; and opens the builder in the link's state,
// whose step 5 shows the install steps too. The <seattle-installer> element shows them after a
// download, and not with instructions="off".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  CIB, BASES, serveAndBrowse, openPage, tempDir, run, filesUnder, require,
  VESSELINFO, checkInstaller,
} from './helpers.mjs';

const AXE = require.resolve('axe-core/axe.min.js');
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const dir = tempDir();
const env = serveAndBrowse();

/** The fingerprint, computed here on its own: sha256 of "e n", 8 bytes, 4 groups of 4 hex. */
const fingerprint = (key) => createHash('sha256').update(key).digest('hex').slice(0, 16).match(/.{4}/g).join(' ');
const bits = (key) => BigInt(key.split(' ')[1]).toString(2).length;

function keysAndBuild() {
  const keys = {};
  for (const name of ['alice', 'bob']) {
    run(CIB, ['keygen', name, '--out', join(dir, 'keys')]);
    keys[name] = readFileSync(join(dir, 'keys', `${name}.publickey`), 'utf8').trim();
  }
  const build = join(dir, 'build.json');
  writeFileSync(build, JSON.stringify({
    vessels: [{ percentage: 60, owner: 'alice', users: ['bob'] }, { percentage: 20, owner: 'bob', users: [] }],
    user_data: { alice: { public_key: keys.alice }, bob: { public_key: keys.bob } },
  }));
  return { keys, build };
}



async function axe(page, when) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], `axe, ${when}`);
}

test('a share link opens the donor page: what it donates, whose keys, a download with its steps, the builder a click away', { timeout: 240_000 }, async () => {
  const { keys, build } = keysAndBuild();
  const link = run(CIB, ['link', build, '--page', env.server.url, '--platform', 'linux', '--platform', 'windows']).toString().trim();
  const { context, page, problems } = await openPage(env.browser, link, { userAgent: WINDOWS, bypassCSP: true }, 'Download for Windows');
  const main = page.getByRole('button', { name: 'Download for Windows', exact: true });

  const summary = await page.locator('#cib-donor-summary').textContent();
  assert.match(summary, /^Installing Seattle with this installer donates a share of this computer/);
  assert.ok(summary.includes('60% of that share goes to experiments controlled by alice (owner) and bob (user); '
    + '20% of that share goes to experiments controlled by bob (owner); 20% is reserved for the Seattle project.'), summary);
  const users = await page.locator('#cib-donor-users li').allTextContents();
  assert.deepEqual(users, ['alice', 'bob'].map((n) => `${n}: key fingerprint ${fingerprint(keys[n])}, ${bits(keys[n])} bits`));

  // The visitor's platform first, then the link's others; nothing of the builder, no key made.
  const buttons = await page.locator('#cib-donor-downloads').getByRole('button').allTextContents();
  assert.deepEqual(buttons, ['Download for Windows', 'Download for Linux']);
  assert.equal(await page.getByRole('button', { name: 'Build installers' }).count(), 0);
  assert.equal(await page.getByText(/private key/i).count(), 0);
  await axe(page, 'donor page');

  // Keyboard only: Tab to the main button, Enter downloads.
  let tabs = 0;
  while (!(await main.evaluate((b) => b === document.activeElement)) && tabs++ < 10) await page.keyboard.press('Tab');
  assert.ok(tabs <= 10, 'the main button is reached with Tab');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'seattle_win.zip');
  const saved = join(dir, 'seattle_win.zip');
  await download.saveAs(saved);
  checkInstaller(saved, 'seattle_win.zip', run(CIB, ['vesselinfo', build]).toString());

  // Its install steps, under it; none for the platform not downloaded.
  const steps = page.locator('#cib-install-windows');
  await steps.waitFor();
  assert.match(await steps.textContent(), /Installing on Windows.*Python 2\.7.*install\.bat.*few minutes.*pythonw\.exe.*uninstall\.bat/s);
  assert.equal(await page.locator('#cib-install-linux').count(), 0);
  await axe(page, 'donor page after a download');

  // The builder, in the link's state.
  await page.getByRole('button', { name: 'Open in the builder', exact: true }).click();
  await page.getByRole('button', { name: 'Remove alice', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Remove bob', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Owner of vessel 1', { exact: true }).inputValue(), 'alice');
  assert.equal(await page.getByLabel('Owner of vessel 2', { exact: true }).inputValue(), 'bob');
  assert.ok(await page.getByRole('checkbox', { name: 'Windows', exact: true }).isChecked());
  assert.ok(!(await page.getByRole('checkbox', { name: 'Mac', exact: true }).isChecked()));
  assert.equal(await page.locator('#cib-donor-summary').count(), 0);

  // A reload keeps this tab in the builder; the same link in a new tab is the donor's page.
  const address = page.url();
  await page.reload();
  await page.getByRole('button', { name: 'Remove alice', exact: true }).waitFor();
  assert.equal(await page.locator('#cib-donor-summary').count(), 0);
  const other = await context.newPage();
  await other.goto(address);
  await other.locator('#cib-donor-summary').waitFor();
  await other.close();

  // Step 5 shows each ready installer's steps.
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Done: 2 of 2 installers ready.' }).waitFor({ timeout: 90_000 });
  assert.match(await page.locator('#cib-results #cib-install-linux').textContent(), /ps -ef \| grep nmmain\.py \| grep -v grep/);
  await page.locator('#cib-results #cib-install-windows').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the element shows the install steps after its download, and not with instructions="off"', { timeout: 180_000 }, async () => {
  const owner = readFileSync(join(dir, 'keys', 'alice.publickey'), 'utf8').trim();
  const url = `${env.server.url}element-steps.html`;
  const context = await env.browser.newContext({ acceptDownloads: true });
  await context.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Donate</title><script type="module" src="/embed.js"></script></head>
<body><main><h1>Donate</h1>
<seattle-installer id="on" owner-key="${owner}" platforms="linux"></seattle-installer>
<seattle-installer id="off" owner-key="${owner}" platforms="linux" instructions="off"></seattle-installer>
</main></body></html>` }));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(url);
  for (const id of ['on', 'off']) {
    const button = page.locator(`#${id}`).getByRole('button', { name: 'Download for Linux' });
    await button.waitFor({ timeout: 60_000 });
    assert.equal(await page.locator(`#${id} .install-steps`).count(), 0, `${id}: no steps before a download`);
    await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), button.click()]);
    await page.locator(`#${id}`).getByRole('link', { name: 'Save seattle_linux.tgz again' }).waitFor();
  }
  assert.match(await page.locator('#on #cib-install-linux').textContent(), /Installing on Linux.*tar -xzf seattle_linux\.tgz.*\.\/install\.sh.*nmmain\.py.*\.\/uninstall\.sh/s);
  assert.equal(await page.locator('#off .install-steps').count(), 0, 'instructions="off": the site gives its own');
  assert.deepEqual(problems, []);
  await context.close();
});
