// `cib export` served by a real nginx (Debian's nginx-light) with the server block of
// docs/deploy.md, taken from that file: the page runs under the exported headers and builds
// Linux and Windows installers, checked natively. Also prints what a visitor downloads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, readFileSync, chmodSync } from 'node:fs';
import {
  CIB, SITE, BASES, REPO, tempDir, run, launchBrowser, openBuilder, download, cleanupTemps,
} from './helpers.mjs';

const NGINX = process.env.NGINX || '/usr/sbin/nginx';
const VESSELINFO = 'seattle/seattle_repy/vesselinfo';
const dir = tempDir('cib-export-');
const exported = join(dir, 'site');
// Run as root, nginx serves from its workers as `nobody`: the export must be readable by all,
// as on a real host.
chmodSync(dir, 0o755);
let nginx;
let origin;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The documented block, pointed at the export and a loopback port, in a whole nginx.conf
 *  whose every file (pid, temp folders, logs) lies in the test's folder. */
function nginxConf(port) {
  const docs = readFileSync(join(REPO, 'docs', 'deploy.md'), 'utf8');
  const blocks = [...docs.matchAll(/```nginx\n([\s\S]*?)```/g)];
  assert.equal(blocks.length, 1, 'docs/deploy.md has one nginx block');
  let block = blocks[0][1];
  assert.ok(block.includes('/srv/cib') && block.includes('listen 80;'), block);
  block = block.replaceAll('/srv/cib', exported).replace('listen 80;', `listen 127.0.0.1:${port};`);
  const prefix = join(dir, 'nginx');
  mkdirSync(prefix);
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `    ${t}_temp_path ${join(prefix, t)};`).join('\n');
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, `daemon off;
master_process on;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 256; }
http {
    access_log ${join(prefix, 'access.log')};
${temps}
${block}
}
`);
  return { prefix, conf };
}

/** A GET as a browser sends it (gzip accepted): status, headers and the bytes on the wire. */
function fetchRaw(path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, headers: { 'accept-encoding': 'gzip', ...headers } }, (res) => {
      let bytes = 0;
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `_headers`: URL -> {lowercased name: value}. */
function headerRules(text) {
  const rules = {};
  let current;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('  ')) {
      const at = line.indexOf(': ');
      rules[current][line.slice(2, at).toLowerCase()] = line.slice(at + 2);
    } else {
      current = line;
      rules[current] = {};
    }
  }
  return rules;
}

