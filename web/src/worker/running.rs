//! The worker a builder keeps: started from a blob URL of its script on the first request,
//! answering requests by id, one after another, and ended when the builder is.

use super::{unavailable, WorkerError, WorkerModule};
use js_sys::{Array, Function, Object, Promise, Reflect};
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

/// The worker kept, started on its first request and ended when the last copy of its
/// `WorkerModule` is dropped.
#[derive(Clone, Default)]
pub(super) struct Kept(Rc<RefCell<Option<Rc<Running>>>>);

/// The requests a worker has not answered yet, by id: how to settle each.
type Pending = Rc<RefCell<HashMap<u32, (Function, Function)>>>;

/// A started worker and what it owes.
pub(super) struct Running {
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
    pub(super) fn ask(&self, request: &Object, transfer: &Array) -> Result<JsFuture, WorkerError> {
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

    /// Takes this worker out of use: the next request starts another.
    pub(super) fn break_off(&self) {
        self.broken.set(true);
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
    pub(super) fn running(&self, module: &WorkerModule) -> Result<Rc<Running>, WorkerError> {
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

