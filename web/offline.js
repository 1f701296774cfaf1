// The hosted page's offline support: registers the service worker (sw.js), and when the site has
// a new build, says so and reloads into it once the person agrees (never on its own: a reload
// would lose what they entered). Not part of the saved page or the embedded element.
const banner = document.getElementById('cib-update');

function offer(worker) {
  banner.hidden = false;
  banner.querySelector('button').addEventListener('click', () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
    worker.postMessage('update');
  }, { once: true });
}

async function register() {
  const registration = await navigator.serviceWorker.register('sw.js');
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      // With no controller this is the first install, not an update.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  });
  // A page left open for days still hears of a new build.
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

if ('serviceWorker' in navigator && banner) {
  // Without it (a plain-http host, a private window) the page works as before, online only.
  register().catch(() => {});
}
