// Keep the queue live without reloading (the polling itself is poll.js), without moving rows
// under the pointer: a new case that would push shown ones down arrives hidden, behind a
// "N new — show" button (one below them all just appears), and keyboard focus, the scroll
// position and a dispatcher's ticked cases survive every refresh.
// The poll asks for the same filters and page as the page itself (the URL carries them).
(() => {
  "use strict";

  const queue = document.getElementById("queue");
  if (!queue) return;
  const bar = document.getElementById("queue-new");
  const button = bar ? bar.querySelector("button") : null;

  const CARD = "ol.cards > [data-case-id]";
  // A dispatcher's ticks for "assign the ticked cases" (the form is outside the list).
  const TICK = "input[name=case]";
  // Cases the dispatcher has been shown; anything else waits for "show".
  const seen = new Set(Array.from(queue.querySelectorAll(CARD), (li) => li.dataset.caseId));

  function focused() {
    const active = document.activeElement;
    if (!active || !queue.contains(active)) return null;
    if (active.matches(TICK)) return { tick: active.value };
    const card = active.closest("[data-case-id], [data-my-case-id], [data-offer-id]");
    const href = active.getAttribute("href");
    if (!card || !href) return null;
    return { card: card.cloneNode(false), href: href };
  }

  function refocus(where) {
    if (!where) return;
    if (where.tick) {
      const box = queue.querySelector(`${TICK}[value="${CSS.escape(where.tick)}"]`);
      if (box) box.focus({ preventScroll: true });
      return;
    }
    const card = where.card;
    const key = ["caseId", "myCaseId", "offerId"].find((k) => card.dataset[k]);
    const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const selector = `[data-${name}="${CSS.escape(card.dataset[key])}"] a[href="${CSS.escape(where.href)}"]`;
    const target = queue.querySelector(selector);
    if (target) target.focus({ preventScroll: true });
  }

  function hideUnseen() {
    // A new case below every case already shown moves nothing: it simply appears. One that
    // would push a shown case down waits behind the button.
    const cards = Array.from(queue.querySelectorAll(CARD));
    let below = true;
    let fresh = 0;
    for (const li of cards.reverse()) {
      const id = li.dataset.caseId;
      if (seen.has(id)) {
        below = false;
      } else if (below) {
        seen.add(id);
      } else {
        li.hidden = true;
        fresh += 1;
      }
    }
    if (!bar || !button) return;
    bar.hidden = fresh === 0;
    button.textContent = button.dataset.label.replace("{n}", String(fresh));
  }

  function showAll(event) {
    // Pressed from the keyboard (a click with no pointer: detail 0), the button hides under
    // its own focus: the focus goes to the first case it brought in, not to the page's top.
    const byKeyboard = event && event.detail === 0;
    const fresh = Array.from(queue.querySelectorAll(CARD)).filter((li) => li.hidden);
    for (const li of queue.querySelectorAll(CARD)) {
      seen.add(li.dataset.caseId);
      li.hidden = false;
    }
    hideUnseen();
    const first = fresh.length ? fresh[0].querySelector("a.case-id") : null;
    if (byKeyboard && first) first.focus();
  }

  function show(html) {
    const where = focused();
    const scrolled = window.scrollY;
    const ticked = new Set(Array.from(queue.querySelectorAll(`${TICK}:checked`), (i) => i.value));
    // The HTML is our own server's rendering of the list; parsing it runs no scripts.
    const doc = new DOMParser().parseFromString(html, "text/html");
    queue.replaceChildren(...doc.body.childNodes);
    for (const box of queue.querySelectorAll(TICK)) box.checked = ticked.has(box.value);
    hideUnseen();
    window.scrollTo({ top: scrolled, behavior: "instant" });
    refocus(where);
    const meta = queue.querySelector("[data-open-count]");
    if (!meta) return;
    document.title = meta.dataset.title;
    const count = document.getElementById("open-count");
    if (count) count.textContent = meta.dataset.openCount;
  }

  if (button) button.addEventListener("click", showAll);

  window.HabeasConsole.poll({
    url: queue.dataset.url,
    etag: queue.dataset.etag,
    everyMs: Number(queue.dataset.pollMs) || 1500,
    changed: show,
  });
})();