before(async () => {
  run(CIB, ['export', exported, '--site', SITE, '--base-installers', BASES]);
  const port = await freePort();
  const { prefix, conf } = nginxConf(port);
  run(NGINX, ['-t', '-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')]);
  nginx = spawn(NGINX, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr.on('data', (d) => { stderr += d; });
  origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetchRaw('/');
      break;
    } catch (e) {
      if (i > 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${stderr} ${e}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    const timer = setTimeout(() => nginx.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  cleanupTemps();
});

test('nginx with the documented block sends the headers of the export\'s _headers', { timeout: 60_000 }, async () => {
  const rules = headerRules(readFileSync(join(exported, '_headers'), 'utf8'));
  const every = rules['/*'];
  assert.equal(every['access-control-allow-origin'], '*');
  const urls = Object.keys(rules).filter((u) => u !== '/*');
  assert.ok(urls.includes('/') && urls.includes('/base_installers/manifest.json'), urls.join(' '));
  let pages = 0;
  for (const url of urls) {
    const res = await fetchRaw(url, { origin: 'https://clearinghouse.example' });
    assert.equal(res.status, 200, url);
    for (const [name, value] of Object.entries({ ...every, ...rules[url] })) {
      // nginx names scripts application/javascript, as its mime.types does; both are right.
      if (name === 'content-type' && value.startsWith('text/javascript')) continue;
      assert.equal(res.headers[name], value, `${url}: ${name}`);
    }
    assert.equal('content-security-policy' in res.headers, 'content-security-policy' in rules[url], url);
    if (url.endsWith('.wasm')) assert.equal(res.headers['content-type'], 'application/wasm', url);
    pages += 'content-security-policy' in rules[url] ? 1 : 0;
  }
  assert.ok(pages >= 3, 'index.html under two URLs and embed-example.html have a policy');
  const missing = await fetchRaw('/no-such-file.js');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['cache-control'], 'no-store');
  assert.equal((await fetchRaw('/_headers')).status, 404, 'the header files are not served');
  // A Range request from another origin is preflighted.
  const preflight = await fetchRaw('/base_installers/seattle_win.zip', {
    origin: 'https://clearinghouse.example',
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'range',
  }, 'OPTIONS');
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.match(preflight.headers['access-control-allow-headers'], /\brange\b/);
  assert.equal((await fetchRaw('/_headers.nginx')).status, 404, 'the header files are not served');
});

test('the exported page builds Linux and Windows from nginx, under its CSP', { timeout: 240_000 }, async () => {
  const keys = join(dir, 'keys');
  run(CIB, ['keygen', 'alice', '--out', keys]);
  const alice = readFileSync(join(keys, 'alice.publickey'), 'utf8').trim();

  const opened = await openBuilder(browser, `${origin}/`);
  const { page, context } = opened;
  try {
    const csp = (await (await page.request.get(`${origin}/`)).headersArray())
      .find((h) => h.name.toLowerCase() === 'content-security-policy');
    assert.ok(csp && csp.value.includes("'sha256-"), 'the page came with its policy');

    await page.getByLabel('Name', { exact: true }).fill('alice');
    await page.getByLabel('Public key', { exact: true }).fill(alice);
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    await page.getByRole('button', { name: 'Remove alice', exact: true }).waitFor();
    await page.getByLabel('Owner of vessel 1', { exact: true }).selectOption('alice');
    for (const [label, on] of [['Linux', true], ['Mac', false], ['Windows', true], ['Android', false]]) {
      await page.getByRole('checkbox', { name: label, exact: true }).setChecked(on);
    }
    await page.getByRole('button', { name: 'Build installers', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Done: 2 of 2 installers ready.' }).waitFor({ timeout: 120_000 });
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads);
    const linux = await download(page, page.getByRole('link', { name: /^Download seattle_linux\.tgz \(/ }), downloads);
    const windows = await download(page, page.getByRole('link', { name: /^Download seattle_win\.zip \(/ }), downloads);

    const description = join(dir, 'build.json');
    writeFileSync(description, JSON.stringify({
      vessels: [{ percentage: 80, owner: 'alice' }],
      user_data: { alice: { public_key: alice } },
    }));
    const expected = run(CIB, ['vesselinfo', description], { encoding: 'utf8' });
    run('gzip', ['-t', linux]);
    run('unzip', ['-tq', windows]);
    assert.equal(run('tar', ['-xzOf', linux, VESSELINFO], { encoding: 'utf8' }), expected, 'Linux vesselinfo');
    assert.equal(run('unzip', ['-p', windows, VESSELINFO], { encoding: 'utf8' }), expected, 'Windows vesselinfo');

    const paths = opened.requests.map((r) => new URL(r.url()).pathname);
    for (const p of ['/base_installers/manifest.json', '/base_installers/seattle_linux.tgz', '/base_installers/seattle_win.zip']) {
      assert.ok(paths.includes(p), `${p} was fetched from nginx: ${paths.join(', ')}`);
    }
    for (const r of opened.requests) assert.equal(new URL(r.url()).origin, origin, r.url());
    assert.deepEqual(opened.problems, [], 'no console errors: the page ran under the policy');
  } finally {
    await context.close();
  }
});

test('what a visitor downloads from nginx (gzip as sent)', { timeout: 30_000 }, async () => {
  const names = readFileSync(join(exported, '_headers'), 'utf8').split('\n').filter((l) => l.startsWith('/') && l !== '/*');
  const sizes = {};
  for (const url of names) sizes[url] = (await fetchRaw(url)).bytes;
  const pageFiles = names.filter((u) => u === '/' || /^\/(cib-web-|style-|offline-)/.test(u)
    || ['/base_installers/manifest.json', '/sw.js'].includes(u));
  const workerFiles = names.filter((u) => u.startsWith('/cib-worker'));
  const sum = (xs) => xs.reduce((a, u) => a + sizes[u], 0);
  assert.equal(pageFiles.length, 7, pageFiles.join(' '));
  assert.equal(workerFiles.length, 2, workerFiles.join(' '));
  console.log(`the page (${pageFiles.join(' ')}): ${sum(pageFiles)} bytes`);
  console.log(`the worker, kept by the service worker after the first visit (${workerFiles.join(' ')}): ${sum(workerFiles)} bytes`);
  console.log(`the saved page, on "Save for offline use": ${sizes['/seattle-installer-builder.html']} bytes`);
  for (const url of names.filter((u) => u.startsWith('/base_installers/seattle_'))) console.log(`${url}: ${sizes[url]} bytes`);
  assert.ok(sum(pageFiles) < 300_000, 'the page stays small');
});
