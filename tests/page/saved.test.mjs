// The builder saved as one file: downloaded through the hosted page's "Save for offline
// use" link, opened from file:// in a browser with the network off and every http(s) request
// refused. Two users (a pasted key, a generated one), the Linux and Windows base installers and
// the site's manifest.json chosen from disk; the installers and key zips are checked natively.
// Bad files get their messages; the file is the same bytes when made again from the same build.
// Before its module runs, and when it cannot start, the file speaks the visitor's language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CIB, BASES, SITE, REPO, require, serveAndBrowse, tempDir, run, download, zipEntries, zipFile, filesUnder,
} from './helpers.mjs';

const VESSELINFO = 'seattle/seattle_repy/vesselinfo';
const SAVED = 'seattle-installer-builder.html';
const dir = tempDir();
const env = serveAndBrowse();

/** The saved file, as a person gets it: through the hosted page's link. */
let saved;
async function savedFile() {
  if (saved) return saved;
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(env.server.url);
  const link = page.getByRole('link', { name: 'Save for offline use', exact: true });
  mkdirSync(join(dir, "saved"));
  saved = await download(page, link, join(dir, "saved"));
  await context.close();
  assert.equal(saved.split('/').pop(), SAVED);
  assert.ok(readFileSync(saved).equals(readFileSync(join(SITE, SAVED))), 'the link gives the built file');
  return saved;
}

/** The saved file opened from disk, offline: every request is recorded, any http(s) refused. */
async function openSaved() {
  const context = await env.browser.newContext({ acceptDownloads: true, offline: true });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route(/^https?:/, (route) => route.abort('internetdisconnected'));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.setDefaultTimeout(30_000);
  await page.goto(pathToFileURL(await savedFile()).href);
  await page.getByRole('button', { name: 'Add user', exact: true }).waitFor({ timeout: 60_000 });
  return { context, page, requests, problems };
}

function extract(path, into) {
  mkdirSync(into, { recursive: true });
  if (path.endsWith('.zip')) run('unzip', ['-q', path, '-d', into]);
  else run('tar', ['-xzf', path, '-C', into]);
  return into;
}

async function manifestFile() {
  const path = join(dir, 'manifest.json');
  writeFileSync(path, await (await fetch(`${env.server.url}base_installers/manifest.json`)).text());
  return path;
}

/** Drops the file at `path` on the element `id`, as a person dragging it from their files. */
async function drop(page, id, path) {
  const bytes = [...readFileSync(path)];
  await page.evaluate(([id, name, bytes]) => {
    const files = new DataTransfer();
    files.items.add(new File([new Uint8Array(bytes)], name));
    for (const kind of ['dragover', 'drop']) {
      document.getElementById(id).dispatchEvent(new DragEvent(kind, { dataTransfer: files, bubbles: true, cancelable: true }));
    }
  }, [id, path.split('/').pop(), bytes]);
}

const status = (page, name) => page.getByRole('listitem').filter({ hasText: name }).locator('.status');

