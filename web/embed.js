// <seattle-installer>: the builder as an element of another site's page.
//   <script type="module" src="https://CIB-HOST/embed.js"></script>
//   <seattle-installer owner-key="65537 123..." user-key="65537 456..."></seattle-installer>
// The element's logic is the builder's WebAssembly (SeattleInstaller in web/src/lib.rs); this
// file only defines the element, loads the module once for every element of the page, and
// forwards the element's life to it. Every file comes from where this script came from.
// The post-build step (web/post_build.py) fills in the hashed names of the build's files, and
// puts web/language.js, with the words this file names from every catalog, in place of the
// language placeholder below: what the element says before its module runs.
const here = new URL('.', import.meta.url);
const GLUE = new URL('__GLUE__', here);
const WASM = new URL('__WASM__', here);
const CSS = new URL('__CSS__', here);

__LANGUAGE__

let module;
const load = () => (module ??= (async () => {
  const bindings = await import(GLUE.href);
  await bindings.default({ module_or_path: WASM });
  return bindings;
})());

// One stylesheet for every element, adopted by each shadow root: the site's CSS cannot reach
// inside, and ours does not leak out. A constructed sheet needs no 'unsafe-inline' style.
let sheet;
const styles = () => (sheet ??= fetch(CSS)
  .then((r) => (r.ok ? r.text() : ''))
  .then((text) => { const s = new CSSStyleSheet(); s.replaceSync(text); return s; })
  .catch(() => new CSSStyleSheet()));

class SeattleInstallerElement extends HTMLElement {
  static observedAttributes = ['owner-key', 'user-key', 'platforms', 'base-installers', 'instructions', 'lang'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  /**
   * Shows the message `id` alone in the element, as `role`, in the element's language (its
   * `lang`, else the page's, as the module chooses); its text.
   */
  #show(role, id, args) {
    const lang = visitorLanguage(this.getAttribute('lang'), Object.keys(WORDS));
    const line = document.createElement('p');
    line.setAttribute('role', role);
    line.lang = lang;
    line.textContent = say(WORDS, lang, id, args);
    this.shadowRoot.replaceChildren(line);
    return line.textContent;
  }

  async connectedCallback() {
    if (!this.instance) this.#show('status', "ui-element-loading");
    try {
      const [bindings, sheetReady] = await Promise.all([load(), styles()]);
      if (!this.isConnected || this.instance) return;
      this.shadowRoot.adoptedStyleSheets = [sheetReady];
      this.instance = new bindings.SeattleInstaller(this, this.shadowRoot, here.href);
    } catch (error) {
      // A module that cannot load is reported like any other failure, never thrown at the page.
      const message = this.#show('alert', "ui-element-load-failed", { problem: error?.message ?? error });
      this.dispatchEvent(new CustomEvent('seattle-installer-error', {
        bubbles: true, composed: true, detail: { message },
      }));
    }
  }

  disconnectedCallback() {
    this.instance?.free();
    this.instance = undefined;
  }

  attributeChangedCallback() {
    this.instance?.update();
  }
}

if (!customElements.get('seattle-installer')) {
  customElements.define('seattle-installer', SeattleInstallerElement);
}
