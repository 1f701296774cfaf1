// The visitor's language, and the words said before the builder's module runs: the page's
// loading line and outline, the saved page's, the <seattle-installer> element's, and why the
// module could not start. The module cannot be asked before it exists, so this is its rule
// again (web/src/i18n.rs, `known` and `choose`); both are tested on the same cases,
// web/tests/language_choice.json. web/post_build.py puts this file, after a table of the words
// that file names taken from the catalogs (`const WORDS = {language: {id: pattern}}`), into
// index.html, the saved page and embed.js. Plain declarations only: it runs as a classic script
// in the pages and inside embed.js's module.

/** `text` with A-Z lower-cased and nothing else, as Rust's ASCII case rules compare. */
function asciiLower(text) {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * The page's language for a tag a person or a browser asked for (`i18n::known`): the same tag,
 * else one of the same language (`es-ES` is `es`, `pt` is `pt-BR`); undefined if none.
 */
function knownLanguage(tag, languages) {
  const wanted = String(tag).trim();
  const primary = (t) => asciiLower(t.split(/[-_]/)[0]);
  return languages.find((ours) => asciiLower(ours) === asciiLower(wanted))
    ?? languages.find((ours) => primary(ours) === primary(wanted));
}

/**
 * The language of a builder (`i18n::choose`): the first choice made for this page (`chosen`,
 * blanks skipped) even when unknown, which then means English; otherwise the first of the
 * browser's languages that the page speaks.
 */
function chooseLanguage(chosen, browser, languages) {
  const asked = chosen.find((tag) => typeof tag === 'string' && tag.trim() !== '');
  if (asked !== undefined) return knownLanguage(asked, languages) ?? 'en';
  for (const tag of browser) {
    const ours = knownLanguage(tag, languages);
    if (ours !== undefined) return ours;
  }
  return 'en';
}

/**
 * The language for an element that asks for `asked` (its `lang`, or null), as
 * `language::chosen` reads the page: `?lang=` in the address, the menu's choice remembered in
 * localStorage, then `navigator.languages`.
 */
function visitorLanguage(asked, languages) {
  let remembered = null;
  try {
    remembered = localStorage.getItem('cib-language');
  } catch {
    // Storage refused (a sandbox, a privacy setting): no choice is remembered.
  }
  const address = new URLSearchParams(location.search).get('lang');
  return chooseLanguage([asked, address, remembered], navigator.languages ?? [], languages);
}

/**
 * The message `id` of `words` in `lang`, its `{name}` placeholders filled from `args`: English
 * when the language lacks it, the id when even English does (never blank).
 */
function say(words, lang, id, args = {}) {
  const pattern = words[lang]?.[id] ?? words.en?.[id] ?? id;
  return pattern.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}

/**
 * The page in `lang` until the module takes over (`language::dress_page`, which leaves a page
 * already in its language as it is): `<html lang>` and every element marked `data-i18n`.
 */
function dressPage(words, lang) {
  const html = document.documentElement;
  if (html.lang === lang) return;
  html.lang = lang;
  for (const marked of document.querySelectorAll('[data-i18n]')) {
    marked.textContent = say(words, lang, marked.dataset.i18n);
  }
}
