/* The protester's SOS page: hold-to-send, a queued SOS that goes out once the phone is back
 * online (or by SMS meanwhile), and the live case status (status.js).
 *
 * An unanswered SOS is kept under habeas.pending (localStorage, see store.js) and copied to
 * IndexedDB for the service worker. The page retries it on start, every few seconds, and on
 * "online"; the worker retries it by Background Sync where the browser has it. All of them
 * send the same body under the same idempotency key, so the hotline gets one case.
 * Settings and translated strings come from the page as JSON (CSP allows no inline code).
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();

  const PENDING = "habeas.pending";
  const CASE = "habeas.case";
  const FIELDS = ["full_name", "date_of_birth", "phone", "note"];
  const LOCATE_MS = 3000; // an SOS never waits longer than this for a location
  const RETRY_MS = 3000;

  /* ---- The pending SOS ------------------------------------------------------------- */

  const sos = $("sos");
  let pending = null; // {key, body}: exactly what every retry sends
  let locating = false;
  let failedOnce = false; // after one failure the state line stays put, not flickering
  let syncAsked = false;

  function keep(value) {
    pending = value;
    H.write(PENDING, value);
    H.idb.put("pending", value); // for the worker's Background Sync
  }

  function forget() {
    pending = null;
    H.remove(PENDING);
    H.idb.del("pending");
  }

  function sendState(text) {
    $("send-state").textContent = text;
  }

  function setBusy(busy) {
    sos.setAttribute("aria-disabled", busy ? "true" : "false");
    sos.classList.toggle("busy", busy);
    show($("sos-stop"), busy);
    if (!busy) show($("offline-panel"), false);
  }

  // Not sent yet: say so plainly and offer what works without mobile data.
  function offerOffline() {
    const link = $("sms-link");
    const sending = pending;
    if (link && sending) {
      H.smsReference(sending.key).then((reference) => {
        const payload = H.smsPayload(reference, sending.body.location, sending.body.person);
        link.href = H.smsHref(config.smsNumber, payload);
      });
    }
    show($("offline-panel"), true);
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("sos"))
      .catch(() => {
        /* no Background Sync: the page's own retries carry on */
      });
  }

  async function sendSos(withoutDetails) {
    if (pending || H.read(CASE)) return;
    show($("send-errors"), false);
    const body = { kind: "detention" };
    if (!withoutDetails) {
      const sendable = H.sendable();
      if (sendable.person) body.person = sendable.person;
      if (sendable.city) body.city = sendable.city;
      if (sendable.contacts.length) body.contacts = sendable.contacts;
    }
    // Saved before anything else: if the page dies now, the next visit sends it.
    keep({ key: H.newKey(), body: body });
    setBusy(true);
    sendState(t.locating);
    locating = true;
    const loc = await H.locate(LOCATE_MS);
    locating = false;
    // The key is unused until the first attempt, so the body may still change.
    if (loc && pending) {
      pending.body.location = loc;
      keep(pending);
    }
    attempt();
  }

  const sender = H.sender({
    url: config.api.cases,
    retryMs: RETRY_MS,
    current: () => pending,
    waiting: () => locating,
    sending: () => {
      if (!failedOnce) sendState(t.sending);
    },
    accepted: accepted,
    rejected: rejected,
    failed: () => {
      if (!syncAsked) askForSync();
      syncAsked = true;
      failedOnce = true;
      sendState(t.notYet);
      offerOffline();
    },
  });
  const attempt = sender.attempt;

  function accepted(data) {
    const known = H.read(CASE);
    if (known && known.case_id === data.case_id) return; // the worker and the page both sent it
    // What the hotline refused on the way was left out of this SOS: say so once it is out.
    const dropped = (pending && pending.dropped) || [];
    H.write(CASE, { case_id: data.case_id, status_token: data.status_token, dropped: dropped });
    sender.stop();
    forget();
    failedOnce = false;
    setBusy(false);
    sendState("");
    show($("sos-screen"), false);
    showDropped(dropped);
    status.open(true);
  }

  function fieldLabel(field) {
    const contact = /^contacts\.(\d+)/.exec(field);
    if (contact) return H.format(t.contact, { n: Number(contact[1]) + 1 });
    if (field === "contacts") return t.fields.contacts;
    if (field.startsWith("location")) return t.fields.location;
    const name = field.replace(/^person\./, "");
    return t.fields[name] || t.fields.details;
  }

  function markInvalid(field) {
    const contact = /^contacts\.(\d+)/.exec(field);
    const id = contact ? `contact-value-${Number(contact[1]) + 1}` : field.replace(/^person\./, "");
    if (FIELDS.includes(id) || id === "city" || contact) {
      const el = $(id);
      if (el) el.setAttribute("aria-invalid", "true");
    }
  }

  // The sent SOS's left-out details, in the app's own words for each code (the server's
  // message is only a fallback, for a code this version of the app does not know).
  function showDropped(dropped) {
    const panel = $("dropped-notice");
    if (!panel) return;
    const list = $("dropped-list");
    list.textContent = "";
    const seen = new Set();
    for (const item of dropped) {
      const label = fieldLabel(item.field);
      const why = t.refusals[item.code] || item.message || t.refusals.invalid;
      const line = `${label}: ${why}`;
      if (seen.has(line)) continue;
      seen.add(line);
      markInvalid(item.field);
      const li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    }
    show(panel, dropped.length > 0);
  }

  // The SOS without the refused fields, or null when nothing is left to leave out. A field
  // the page cannot leave out alone (the body, the kind) leaves the bare SOS: kind and place.
  function withoutRefused(body, fields) {
    const next = JSON.parse(JSON.stringify(body));
    const dropContacts = new Set();
    let bare = false;
    for (const field of fields) {
      const contact = /^contacts\.(\d+)/.exec(field);
      if (field.startsWith("person.") && next.person) {
        delete next.person[field.split(".")[1]];
      } else if (field === "person") {
        delete next.person;
      } else if (contact) {
        dropContacts.add(Number(contact[1]));
      } else if (field === "contacts") {
        delete next.contacts;
      } else if (field === "city") {
        delete next.city;
      } else if (field.startsWith("location")) {
        delete next.location;
      } else {
        bare = true;
      }
    }
    if (next.person && !Object.keys(next.person).length) delete next.person;
    if (next.contacts) {
      next.contacts = next.contacts.filter((_c, i) => !dropContacts.has(i));
      if (!next.contacts.length) delete next.contacts;
    }
    if (bare) {
      const minimal = { kind: "detention" };
      if (next.location) minimal.location = next.location;
      return JSON.stringify(minimal) === JSON.stringify(body) ? null : minimal;
    }
    return JSON.stringify(next) === JSON.stringify(body) ? null : next;
  }

  // A 4xx means this exact body will never be accepted: change it, never hold the SOS back.
  // A refused field is left out and the SOS goes again at once; the person hears which after.
  function rejected(status, data) {
    const body = pending.body;
    const errors = Array.isArray(data.errors) ? data.errors : [];
    const fields = errors.map((e) => String(e.field || ""));
    const rekeyed = pending.rekeyed;
    const dropped = pending.dropped || [];
    forget();
    if (fields.includes("Idempotency-Key") && !rekeyed) {
      // The key, not the SOS, was refused: send the same body once more under a fresh key.
      resend(body, true, dropped);
      return;
    }
    // A 422 names its fields; any other refusal (a body too large) leaves the bare SOS.
    const refused = status === 422 && fields.length ? fields : ["body"];
    const retry = withoutRefused(body, refused);
    if (retry) {
      const left = errors.length
        ? errors.map((e) => ({
            field: String(e.field || ""),
            code: String(e.code || "invalid"),
            message: String(e.message || ""),
          }))
        : [{ field: "details", code: "invalid", message: String(data.detail || "") }];
      resend(retry, rekeyed, dropped.concat(left));
      return;
    }
    // Even the bare SOS was refused (a server that is not ours?): say so and offer the call.
    setBusy(false);
    failedOnce = false;
    sendState("");
    const list = $("send-errors-list");
    list.textContent = "";
    errors.forEach((e) => {
      const field = String(e.field || "");
      markInvalid(field);
      const li = document.createElement("li");
      li.textContent = `${fieldLabel(field)}: ${t.refusals[e.code] || e.message || ""}`;
      list.appendChild(li);
    });
    $("send-errors-title").textContent = errors.length ? t.rejected : t.rejectedOther;
    show($("send-errors"), true);
    $("send-without-details").focus();
  }

  // A changed body goes under a fresh key: the refused one stored nothing, and a key is never
  // reused for a different body (the server would answer 409).
  function resend(body, rekeyed, dropped) {
    keep({ key: H.newKey(), body: body, rekeyed: rekeyed, dropped: dropped });
    attempt();
  }

  $("send-without-details").addEventListener("click", () => {
    show($("send-errors"), false);
    sendSos(true);
  });

  $("sos-stop").addEventListener("click", () => {
    sender.stop();
    forget();
    failedOnce = false;
    setBusy(false);
    sendState(t.stopped);
  });

  /* ---- Hold to send ---------------------------------------------------------------- */

  let holdTimer = null;
  document.documentElement.style.setProperty("--hold-ms", `${config.holdMs}ms`);

  function startHold() {
    if (holdTimer || pending) return;
    sendState("");
    sos.classList.add("holding");
    holdTimer = setTimeout(() => {
      holdTimer = null;
      sos.classList.remove("holding");
      if (navigator.vibrate) navigator.vibrate(200);
      sendSos();
    }, config.holdMs);
  }

  function cancelHold() {
    if (!holdTimer) return;
    clearTimeout(holdTimer);
    holdTimer = null;
    sos.classList.remove("holding");
    // A tap sends nothing (no alerts from a pocket); say how to send instead.
    sendState(t.tooShort);
  }

  if (window.PointerEvent) {
    sos.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      try {
        sos.setPointerCapture(event.pointerId);
      } catch (_err) {
        /* capture is a nicety: a finger sliding off still cancels below */
      }
      startHold();
    });
    for (const name of ["pointerup", "pointercancel", "lostpointercapture"]) {
      sos.addEventListener(name, cancelHold);
    }
  } else {
    sos.addEventListener(
      "touchstart",
      (event) => {
        event.preventDefault();
        startHold();
      },
      { passive: false },
    );
    for (const name of ["touchend", "touchcancel", "mouseup", "mouseleave"]) {
      sos.addEventListener(name, cancelHold);
    }
    sos.addEventListener("mousedown", startHold);
  }
  // A long press would otherwise open the context menu or select the text.
  sos.addEventListener("contextmenu", (event) => event.preventDefault());
  sos.addEventListener("click", (event) => event.preventDefault());
  sos.addEventListener("keydown", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    if (!event.repeat) startHold();
  });
  sos.addEventListener("keyup", (event) => {
    if (event.key !== " " && event.key !== "Enter") return;
    event.preventDefault();
    cancelHold();
  });
  sos.addEventListener("blur", cancelHold);

  // The equally deliberate path for people who cannot hold: two separate presses.
  function toggle(button, panel, open) {
    show(panel, open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  $("sos-alt").addEventListener("click", () => toggle($("sos-alt"), $("sos-alt-panel"), true));
  $("sos-alt-cancel").addEventListener("click", () =>
    toggle($("sos-alt"), $("sos-alt-panel"), false),
  );
  $("sos-alt-confirm").addEventListener("click", () => {
    toggle($("sos-alt"), $("sos-alt-panel"), false);
    sos.focus(); // the confirm button just disappeared; keep focus near the state line
    sendSos();
  });

  // Locked details are never a reason to wait: the SOS goes without them, and says so.
  function lockedNote() {
    show($("locked-note"), H.details.locked());
  }
  document.addEventListener("habeas:details", lockedNote);
  lockedNote();

  /* ---- Status and start ------------------------------------------------------------ */

  const status = H.status({
    caseKey: CASE,
    onStartOver: () => {
      showDropped([]);
      show($("sos-screen"), true);
      sendState("");
      sos.focus();
    },
  });

  if (H.read(CASE)) {
    show($("sos-screen"), false);
    showDropped(H.read(CASE).dropped || []);
    status.open(false);
  } else {
    pending = H.read(PENDING);
    if (pending) {
      H.idb.put("pending", pending);
      setBusy(true);
      failedOnce = true;
      sendState(t.resuming);
      attempt();
    }
  }

  window.addEventListener("online", () => {
    if (pending) attempt();
  });

  if ("serviceWorker" in navigator) {
    // The worker sent the queued SOS (Background Sync) while this page waited.
    navigator.serviceWorker.addEventListener("message", (event) => {
      const msg = event.data || {};
      if (msg.type === "sos-accepted" && pending && msg.key === pending.key && msg.answer) {
        accepted(msg.answer);
      }
    });
    navigator.serviceWorker.register(config.sw).catch(() => {
      /* the page works without offline support */
    });
  }
})();
