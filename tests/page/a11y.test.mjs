// Accessibility: axe-core in the same Chromium, on the page as it first appears, with a user,
// with messages showing, and with the downloads offered. Serious or critical violations fail;
// the others are printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveAndBrowse, openBuilder, axeCheck as check } from './helpers.mjs';

const env = serveAndBrowse();

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
