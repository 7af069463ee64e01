/* Habeas "Safe photo" service worker: keeps the page and its face model usable offline.
 * Scoped to the page's own path, so it never touches the SOS page's worker or cache.
 * Served by a view that fills in the version, a hash of every file listed below; the
 * shared code is public/worker/core.js, included below.
 */
"use strict";

const PREFIX = "habeas-photo-";
const CACHE = PREFIX + "{{ version }}";
const PAGE = {{ page|safe }};
const FILES = {{ files|safe }};

{% include "public/worker/core.js" %}

keepOffline(PREFIX, CACHE, FILES, []);

// Scripts go to the page as a stream of the cached body, not as the cached response itself:
// Chrome compiles a script answered from the cache as it stands on the page's main thread
// (face-api's 1.3 MB froze the page for about a second under Lighthouse's slow phone, on every
// visit), and compiles a streamed one off it as it arrives.
const SCRIPTS = FILES.filter((path) => path.endsWith(".js"));
const streamed = (response) =>
  new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(networkFirst(event, PAGE, CACHE, () => true));
    return;
  }
  if (SCRIPTS.includes(url.pathname)) {
    event.respondWith(cachedFirst(request, CACHE).then(streamed));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(cachedFirst(request, CACHE));
  }
});