test('the saved file builds Linux and Windows installers offline from base installers on disk', { timeout: 240_000 }, async () => {
  const keys = join(dir, 'keys');
  run(CIB, ['keygen', 'alice', '--out', keys]);
  const alicePublic = readFileSync(join(keys, 'alice.publickey'), 'utf8').trim();
  const { context, page, requests, problems } = await openSaved();

  await page.getByLabel('Name', { exact: true }).fill('alice');
  await page.getByLabel('Public key', { exact: true }).fill(alicePublic);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill('bob');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Remove bob', exact: true }).waitFor();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('bob');
  await page.getByRole('group', { name: 'Users of vessel 1', exact: true })
    .getByRole('checkbox', { name: 'alice', exact: true }).check();
  for (const label of ['Linux', 'Mac', 'Windows', 'Android']) {
    await page.getByRole('checkbox', { name: label, exact: true }).setChecked(false);
  }
  await page.getByRole('checkbox', { name: 'Windows', exact: true }).check();
  // Before any file is chosen, the build says what it needs.
  const problemsText = await page.locator('#cib-build-problems').textContent();
  assert.match(problemsText, /Choose the Windows base installer \(seattle_win\.zip\) under Base installers in step 3\./);

  const manifest = await manifestFile();
  await page.getByLabel('Base installers', { exact: true }).setInputFiles([
    join(BASES, 'seattle_linux.tgz'), join(BASES, 'seattle_win.zip'), manifest,
  ]);
  await status(page, 'seattle_linux.tgz').filter({ hasText: 'Ready for Linux.' }).waitFor({ timeout: 60_000 });
  await status(page, 'seattle_win.zip').filter({ hasText: 'Ready for Windows.' }).waitFor();
  // Each file is listed with its sha256, the one the manifest gives.
  const listed = JSON.parse(readFileSync(manifest, 'utf8')).installers;
  for (const [platform, file] of [['linux', 'seattle_linux.tgz'], ['windows', 'seattle_win.zip']]) {
    const text = await page.getByRole('listitem').filter({ hasText: file }).textContent();
    assert.ok(text.includes(`sha256 ${listed[platform].sha256}`), `${file} is listed with its sha256: ${text}`);
  }
  assert.match(await page.getByRole('listitem').filter({ hasText: 'manifest.json' }).textContent(),
    /manifest\.json: checks the base installers for Linux, Mac, Windows, Android\./);
  // A base installer chosen ticks its platform.
  assert.equal(await page.getByRole('checkbox', { name: 'Linux', exact: true }).isChecked(), true);

  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  const into = join(dir, 'built');
  mkdirSync(into);
  const privateZip = await download(page, page.getByRole('link', { name: 'Download private_keys.zip', exact: true }), into);
  const publicZip = await download(page, page.getByRole('link', { name: 'Download public_keys.zip', exact: true }), into);
  await page.getByRole('status').filter({ hasText: 'Done: 2 of 2 installers ready.' }).waitFor({ timeout: 120_000 });
  const linux = await download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz \(/ }), into);
  const windows = await download(page, page.getByRole('link', { name: /^Download seattle_win\.zip \(/ }), into);

  assert.deepEqual(zipEntries(privateZip).map((e) => e.name), ['private_keys/bob.privatekey']);
  assert.equal(zipFile(publicZip, 'public_keys/alice.publickey').trim(), alicePublic);
  const bobPublic = zipFile(publicZip, 'public_keys/bob.publickey').trim();
  const [, n] = bobPublic.split(/\s+/).map(BigInt);
  const [, p, q] = zipFile(privateZip, 'private_keys/bob.privatekey').trim().split(/\s+/).map(BigInt);
  assert.equal(p * q, n, "bob's private key is his public key's other half");

  const buildJson = join(dir, 'build.json');
  writeFileSync(buildJson, JSON.stringify({
    vessels: [{ percentage: 80, owner: 'bob', users: ['alice'] }],
    user_data: { alice: { public_key: alicePublic }, bob: { public_key: bobPublic } },
  }));
  const expected = run(CIB, ['vesselinfo', buildJson]);
  for (const [file, base] of [[linux, 'seattle_linux.tgz'], [windows, 'seattle_win.zip']]) {
    if (file.endsWith('.zip')) run('unzip', ['-tq', file]);
    else run('gzip', ['-t', file]);
    const ours = extract(file, join(dir, 'x', base));
    const theirs = extract(join(BASES, base), join(dir, 'base', base));
    assert.ok(readFileSync(join(ours, VESSELINFO)).equals(expected), `${base}: vesselinfo equals cib vesselinfo`);
    assert.deepEqual(filesUnder(ours).filter((f) => f !== VESSELINFO), filesUnder(theirs));
    for (const f of filesUnder(theirs)) {
      assert.ok(readFileSync(join(ours, f)).equals(readFileSync(join(theirs, f))), `${base}: ${f} equals the base's`);
    }
    const said = run('python3', ['seattle/seattle_repy/seattleinstaller.py'], { cwd: ours, encoding: 'utf8' });
    assert.match(said, /vesselinfo accepted/, `${base}: the installer accepts its vesselinfo`);
  }

  const schemes = new Set(requests.map((url) => new URL(url).protocol));
  for (const scheme of schemes) assert.ok(['file:', 'data:', 'blob:'].includes(scheme), `a ${scheme} request: ${requests.join(', ')}`);
  assert.ok(schemes.has('file:'), `the page itself was recorded: ${requests.join(', ')}`);
  assert.deepEqual(problems, [], 'no script errors');
  await context.close();
});

