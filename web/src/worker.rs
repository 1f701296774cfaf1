//! The builder's worker: runs what would block the page or what only a build needs (key
//! generation by the `rsa` crate, customizing a base installer, the key zips, the share link's
//! QR code, checking an installer) in the second WebAssembly module, `cib-worker`, which is
//! fetched only when first needed. The worker is started from a blob URL of a few lines of script
//! (`running`), never from a URL of the host: a browser refuses `new Worker(url)` for another
//! origin, which is where the builder's files are when a clearinghouse embeds it.
//!
//! A builder keeps one worker (`running::Kept`) for its requests, one after another, so the
//! module is instantiated once. Key generation gets a worker of its own each time (`call_alone`),
//! since a large key takes seconds that a QR code or a build should not wait behind, and so does
//! work over a large file (`over_bytes`).

mod running;

use crate::words::{text, Said};
use cib_core::problem::Arg;
use js_sys::{Array, Object, Promise, Reflect, WebAssembly};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

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
    kept: running::Kept,
}

impl WorkerModule {
    pub fn at(glue: String, wasm: String) -> WorkerModule {
        WorkerModule {
            glue,
            wasm,
            kept: running::Kept::default(),
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
                running.break_off();
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
