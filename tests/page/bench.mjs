// The page's performance in headless Chromium against a running `cib serve` (a benchmark, not a
// test: scripts/bench_page.sh builds what it needs, makes large base installers and runs this).
//
//   node tests/page/bench.mjs URL [--site web/dist] [--keygen-only]
//
// Prints: the wasm's size raw, gzipped and as sent; the time from navigation until "Add user" is
// enabled; key generation both ways (WebCrypto, the rsa crate in the page's worker) at each size
// offered (1024, 2048, 3072, 4096 bits; with --keygen-only nothing after it); customizing
// each base installer the server offers, through the page's exported function and through the
// page itself (Build installers → the download offered, with the base installer already fetched);
// and the longest main-thread task meanwhile. Then a table against the targets.

import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { launchBrowser, SITE } from './helpers.mjs';

const args = process.argv.slice(2);
const url = args.find((a) => /^https?:/.test(a));
const site = args.includes('--site') ? args[args.indexOf('--site') + 1] : SITE;
if (!url) {
  console.error('usage: node tests/page/bench.mjs URL [--site DIR]');
  process.exit(2);
}
const RUNS = 5;
const keygenOnly = args.includes('--keygen-only');
// Runs per size, WebCrypto and the worker: few, as the large sizes take seconds in the worker.
const KEYGEN = [[1024, 3, 3], [2048, 3, 3], [3072, 3, 3], [4096, 3, 1]];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);
const ms = (x) => (x < 10 ? x.toFixed(1) : x.toFixed(0)) + ' ms';
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;

