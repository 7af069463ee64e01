// Keep the queue live without reloading: ask every few seconds whether anything changed.
// The server answers 304 (no body) while its ETag matches, so an idle queue costs almost nothing.
(function () {
  "use strict";

  const queue = document.getElementById("queue");
  if (!queue) return;
  const url = queue.dataset.url;
  const every = Number(queue.dataset.pollMs) || 1500;
  let etag = queue.dataset.etag || "";
  let quietTicks = 0;

  function show(html) {
    // The HTML is our own server's rendering of the list; parsing it runs no scripts.
    const doc = new DOMParser().parseFromString(html, "text/html");
    queue.replaceChildren(...doc.body.childNodes);
    const meta = queue.querySelector("[data-open-count]");
    if (!meta) return;
    document.title = meta.dataset.title;
    const count = document.getElementById("open-count");
    if (count) count.textContent = meta.dataset.openCount;
  }

  async function poll() {
    // A hidden tab asks ten times less often and catches up as soon as it is shown again.
    if (document.hidden && ++quietTicks < 10) return;
    quietTicks = 0;
    const response = await fetch(url, {
      headers: { "If-None-Match": etag },
      cache: "no-store",
      credentials: "same-origin",
    });
    if (response.redirected || response.status === 401) {
      // The session ended (401: it ran out while idle, see console/idle.py): reloading takes
      // the page itself to the login page.
      window.location.reload();
      return;
    }
    if (response.status !== 200) return;
    etag = response.headers.get("ETag") || "";
    show(await response.text());
  }

  function loop() {
    poll()
      .catch(function () { /* offline for a moment: try again next tick */ })
      .finally(function () { window.setTimeout(loop, every); });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) quietTicks = 10;
  });
  window.setTimeout(loop, every);
})();
