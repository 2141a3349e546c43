// Service worker for the watch pages (served as /watch/sw.js, scope /watch/). It keeps the scan
// page's scripts, styles, icons and the camera decoder, and the last scan page itself, so that a
// tablet reloaded without network still opens ready to scan. It never stores API answers.
// The server prepends GANGWAY_SW = {version, assets, page}; version changes with any asset.
/* global GANGWAY_SW */

const CACHE = `gangway-${GANGWAY_SW.version}`;
const ASSETS = new Set(GANGWAY_SW.assets);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all([cache.addAll(GANGWAY_SW.assets), keepPage(cache)]))
      .then(() => self.skipWaiting()),
  );
});

// The page that registered us was loaded before we could see it: fetch it once now.
async function keepPage(cache) {
  try {
    const response = await fetch(GANGWAY_SW.page, { credentials: "same-origin" });
    if (response.ok && response.headers.get("X-Gangway-Offline") === "scan-page") {
      await cache.put(GANGWAY_SW.page, response);
    }
  } catch (err) {
    console.warn("sw: scan page not kept", err);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("gangway-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // scans, logins: always the network
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (ASSETS.has(url.pathname)) event.respondWith(asset(request, url.pathname));
});

async function asset(request, path) {
  const cache = await caches.open(CACHE);
  return (await cache.match(path)) || fetch(request);
}

// Network first: the page is fresh whenever the server answers; the last scan page otherwise.
async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get("X-Gangway-Offline") === "scan-page") {
      await cache.put(GANGWAY_SW.page, response.clone());
    } else if (response.type === "opaqueredirect" || response.status === 401) {
      await cache.delete(GANGWAY_SW.page); // logged out: do not keep the page for the next user
    }
    return response;
  } catch (err) {
    const saved = await cache.match(GANGWAY_SW.page);
    if (saved) return saved;
    return new Response("Offline, and this tablet has no saved scan page yet.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
