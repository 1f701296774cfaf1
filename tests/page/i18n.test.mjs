// The page in the reader's language: a Spanish browser gets Spanish (headings, buttons, a
// problem the core reports, the live region, the install steps, "Check an installer") through a
// whole build, axe-clean, and a Spanish donor's page; `lang="de"` on an element of an English
// page; `?lang=zh-CN` and the menu's choice survive a reload; an unknown language is English;
// the saved file speaks a language offline. Before the module runs (held back), the page's
// outline and header are already in the visitor's language, and a module that cannot load is
// said so in it.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileSync, readFileSync } from 'node:fs';
import { CIB, SITE, BASES, serveAndBrowse, tempDir, run, download, axeCheck, BYPASS_CSP } from './helpers.mjs';

const env = serveAndBrowse();
const contexts = [];
after(async () => { for (const c of contexts) await c.close().catch(() => {}); });

/**
 * A page at `path` of the host in a context with `options`; requests for `held.file` are
 * answered by `held.answer`, if given.
 */
async function visit(path, options = {}, held = undefined) {
  const context = await env.browser.newContext({ bypassCSP: BYPASS_CSP, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.setDefaultTimeout(30_000);
  if (held) await page.route(held.file, held.answer);
  await page.goto(new URL(path, env.server.url).href);
  return { context, page, problems };
}

/** A page at `path` of the host in a context with `options`, once `ready` (a button's name) shows. */
async function open(path, ready, options = {}) {
  const opened = await visit(path, { acceptDownloads: true, ...options });
  await opened.page.getByRole('button', { name: ready, exact: true }).waitFor({ timeout: 60_000 });
  return opened;
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const catalog = (lang) => JSON.parse(readFileSync(join(SITE, 'i18n', `${lang}.json`), 'utf8'));
const WASM = /\/cib-web-[0-9a-f]+_bg\.wasm$/;
const GLUE = /\/cib-web-[0-9a-f]+\.js$/;

/**
 * The page at `path`, in a context with `options`, its file `held` (the module's by default)
 * answered by `answer`: by default never, so the page stays as it is before its module runs.
 */
const withoutModule = (path, options = {}, answer = () => {}, held = WASM) => visit(path, options, { file: held, answer });

/** Every element the page marks `data-i18n` says its message of `words` (the HTML's own English wrapped in lines). */
async function saysEverything(page, words) {
  const marked = await page.locator('[data-i18n]').evaluateAll((all) => all.map((el) => [el.dataset.i18n, el.textContent]));
  assert.ok(marked.length >= 10, `${marked.length} marked elements`);
  for (const [id, text] of marked) assert.equal(text.replace(/\s+/g, ' '), words[id], id);
}

test('a Spanish browser gets the builder in Spanish, through a whole build, axe-clean', { timeout: 180_000 }, async () => {
  const { page, problems } = await open('/', 'Añadir usuario', { locale: 'es-ES', bypassCSP: true });
  assert.equal(await htmlLang(page), 'es');
  await page.getByRole('heading', { name: '1. Usuarios', exact: true }).waitFor();
  await page.getByRole('heading', { name: '4. Compilar', exact: true }).waitFor();
  assert.equal(await page.getByLabel('Idioma', { exact: true }).inputValue(), 'es');
  assert.equal(await page.title(), 'Generador de instaladores personalizados de Seattle');

  // A bad name: the core's problem, in Spanish, in the field's live message.
  await page.getByLabel('Nombre', { exact: true }).fill('x y');
  await page.getByRole('button', { name: 'Añadir usuario', exact: true }).click();
  assert.equal(await page.locator('#cib-name-message').textContent(),
    "El nombre de usuario \"x y\" contiene ' '; use solo letras, dígitos y _.");
  await page.getByLabel('Clave pública', { exact: true }).fill('hola');
  await page.waitForFunction(() => /^No es una clave pública utilizable: .+\.$/.test(document.querySelector('#cib-key-message')?.textContent));
  await axeCheck(page, 'Spanish, with problems showing');
  await page.getByLabel('Clave pública', { exact: true }).fill('');

  await page.getByLabel('Nombre', { exact: true }).fill('ana');
  await page.getByRole('button', { name: 'Añadir usuario', exact: true }).click();
  await page.getByRole('button', { name: 'Quitar a ana', exact: true }).waitFor();
  assert.equal(await page.locator('#cib-user-summary').textContent(),
    '1 usuario: 0 con su propia clave, 1 con una clave generada.');
  await page.getByLabel('Propietario del vessel 1', { exact: true }).selectOption('ana');
  await page.getByRole('button', { name: 'Compilar instaladores', exact: true }).click();

  const dir = tempDir();
  const keys = await download(page, page.getByRole('link', { name: 'Descargar private_keys.zip', exact: true }), dir);
  run('unzip', ['-tq', keys]);
  await page.getByRole('status').filter({ hasText: /^Listo: 1 de 1 instaladores preparados\.$/ }).waitFor({ timeout: 120_000 });
  const installer = await download(page, page.getByRole('link', { name: /^Descargar seattle_\w+\.(tgz|zip) \(/ }), dir);
  const listing = installer.endsWith('.zip') ? run('unzip', ['-Z1', installer]) : run('tar', ['-tzf', installer]);
  assert.match(listing.toString(), /seattle\/seattle_repy\/vesselinfo/);
  // The live region said so, and the installer's install steps are under it.
  await page.waitForFunction(() => /^El instalador de (Linux|Mac|Windows) está listo\.$/
    .test(document.querySelector('#cib-announce')?.textContent));
  await page.getByRole('heading', { name: /^Instalación en (Linux|Mac|Windows)$/ }).waitFor();
  await page.getByText('Seattle necesita Python 2.7.', { exact: false }).first().waitFor();
  await page.getByRole('heading', { name: 'Comprobar un instalador', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Comprobar un instalador', exact: true }).waitFor();
  // What the worker finds in a checked installer is said in Spanish too: a vesselinfo that
  // Seattle refuses, and a file that is no installer at all.
  const tree = join(dir, 'tree');
  run('mkdir', ['-p', join(tree, 'seattle', 'seattle_repy')]);
  writeFileSync(join(tree, 'seattle', 'seattle_repy', 'vesselinfo'), 'Percent 100\n\nOwner 1 2');
  const blank = join(dir, 'blank.tgz');
  run('tar', ['-czf', blank, 'seattle'], { cwd: tree });
  await page.locator('#cib-check-file').setInputFiles(blank);
  await page.locator('#cib-check-result').getByText('línea 2: la línea está en blanco', { exact: true }).waitFor();
  // A metainfo that no longer holds: a listed file changed after signing.
  const tampered = join(dir, 'tampered');
  run('mkdir', ['-p', tampered]);
  run('tar', ['-xzf', join(BASES, 'seattle_linux.tgz'), '-C', tampered]);
  writeFileSync(join(tampered, 'seattle', 'seattle_repy', 'nmmain.py'), '# changed\n', { flag: 'a' });
  const changed = join(dir, 'changed.tgz');
  run('tar', ['-czf', changed, 'seattle'], { cwd: tampered });
  await page.locator('#cib-check-file').setInputFiles(changed);
  await page.locator('#cib-check-result').getByText(/^nmmain\.py es distinto: SHA-1 [0-9a-f]{40} y \d+ bytes en el instalador/).waitFor();
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'not an installer');
  await page.locator('#cib-check-file').setInputFiles(text);
  await page.locator('#cib-check-result').filter({ hasText: 'el instalador base no es ni un zip ni un archivo tar comprimido con gzip' }).waitFor();
  await axeCheck(page, 'Spanish, with the downloads offered');
  assert.deepEqual(problems, []);
});

test('a share link opens a Spanish donor page, whose install steps are Spanish too', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  run(CIB, ['keygen', 'alice', '--out', dir]);
  const key = readFileSync(join(dir, 'alice.publickey'), 'utf8').trim();
  const build = join(dir, 'build.json');
  writeFileSync(build, JSON.stringify({
    vessels: [{ percentage: 80, owner: 'alice', users: [] }], user_data: { alice: { public_key: key } },
  }));
  const link = run(CIB, ['link', build, '--page', env.server.url, '--platform', 'linux']).toString().trim();
  const context = await env.browser.newContext({ locale: 'es-ES', acceptDownloads: true, bypassCSP: BYPASS_CSP });
  contexts.push(context);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(link);
  await page.getByRole('heading', { name: 'Instale Seattle', exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(await htmlLang(page), 'es');
  const summary = await page.locator('#cib-donor-summary').textContent();
  assert.ok(summary.endsWith('Seattle. 80% de esa parte va a experimentos controlados por alice (propietario); '
    + 'el 20% está reservado para el proyecto Seattle.'), summary);
  await page.getByRole('button', { name: 'Abrir en el generador', exact: true }).waitFor();
  // The one-click builder's steps, drawn outside any builder, speak the page's language.
  const made = page.waitForEvent('download');
  await page.locator('#cib-make-linux').click();
  await made;
  await page.getByRole('heading', { name: 'Instalación en Linux', exact: true }).waitFor({ timeout: 60_000 });
  assert.deepEqual(problems, []);
});

test('?lang=zh-CN, and the menu\'s choice, survive a reload', { timeout: 120_000 }, async () => {
  const chinese = await open('/?lang=zh-CN', '添加用户');
  assert.equal(await htmlLang(chinese.page), 'zh-CN');
  await chinese.page.reload();
  await chinese.page.getByRole('button', { name: '添加用户', exact: true }).waitFor();
  await chinese.page.getByRole('heading', { name: '1. 用户', exact: true }).waitFor();
  assert.equal(await htmlLang(chinese.page), 'zh-CN');

  const { page, problems } = await open('/', 'Add user');
  assert.equal(await htmlLang(page), 'en');
  await page.getByLabel('Language', { exact: true }).selectOption('fr');
  await page.getByRole('button', { name: "Ajouter l'utilisateur", exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'fr');
  await page.reload();
  await page.getByRole('button', { name: "Ajouter l'utilisateur", exact: true }).waitFor();
  assert.equal(await page.getByLabel('Langue', { exact: true }).inputValue(), 'fr');
  await page.getByRole('heading', { name: '1. Utilisateurs', exact: true }).waitFor();
  assert.deepEqual([...chinese.problems, ...problems], []);
});

test('an unknown language is English', { timeout: 60_000 }, async () => {
  const { page, problems } = await open('/?lang=xx', 'Add user', { locale: 'de-DE' });
  assert.equal(await htmlLang(page), 'en');
  await page.getByRole('heading', { name: '1. Users', exact: true }).waitFor();
  assert.deepEqual(problems, []);
});

/** The public key of a fresh owner, as `cib keygen` writes it. */
function ownerKey() {
  const keys = tempDir();
  run(CIB, ['keygen', 'owner', '--out', keys]);
  return readFileSync(join(keys, 'owner.publickey'), 'utf8').trim();
}

/**
 * An English page of the host's origin holding `elements` (markup), in a fresh context, once
 * `prepare(page)` has run (init scripts, held routes).
 */
async function embedding(elements, prepare = async () => {}) {
  const context = await env.browser.newContext({ bypassCSP: BYPASS_CSP });
  contexts.push(context);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await prepare(page);
  await page.route('**/embedding.html', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site</title>
<script type="module" src="/embed.js"></script></head><body><main><h1>Donate</h1>
${elements}</main></body></html>`,
  }));
  await page.goto(new URL('/embedding.html', env.server.url).href);
  return { page, problems };
}

test('lang="de" on an element of an English page gives a German builder and a German one-click builder', { timeout: 60_000 }, async () => {
  // An English page of the host's origin, with the element in German.
  const { page, problems } = await embedding(`<seattle-installer lang="de"></seattle-installer>
<seattle-installer id="one" lang="de" owner-key="${ownerKey()}" platforms="linux"></seattle-installer>
<seattle-installer id="bad" lang="de" owner-key="65537 12" platforms="beos"></seattle-installer>`);
  const element = page.locator('seattle-installer:not([owner-key])');
  await element.getByRole('button', { name: 'Benutzer hinzufügen', exact: true }).waitFor({ timeout: 60_000 });
  await element.getByRole('heading', { name: '1. Benutzer', exact: true }).waitFor();
  assert.equal(await element.locator('.cib').getAttribute('lang'), 'de');
  assert.equal(await htmlLang(page), 'en', "the site's own language is left alone");

  // The one-click builder speaks German too, its problems included.
  const one = page.locator('#one');
  await one.getByRole('button', { name: 'Für Linux herunterladen', exact: true }).waitFor({ timeout: 60_000 });
  assert.equal(await one.locator('.cib').getAttribute('lang'), 'de');
  const bad = page.locator('#bad');
  await bad.getByText('Dieses Installationsprogramm kann nicht erstellt werden:', { exact: true }).waitFor();
  assert.match(await bad.getByRole('alert').textContent(), /platforms: „beos“ ist keine Plattform/);
  assert.deepEqual(problems, []);
});

test('the saved file speaks Portuguese offline, from the catalogs it carries', { timeout: 60_000 }, async () => {
  const context = await env.browser.newContext({ locale: 'pt-BR', offline: true });
  contexts.push(context);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(join(SITE, 'seattle-installer-builder.html')).href);
  await page.getByRole('button', { name: 'Adicionar usuário', exact: true }).waitFor({ timeout: 60_000 });
  await page.getByRole('heading', { name: '3. Plataformas', exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'pt-BR');
  assert.equal(await page.title(), 'Gerador de instaladores personalizados do Seattle (salvo)');
  assert.deepEqual(problems, []);
});

test('before its module runs, the page is in the visitor\'s language: ?lang=es under the host\'s policy, a Spanish browser axe-clean, ?lang=xx English', { timeout: 90_000 }, async () => {
  const spanish = catalog('es');
  const { page, problems } = await withoutModule('/?lang=es');
  await page.getByRole('heading', { name: '5. Claves e instaladores', exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'es');
  assert.equal(await page.getByRole('status').first().textContent(),
    'Cargando el generador… Necesita un navegador con JavaScript y WebAssembly.');
  assert.deepEqual(await page.locator('#cib h2').allTextContents(),
    ['1. Usuarios', '2. Vessels', '3. Plataformas', '4. Compilar', '5. Claves e instaladores']);
  assert.equal(await page.title(), 'Generador de instaladores personalizados de Seattle');
  await saysEverything(page, spanish);
  assert.equal(await page.locator('#cib [aria-busy="true"]').count(), 1);
  // No policy refused the page's script (a refusal is a console error).
  assert.deepEqual(problems, []);

  // A Spanish browser, and axe (injected inline, which the policy refuses).
  const browser = await withoutModule('/', { locale: 'es-ES', bypassCSP: true });
  await browser.page.getByRole('heading', { name: '1. Usuarios', exact: true }).waitFor();
  assert.equal(await htmlLang(browser.page), 'es');
  await saysEverything(browser.page, spanish);
  await axeCheck(browser.page, 'the Spanish outline before the module');

  // A language the page does not speak is English, whatever the browser's.
  const unknown = await withoutModule('/?lang=xx', { locale: 'de-DE' });
  await unknown.page.getByRole('heading', { name: '1. Users', exact: true }).waitFor();
  assert.equal(await htmlLang(unknown.page), 'en');
  assert.match(await unknown.page.getByRole('status').first().textContent(), /^Loading the builder… It needs a browser/);
  await saysEverything(unknown.page, catalog('en'));
  assert.deepEqual([...browser.problems, ...unknown.problems], []);
});

test('a module that cannot load is said in the visitor\'s language, with why: a missing, a broken and an unfetched file', { timeout: 90_000 }, async () => {
  const failure = async (page, pattern) => {
    const line = page.locator('#cib .loading');
    await line.filter({ hasText: pattern }).waitFor();
    // Nothing is on its way any more, and still nothing can be clicked.
    assert.equal(await page.locator('#cib [aria-busy="true"]').count(), 0);
    assert.equal(await page.locator('#cib').locator('button, input, select, textarea, a[href], [tabindex]').count(), 0);
    return line.textContent();
  };
  const missing = await withoutModule('/?lang=de', {}, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const said = await failure(missing.page, /^Der Baukasten konnte nicht starten: /);
  assert.match(said, /404.*cib-web-[0-9a-f]+_bg\.wasm/, said);
  assert.equal(await htmlLang(missing.page), 'de');
  await missing.page.getByRole('heading', { name: '1. Benutzer', exact: true }).waitFor();

  const broken = await withoutModule('/', { locale: 'es-ES' },
    (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: 'not a module' }));
  assert.match(await failure(broken.page, /^El generador no pudo iniciarse: \S/), /WebAssembly/);

  // The module's script itself: the browser gives no reason, so the page names the file.
  const glue = await withoutModule('/?lang=es', {}, (route) => route.abort(), GLUE);
  await failure(glue.page, /^El generador no pudo iniciarse: no se pudo cargar cib-web-[0-9a-f]+\.js$/);
});

/** Every text that `selector` showed on the page from its start, recorded as it changed. */
const recordTexts = (page, selector) => page.addInitScript((wanted) => {
  window.__shown = new Set();
  new MutationObserver(() => {
    for (const el of document.querySelectorAll(wanted)) window.__shown.add(el.textContent.trim());
  }).observe(document, { subtree: true, childList: true, characterData: true });
}, selector);

test('the builder is drawn in the visitor\'s language from its first frame, never English first: the page with a slow catalog, and the saved page', { timeout: 90_000 }, async () => {
  const context = await env.browser.newContext({ bypassCSP: BYPASS_CSP, locale: 'es-ES' });
  contexts.push(context);
  const page = await context.newPage();
  // What the module draws (its headings have ids; the outline's, translated before it, have none).
  await recordTexts(page, '#cib h2[id], #cib button');
  // The Spanish catalog arrives half a second late: until then the outline (already Spanish) stays.
  await page.route(/\/i18n\/es\.json$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await page.goto(env.server.url);
  await page.getByRole('button', { name: 'Añadir usuario', exact: true }).waitFor({ timeout: 60_000 });
  const shown = await page.evaluate(() => [...window.__shown]);
  assert.ok(shown.includes('1. Usuarios'), shown.join(' | '));
  for (const english of ['1. Users', '5. Keys and installers', 'Add user']) {
    assert.ok(!shown.includes(english), `"${english}" was shown: ${shown.join(' | ')}`);
  }

  const saved = await env.browser.newContext({ locale: 'pt-BR', offline: true });
  contexts.push(saved);
  const file = await saved.newPage();
  await recordTexts(file, '#cib-saved h2, #cib-saved button');
  await file.goto(pathToFileURL(join(SITE, 'seattle-installer-builder.html')).href);
  await file.getByRole('button', { name: 'Adicionar usuário', exact: true }).waitFor({ timeout: 60_000 });
  const drawn = await file.evaluate(() => [...window.__shown]);
  assert.ok(drawn.includes('Adicionar usuário'), drawn.join(' | '));
  assert.ok(!drawn.includes('Add user') && !drawn.includes('1. Users'), drawn.join(' | '));
});

test('an element with lang="de" is drawn in German from its first frame, its catalog slow: the builder and the one-click builder', { timeout: 60_000 }, async () => {
  const elements = `<seattle-installer lang="de"></seattle-installer>
<seattle-installer id="one" lang="de" owner-key="${ownerKey()}" platforms="linux"></seattle-installer>`;
  const { page } = await embedding(elements, async (page) => {
    // Every frame, what each element's shadow root shows.
    await page.addInitScript(() => {
      window.__shown = new Set();
      const look = () => {
        for (const el of document.querySelectorAll('seattle-installer')) {
          for (const part of el.shadowRoot?.querySelectorAll('h2, button') ?? []) window.__shown.add(part.textContent.trim());
        }
        requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.route(/\/i18n\/de\.json$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
  });
  await page.locator('seattle-installer:not([owner-key])').getByRole('button', { name: 'Benutzer hinzufügen', exact: true }).waitFor({ timeout: 60_000 });
  await page.locator('#one').getByRole('button', { name: 'Für Linux herunterladen', exact: true }).waitFor({ timeout: 60_000 });
  const shown = await page.evaluate(() => [...window.__shown]);
  for (const english of ['1. Users', 'Add user', 'Download for Linux']) {
    assert.ok(!shown.includes(english), `"${english}" was shown: ${shown.join(' | ')}`);
  }
});

test('lang changed on an element: the builder keeps working until German arrives, then speaks it and keeps what was entered', { timeout: 60_000 }, async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { page, problems } = await embedding('<seattle-installer lang="en"></seattle-installer>', (page) =>
    page.route(/\/i18n\/de\.json$/, async (route) => { await held; await route.continue(); }));
  const element = page.locator('seattle-installer');
  const add = async (name, button) => {
    await element.getByLabel('Name', { exact: true }).fill(name);
    await element.getByRole('button', { name: button, exact: true }).click();
  };
  await add('alice', 'Add user');
  await page.evaluate(() => document.querySelector('seattle-installer').setAttribute('lang', 'de'));
  // German is on its way: the English builder still takes a user.
  await add('bob', 'Add user');
  await element.getByRole('button', { name: 'Remove bob', exact: true }).waitFor();
  release();
  await element.getByRole('heading', { name: '1. Benutzer', exact: true }).waitFor();
  for (const name of ['alice', 'bob']) {
    await element.getByRole('button', { name: `${name} entfernen`, exact: true }).waitFor();
  }
  assert.equal(await element.locator('.cib').getAttribute('lang'), 'de');
  assert.deepEqual(problems, []);
});
