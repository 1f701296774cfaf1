// The README's picture of the page, made from the real builder so it stays current: two users
// (alice and bob, their key pairs made when the installers are built), the 80% split into 50/30
// with an owner each, then a screenshot of the whole builder written to docs/builder.png.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { REPO, serveAndBrowse, openBuilder } from './helpers.mjs';

const env = serveAndBrowse();
let opened;

after(async () => {
  await opened?.context.close().catch(() => {});
});

const PNG = join(REPO, 'docs', 'builder.png');

test('docs/builder.png: the builder with two users and two vessels', { timeout: 120_000 }, async () => {
  opened = await openBuilder(env.browser, env.server.url, { viewport: { width: 1000, height: 800 } });
  const { page } = opened;

  for (const name of ['alice', 'bob']) {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    await page.getByRole('button', { name: `Remove ${name}`, exact: true }).waitFor();
  }
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  await page.getByRole('button', { name: 'Add 10% to vessel 1', exact: true }).click();
  await page.getByRole('group', { name: 'Vessel 1 (50%)', exact: true }).waitFor();
  await page.getByRole('group', { name: 'Vessel 2 (30%)', exact: true }).waitFor();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('alice');
  await page.getByLabel('Owner of vessel 2', { exact: true }).selectOption('bob');
  await page.getByRole('group', { name: 'Users of vessel 1', exact: true })
    .getByRole('checkbox', { name: 'bob', exact: true }).check();

  await page.screenshot({ path: PNG, fullPage: true, animations: 'disabled', caret: 'hide' });

  const png = readFileSync(PNG);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.equal(png.readUInt32BE(16), 1000, 'as wide as the viewport');
  assert.ok(png.readUInt32BE(20) >= 800, 'the whole page, at least the viewport high');
  assert.deepEqual(opened.problems, [], 'no script errors on the page');
});
