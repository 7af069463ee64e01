// Keep the station board live (the polling itself is poll.js). A swap never throws away a
// lawyer chosen in a picker or the focus of someone using the keyboard: it waits until the
// board's forms are left alone, and then puts the focus back on the same control.
(() => {
  "use strict";

  const board = document.getElementById("board");
  if (!board) return;
  const notice = document.getElementById("board-pending");
  let pending = null;

  function busy() {
    const active = document.activeElement;
    if (active && board.contains(active) && active.matches("select")) return true;
    for (const field of board.querySelectorAll("select")) {
      if (field.value !== "") return true;
    }
    return false;
  }

  function focusedKey() {
    const active = document.activeElement;
    if (!active || !board.contains(active)) return null;
    const row = active.closest("[data-station-id]");
    if (!row) return null;
    const form = active.closest("form");
    return {
      station: row.dataset.stationId,
      form: form ? form.className : "",
      tag: active.tagName,
    };
  }

  function refocus(key) {
    if (!key) return;
    const row = board.querySelector(`[data-station-id="${CSS.escape(key.station)}"]`);
    if (!row) return;
    const scope = key.form ? row.querySelector(`form.${CSS.escape(key.form)}`) : row;
    const target = scope ? scope.querySelector(key.tag.toLowerCase()) : null;
    if (target) target.focus({ preventScroll: true });
  }

  function showPending() {
    if (pending === null) return;
    if (busy()) {
      if (notice) notice.hidden = false;
      return;
    }
    const key = focusedKey();
    const scrolled = window.scrollY;
    // The HTML is our own server's rendering of the board; parsing it runs no scripts.
    const doc = new DOMParser().parseFromString(pending, "text/html");
    board.replaceChildren(...doc.body.childNodes);
    pending = null;
    if (notice) notice.hidden = true;
    window.scrollTo({ top: scrolled, behavior: "instant" });
    refocus(key);
  }

  window.HabeasConsole.poll({
    url: board.dataset.url,
    etag: board.dataset.etag,
    everyMs: Number(board.dataset.pollMs) || 1500,
    changed: (html) => {
      pending = html;
    },
    tick: showPending,
  });
})();
