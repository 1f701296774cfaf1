// Generates a Seattle key pair with the rsa crate, off the page's main thread. The page sends
// the URL of its wasm-bindgen glue and its compiled WebAssembly module, so this file needs no
// build step and the module is not fetched twice.
let loaded;

self.onmessage = async (event) => {
  const { glue, module, bits } = event.data;
  try {
    loaded ??= import(glue).then(async (bindings) => {
      await bindings.default({ module_or_path: module });
      return bindings;
    });
    const bindings = await loaded;
    const pair = bindings.generate_key_pair(bits);
    const reply = { public_key: pair.public_key, private_key: pair.private_key };
    pair.free();
    self.postMessage(reply);
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
