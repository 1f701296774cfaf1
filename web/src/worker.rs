//! The builder's worker: runs what would block the page or what only a build needs (key
//! generation by the `rsa` crate, customizing a base installer, the key zips, the share link's
//! QR code, checking an installer) in the second WebAssembly module, `cib-worker`, which is
//! fetched only when first needed. The worker is started from a blob URL of the few lines below,
//! never from a URL of the host: a browser refuses `new Worker(url)` for another origin, which
//! is where the builder's files are when a clearinghouse embeds it.
//!
//! A builder keeps one worker (`Kept`) for its requests, one after another, so the module is
//! instantiated once. Key generation gets a worker of its own each time (`call_alone`), since a
//! large key takes seconds that a QR code or a build should not wait behind, and so does work
//! over a large file (`over_bytes`).

use crate::words::{text, Said};
use cib_core::problem::Arg;
use js_sys::{Array, Function, Object, Promise, Reflect, WebAssembly};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

/// The worker's script: `GLUE_URL` and `WASM_URL` are filled in; the page hands over the module
/// compiled when it has it; each answer carries its request's `id`, errors as their message and
/// the name of their kind. A module that failed to load is tried again on the next request.
const SCRIPT: &str = r#"let loaded;
const ops = {
  keygen: (m, { bits }) => m.generate_key_pair(bits),
  customize: (m, { bytes, vesselinfo }) => ({ pieces: m.customize_pieces(new Uint8Array(bytes), vesselinfo) }),
  zip: (m, { bytes, start, vesselinfo }) => m.customize_zip_tail(new Uint8Array(bytes), start, vesselinfo),
  keyZips: (m, { generated, users }) => ({
    private: generated[0].length ? m.private_keys_zip(...generated) : null,
    public: m.public_keys_zip(...users),
  }),
  qr: (m, { text }) => ({ svg: m.qr_svg(text) }),
  inflate: (m, { bytes }) => ({ size: m.inflated_size(new Uint8Array(bytes)) }),
  check: (m, { bytes, start, now }) => JSON.parse(m.check_installer(new Uint8Array(bytes), start, now)),
  keys: (m, { bytes }) => JSON.parse(m.keys_in_zip(new Uint8Array(bytes))),
};
self.onmessage = async ({ data }) => {
  const { id } = data;
  try {
    const wasm = data.module ?? WASM_URL;
    loaded ??= import(GLUE_URL).then(async (m) => { await m.default({ module_or_path: wasm }); return m; });
    const m = await loaded.catch((error) => { loaded = undefined; throw error; });
    self.postMessage({ id, answer: ops[data.op](m, data) });
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error), kind: String(error?.name), said: error?.said });
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
async fn compiled(module: &WorkerModule) -> Option<JsValue> {
    let url = module.wasm.clone();
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

/// A blob URL of the worker's script for `module`.
fn script_url(module: &WorkerModule) -> Result<String, WorkerError> {
    let script = SCRIPT
        .replace("GLUE_URL", &format!("{:?}", module.glue))
        .replace("WASM_URL", &format!("{:?}", module.wasm));
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

/// The worker's module of a builder: its wasm-bindgen glue script and its WebAssembly (URLs;
/// `data:` and `blob:` ones in the saved page, which may fetch nothing), and the worker the
/// builder keeps running it, shared by every copy.
#[derive(Clone)]
pub struct WorkerModule {
    pub glue: String,
    pub wasm: String,
    kept: Kept,
}

impl WorkerModule {
    pub fn at(glue: String, wasm: String) -> WorkerModule {
        WorkerModule {
            glue,
            wasm,
            kept: Kept::default(),
        }
    }
}

impl std::fmt::Debug for WorkerModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerModule")
            .field("glue", &self.glue)
            .field("wasm", &self.wasm)
            .finish_non_exhaustive()
    }
}

/// The worker kept, started on its first request and ended when the last copy of its
/// `WorkerModule` is dropped.
#[derive(Clone, Default)]
struct Kept(Rc<RefCell<Option<Rc<Running>>>>);

/// The requests a worker has not answered yet, by id: how to settle each.
type Pending = Rc<RefCell<HashMap<u32, (Function, Function)>>>;

/// A started worker and what it owes.
struct Running {
    worker: Worker,
    script: String,
    pending: Pending,
    next: Cell<u32>,
    /// Set when the worker can no longer be trusted to answer (it failed to run, or its module
    /// trapped): the next request starts another.
    broken: Rc<Cell<bool>>,
    _listeners: [Closure<dyn FnMut(JsValue)>; 2],
}

