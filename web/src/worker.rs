//! The page's worker (static/worker.js): a module worker that loads this same wasm (the
//! compiled module is passed along, so it is neither fetched nor compiled again) and runs the
//! work that would block the page: key generation by the `rsa` crate, and rewriting a tar.gz.

use crate::assets;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

pub fn js_error(context: &str, e: JsValue) -> String {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    format!("{context}: {text}")
}

/// Runs `op` with `fields` in a fresh worker and returns its answer. `transfer` lists buffers
/// handed over rather than copied.
pub async fn call(
    op: &str,
    fields: &[(&str, JsValue)],
    transfer: &Array,
) -> Result<JsValue, String> {
    let glue = assets::glue_url().ok_or("the page's script could not be found for the worker")?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&assets::url("static/worker.js"), &options)
        .map_err(|e| js_error("could not start the worker", e))?;
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
    let fields = [
        ("op", op.into()),
        ("glue", glue.into()),
        ("module", wasm_bindgen::module()),
    ]
    .into_iter()
    .chain(fields.iter().cloned());
    for (name, value) in fields {
        let _ = Reflect::set(&request, &name.into(), &value);
    }
    worker
        .post_message_with_transfer(&request, transfer)
        .map_err(|e| js_error("could not reach the worker", e))?;
    let answer = JsFuture::from(reply).await;
    worker.terminate();
    let answer = answer.map_err(|_| "the worker failed to start".to_string())?;
    if let Some(error) = Reflect::get(&answer, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
    {
        return Err(format!("the worker failed: {error}"));
    }
    Ok(answer)
}
