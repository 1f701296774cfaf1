//! The builder's worker: runs what would block the page (key generation by the `rsa` crate,
//! rewriting a tar.gz) in the second WebAssembly module, `cib-worker`, which is fetched only
//! when first needed. The worker is started from a blob URL of the few lines below, never from
//! a URL of the host: a browser refuses `new Worker(url)` for another origin, which is where
//! the builder's files are when a clearinghouse embeds it.

use crate::places::Places;
use crate::words::{text, Said};
use cib_core::problem::Arg;
use js_sys::{Array, Object, Promise, Reflect, WebAssembly};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// The worker's script: `GLUE_URL` and `WASM_URL` are filled in; the page hands over the module
/// compiled when it has it; errors go back as their message and the name of their kind.
const SCRIPT: &str = r#"let loaded;
const ops = {
  keygen: (m, { bits }) => m.generate_key_pair(bits),
  customize: (m, { bytes, vesselinfo }) => ({ pieces: m.customize_pieces(new Uint8Array(bytes), vesselinfo) }),
  qr: (m, { text }) => ({ svg: m.qr_svg(text) }),
  inflate: (m, { bytes }) => ({ size: m.inflated_size(new Uint8Array(bytes)) }),
  check: (m, { bytes, start, now }) => ({ json: m.check_installer(new Uint8Array(bytes), start, now) }),
  keys: (m, { bytes }) => ({ json: m.keys_in_zip(new Uint8Array(bytes)) }),
};
self.onmessage = async ({ data }) => {
  try {
    const wasm = data.module ?? WASM_URL;
    loaded ??= import(GLUE_URL).then(async (m) => { await m.default({ module_or_path: wasm }); return m; });
    self.postMessage(ops[data.op](await loaded, data));
  } catch (error) {
    self.postMessage({ error: String(error?.message ?? error), kind: String(error?.name), said: error?.said });
  }
};
"#;

thread_local! {
    /// The worker's module, compiled once and handed to every worker (a compiled module crosses
    /// to a worker without being compiled again), by its URL: shared, as the HTTP cache is, by
    /// every builder on the page that uses the same files.
    static COMPILED: RefCell<HashMap<String, Promise>> = RefCell::new(HashMap::new());
}

/// The worker's module compiled, or `None` when it cannot be here (the worker then fetches it
/// itself and reports its own error).
async fn compiled(places: &Places) -> Option<JsValue> {
    let url = places.worker_wasm.clone();
    let window = web_sys::window()?;
    let promise = COMPILED.with(|c| {
        c.borrow_mut()
            .entry(url.clone())
            .or_insert_with(|| WebAssembly::compile_streaming(&window.fetch_with_str(&url)))
            .clone()
    });
    let module = JsFuture::from(promise).await;
    if module.is_err() {
        COMPILED.with(|c| c.borrow_mut().remove(&url));
    }
    module.ok()
}

/// A blob URL of the worker's script for the builder whose worker files are at `places`.
fn script_url(places: &Places) -> Result<String, WorkerError> {
    let script = SCRIPT
        .replace("GLUE_URL", &format!("{:?}", places.worker_glue))
        .replace("WASM_URL", &format!("{:?}", places.worker_wasm));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&script.into()), &options)
        .map_err(unavailable)?;
    Url::create_object_url_with_blob(&blob).map_err(unavailable)
}

/// Why a worker gave no answer.
#[derive(Debug)]
pub enum WorkerError {
    /// The worker could not be prepared, started or reached (the browser's reason).
    Unavailable(Arg),
    /// The worker started but never answered (its module failed to load).
    Silent,
    /// The operation refused its input as too large (a `RangeError` in the worker, as for a
    /// text too long for any QR code).
    TooLarge(String),
    /// The operation failed, for this reason: the core's own message when it sent one (the
    /// worker's `said`), else the text of its error.
    Failed(Said),
}

impl From<WorkerError> for Said {
    fn from(e: WorkerError) -> Said {
        match e {
            WorkerError::Unavailable(why) => Said::new("ui-worker-unavailable", vec![("problem", why)]),
            WorkerError::Silent => Said::id("ui-worker-silent"),
            WorkerError::TooLarge(why) => {
                Said::new("ui-worker-failed", vec![("problem", text(&why))])
            }
            WorkerError::Failed(why) => Said::new("ui-worker-failed", vec![("problem", why.into())]),
        }
    }
}

/// What the browser said of a failure (its own words, in its own language), or that it said
/// nothing.
pub fn js_error(e: &JsValue) -> Arg {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .map_or_else(|| Said::id("ui-no-reason").into(), Arg::Text)
}

fn unavailable(e: JsValue) -> WorkerError {
    WorkerError::Unavailable(js_error(&e))
}

/// Runs `op` with `fields` in a fresh worker and returns its answer. `transfer` lists buffers
/// handed over rather than copied.
pub async fn call(
    places: &Places,
    op: &str,
    fields: &[(&str, JsValue)],
    transfer: &Array,
) -> Result<JsValue, WorkerError> {
    let module = compiled(places).await;
    let script = script_url(places)?;
    // A classic worker, which loads the module with `import()`: Chromium refuses a module
    // worker from a blob URL to a page opened from disk (the saved page).
    let worker = Worker::new(&script);
    let worker = worker.map_err(|e| {
        let _ = Url::revoke_object_url(&script);
        unavailable(e)
    })?;
    let reply = js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    let request = Object::new();
    let fields = [("op", op.into())]
        .into_iter()
        .chain(module.map(|m| ("module", m)))
        .chain(fields.iter().cloned());
    for (name, value) in fields {
        let _ = Reflect::set(&request, &name.into(), &value);
    }
    worker
        .post_message_with_transfer(&request, transfer)
        .map_err(unavailable)?;
    let answer = JsFuture::from(reply).await;
    worker.terminate();
    let _ = Url::revoke_object_url(&script);
    let answer = answer.map_err(|_| WorkerError::Silent)?;
    let text = |name: &str| {
        Reflect::get(&answer, &name.into())
            .ok()
            .and_then(|e| e.as_string())
    };
    match (text("error"), text("kind").as_deref()) {
        (None, _) => Ok(answer),
        (Some(error), Some("RangeError")) => Err(WorkerError::TooLarge(error)),
        (Some(error), _) => {
            let said = text("said").and_then(|json| crate::catalog::said_of_json(&json));
            Err(WorkerError::Failed(said.unwrap_or_else(|| Said::text(&error))))
        }
    }
}
