// The page's worker: runs what would block the page (key generation by the rsa crate,
// rewriting a tar.gz) in the page's own wasm. The page sends the URL of its wasm-bindgen glue
// and its compiled WebAssembly module, so this file needs no build step and nothing is
// fetched or compiled twice.
let loaded;

const ops = {
  keygen(bindings, { bits }) {
    const pair = bindings.generate_key_pair(bits);
    const reply = { public_key: pair.public_key, private_key: pair.private_key };
    pair.free();
    return reply;
  },
  customize(bindings, { bytes, vesselinfo }) {
    return { pieces: bindings.customize_pieces(new Uint8Array(bytes), vesselinfo) };
  },
};

self.onmessage = async (event) => {
  const { op, glue, module } = event.data;
  try {
    loaded ??= import(glue).then(async (bindings) => {
      await bindings.default({ module_or_path: module });
      return bindings;
    });
    self.postMessage(ops[op](await loaded, event.data));
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
