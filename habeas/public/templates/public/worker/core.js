/* The offline core both Habeas service workers share: the site's (/sw.js) and the Safe
 * photo page's (/photo/sw.js). Each worker's template includes this file after naming its
 * cache, then adds only what is its own (which requests it answers, Background Sync).
 * Plain JavaScript, no template tags: it is included verbatim and linted as it is.
 *
 * One rule for every cache: only install writes a new one. Later writes go only to a cache
 * that still holds the entry (so after the panic wipe deleted the caches, nothing re-creates
 * them), and reads use caches.match, never caches.open, which would create an empty cache.
 */
// biome-ignore-all lint/correctness/noUnusedVariables: the worker that includes this file calls them
const NETWORK_WAIT_MS = 4000; // on a crawling network, show the cached page rather than nothing
const MATCH = { ignoreSearch: true, ignoreVary: true };

// "reload" skips the HTTP cache, so the new version really holds new files.
const fresh = (url) => new Request(url, { cache: "reload" });

// Install: cache every `required` URL (all or nothing) and each `optional` one if it loads
// (a guide that fails must not cost the SOS page). Activate: drop this worker's old caches.
function keepOffline(prefix, cacheName, required, optional) {
  self.addEventListener("install", (event) => {
    event.waitUntil(
      caches
        .open(cacheName)
        .then((cache) =>
          cache
            .addAll(required.map(fresh))
            .then(() =>
              Promise.all(optional.map((url) => cache.add(fresh(url)).catch(() => null))),
            ),
        )
        .then(() => self.skipWaiting()),
    );
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter((n) => n.startsWith(prefix) && n !== cacheName)
              .map((n) => caches.delete(n)),
          ),
        )
        .then(() => self.clients.claim()),
    );
  });
}

// A static file: the cached copy, else the network.
function cachedFirst(request, cacheName) {
  return caches
    .match(request, { ...MATCH, cacheName: cacheName })
    .then((hit) => hit || fetch(request));
}

// A page: network first (fresh language, fresh text), the cached copy when offline or when
// the network crawls. `mayKeep(key, url)` says whether a fresh answer may replace the copy.
async function networkFirst(event, key, cacheName, mayKeep) {
  const url = new URL(event.request.url);
  const cached = await caches.match(key, { ...MATCH, cacheName: cacheName });
  const network = fetch(event.request).then((response) => {
    if (response.ok && !response.redirected && cached && mayKeep(key, url)) {
      const copy = response.clone();
      event.waitUntil(caches.open(cacheName).then((cache) => cache.put(key, copy)));
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
