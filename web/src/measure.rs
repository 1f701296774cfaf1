//! `?measure`: times key generation both ways, customizing each base installer the site offers,
//! and the longest main-thread task meanwhile, and prints them below the builder. Kept behind a
//! query parameter, out of people's way; the figures go into docs/performance.md.

use crate::dom::{self, El};
use crate::installers;
use crate::keygen::{self, Method};
use cib_core::{KeyBits, Platform};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static LONGEST_TASK: Cell<f64> = const { Cell::new(0.0) };
}

/// Watches long tasks (over 50 ms) on the main thread; the longest is reported.
fn watch_long_tasks() {
    let callback = Closure::<dyn Fn(web_sys::PerformanceObserverEntryList)>::new(
        |list: web_sys::PerformanceObserverEntryList| {
            for entry in list.get_entries() {
                let duration = entry
                    .unchecked_into::<web_sys::PerformanceEntry>()
                    .duration();
                LONGEST_TASK.with(|l| l.set(l.get().max(duration)));
            }
        },
    );
    if let Ok(observer) = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()) {
        let options =
            web_sys::PerformanceObserverInit::new(&js_sys::Array::of1(&"longtask".into()));
        observer.observe(&options);
    }
    callback.forget();
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Median and maximum of `runs` timings of `work`.
async fn timed<F: std::future::Future<Output = bool>>(
    runs: usize,
    mut work: impl FnMut() -> F,
) -> String {
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = now();
        let ok = work().await;
        times.push(if ok { now() - start } else { f64::NAN });
    }
    times.sort_by(f64::total_cmp);
    format!(
        "median {} ms, max {} ms ({runs} runs)",
        ms(times[runs / 2]),
        ms(times[runs - 1])
    )
}

/// Whole milliseconds without the float printer, which would grow the module by kilobytes.
fn ms(time: f64) -> String {
    if time.is_finite() {
        (time.round() as i64).to_string()
    } else {
        "failed".into()
    }
}

pub async fn run(places: crate::places::Places) {
    let places = &places;
    watch_long_tasks();
    let mut lines = vec!["Measurements".to_string()];
    for (bits, runs) in [(KeyBits::B1024, 9), (KeyBits::B2048, 5)] {
        for method in [Method::WebCrypto, Method::Worker] {
            let line = timed(runs, || async move {
                keygen::by(places, method, bits).await.is_ok()
            })
            .await;
            lines.push(format!("keygen {bits} bits, {method:?}: {line}"));
            show(&lines);
        }
    }
    let vesselinfo = format!(
        "Percent 80\nOwner {}",
        cib_core::vessel::RESERVED_OWNER_KEY.trim()
    );
    match installers::host_manifest(places).await {
        Ok(manifest) => {
            for platform in Platform::ALL {
                let Some(entry) = manifest.for_platform(platform) else {
                    continue;
                };
                let Ok(base) = installers::base_installer(places, platform, entry, |_, _| {}).await
                else {
                    continue;
                };
                let line = timed(5, || async {
                    crate::customize::installer_off_thread(places, &base, &vesselinfo)
                        .await
                        .is_ok()
                })
                .await;
                lines.push(format!(
                    "customize {} ({}): {line}",
                    entry.file,
                    crate::words::size(entry.size)
                ));
                show(&lines);
            }
        }
        Err(e) => lines.push(format!("no manifest: {e}")),
    }
    lines.push(format!(
        "longest main-thread task: {} ms",
        ms(LONGEST_TASK.with(Cell::get))
    ));
    lines.push("done".into());
    show(&lines);
}

fn show(lines: &[String]) {
    let text = lines.join("\n");
    match dom::document().get_element_by_id("cib-measurements") {
        Some(pre) => pre.set_text_content(Some(&text)),
        None => {
            if let Some(root) = dom::document().query_selector(".cib").ok().flatten() {
                let _ =
                    root.append_child(&El::new("pre").attr("id", "cib-measurements").text(&text).0);
            }
        }
    }
}
