// <seattle-installer> on a clearinghouse's page, as it will really be used: the embedding page is
// on another origin (a second loopback port) and sends exactly the Content-Security-Policy the
// docs/usage.md documents. Three elements: owner and user keys with two platforms, an owner key alone,
// and a bad key. Every download is checked natively against its base installer; the events, the
// messages, an owner-key changed after load, keyboard use and axe-core are checked too. Before
// the module runs, and when it cannot load, an element says so in its own language.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import {
  CIB, BASES, REPO, serveAndBrowse, tempDir, run, filesUnder, require,
  VESSELINFO, checkInstaller,
} from './helpers.mjs';

const AXE = require.resolve('axe-core/axe.min.js');
const RESERVED = readFileSync(join(REPO, 'src', 'reserved.publickey'), 'utf8').trim();

const dir = tempDir();
const env = serveAndBrowse();
const keys = {};
let site;

/** The policy docs/usage.md tells a clearinghouse to send, for a cib host at `cib`. */
const policy = (cib) => `default-src 'self'; script-src ${cib} 'wasm-unsafe-eval'; worker-src blob:; connect-src ${cib}`;

function embeddingPage(cib, owner, user, bad) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Download Seattle — a clearinghouse</title>
<script type="module" src="${cib}/embed.js"></script>
<link rel="stylesheet" href="/site.css">
</head><body><main><h1>Donate your computer</h1>
<h2>With the clearinghouse's key</h2>
<seattle-installer id="a" owner-key="${owner}" user-key="${user}" platforms="linux windows"></seattle-installer>
<h2>Owner only</h2>
<seattle-installer id="b" owner-key="${keys.b}"></seattle-installer>
<h2>Broken</h2>
<seattle-installer id="c" owner-key="${bad}"></seattle-installer>
<p><button id="site-button">The site's own button</button></p>
<h2>The whole builder</h2>
<seattle-installer id="d"></seattle-installer>
</main></body></html>`;
}

/** A page whose elements speak German (their `lang`) and the page's language (none). */
function germanElementPage(cib) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A clearinghouse</title>
<script type="module" src="${cib}/embed.js"></script>
</head><body><main><h1>Donate your computer</h1>
<seattle-installer id="de" lang="de"></seattle-installer>
<seattle-installer id="own" owner-key="${keys.b}"></seattle-installer>
</main></body></html>`;
}