// In every page: long tasks (over 50 ms, as Chromium reports them), a heartbeat that finds
// shorter blocks too (the longest gap between 1 ms timers while a phase runs), and the moment
// "Add user" is first enabled.
function instrument() {
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, end: e.startTime + e.duration, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no longtask support: the heartbeat still measures */ }
  // What ran in a long task: the Long Animation Frames API names each script of a long frame
  // (its source, function and what invoked it); kept for the longest frames only.
  window.__frames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__frames.push({
          start: e.startTime, end: e.startTime + e.duration, duration: e.duration,
          scripts: (e.scripts || []).map((x) => ({
            duration: x.duration, invoker: x.invoker,
            source: `${(x.sourceURL || '').split('/').pop()}${x.sourceFunctionName ? ` ${x.sourceFunctionName}` : ''}`,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { /* no long-animation-frame support: no attribution */ }
  // Both moments are also said on the console, which is how the navigations measured below
  // hear of them: waiting with page.waitForFunction would put Playwright's own script (parsed
  // in 10 to 18 ms, in a trace of this machine) on the page's main thread while it starts.
  const ready = () => {
    const b = document.getElementById('cib-add-user');
    if (b && !b.disabled && window.__interactive === undefined) {
      window.__interactive = performance.now();
      console.debug(`cib-bench interactive ${window.__interactive}`);
    }
    return window.__interactive !== undefined;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'first-contentful-paint') console.debug(`cib-bench paint ${e.startTime}`);
    }
  }).observe({ type: 'paint', buffered: true });
  new MutationObserver((_, observer) => { if (ready()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true, attributes: true });
  // Runs `work` with the heartbeat on; returns its result, its duration, the longest long task
  // that overlapped it and the longest gap of the heartbeat.
  window.__phase = async (work) => {
    let last = performance.now();
    let gap = 0;
    let on = true;
    const beat = () => {
      const now = performance.now();
      gap = Math.max(gap, now - last);
      last = now;
      if (on) setTimeout(beat, 1);
    };
    setTimeout(beat, 1);
    const start = performance.now();
    const result = await work();
    const end = performance.now();
    on = false;
    await new Promise((r) => setTimeout(r, 20));
    const longest = Math.max(0, ...window.__longtasks.filter((t) => t.end > start && t.start < end).map((t) => t.duration));
    const frame = window.__frames.filter((f) => f.end > start && f.start < end).sort((a, b) => b.duration - a.duration)[0];
    const ran = frame ? frame.scripts.sort((a, b) => b.duration - a.duration).slice(0, 2)
      .map((x) => `${x.invoker} → ${x.source} ${x.duration.toFixed(0)} ms`).join('; ') : '';
    return { result, time: end - start, longest, gap: Math.max(gap, performance.now() - last - 20), ran };
  };
}

async function newPage(browser) {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  return { context, page };
}

const rows = [];
function row(what, figure, target = '', ratio = '') {
  rows.push([what, figure, target, ratio]);
  console.log(`  ${what}: ${figure}${target ? ` (target ${target}${ratio ? `, ${ratio}` : ''})` : ''}`);
}
const ratio = (x, limit) => `${(x / limit).toFixed(2)} of target`;

const browser = await launchBrowser();
try {
  // A labelled block, so that --keygen-only can leave after key generation.
  sections: {
  // 1. The wasm.
  console.log('wasm');
  // The page's module (hashed name); the worker's module is loaded only when first needed.
  const wasmName = readdirSync(site).find((f) => /^cib-web-.*\.wasm$/.test(f));
  const wasm = readFileSync(join(site, wasmName));
  const gz = gzipSync(wasm, { level: constants.Z_BEST_COMPRESSION }).length;
  const workerWasm = readFileSync(join(site, 'cib-worker_bg.wasm'));
  const workerGz = gzipSync(workerWasm, { level: constants.Z_BEST_COMPRESSION }).length;
  let sent = null;
  let encoding = '';
  {
    const { context, page } = await newPage(browser);
    page.on('response', async (r) => {
      if (/cib-web-[^/]*\.wasm$/.test(r.url())) {
        encoding = (await r.allHeaders())['content-encoding'] || 'identity';
        // The context may close before the sizes arrive: then the size as sent is not known.
        sent = await r.request().sizes().then((x) => x.responseBodySize, () => sent);
      }
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__interactive !== undefined);
    await context.close();
  }
  row(`wasm ${wasmName}, raw`, kb(wasm.length));
  row('wasm, gzip -9', `${gz} bytes`, '≤ 200,000 bytes', ratio(gz, 200_000));
  if (sent !== null) row(`wasm as cib serve sends it (${encoding})`, kb(sent));
  row('worker wasm (on demand: rsa key generation, customizing, key zips, QR code), raw', kb(workerWasm.length));
  row('worker wasm, gzip -9', kb(workerGz));

  // 2. Navigation: first paint and an interactive page, a fresh profile each time (nothing
  // cached), then reloads (the service worker's cache). The baseline, when the site has one
  // (bench_page.sh writes baseline.html into its copy of the site): a plain static page with the
  // same stylesheet from the same host, for first paint.
  console.log('first paint (first-contentful-paint) and interactive ("Add user" enabled), from navigation start');
  const hasBaseline = readdirSync(site).includes('baseline.html');
  // The moment `what` (paint, interactive) of the next navigation of `page`, as it says it.
  const said = (page, what) => page.waitForEvent('console', {
    predicate: (m) => m.text().startsWith(`cib-bench ${what} `),
  }).then((m) => Number(m.text().split(' ')[2]));
  // `navigate` done, the moments `whats` of the page it opened, touching nothing in it.
  const moments = async (page, navigate, whats) => {
    const heard = whats.map((what) => said(page, what));
    await navigate();
    const times = await Promise.all(heard);
    return Object.fromEntries(whats.map((what, i) => [what, times[i]]));
  };
  const builder = ['paint', 'interactive'];
  const visit = async (target, whats) => {
    const { context, page } = await newPage(browser);
    const times = await moments(page, () => page.goto(target, { waitUntil: 'commit' }), whats);
    await context.close();
    return times;
  };
  const cold = [];
  const base = { cold: [], warm: [] };
  for (let i = 0; i < RUNS; i++) {
    cold.push(await visit(url, builder));
    if (hasBaseline) base.cold.push((await visit(`${url}baseline.html`, ['paint'])).paint);
  }
  const warm = [];
  {
    const { context, page } = await newPage(browser);
    await page.goto(url);
    await page.waitForFunction(() => window.__interactive);
    // The service worker takes over on its first install; wait until it controls the page.
    await page.evaluate(() => navigator.serviceWorker?.ready);
    // Each reload from a page at rest, as a person's would be: not while the previous load's
    // own work (background compiling, garbage collection) may still run.
    const reload = async () => {
      await page.waitForTimeout(1000);
      await page.reload({ waitUntil: 'commit' });
    };
    for (let i = 0; i < RUNS; i++) warm.push(await moments(page, reload, builder));
    if (hasBaseline) {
      await page.goto(`${url}baseline.html`);
      for (let i = 0; i < RUNS; i++) base.warm.push((await moments(page, reload, ['paint'])).paint);
    }
    await context.close();
  }
  for (const [name, runs, baseline, limit] of [['empty cache', cold, base.cold, 150], ['reload', warm, base.warm, 80]]) {
    const fp = runs.map((r) => r.paint);
    const ti = runs.map((r) => r.interactive);
    if (baseline.length) {
      row(`baseline page, first paint, ${name} (median of ${RUNS})`, `${ms(median(baseline))} (max ${ms(max(baseline))})`);
      row(`first paint, ${name} (median of ${RUNS})`, `${ms(median(fp))} (max ${ms(max(fp))})`,
        '≤ 1.5× baseline', `${(median(fp) / median(baseline)).toFixed(2)}× baseline`);
    } else {
      row(`first paint, ${name} (median of ${RUNS})`, `${ms(median(fp))} (max ${ms(max(fp))})`);
    }
    row(`interactive, ${name} (median of ${RUNS})`, `${ms(median(ti))} (max ${ms(max(ti))})`, `≤ ${limit} ms`, ratio(median(ti), limit));
  }

  // 3. Key generation by the page's exported functions, timed in the page.
  const { context, page } = await newPage(browser);
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.__interactive);
  if (!(await page.evaluate(() => typeof window.wasmBindings?.webcrypto_key_pair === 'function'))) {
    throw new Error('the page exposes no window.wasmBindings.webcrypto_key_pair (trunk sets window.wasmBindings)');
  }
  console.log('key generation (median of the runs, timed in the page)');
  const longest = { keygen: 0, customize: 0 };
  // What ran in the longest frame of each kind of work (as the Long Animation Frames API names it).
  const ran = { keygen: { block: 0, what: '' }, customize: { block: 0, what: '' } };
  // The longest task Chromium reports (longtask), apart from the heartbeat's gaps, which on a
  // loaded machine also count the time the main thread waited for a core.
  const tasks = { keygen: 0, customize: 0 };
  const noteRan = (kind, runs) => {
    for (const r of runs) {
      const block = Math.max(r.longest, r.gap);
      if (block > ran[kind].block && r.ran) ran[kind] = { block, what: r.ran };
      tasks[kind] = Math.max(tasks[kind], r.longest);
    }
  };
  let key;
  for (const [bits, webcryptoRuns, workerRuns] of KEYGEN) {
    const timed = {};
    for (const method of ['webcrypto_key_pair', 'worker_key_pair']) {
      const count = method === 'webcrypto_key_pair' ? webcryptoRuns : workerRuns;
      const runs = await page.evaluate(async ({ bits, method, runs }) => {
        const out = [];
        for (let i = 0; i < runs; i++) {
          out.push(await window.__phase(async () => {
            const pair = await window.wasmBindings[method](bits);
            const text = pair.public_key;
            pair.free();
            return text;
          }));
        }
        return out;
      }, { bits, method, runs: count });
      const times = runs.map((r) => r.time);
      const block = max(runs.map((r) => Math.max(r.longest, r.gap)));
      noteRan('keygen', runs);
      longest.keygen = Math.max(longest.keygen, block);
      timed[method] = median(times);
      if (bits === 1024 && method === 'webcrypto_key_pair') key = runs[0].result;
      const name = method === 'webcrypto_key_pair' ? 'WebCrypto' : 'rsa crate in the worker';
      row(`keygen ${bits} bits, ${name} (${count} runs)`, `${ms(median(times))} (max ${ms(max(times))}); main thread blocked ≤ ${ms(block)}`);
    }
    row(`keygen ${bits} bits, worker / WebCrypto`, `${(timed.worker_key_pair / timed.webcrypto_key_pair).toFixed(1)}×`);
  }
  row('longest main-thread block during key generation', ms(longest.keygen), '< 50 ms', ratio(longest.keygen, 50));
  row('longest long task (longtask observer) during key generation', ms(tasks.keygen), '< 50 ms', ratio(tasks.keygen, 50));
  if (ran.keygen.what) row('what ran in the longest frame during key generation', ran.keygen.what);
  if (keygenOnly) {
    await context.close();
    break sections;
  }

  // 4. Customizing: every base installer the server offers.
  const manifest = await page.evaluate(() => fetch('base_installers/manifest.json').then((r) => r.json()));
  const installers = Object.entries(manifest.installers).sort((a, b) => a[1].size - b[1].size);
  const vesselinfo = `Percent 80\nOwner ${key}\nPercent 20\nOwner ${key}`;
  console.log(`customize with the exported Customizer (in the worker a builder keeps, once started; median of ${RUNS})`);
  const apiTimes = {};
  for (const [platform, entry] of installers) {
    const runs = await page.evaluate(async ({ file, vesselinfo, runs }) => {
      const base = await fetch(`base_installers/${file}`).then((r) => r.blob());
      const customizer = new window.wasmBindings.Customizer();
      // Started once, as a builder's worker is by its first request.
      await customizer.customize_installer(base, vesselinfo);
      const out = [];
      for (let i = 0; i < runs; i++) {
        out.push(await window.__phase(async () => (await customizer.customize_installer(base, vesselinfo)).size - base.size));
      }
      return out;
    }, { file: entry.file, vesselinfo, runs: RUNS });
    if (!runs.every((r) => r.result > 0)) throw new Error(`customizing ${entry.file} did not add anything`);
    if (!entry.file.endsWith('.zip')) {
      // The floor: inflating the same file in the same kind of worker, taking turns with customizing.
      const turns = await page.evaluate(async ({ file, vesselinfo, runs }) => {
        const base = await fetch(`base_installers/${file}`).then((r) => r.blob());
        const time = async (work) => { const start = performance.now(); await work(); return performance.now() - start; };
        const out = { inflate: [], customize: [] };
        const customizer = new window.wasmBindings.Customizer();
        for (let i = 0; i < runs; i++) {
          out.inflate.push(await time(() => customizer.inflated_size(base)));
          out.customize.push(await time(() => customizer.customize_installer(base, vesselinfo)));
        }
        return out;
      }, { file: entry.file, vesselinfo, runs: RUNS });
      const [inflate, customize] = [median(turns.inflate), median(turns.customize)];
      row(`${entry.file}: customize / inflate in the worker`, `${ms(customize)} / ${ms(inflate)} = ${(customize / inflate).toFixed(2)}×`,
        '≤ 1.5×', ratio(customize / inflate, 1.5));
    }
    const times = runs.map((r) => r.time);
    const block = max(runs.map((r) => Math.max(r.longest, r.gap)));
    apiTimes[entry.file] = { time: median(times), size: entry.size, block };
    const zip = entry.file.endsWith('.zip');
    row(`customize_installer ${entry.file} (${mb(entry.size)})`, `${ms(median(times))} (max ${ms(max(times))}); main thread blocked ≤ ${ms(block)}`,
      zip ? '< 20 ms' : '', zip ? ratio(median(times), 20) : '');
  }

  // The page itself: one user with a key (no key generation), one vessel, one platform at a
  // time; the first build fetches and verifies the base installer, the timed ones find it in
  // memory, so they time the customize step plus the page's own work around it.
  console.log(`customize through the page: "Build installers" → "Done" with the base installer already fetched (median of ${RUNS})`);
  await page.getByLabel('Name', { exact: true }).fill('bench');
  await page.getByLabel('Public key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Add user', exact: true }).click();
  await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('bench');
  const labels = { linux: 'Linux', mac: 'Mac', windows: 'Windows', android: 'Android' };
  const pageTimes = {};
  for (const [platform, entry] of installers) {
    for (const [p, label] of Object.entries(labels)) {
      await page.getByRole('checkbox', { name: label, exact: true }).setChecked(p === platform);
    }
    const runs = [];
    for (let i = 0; i < RUNS + 1; i++) {
      if (i > 0) {
        // An edit drops the finished build, so the button builds again.
        await page.getByRole('checkbox', { name: labels[platform], exact: true }).setChecked(false);
        await page.getByRole('checkbox', { name: labels[platform], exact: true }).setChecked(true);
      }
      runs.push(await page.evaluate(() => window.__phase(() => new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no "Done" within 120 s')), 120_000);
        const done = () => {
          const stage = document.getElementById('cib-stage')?.textContent || '';
          if (/^Done: 1 of 1 installers ready\.$/.test(stage)) { clearTimeout(timer); observer.disconnect(); resolve(stage); return true; }
          if (/^Done/.test(stage) || document.querySelector('[id^=cib-failed-]')) { clearTimeout(timer); observer.disconnect(); reject(new Error(stage)); return true; }
          return false;
        };
        const observer = new MutationObserver(done);
        observer.observe(document.getElementById('cib-result-list'), { childList: true, subtree: true, characterData: true });
        document.getElementById('cib-build-button').click();
      }))));
    }
    const first = runs.shift();
    const times = runs.map((r) => r.time);
    const block = max(runs.map((r) => Math.max(r.longest, r.gap)));
    noteRan('customize', runs);
    longest.customize = Math.max(longest.customize, block);
    pageTimes[entry.file] = median(times);
    row(`page build ${entry.file} (${mb(entry.size)})`,
      `${ms(median(times))} (max ${ms(max(times))}); main thread blocked ≤ ${ms(block)}; first build with download ${ms(first.time)}`);
  }
  row('longest main-thread block during page builds', ms(longest.customize), '< 50 ms', ratio(longest.customize, 50));
  row('longest long task (longtask observer) during page builds', ms(tasks.customize), '< 50 ms', ratio(tasks.customize, 50));
  if (ran.customize.what) row('what ran in the longest frame during page builds', ran.customize.what);
  const zips = installers.filter(([, e]) => e.file.endsWith('.zip')).map(([, e]) => apiTimes[e.file]);
  if (zips.length >= 2) {
    const [small, large] = [zips[0], zips[zips.length - 1]];
    row(`zip customize growth ${mb(small.size)} → ${mb(large.size)}`, `${(large.time / small.time).toFixed(2)}× time for ${(large.size / small.size).toFixed(1)}× size`, '≈ 1×');
  }
  if (problems.length) console.log(`page errors: ${problems.join('; ')}`);
  await context.close();
  }
} finally {
  await browser.close();
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['what', 'figure', 'target', 'ratio'][i].length));
const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${line(['what', 'figure', 'target', 'ratio'])}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
