// Keep the queue live without reloading: swap in the list whenever the server says it changed
// (the polling itself is poll.js).
(() => {
  "use strict";

  const queue = document.getElementById("queue");
  if (!queue) return;

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

  window.HabeasConsole.poll({
    url: queue.dataset.url,
    etag: queue.dataset.etag,
    everyMs: Number(queue.dataset.pollMs) || 1500,
    changed: show,
  });
})();