before(async () => {
  for (const name of ['donor', 'acceptdonation', 'second', 'later']) {
    run(CIB, ['keygen', name, '--out', join(dir, 'keys')]);
    keys[name] = readFileSync(join(dir, 'keys', `${name}.publickey`), 'utf8').trim();
  }
  keys.b = keys.second;
  site = createServer((req, res) => {
    const cib = env.server.origin;
    // The site's own CSS tries to restyle every button; the element's must not change.
    if (req.url === '/site.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end('button { background: red !important; } seattle-installer#b { --seattle-installer-accent: #2e6b1f; }');
      return;
    }
    if (req.url === '/favicon.ico') { res.writeHead(204).end(); return; }
    const page = { '/': () => embeddingPage(cib, keys.donor, keys.acceptdonation, '65537 12'), '/de': () => germanElementPage(cib) }[req.url];
    if (!page) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': policy(cib) });
    res.end(page());
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${site.address().port}/`;
});
after(() => new Promise((resolve) => site?.close(resolve)));

/**
 * A page on the clearinghouse's origin (`path` of it), recording the elements' events from the
 * start; the module's file answered by `wasm` if given.
 */
async function openSite(options = {}, { path = '', wasm } = {}) {
  const context = await env.browser.newContext({ acceptDownloads: true, ...options });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  // An init script is the test's, not the page's: it runs outside the page's policy.
  await context.addInitScript(() => {
    window.events = [];
    for (const type of ['seattle-installer-ready', 'seattle-installer-error']) {
      document.addEventListener(type, (e) => window.events.push({ type, id: e.target.id, detail: e.detail }));
    }
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.setDefaultTimeout(60_000);
  if (wasm) await page.route(/\/cib-web-[0-9a-f]+_bg\.wasm$/, wasm);
  await page.goto(new URL(path, site.url).href);
  return { context, page, problems, requests };
}

const events = (page) => page.evaluate(() => window.events);

/** Waits for the ready event of `id` for `platform` and the download it started. */
async function build(page, id, platform, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  assert.equal(await download.failure(), null);
  const path = join(dir, `${id}-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  await page.waitForFunction(([i, p]) => window.events.some((e) => e.id === i && e.detail.platform === p), [id, platform]);
  const ready = (await events(page)).find((e) => e.id === id && e.detail.platform === platform);
  return { path, name: download.suggestedFilename(), ready };
}



const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** What has the focus: `element:text` inside an element's shadow root, else the page's id. */
const focused = (page) => page.evaluate(() => {
  const host = document.activeElement;
  const inner = host?.shadowRoot?.activeElement;
  return inner ? `${host.id}:${inner.textContent}` : host?.id || host?.tagName;
});
const buttons = (page, id) => page.locator(`#${id}`).getByRole('button');

test('three elements on another origin, under the documented policy: installers, events, messages', { timeout: 300_000 }, async () => {
  const { context, page, problems, requests } = await openSite();
  // The bad key: a message inside its element, an error event, no button.
  await page.waitForFunction(() => window.events.some((e) => e.id === 'c' && e.type === 'seattle-installer-error'));
  const error = (await events(page)).find((e) => e.id === 'c');
  assert.match(error.detail.message, /owner-key/);
  await page.locator('#c').getByRole('alert').filter({ hasText: /owner-key/ }).waitFor();
  assert.equal(await buttons(page, 'c').count(), 0);

  // a: two platforms, Linux first (the visitor's own), each button named by its platform.
  await buttons(page, 'a').first().waitFor();
  assert.deepEqual(await buttons(page, 'a').allTextContents(), ['Download for Linux', 'Download for Windows']);
  // b: every platform the host's manifest offers.
  await buttons(page, 'b').nth(3).waitFor();
  const offered = (await buttons(page, 'b').allTextContents()).join(' ');
  for (const name of ['Linux', 'Mac', 'Windows', 'Android']) assert.match(offered, new RegExp(name));

  const a = `Percent 80\nOwner ${keys.donor}\nUser ${keys.acceptdonation}\nPercent 20\nOwner ${RESERVED}`;
  for (const [label, platform, file] of [['Linux', 'linux', 'seattle_linux.tgz'], ['Windows', 'windows', 'seattle_win.zip']]) {
    const made = await build(page, 'a', platform, () => page.locator('#a').getByRole('button', { name: `Download for ${label}` }).click());
    assert.equal(made.name, file);
    checkInstaller(made.path, file, a);
    assert.deepEqual(made.ready.detail, { platform, file, size: statSync(made.path).size, sha256: sha256(made.path) });
    // Progress and the result are told politely, inside the element.
    assert.match(await page.locator('#a').locator('[aria-live=polite]').textContent(), new RegExp(`${label} installer is ready`));
  }

  const b = (owner) => `Percent 80\nOwner ${owner}\nPercent 20\nOwner ${RESERVED}`;
  const android = await build(page, 'b', 'android', () => page.locator('#b').getByRole('button', { name: /Android/ }).click());
  checkInstaller(android.path, 'seattle_android.zip', b(keys.second));

  // The clearinghouse sets another owner once the donor has logged in: the next build uses it.
  await page.evaluate((key) => document.getElementById('b').setAttribute('owner-key', key), keys.later);
  await page.waitForFunction(() => !window.events.some((e) => e.id === 'b' && e.detail.platform === 'mac'));
  const mac = await build(page, 'b', 'mac', () => page.locator('#b').getByRole('button', { name: /Mac/ }).click());
  checkInstaller(mac.path, 'seattle_mac.tgz', b(keys.later));

  // Without owner-key, the element is the whole builder: a user with a generated key, Linux.
  const d = page.locator('#d');
  await d.getByLabel('Name', { exact: true }).fill('carol');
  await d.getByRole('button', { name: 'Add user', exact: true }).click();
  await d.getByLabel('Owner of vessel 1', { exact: true }).selectOption('carol');
  await d.getByRole('button', { name: 'Build installers', exact: true }).click();
  await d.getByRole('link', { name: 'Download private_keys.zip', exact: true }).click();
  await d.getByRole('status').filter({ hasText: /^Done: 1 of 1 installers ready\.$/ }).waitFor();
  // The other elements kept their own state.
  assert.equal(await page.locator('#a').getByRole('button').count(), 2);

  // Nothing was asked of the embedding origin but its page; the element's files came from cib.
  const cib = env.server.origin;
  const other = requests.filter((u) => !u.startsWith(`${cib}/`) && !u.startsWith('blob:')
    && ![site.url, `${site.url}site.css`, `${site.url}favicon.ico`].includes(u));
  assert.deepEqual(other, []);
  assert.ok(requests.some((u) => u === `${cib}/cib-worker_bg.wasm`), 'the worker module was loaded from cib');
  assert.equal(requests.filter((u) => /cib-web-[0-9a-f]+_bg\.wasm$/.test(u)).length, 1, 'one copy of the page module');
  // No policy violation, no error reached the page.
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard only: every button of the element is reached with Tab and works with Enter; axe-core is clean', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await openSite({ bypassCSP: true });
  await buttons(page, 'b').nth(3).waitFor();
  // Tab from the top of the page until the focus is on a's Windows button.
  const reached = [];
  for (let i = 0; i < 20 && !reached.includes('a:Download for Windows'); i++) {
    await page.keyboard.press('Tab');
    reached.push(await focused(page));
  }
  assert.deepEqual(reached.slice(0, 2), ['a:Download for Linux', 'a:Download for Windows']);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'seattle_win.zip');
  // Then on through a's new link and b's four buttons to the site's own.
  const after = [];
  for (let i = 0; i < 10 && !after.includes('site-button'); i++) {
    await page.keyboard.press('Tab');
    after.push(await focused(page));
  }
  assert.deepEqual(after, ['a:Save seattle_win.zip again', 'b:Download for Linux', 'b:Download for Mac',
    'b:Download for Windows', 'b:Download for Android', 'site-button']);
  // The site's CSS did not reach inside: the element's buttons keep their own colours.
  const background = await page.locator('#b').getByRole('button', { name: 'Download for Linux' })
    .evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(background, 'rgb(46, 107, 31)', 'the accent custom property applies, the red does not');

  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`));
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('before its module runs, an element speaks its lang, else the page\'s; one that cannot load says why, and its event says the same', { timeout: 120_000 }, async () => {
  // A French visitor: the element without lang follows the browser, lang="de" is German.
  const held = await openSite({ locale: 'fr-FR' }, { path: '/de', wasm: () => {} });
  const line = (page, id, role) => page.locator(`#${id}`).getByRole(role);
  await line(held.page, 'de', 'status').filter({ hasText: 'Der Baukasten für Installationsprogramme wird geladen…' }).waitFor();
  assert.equal(await line(held.page, 'de', 'status').getAttribute('lang'), 'de');
  await line(held.page, 'own', 'status').filter({ hasText: "Chargement du générateur d'installateurs…" }).waitFor();
  assert.equal(await line(held.page, 'own', 'status').getAttribute('lang'), 'fr');
  assert.equal(await held.page.evaluate(() => document.documentElement.lang), 'en', "the site's language is left alone");
  assert.deepEqual(held.problems, []);
  await held.context.close();

  // The module refused: each element says so in its language, with the reason, and so does its event.
  const refused = await openSite({ locale: 'fr-FR' }, { path: '/de', wasm: (route) => route.fulfill({ status: 404, body: 'gone' }) });
  await refused.page.waitForFunction(() => window.events.filter((e) => e.type === 'seattle-installer-error').length === 2);
  const said = Object.fromEntries((await events(refused.page)).map((e) => [e.id, e.detail.message]));
  assert.match(said.de, /^Der Baukasten für Installationsprogramme konnte nicht geladen werden: .*404/);
  assert.match(said.own, /^Le générateur d'installateurs n'a pas pu être chargé : .*404/);
  for (const [id, lang] of [['de', 'de'], ['own', 'fr']]) {
    assert.equal(await line(refused.page, id, 'alert').textContent(), said[id]);
    assert.equal(await line(refused.page, id, 'alert').getAttribute('lang'), lang);
    assert.equal(await buttons(refused.page, id).count(), 0);
  }
  await refused.context.close();
});
