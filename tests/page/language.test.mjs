// The script that chooses the language before the page's module runs (web/language.js) keeps
// the module's rule: every case of web/tests/language_choice.json, which the module's own
// native test (web/src/i18n/tests.rs) also runs. And its words: a message is filled in, said in
// English when a language lacks it, and never blank. No browser: the script's functions, as
// post_build.py puts them into the pages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';
import { REPO } from './helpers.mjs';

const script = readFileSync(join(REPO, 'web', 'language.js'), 'utf8');
const context = vm.createContext({});
vm.runInContext(script, context);
const { chooseLanguage, say } = vm.runInContext('({ chooseLanguage, say })', context);
// The page's languages, as the table of its words lists them: one per catalog.
const LANGUAGES = readdirSync(join(REPO, 'web', 'i18n')).map((f) => f.replace(/\.json$/, '')).sort();

test('every shared case of the language rule chooses as the module does', () => {
  const cases = JSON.parse(readFileSync(join(REPO, 'web', 'tests', 'language_choice.json'), 'utf8'));
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    // Plain arrays of this realm, as the browser's own would be.
    const chosen = chooseLanguage([c.lang, c.address, c.remembered], [...c.browser], LANGUAGES);
    assert.equal(chosen, c.expected, c.why);
  }
});

test('a message is filled in its language, else in English, else shown as its id', () => {
  const words = {
    en: { 'ui-load-failed': 'The builder could not start: {problem}', 'ui-loading': 'Loading…' },
    de: { 'ui-load-failed': 'Der Baukasten konnte nicht starten: {problem}' },
  };
  assert.equal(say(words, 'de', 'ui-load-failed', { problem: 'no {problem} here' }),
    'Der Baukasten konnte nicht starten: no {problem} here');
  assert.equal(say(words, 'de', 'ui-loading'), 'Loading…');
  assert.equal(say(words, 'fr', 'ui-missing'), 'ui-missing');
  assert.equal(say(words, 'en', 'ui-load-failed'), 'The builder could not start: {problem}');
});
