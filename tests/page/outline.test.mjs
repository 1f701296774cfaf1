// The builder's outline: before the page's module has compiled, the page already shows the
// five steps' headings (plain HTML, nothing to click), and the module then draws those same
// headings in their place.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveAndBrowse, axeCheck } from './helpers.mjs';

const env = serveAndBrowse();
const STEPS = ['#cib-users-heading', '#cib-vessels-heading', '#cib-platforms-heading', '#cib-build-heading', '#cib-results-heading'];

test('the steps show before the module compiles, with nothing to click, and the module draws the same headings and offers the language menu', { timeout: 120_000 }, async () => {
  // axe-core is injected as an inline script, which the host's policy refuses.
  const context = await env.browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    // The page's module never arrives: what shows is the HTML alone.
    let held = 0;
    await page.route(/\/cib-web-[0-9a-f]+_bg\.wasm$/, () => { held += 1; });
    await page.goto(env.server.url);
    await page.getByRole('heading', { name: '5. Keys and installers', exact: true }).waitFor();
    assert.ok(held >= 1, 'the module was asked for and held back');
    const outline = await page.locator('#cib h2').allTextContents();
    assert.deepEqual(outline, ['1. Users', '2. Vessels', '3. Platforms', '4. Build', '5. Keys and installers']);
    assert.equal(await page.locator('#cib [aria-busy="true"]').count(), 1);
    assert.match(await page.getByRole('status').first().textContent(), /^Loading the builder/);
    const controls = await page.locator('#cib').locator('button, input, select, textarea, a[href], [tabindex]').count();
    assert.equal(controls, 0, 'nothing in the outline can be clicked or focused');
    assert.equal(await page.getByLabel('Language', { exact: true }).isVisible(), false, 'no language menu that cannot work yet');
    await axeCheck(page, 'the outline before the module');

    // With its module, the builder draws the same headings where the outline was.
    const live = await context.newPage();
    await live.goto(env.server.url);
    await live.getByRole('button', { name: 'Add user', exact: true }).waitFor({ timeout: 60_000 });
    const drawn = [];
    for (const id of STEPS) drawn.push(await live.locator(id).textContent());
    assert.deepEqual(drawn, outline);
    assert.equal(await live.locator('#cib .outline').count(), 0, 'the outline is gone once the builder is drawn');
    // The module offers the language menu once it can act on it.
    const menu = live.getByLabel('Language', { exact: true });
    assert.ok(await menu.isVisible(), 'the language menu is offered');
    assert.equal(await menu.inputValue(), 'en');
    assert.ok((await menu.locator('option').count()) > 1, 'with the page\'s languages');
  } finally {
    await context.close();
  }
});

test('the first paint waits for no stylesheet: the page carries its style, which its policy allows', { timeout: 120_000 }, async () => {
  // The host's own policy, not bypassed: an inline style it did not name would be refused.
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    // No stylesheet and no module ever arrive.
    await page.route(/\.css$|\/cib-web-[0-9a-f]+_bg\.wasm$/, () => {});
    await page.goto(env.server.url, { waitUntil: 'commit' });
    await page.getByRole('heading', { name: '5. Keys and installers', exact: true }).waitFor();
    const rems = await page.locator('.page-header').evaluate((el) => parseFloat(getComputedStyle(el).maxWidth)
      / parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.equal(rems, 46, "the header is laid out by the page's style (max-width: 46rem)");
    // Painted, with the stylesheet's request still unanswered.
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length === 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
