/* Habeas service worker: keeps the SOS page, the guides and the other pages usable offline
 * after one visit, and sends a queued SOS when the connection returns (Background Sync).
 * Served from / by a view (its scope is the whole site); the server fills in the version,
 * a hash of the shell's files and the guides' texts, so every deploy that changes them
 * installs a new cache. Pages are cached in the language the reader chose: the language is
 * in this file's body, so switching it installs a new worker and a new cache.
 */
"use strict";

const VERSION = "{{ version }}";
const LANG = {{ lang|safe }};
const PREFIX = "habeas-shell-";
const CACHE = PREFIX + VERSION + "-" + LANG;
const SHELL = {{ shell_json|safe }};
const PAGES = {{ pages_json|safe }};
const HOME = {{ home|safe }};
const WIPE = {{ wipe|safe }};
const API = {{ api_prefix|safe }};
const CASES = {{ cases|safe }};
const NETWORK_WAIT_MS = 4000; // on a crawling network, show the cached page rather than nothing
const MATCH = { ignoreSearch: true, ignoreVary: true };
const DB = "habeas";
const STORE = "kv";

// "reload" skips the HTTP cache, so the new version really holds new files.
const fresh = (url) => new Request(url, { cache: "reload" });

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        // The SOS page must be complete; a guide that fails to load must not cost the rest.
        cache.addAll(SHELL.map(fresh)).then(() =>
          Promise.all(PAGES.map((url) => cache.add(fresh(url)).catch(() => null))),
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
  if (request.mode === "navigate" && (url.pathname === HOME || PAGES.includes(url.pathname))) {
    event.respondWith(page(event, url));
    return;
  }
  if (SHELL.includes(url.pathname) || PAGES.includes(url.pathname)) {
    event.respondWith(
      // caches.match, not caches.open: opening would re-create a cache the wipe just removed.
      caches.match(request, { ...MATCH, cacheName: CACHE }).then((hit) => hit || fetch(request)),
    );
  }
});

// A page: network first (fresh language, fresh text), the cached copy when offline or when
// the network crawls. The wipe page is never written back: it must leave no cache behind.
async function page(event, url) {
  const key = url.pathname;
  const cached = await caches.match(key, { ...MATCH, cacheName: CACHE });
  const network = fetch(event.request).then((response) => {
    if (response.ok && !response.redirected && !url.search && key !== WIPE && cached) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
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

/* ---- A queued SOS, sent when the connection returns ------------------------------------
 * The page keeps its unsent SOS in localStorage and, for this worker, in IndexedDB. Both
 * send it under the same idempotency key, so however many of them succeed, the hotline gets
 * one case. The page also retries by itself (on start, every few seconds, on "online"):
 * Background Sync is the extra chance for a page that was closed.
 */

function idb(mode, run) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(STORE, mode);
      const request = run(tx.objectStore(STORE));
      tx.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}

async function sendPending() {
  const pending = await idb("readonly", (store) => store.get("pending"));
  if (!pending || !pending.key) return;
  // Still offline, this throws: the browser tries the sync again later.
  const response = await fetch(CASES, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Idempotency-Key": pending.key },
    body: JSON.stringify(pending.body),
  });
  if (response.status >= 500) throw new Error("server error " + response.status);
  if (response.status !== 200 && response.status !== 201) return; // the page shows refusals
  const answer = await response.json();
  const current = await idb("readonly", (store) => store.get("pending"));
  if (current && current.key === pending.key) {
    await idb("readwrite", (store) => store.delete("pending"));
  }
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  pages.forEach((client) =>
    client.postMessage({ type: "sos-accepted", key: pending.key, answer: answer }),
  );
}

self.addEventListener("sync", (event) => {
  if (event.tag === "sos") event.waitUntil(sendPending());
});
