// A foreign tar.gz in the page: a Linux base installer made by GNU tar and gzip (one gzip
// member, not laid out by cib) is customized in the worker's module by cutting its deflate
// stream, and the result is byte for byte what `cib customize` makes natively from the same
// base and vesselinfo.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import {
  CIB, BASES, serveAndBrowse, openBuilder, tempDir, run, download, copyDir,
} from './helpers.mjs';

const dir = tempDir();
const bases = copyDir(BASES, join(dir, 'bases'));
// Re-made by GNU tar and gzip -9: the same files, a foreign layout.
const tree = join(dir, 'tree');
mkdirSync(tree);
run('tar', ['-xzf', join(BASES, 'seattle_linux.tgz'), '-C', tree]);
// Text enough for gzip to write many deflate blocks, so there is something to keep.
writeFileSync(join(tree, 'seattle', 'seattle_repy', 'words.txt'),
  Array.from({ length: 60_000 }, (_, i) => `line ${i} ${(i * 7919) % 100_003}`).join('\n'));
writeFileSync(join(bases, 'seattle_linux.tgz'),
  run('bash', ['-c', `tar -cf - -C '${tree}' seattle | gzip -9 -n`]));
const env = serveAndBrowse({ bases });

test('a foreign tar.gz base is customized in the page as natively, byte for byte', { timeout: 180_000 }, async () => {
  run(CIB, ['keygen', 'dora', '--out', join(dir, 'keys')]);
  const key = readFileSync(join(dir, 'keys', 'dora.publickey'), 'utf8').trim();
  const { context, page, problems } = await openBuilder(env.browser, env.server.url);
  await page.getByLabel('Name', { exact: true }).fill('dora');
  await page.getByLabel('Public key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('dora');
  for (const label of ['Linux', 'Mac', 'Windows', 'Android']) {
    await page.getByRole('checkbox', { name: label, exact: true }).setChecked(label === 'Linux');
  }
  await page.getByRole('button', { name: 'Build installers', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Done: 1 of 1 installers ready.' }).waitFor({ timeout: 60_000 });
  const made = await download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz/ }), dir);

  const description = join(dir, 'build.json');
  writeFileSync(description, JSON.stringify({
    vessels: [{ percentage: 80, owner: 'dora' }], user_data: { dora: { public_key: key } },
  }));
  const native = join(dir, 'native.tgz');
  run(CIB, ['customize', description, join(bases, 'seattle_linux.tgz'), native]);
  assert.ok(readFileSync(made).equals(readFileSync(native)), 'the page made what cib customize makes');
  run('gzip', ['-t', made]);
  const listed = run('tar', ['-tzf', made], { encoding: 'utf8' });
  assert.ok(listed.includes('seattle/seattle_repy/vesselinfo'));
  // Most of the foreign base's compressed bytes were kept as they are.
  const base = readFileSync(join(bases, 'seattle_linux.tgz'));
  const out = readFileSync(made);
  let same = 0;
  while (same < base.length && base[same] === out[same]) same++;
  assert.ok(same > base.length * 0.5, `kept ${same} of ${base.length} bytes`);
  assert.deepEqual(problems, []);
  await context.close();
});
