/* Habeas service worker: keeps the SOS page usable offline after one visit.
 * Served from / by a view (its scope is the whole site); the server fills in the version,
 * a hash of the shell's files, so every deploy that changes them installs a new cache.
 */
"use strict";

const VERSION = "{{ version }}";
const PREFIX = "habeas-shell-";
const CACHE = PREFIX + VERSION;
const SHELL = {{ shell_json|safe }};
const HOME = {{ home|safe }};
const API = {{ api_prefix|safe }};
const NETWORK_WAIT_MS = 4000; // on a crawling network, show the cached page rather than nothing
const MATCH = { ignoreSearch: true, ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // "reload" skips the HTTP cache, so the new version really holds new files.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
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
  // The API is never cached: a stale status or a replayed answer would be a lie.
  if (url.pathname.startsWith(API)) return;
  if (request.mode === "navigate" && url.pathname === HOME) {
    event.respondWith(home(event));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) =>
        cache.match(request, MATCH).then((cached) => cached || fetch(request)),
      ),
    );
  }
});

// The page: network first (fresh language, fresh token), the cached copy when offline.
async function home(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(HOME, MATCH);
  const network = fetch(event.request).then((response) => {
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      event.waitUntil(cache.put(HOME, copy));
    }
    return response;
  });
  // Keep the worker alive until the network answers, so the cache still gets refreshed.
  event.waitUntil(network.catch(() => null));
  if (!cached) return network;
  if (self.navigator.onLine === false) return cached;
  const slow = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
  return Promise.race([network.catch(() => cached), slow]);
}
