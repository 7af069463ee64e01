/* Habeas "Safe photo" service worker: keeps the page and its face model usable offline.
 * Scoped to the page's own path, so it never touches the SOS page's worker or cache.
 * Served by a view that fills in the version, a hash of every file listed below.
 */
"use strict";

const PREFIX = "habeas-photo-";
const CACHE = PREFIX + "{{ version }}";
const PAGE = {{ page|safe }};
const FILES = {{ files|safe }};
const NETWORK_WAIT_MS = 4000;
const MATCH = { ignoreSearch: true, ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(page(event));
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request, MATCH).then((cached) => cached || fetch(request)),
      ),
    );
  }
});

// The page: network first (fresh language), the cached copy when offline or very slow.
async function page(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(PAGE, MATCH);
  const network = fetch(event.request).then((response) => {
    if (response.ok && !response.redirected) {
      event.waitUntil(cache.put(PAGE, response.clone()));
    }
    return response;
  });
  event.waitUntil(network.catch(() => null));
  if (!cached) return network;
  if (self.navigator.onLine === false) return cached;
  const slow = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
  return Promise.race([network.catch(() => cached), slow]);
}
