// Keep the case page live: poll the case's changing part (poll.js) and swap it in when the
// case changed. A swap never throws away what someone is typing: it waits until the forms are
// untouched.
(() => {
  "use strict";

  const live = document.getElementById("case-live");
  if (!live) return;
  const pendingNotice = document.getElementById("case-pending");
  let pending = null;

  function busy() {
    const active = document.activeElement;
    if (active && live.contains(active) && active.matches("textarea, select, input")) return true;
    for (const field of live.querySelectorAll(
      "textarea, select, input[type=text], input[type=date]",
    )) {
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
    // A folded section the reader opened stays open: the swap must not fold it under them.
    const open = Array.from(live.querySelectorAll("details[id][open]"), (d) => d.id);
    const doc = new DOMParser().parseFromString(pending, "text/html");
    live.replaceChildren(...doc.body.childNodes);
    for (const id of open) {
      const details = document.getElementById(id);
      if (details) details.open = true;
    }
    pending = null;
    if (pendingNotice) pendingNotice.hidden = true;
  }

  window.HabeasConsole.poll({
    url: live.dataset.url,
    etag: live.dataset.etag,
    everyMs: Number(live.dataset.pollMs) || 1500,
    changed: (html) => {
      pending = html;
    },
    // Every tick, changed or not: a held-back swap goes in once the forms are left alone.
    tick: showPending,
  });
})();
