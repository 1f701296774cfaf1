// Shared pieces of the page tests: the real `cib serve` on a free loopback port, Debian's
// Chromium driven by playwright-core (which never downloads a browser here), temp folders, and
// the native tools (GNU tar, gzip, unzip, python3) that check what the page produced.

import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, readdirSync, statSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const require = createRequire(import.meta.url);
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CIB = process.env.CIB_BIN || join(REPO, 'target', 'debug', 'cib');
export const SITE = join(REPO, 'web', 'dist');
export const BASES = join(REPO, 'base_installers');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** A fresh temp folder, removed by `cleanup()`. */
const temps = [];
export function tempDir(label = 'cib-page-') {
  const dir = mkdtempSync(join(tmpdir(), label));
  temps.push(dir);
  return dir;
}
export function cleanupTemps() {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs a program; its stdout (Buffer unless `encoding` given). Throws with stderr on failure. */
export function run(program, args, options = {}) {
  try {
    return execFileSync(program, args, { maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  } catch (e) {
    const err = e.stderr ? e.stderr.toString() : '';
    const out = e.stdout ? e.stdout.toString() : '';
    throw new Error(`${program} ${args.join(' ')} failed (${e.status}): ${err}${out}`);
  }
}

/**
 * Starts `cib serve --addr 127.0.0.1:0` (or `addr`) and resolves once it printed its URL.
 * `site` and `bases` default to web/dist and the repository's base_installers/.
 */
// Servers still running when node exits (a test that threw before its `after`) are killed.
const servers = new Set();
process.on('exit', () => { for (const child of servers) child.kill('SIGKILL'); });

export async function startServer({ site = SITE, bases = BASES, addr = '127.0.0.1:0' } = {}) {
  const child = spawn(CIB, [
    'serve', '--addr', addr, '--site', site, '--base-installers', bases,
    '--shutdown-grace', '1',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`cib serve printed no URL in 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`cib serve exited (${code}): ${stderr}`)); });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
  child.stdout.resume();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    origin: new URL(url).origin,
    log: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile (playwright makes and removes it). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

// CIB_PAGE_BYPASS_CSP=1 lets the tests run past a host whose Content-Security-Policy blocks the
// page's own start-up script; without it (the default) such a page fails every test, as it should.
export const BYPASS_CSP = process.env.CIB_PAGE_BYPASS_CSP === '1';

/** A new context and page on the builder, waiting until the wasm has drawn the form. */
export async function openBuilder(browser, url, contextOptions = {}) {
  return openPage(browser, url, contextOptions, 'Add user');
}

/** A new context and page at `url`, waiting until the wasm has drawn the button named `ready`. */
export async function openPage(browser, url, contextOptions, ready) {
  const context = await browser.newContext({ acceptDownloads: true, bypassCSP: BYPASS_CSP, ...contextOptions });
  // Every request of the context, from the first navigation on (workers included).
  const requests = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.getByRole('button', { name: ready, exact: true }).waitFor({ state: 'visible', timeout: 60_000 });
  return { context, page, problems, requests };
}

/** The text of the elements an element's aria-describedby names: what is read with the field. */
export async function description(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') || '')
    .split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() || '')
    .filter(Boolean).join(' | '));
}

/** Clicks a download link and saves the file under `dir`; resolves to its path. */
export async function download(page, link, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
  const failure = await dl.failure();
  if (failure) throw new Error(`download ${dl.suggestedFilename()} failed: ${failure}`);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}

/** Every file under `root` (relative paths, sorted), folders left out. */
export function filesUnder(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

export const VESSELINFO = 'seattle/seattle_repy/vesselinfo';

/** Extracts an installer with the native tool (unzip, GNU tar) into `into`. */
export function extract(path, into) {
  mkdirSync(into, { recursive: true });
  if (path.endsWith('.zip')) run('unzip', ['-q', path, '-d', into]);
  else run('tar', ['-xzf', path, '-C', into]);
  return into;
}

/**
 * The installer `made` has exactly `vesselinfo`, and every other entry of its base installer
 * `file` byte for byte; the demo installer then reads it by Seattle's rules.
 */
export function checkInstaller(made, file, vesselinfo) {
  const base = extract(join(BASES, file), tempDir());
  const got = extract(made, tempDir());
  assert.equal(readFileSync(join(got, VESSELINFO), 'utf8'), vesselinfo, `${file}: vesselinfo`);
  const baseFiles = filesUnder(base).filter((f) => f !== VESSELINFO);
  assert.deepEqual(filesUnder(got).filter((f) => f !== VESSELINFO), baseFiles, `${file}: the same entries`);
  for (const f of baseFiles) {
    assert.ok(readFileSync(join(got, f)).equals(readFileSync(join(base, f))), `${file}: ${f} unchanged`);
  }
  run('python3', ['seattle/seattle_repy/seattleinstaller.py'], { cwd: got });
}

/** Entries of a zip: [{name, mode}] from zipinfo (one line per entry). */
export function zipEntries(path) {
  const text = run('zipinfo', ['-l', path], { encoding: 'utf8' });
  return text.split('\n')
    .filter((l) => /^[-dl?][-rwxsStT]{9}\s/.test(l))
    .map((l) => ({ mode: l.slice(0, 10), name: l.split(/\s+/).slice(9).join(' ') }));
}

/** Entries of a tar.gz: [{name, mode}] from GNU tar's verbose listing. */
export function tarEntries(path) {
  const text = run('tar', ['-tvzf', path], { encoding: 'utf8' });
  return text.split('\n').filter(Boolean).map((l) => ({
    mode: l.slice(0, 10), line: l, name: l.split(/\s+/).slice(5).join(' '),
  }));
}

/** The text of one file inside a zip. */
export function zipFile(path, entry) {
  return run('unzip', ['-p', path, entry], { encoding: 'utf8' });
}

export function copyDir(from, to) {
  cpSync(from, to, { recursive: true });
  return to;
}

export { readFileSync };

/**
 * For a test file: the real `cib serve` (with `serverOptions`, as for startServer) and Chromium,
 * started before its tests and stopped after them, temp folders removed. The returned object's
 * `server` and `browser` are set once `before` has run.
 */
export function serveAndBrowse(serverOptions = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(serverOptions);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    cleanupTemps();
  });
  return env;
}

const AXE = require.resolve('axe-core/axe.min.js');

/** axe's violations on the page now; fails on serious or critical ones, prints the rest. */
export async function axeCheck(page, when) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const { passed, violations } = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return { passed: result.passes.length, violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    })) };
  });
  assert.ok(passed >= 10, `axe ran its rules (${passed} passed)`);
  const text = (v) => `${v.impact} ${v.id} (${v.help}):\n     ${v.nodes.join('\n     ')}`;
  for (const v of violations.filter((v) => !['serious', 'critical'].includes(v.impact))) {
    console.log(`axe, ${when}: ${text(v)}`);
  }
  const bad = violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(bad.map(text), [], `axe, ${when}: serious or critical violations`);
  console.log(`axe, ${when}: ${passed} rules passed, ${violations.length} violated`);
}
