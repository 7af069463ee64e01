/* The site worker's own part (see sw.js for its constants, core.js for the shared code):
 * which requests it answers from the cache, the queued SOS it sends by Background Sync, and
 * the one report of its first install.
 */
const DB = "habeas";
const STORE = "kv";

/* ---- The anonymous install count (docs/stats.md) --------------------------------------
 * A site worker that installs where no site cache exists yet is this browser's first install:
 * once it is active it sends one empty POST, and the server adds one to the day's number.
 * The marker is the site's own cache: an update or a language switch installs beside the old
 * cache, so it reports nothing; the panic wipe deletes every cache, so the marker goes with
 * everything else, and nothing new is kept on the phone for this. Read before keepOffline
 * opens this version's cache (this listener runs first). A report that fails is dropped: no
 * retry, no queue. It sends no cookie and no referrer, to the same origin (connect-src 'self').
 */
const REPORT_WAIT_MS = 5000;
let firstInstall = false;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => {
        firstInstall = !names.some((n) => n.startsWith(PREFIX));
      })
      .catch(() => null),
  );
});

function reportFirstInstall() {
  if (!firstInstall) return Promise.resolve();
  firstInstall = false;
  const abort = typeof AbortController === "function" ? new AbortController() : null;
  const timer = abort ? setTimeout(() => abort.abort(), REPORT_WAIT_MS) : null;
  return fetch(INSTALLS, {
    method: "POST",
    credentials: "omit",
    cache: "no-store",
    referrerPolicy: "no-referrer",
    signal: abort ? abort.signal : undefined,
  })
    .catch(() => null)
    .then(() => clearTimeout(timer));
}

// Only once installed: a failed install reports nothing, and the next one is still the first.
self.addEventListener("activate", (event) => {
  event.waitUntil(reportFirstInstall());
});

// The SOS page must be complete; a guide that fails to load must not cost the rest.
keepOffline(PREFIX, CACHE, SHELL, PAGES);

// The wipe page is never written back: it must leave no cache behind.
const mayKeep = (key, url) => !url.search && key !== WIPE;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // The API is never cached: a stale status or a replayed answer would be a lie.
  if (url.pathname.startsWith(API)) return;
  if (request.mode === "navigate" && (url.pathname === HOME || PAGES.includes(url.pathname))) {
    event.respondWith(networkFirst(event, url.pathname, CACHE, mayKeep));
    return;
  }
  if (SHELL.includes(url.pathname) || PAGES.includes(url.pathname)) {
    event.respondWith(cachedFirst(request, CACHE));
  }
});

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

// "Come back later" answers: the SOS is kept and sent again, never dropped.
const RETRY_LATER = [408, 429];
const RETRY_WITHIN_SECONDS = 30;
const RETRIES_WITHIN_ONE_SYNC = 3;

function post(pending) {
  return fetch(CASES, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Idempotency-Key": pending.key },
    body: JSON.stringify(pending.body),
  });
}

function retryAfter(response) {
  const seconds = Number.parseInt(response.headers.get("Retry-After") || "", 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : RETRY_WITHIN_SECONDS;
}

async function sendPending() {
  const pending = await idb("readonly", (store) => store.get("pending"));
  if (!pending || !pending.key) return;
  // Still offline, this throws: the browser tries the sync again later.
  let response = await post(pending);
  for (let tries = 0; RETRY_LATER.includes(response.status); tries += 1) {
    const wait = retryAfter(response);
    // A short wait is waited out here; a long one (or too many) is left to the browser,
    // which runs the sync again later: a carrier network over its limit only delays it.
    if (tries >= RETRIES_WITHIN_ONE_SYNC || wait > RETRY_WITHIN_SECONDS) {
      throw new Error(`asked to retry after ${wait} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    response = await post(pending);
  }
  if (response.status >= 500) throw new Error(`server error ${response.status}`);
  if (response.status !== 200 && response.status !== 201) return; // the page shows refusals
  const answer = await response.json();
  const current = await idb("readonly", (store) => store.get("pending"));
  if (current && current.key === pending.key) {
    await idb("readwrite", (store) => store.delete("pending"));
  }
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of pages) {
    client.postMessage({ type: "sos-accepted", key: pending.key, answer: answer });
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === "sos") event.waitUntil(sendPending());
});
