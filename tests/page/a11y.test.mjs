// Accessibility: axe-core in the same Chromium, on the page as it first appears, with a user,
// with messages showing, and with the downloads offered. Serious or critical violations fail;
// the others are printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveAndBrowse, openBuilder, require } from './helpers.mjs';

const AXE = require.resolve('axe-core/axe.min.js');

const env = serveAndBrowse();

/** axe's violations on the page now; fails on serious or critical ones, prints the rest. */
async function check(page, when) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const { passed, violations } = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return { passed: result.passes.length, violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    })) };
  });
  assert.ok(passed >= 10, `axe ran its rules (${passed} passed)`);
  const text = (v) => `${v.impact} ${v.id} (${v.help}):\n     ${v.nodes.join('\n     ')}`;
  for (const v of violations.filter((v) => !['serious', 'critical'].includes(v.impact))) {
    console.log(`axe, ${when}: ${text(v)}`);
  }
  const bad = violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map(text), [], `axe, ${when}: serious or critical violations`);
  console.log(`axe, ${when}: ${passed} rules passed, ${violations.length} violated`);
}

test('(e) axe-core finds no serious or critical violation', { timeout: 120_000 }, async () => {
  // axe is injected as a script, which the host's Content-Security-Policy rightly blocks: this
  // context alone bypasses it.
  const { page, context, problems } = await openBuilder(env.browser, env.server.url, { bypassCSP: true });
  await check(page, 'initial page');

  await page.getByLabel('Name', { exact: true }).fill('erin');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Remove erin', exact: true }).waitFor();
  await check(page, 'after adding a user');

  await page.getByLabel('Name', { exact: true }).fill('x y');
  await page.getByLabel('Public key', { exact: true }).fill('hello');
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  await check(page, 'with messages for a bad name, a bad key and vessels without owner');

  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByLabel('Public key', { exact: true }).fill('');
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('erin');
  await page.getByLabel('Owner of vessel 2', { exact: true }).selectOption('erin');
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  await page.getByRole('link', { name: 'Download private_keys.zip', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Done: 1 of 1 installers ready\.$/ }).waitFor({ timeout: 60_000 });
  await check(page, 'with the downloads offered');
  assert.deepEqual(problems, []);
  await context.close();
});
