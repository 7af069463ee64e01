// Keep the case page live: poll the case's changing part and swap it in when the case changed.
// A swap never throws away what someone is typing: it waits until the forms are untouched.
(function () {
  "use strict";

  const live = document.getElementById("case-live");
  if (!live) return;
  const pendingNotice = document.getElementById("case-pending");
  const url = live.dataset.url;
  const every = Number(live.dataset.pollMs) || 1500;
  let etag = live.dataset.etag || "";
  let pending = null;
  let quietTicks = 0;

  function busy() {
    const active = document.activeElement;
    if (active && live.contains(active) && active.matches("textarea, select, input")) return true;
    for (const field of live.querySelectorAll("textarea, select, input[type=text], input[type=date]")) {
      if (field.value.trim() !== "") return true;
    }
    return live.querySelector("input[type=checkbox]:checked") !== null;
  }

  function showPending() {
    if (pending === null) return;
    if (busy()) {
      if (pendingNotice) pendingNotice.hidden = false;
      return;
    }
    const doc = new DOMParser().parseFromString(pending, "text/html");
    live.replaceChildren(...doc.body.childNodes);
    pending = null;
    if (pendingNotice) pendingNotice.hidden = true;
  }

  async function poll() {
    if (document.hidden && ++quietTicks < 10) return;
    quietTicks = 0;
    const response = await fetch(url, {
      headers: { "If-None-Match": etag },
      cache: "no-store",
      credentials: "same-origin",
    });
    // Redirected: the session ended. 401: it ran out while idle (see console/idle.py).
    if (response.redirected || response.status === 401) {
      window.location.reload();
      return;
    }
    if (response.status !== 200) return;
    etag = response.headers.get("ETag") || "";
    pending = await response.text();
  }

  function loop() {
    poll()
      .catch(function () { /* offline for a moment: try again next tick */ })
      .finally(function () {
        showPending();
        window.setTimeout(loop, every);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) quietTicks = 10;
  });
  window.setTimeout(loop, every);
})();
