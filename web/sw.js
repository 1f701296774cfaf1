// The hosted page's service worker, so that the page keeps working without a network. The
// post-build step (web/post_build.py) writes this build's files and version into it; a new build
// is a new worker, which waits until the page offers the update and the person takes it.
//
// - The page's files (trunk names them by their hash) are kept on install and served from the
//   cache: the page and its scripts always belong to the same build.
// - The base installers' manifest is fetched from the network first and kept for offline use.
//   The base installers themselves are kept by the page (the Cache API, under their sha256),
//   which checks each against the manifest before using it, online or not.
// - Everything else goes to the network untouched.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const PAGE_CACHE = `cib-page-${VERSION}`;
const MANIFEST_CACHE = 'cib-manifest';
const MANIFEST = 'base_installers/manifest.json';

const here = new URL('./', self.location.href);

self.addEventListener('install', (event) => {
  // `no-cache` asks the host whether the browser's copy is current (so no file of an older build
  // slips in) without downloading again what the page just loaded (a 304).
  event.waitUntil(caches.open(PAGE_CACHE).then((cache) =>
    cache.addAll(FILES.map((file) => new Request(new URL(file, here), { cache: 'no-cache' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('cib-page-') && name !== PAGE_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The page sends this when the person chose to load the new version.
self.addEventListener('message', (event) => {
  if (event.data === 'update') self.skipWaiting();
});

async function fromPage(path) {
  const cache = await caches.open(PAGE_CACHE);
  return (await cache.match(new URL(path, here))) ?? fetch(new URL(path, here));
}

async function manifest(request) {
  const cache = await caches.open(MANIFEST_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request.url, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(request.url);
    if (kept) return kept;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== here.origin || !url.pathname.startsWith(here.pathname)) return;
  const path = url.pathname.slice(here.pathname.length);
  if (request.mode === 'navigate' && (path === '' || path === 'index.html')) {
    event.respondWith(fromPage('index.html'));
  } else if (FILES.includes(path)) {
    event.respondWith(fromPage(path));
  } else if (path === MANIFEST) {
    event.respondWith(manifest(request));
  }
});