test('the saved file: bad files get messages, an unknown name asks for the platform, the manifest refuses a changed file', { timeout: 180_000 }, async () => {
  const { context, page, problems } = await openSaved();
  const files = join(dir, 'files');
  mkdirSync(files);
  writeFileSync(join(files, 'notes.txt'), 'not an installer\n');
  // A zip without Seattle's folder.
  writeFileSync(join(files, 'readme.txt'), 'hello\n');
  run('zip', ['-q', '-j', join(files, 'stranger.zip'), join(files, 'readme.txt')]);
  // The Mac base under a name that says nothing, and a Linux base that is not the site's.
  copyFileSync(join(BASES, 'seattle_mac.tgz'), join(files, 'base-copy.tgz'));
  mkdirSync(join(files, 'changed'));
  copyFileSync(join(BASES, 'seattle_win.zip'), join(files, 'changed', 'seattle_win.zip'));
  writeFileSync(join(files, 'extra.txt'), 'added\n');
  run('zip', ['-q', '-j', join(files, 'changed', 'seattle_win.zip'), join(files, 'extra.txt')]);
  writeFileSync(join(files, 'manifest.json'), '{"installers": 3}');

  const input = page.getByLabel('Base installers', { exact: true });
  await input.setInputFiles([join(files, 'notes.txt'), join(files, 'stranger.zip'), join(files, 'base-copy.tgz'), join(files, 'manifest.json')]);
  await status(page, 'notes.txt').filter({ hasText: /^It cannot be used: The base installer is neither a zip nor a gzip-compressed tar archive\.$/ }).waitFor({ timeout: 60_000 });
  await status(page, 'stranger.zip').filter({ hasText: /^It cannot be used: The base installer has no seattle\/seattle_repy\/ folder, so it is not a Seattle installer\.$/ }).waitFor();
  await page.getByRole('listitem').filter({ hasText: 'manifest.json cannot be used:' }).waitFor();
  await status(page, 'base-copy.tgz').filter({ hasText: 'Its name does not say which platform it is for: choose it.' }).waitFor();
  // Only the platforms a tar.gz can be for are offered.
  const choice = page.getByLabel('Platform of base-copy.tgz', { exact: true });
  assert.deepEqual(await choice.locator('option').allTextContents(), ['Choose…', 'Linux', 'Mac']);
  await choice.selectOption('mac');
  await status(page, 'base-copy.tgz').filter({ hasText: 'Ready for Mac.' }).waitFor();
  assert.equal(await page.getByRole('checkbox', { name: 'Mac', exact: true }).isChecked(), true);

  // The site's manifest replaces the bad one, and refuses a Windows base that is not the site's.
  await page.getByRole('button', { name: 'Remove manifest.json', exact: true }).click();
  await input.setInputFiles([join(files, 'changed', 'seattle_win.zip'), await manifestFile()]);
  await status(page, 'seattle_win.zip').filter({ hasText: /^It does not match manifest\.json \(sha256 [0-9a-f]{64}, expected [0-9a-f]{64}\); it will not be used\.$/ }).waitFor({ timeout: 60_000 });
  await status(page, 'base-copy.tgz').filter({ hasText: 'Ready for Mac.' }).waitFor();
  await page.getByRole('checkbox', { name: 'Windows', exact: true }).check();
  await page.getByLabel('Name', { exact: true }).fill('carol');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('carol');
  assert.match(await page.locator('#cib-build-problems').textContent(), /Choose the Windows base installer \(seattle_win\.zip\)/);
  assert.equal(await page.getByRole('button', { name: 'Build installers', exact: true }).isEnabled(), false);

  // A file dropped on the list is taken as a chosen one; a key file dropped on step 1 fills the key.
  await drop(page, 'cib-chosen', join(BASES, 'seattle_android.zip'));
  await status(page, 'seattle_android.zip').filter({ hasText: 'Ready for Android.' }).waitFor({ timeout: 60_000 });
  assert.equal(await page.getByRole('checkbox', { name: 'Android', exact: true }).isChecked(), true);
  run(CIB, ['keygen', 'erin', '--out', files]);
  await drop(page, 'cib-users', join(files, 'erin.publickey'));
  await page.waitForFunction(() => document.querySelector('#cib-key')?.value.length > 100);
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'erin');

  // axe-core, on the list with its messages, choices and buttons: no violation of any impact.
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], 'axe-core finds nothing');
  assert.deepEqual(problems, [], 'no script errors');
  await context.close();
});

test('before its module runs the saved file speaks the chosen language, and says why it could not start', { timeout: 60_000 }, async () => {
  const url = pathToFileURL(await savedFile()).href;
  const open = async (address, options, instantiate) => {
    const context = await env.browser.newContext({ offline: true, ...options });
    // The module's bytes are inside the file: it is held back (or fails) in the browser itself.
    await context.addInitScript(instantiate);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(address);
    return { context, page };
  };
  const held = await open(`${url}?lang=fr`, { locale: 'de-DE' }, () => {
    WebAssembly.instantiate = () => new Promise(() => {});
  });
  const loading = held.page.getByRole('status');
  await loading.filter({ hasText: 'Chargement du générateur… Il faut un navigateur avec JavaScript et WebAssembly.' }).waitFor();
  assert.equal(await held.page.evaluate(() => document.documentElement.lang), 'fr');
  assert.equal(await held.page.title(), 'Générateur d\'installateurs Seattle personnalisés (enregistré)');
  await held.context.close();

  const broken = await open(url, { locale: 'de-DE' }, () => {
    WebAssembly.instantiate = async () => { throw new WebAssembly.CompileError('a broken module'); };
  });
  await broken.page.locator('#cib-saved').getByRole('status')
    .filter({ hasText: /^Der Baukasten konnte nicht starten: a broken module$/ }).waitFor();
  assert.equal(await broken.page.evaluate(() => document.documentElement.lang), 'de');
  await broken.context.close();
});

test('the saved file is the same bytes when the post-build step runs again on the same build', () => {
  const copy = join(dir, 'rebuilt');
  mkdirSync(copy);
  // The build's files, the catalogs in i18n/ among them (the saved file carries them).
  for (const f of filesUnder(SITE)) {
    if (f === SAVED) continue;
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    copyFileSync(join(SITE, f), join(copy, f));
  }
  run('python3', [join(REPO, 'web', 'post_build.py')], { cwd: join(REPO, 'web'), env: { ...process.env, TRUNK_STAGING_DIR: copy } });
  assert.ok(readFileSync(join(copy, SAVED)).equals(readFileSync(join(SITE, SAVED))), 'byte-identical');
});