impl Running {
    fn start(module: &WorkerModule) -> Result<Running, WorkerError> {
        let script = script_url(module)?;
        // A classic worker, which loads the module with `import()`: Chromium refuses a module
        // worker from a blob URL to a page opened from disk (the saved page).
        let worker = Worker::new(&script).map_err(|e| {
            let _ = Url::revoke_object_url(&script);
            unavailable(e)
        })?;
        let pending = Pending::default();
        let broken = Rc::new(Cell::new(false));
        let answered = pending.clone();
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let data = event.unchecked_into::<MessageEvent>().data();
            let id = Reflect::get(&data, &"id".into()).ok().and_then(|i| i.as_f64());
            let settle = id.and_then(|id| answered.borrow_mut().remove(&(id as u32)));
            if let Some((resolve, _)) = settle {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        let (failed, broke) = (pending.clone(), broken.clone());
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            broke.set(true);
            for (_, (_, reject)) in failed.borrow_mut().drain() {
                let _ = reject.call1(&JsValue::NULL, &event);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Running {
            worker,
            script,
            pending,
            next: Cell::new(0),
            broken,
            _listeners: [on_message, on_error],
        })
    }

    /// Posts `request` under a new id; the answer is the worker's reply to it.
    fn ask(&self, request: &Object, transfer: &Array) -> Result<JsFuture, WorkerError> {
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        let pending = self.pending.clone();
        let reply = Promise::new(&mut |resolve, reject| {
            pending.borrow_mut().insert(id, (resolve, reject));
        });
        let _ = Reflect::set(request, &"id".into(), &id.into());
        if let Err(e) = self.worker.post_message_with_transfer(request, transfer) {
            self.pending.borrow_mut().remove(&id);
            return Err(unavailable(e));
        }
        Ok(JsFuture::from(reply))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
        let _ = Url::revoke_object_url(&self.script);
    }
}

impl Kept {
    /// The running worker, started if there is none or the last one broke.
    fn running(&self, module: &WorkerModule) -> Result<Rc<Running>, WorkerError> {
        let mut kept = self.0.borrow_mut();
        match kept.as_ref() {
            Some(running) if !running.broken.get() => Ok(running.clone()),
            _ => {
                let running = Rc::new(Running::start(module)?);
                *kept = Some(running.clone());
                Ok(running)
            }
        }
    }
}

/// Runs `op` with `fields` in the worker kept for `worker` and returns its answer. `transfer` lists
/// buffers handed over rather than copied.
pub async fn call(
    worker: &WorkerModule,
    op: &str,
    fields: &[(&str, JsValue)],
    transfer: &Array,
) -> Result<JsValue, WorkerError> {
    let module = compiled(worker).await;
    let running = worker.kept.running(worker)?;
    let request = Object::new();
    let fields = [("op", op.into())]
        .into_iter()
        .chain(module.map(|m| ("module", m)))
        .chain(fields.iter().cloned());
    for (name, value) in fields {
        let _ = Reflect::set(&request, &name.into(), &value);
    }
    let reply = running.ask(&request, transfer)?.await;
    let reply = reply.map_err(|_| WorkerError::Silent)?;
    let text = |name: &str| {
        Reflect::get(&reply, &name.into())
            .ok()
            .and_then(|e| e.as_string())
    };
    match (text("error"), text("kind").as_deref()) {
        (None, _) => Ok(Reflect::get(&reply, &"answer".into()).unwrap_or(JsValue::UNDEFINED)),
        (Some(error), Some("RangeError")) => Err(WorkerError::TooLarge(error)),
        (Some(error), kind) => {
            // A trap leaves the module's memory in no state to answer again.
            if kind == Some("RuntimeError") {
                running.broken.set(true);
            }
            let said = text("said").and_then(|json| crate::catalog::said_of_json(&json));
            Err(WorkerError::Failed(said.unwrap_or_else(|| Said::text(&error))))
        }
    }
}

/// Bytes above which a request gets a worker of its own: a module's memory never shrinks, so a
/// kept worker that had read a whole tar.gz would hold that much for the builder's life.
const KEPT_AT_MOST: f64 = 1024.0 * 1024.0;

/// The worker's answer to `op` over the bytes of `part` (handed over, not copied) and `more`;
/// what the worker found wrong with them is said as the core says it.
pub async fn over_bytes(
    worker: &WorkerModule,
    op: &str,
    part: &Blob,
    more: &[(&str, JsValue)],
) -> Result<JsValue, Said> {
    let buffer = JsFuture::from(part.array_buffer())
        .await
        .map_err(|_| Said::id("ui-unreadable"))?;
    let mut fields = vec![("bytes", buffer.clone())];
    fields.extend(more.iter().cloned());
    let transfer = Array::of1(&buffer);
    let answer = match part.size() > KEPT_AT_MOST {
        true => call_alone(worker, op, &fields, &transfer).await,
        false => call(worker, op, &fields, &transfer).await,
    };
    answer.map_err(|e| match e {
            WorkerError::Failed(why) => why,
            e => e.into(),
        })
}

/// Runs `op` as `call` does, in a worker of its own, ended once it has answered.
pub async fn call_alone(
    worker: &WorkerModule,
    op: &str,
    fields: &[(&str, JsValue)],
    transfer: &Array,
) -> Result<JsValue, WorkerError> {
    let alone = WorkerModule::at(worker.glue.clone(), worker.wasm.clone());
    call(&alone, op, fields, transfer).await
}
