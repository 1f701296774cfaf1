// What the page does with input it cannot use: each problem is said next to its field (in the
// field's accessible description), the build cannot start, and nothing the person entered is lost.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveAndBrowse, openBuilder, description } from './helpers.mjs';

const env = serveAndBrowse();

/** The percentages in the vessel legends, in order. */
async function percents(page) {
  const legends = await page.locator('#cib-vessel-list > fieldset > legend').allTextContents();
  return legends.map((l) => Number(l.match(/^Vessel \d+ \((\d+)%\)$/)[1]));
}

async function problems(page) {
  return (await page.locator('#cib-build-problems li').allTextContents()).join(' | ');
}

test('(b) a bad key file, a bad name, a vessel without owner: messages by the fields, no build, nothing lost', { timeout: 120_000 }, async () => {
  const { page, context, problems: errors } = await openBuilder(env.browser, env.server.url);
  const name = page.getByLabel('Name', { exact: true });
  const key = page.getByLabel('Public key', { exact: true });
  const build = page.getByRole('button', { name: 'Build installers', exact: true });
  const addUser = page.getByRole('button', { name: 'Add user', exact: true });
  const results = page.locator('#cib-result-list');
  const nothingBuilt = 'Your downloads appear here once you build.';

  assert.equal(await build.isDisabled(), true, 'nothing to build yet');
  assert.match(await problems(page), /Add at least one user/);

  // A name with a space.
  await name.fill('a b');
  await page.waitForFunction(() => document.querySelector('#cib-name-message')?.textContent.length > 0);
  assert.match(await description(name), /contains ' '.*letters, digits and _/);
  assert.equal(await name.getAttribute('aria-invalid'), 'true');

  // A key file that holds no key.
  await page.getByLabel('Public key file', { exact: true }).setInputFiles({
    name: 'hello.publickey', mimeType: 'text/plain', buffer: Buffer.from('hello\n'),
  });
  await page.waitForFunction(() => document.querySelector('#cib-key')?.value === 'hello');
  await page.waitForFunction(() => /not a usable public key/.test(document.querySelector('#cib-key-message')?.textContent));
  assert.match(await description(key), /This is not a usable public key/);
  assert.equal(await key.getAttribute('aria-invalid'), 'true');
  assert.equal(await name.inputValue(), 'a b', 'a chosen file does not replace a typed name');

  // Adding refuses, keeps both fields, and takes the person to the first thing to fix.
  await addUser.click();
  assert.equal(await page.locator('#cib-user-summary').textContent(), 'No users yet.');
  assert.equal(await name.inputValue(), 'a b');
  assert.equal(await key.inputValue(), 'hello');
  assert.match(await description(name), /contains ' '/);
  assert.match(await description(key), /not a usable public key/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'cib-name');
  assert.equal(await build.isDisabled(), true);
  await build.click({ force: true });
  assert.equal(await results.textContent(), nothingBuilt, 'a disabled build does nothing');

  // A good name, but the key is still bad: still refused, focus on the key.
  await name.fill('carol');
  await page.waitForFunction(() => document.querySelector('#cib-name-message')?.textContent === '');
  assert.equal(await name.getAttribute('aria-invalid'), 'false');
  await addUser.click();
  assert.equal(await page.locator('#cib-user-summary').textContent(), 'No users yet.');
  assert.equal(await key.inputValue(), 'hello');
  assert.equal(await name.inputValue(), 'carol');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'cib-key');

  // Without the key, carol gets a generated one.
  await key.fill('');
  await addUser.click();
  await page.getByRole('button', { name: 'Remove carol', exact: true }).waitFor();

  // Vessels keep a total of 80 in tens whatever is clicked; what would break it is disabled.
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  await page.getByRole('button', { name: 'Split vessel 2', exact: true }).click();
  assert.deepEqual(await percents(page), [40, 20, 20]);
  await page.getByRole('button', { name: 'Add 10% to vessel 3', exact: true }).click();
  assert.deepEqual(await percents(page), [40, 10, 30]);
  assert.equal(await page.getByRole('button', { name: 'Add 10% to vessel 3', exact: true }).isDisabled(), true,
    'vessel 2 cannot give less than 10%');
  assert.equal(await page.getByRole('button', { name: 'Remove 10% from vessel 2', exact: true }).isDisabled(), true);
  await page.getByRole('button', { name: 'Add 10% to vessel 3', exact: true }).click({ force: true });
  assert.deepEqual(await percents(page), [40, 10, 30], 'a forced click on a disabled button changes nothing');
  for (let i = 0; i < 8; i++) {
    const split = page.getByRole('button', { name: /^Split vessel \d+$/ }).and(page.locator(':enabled')).first();
    if (await split.count() === 0) break;
    await split.click();
  }
  assert.deepEqual(await percents(page), [10, 10, 10, 10, 10, 10, 10, 10], 'at most 8 vessels of 10%');
  assert.equal(await page.getByRole('button', { name: /^Split vessel \d+$/ }).and(page.locator(':enabled')).count(), 0);
  while (await page.getByRole('button', { name: 'Merge vessel 1 with vessel 2', exact: true }).count()) {
    await page.getByRole('button', { name: 'Merge vessel 1 with vessel 2', exact: true }).click();
  }
  assert.deepEqual(await percents(page), [80]);
  await page.getByRole('button', { name: 'Split vessel 1', exact: true }).click();
  assert.deepEqual(await percents(page), [40, 40]);

  // No owner: said by each owner field, in the build's problems, and the build stays off.
  const owner1 = page.getByLabel('Owner of vessel 1', { exact: true });
  const owner2 = page.getByLabel('Owner of vessel 2', { exact: true });
  assert.match(await description(owner1), /Choose an owner for vessel 1/);
  assert.match(await description(owner2), /Choose an owner for vessel 2/);
  assert.equal(await owner1.getAttribute('aria-invalid'), 'true');
  assert.match(await problems(page), /Vessel 1: has no owner.*Vessel 2: has no owner/);
  assert.equal(await build.isDisabled(), true);

  await owner1.selectOption('carol');
  assert.equal(await description(owner1), '');
  assert.match(await description(owner2), /Choose an owner for vessel 2/);
  assert.doesNotMatch(await problems(page), /Vessel 1/);
  assert.match(await problems(page), /Vessel 2: has no owner/);
  assert.equal(await build.isDisabled(), true);
  await build.click({ force: true });
  assert.equal(await results.textContent(), nothingBuilt);

  await owner2.selectOption('carol');
  assert.equal(await problems(page), '');
  assert.equal(await build.isEnabled(), true, 'complete: the build may start');

  // No platform is a problem too.
  const platforms = ['Linux', 'Mac', 'Windows', 'Android'];
  for (const p of platforms) await page.getByRole('checkbox', { name: p, exact: true }).setChecked(false);
  assert.match(await problems(page), /Choose at least one platform/);
  assert.equal(await build.isDisabled(), true);
  await page.getByRole('checkbox', { name: 'Linux', exact: true }).check();
  assert.equal(await build.isEnabled(), true);

  // Removing the owner says so by the vessels, and the build is off again; the rest stays.
  await page.getByRole('button', { name: 'Remove carol', exact: true }).click();
  assert.match(await description(owner1), /Owner carol was removed; choose another owner/);
  assert.match(await description(owner2), /Owner carol was removed/);
  assert.equal(await owner1.inputValue(), '');
  assert.deepEqual(await percents(page), [40, 40], 'the vessels are kept');
  assert.equal(await page.getByRole('checkbox', { name: 'Linux', exact: true }).isChecked(), true);
  assert.equal(await build.isDisabled(), true);

  assert.deepEqual(errors, [], 'no script errors on the page');
  await context.close();
});
