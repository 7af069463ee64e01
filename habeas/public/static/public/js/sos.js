/* The protester's SOS page: hold-to-send, details kept on the phone, the live case status.
 *
 * Everything the page remembers lives in localStorage under three keys:
 *   habeas.details  the person's own details, sent only with an SOS
 *   habeas.pending  an SOS not yet answered: its idempotency key and exact body
 *   habeas.case     the answered SOS: case id and status token
 * Settings and translated strings come from the page as JSON (CSP allows no inline code).
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("sos-config").textContent);
  const t = JSON.parse(document.getElementById("sos-strings").textContent);
  const $ = (id) => document.getElementById(id);

  const DETAILS = "habeas.details";
  const PENDING = "habeas.pending";
  const CASE = "habeas.case";
  const FIELDS = ["full_name", "date_of_birth", "phone", "note"];
  const LOCATE_MS = 3000; // an SOS never waits longer than this for a location
  const RETRY_MS = 3000;
  const REQUEST_MS = 15000; // a hung request must not stop the retries

  // Storage can be missing or full (private mode, disabled): memory keeps this visit's
  // values, and is read first so a failed write never brings back an old value.
  const memory = {};
  function read(key) {
    if (key in memory) return memory[key];
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? null : JSON.parse(raw);
    } catch (err) {
      return null;
    }
  }
  function write(key, value) {
    memory[key] = value;
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (err) {
      /* memory holds it */
    }
  }
  function remove(key) {
    delete memory[key];
    try {
      window.localStorage.removeItem(key);
    } catch (err) {
      /* nothing stored */
    }
  }

  function show(el, visible) {
    el.hidden = !visible;
  }

  function fetchWithin(url, options, ms) {
    if (!window.AbortController) return fetch(url, options);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    options.signal = controller.signal;
    return fetch(url, options).finally(() => clearTimeout(timer));
  }

  function newKey() {
    // getRandomValues works on plain http too, unlike crypto.randomUUID.
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* ---- My details ------------------------------------------------------------------ */

  const form = $("details-form");

  function loadDetails() {
    const saved = read(DETAILS) || {};
    FIELDS.forEach((name) => {
      $(name).value = saved[name] || "";
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    FIELDS.forEach((name) => $(name).removeAttribute("aria-invalid"));
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    const details = {};
    FIELDS.forEach((name) => {
      details[name] = $(name).value.trim();
    });
    write(DETAILS, details);
    $("details-state").textContent = t.saved;
  });

  $("clear-details").addEventListener("click", () => {
    remove(DETAILS);
    form.reset();
    FIELDS.forEach((name) => $(name).removeAttribute("aria-invalid"));
    $("details-state").textContent = t.cleared;
  });

  // The person part of an SOS: saved details only, empty fields left out.
  function person() {
    const saved = read(DETAILS) || {};
    const out = {};
    FIELDS.forEach((name) => {
      const value = (saved[name] || "").trim();
      if (value) out[name] = value;
    });
    return Object.keys(out).length ? out : null;
  }

  /* ---- Location -------------------------------------------------------------------- */

  // Resolve with a location or null within LOCATE_MS, whatever the permission prompt does
  // (the API's own timeout does not count the time the prompt is open).
  function locate() {
    return new Promise((resolve) => {
      if (!("geolocation" in navigator)) {
        resolve(null);
        return;
      }
      let done = false;
      const finish = (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => finish(null), LOCATE_MS);
      try {
        navigator.geolocation.getCurrentPosition(
          (pos) => {
            const c = pos.coords;
            const loc = {
              lat: c.latitude,
              lon: c.longitude,
              captured_at: new Date(pos.timestamp || Date.now()).toISOString(),
            };
            if (Number.isFinite(c.accuracy) && c.accuracy >= 0 && c.accuracy <= 100000) {
              loc.accuracy_m = Math.round(c.accuracy);
            }
            finish(loc);
          },
          () => finish(null),
          { enableHighAccuracy: false, timeout: LOCATE_MS, maximumAge: 60000 },
        );
      } catch (err) {
        finish(null);
      }
    });
  }

  /* ---- Sending --------------------------------------------------------------------- */

  const sos = $("sos");
  let pending = null; // {key, body}: exactly what every retry sends
  let locating = false;
  let inFlight = false;
  let retryTimer = null;
  let failedOnce = false; // after one failure the state line stays put, not flickering

  function sendState(text) {
    $("send-state").textContent = text;
  }

  function setBusy(busy) {
    sos.setAttribute("aria-disabled", busy ? "true" : "false");
    sos.classList.toggle("busy", busy);
    show($("sos-stop"), busy);
  }

  async function sendSos(withoutDetails) {
    if (pending || read(CASE)) return;
    show($("send-errors"), false);
    const body = { kind: "detention" };
    if (!withoutDetails) {
      const p = person();
      if (p) body.person = p;
    }
    // Saved before anything else: if the page dies now, the next visit sends it.
    pending = { key: newKey(), body: body };
    write(PENDING, pending);
    setBusy(true);
    sendState(t.locating);
    locating = true;
    const loc = await locate();
    locating = false;
    // The key is unused until the first attempt, so the body may still change.
    if (loc && pending) {
      pending.body.location = loc;
      write(PENDING, pending);
    }
    attempt();
  }

  async function attempt() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (!pending || inFlight || locating) return;
    const sent = pending;
    inFlight = true;
    if (!failedOnce) sendState(t.sending);
    let res = null;
    let data = null;
    try {
      res = await fetchWithin(
        config.api.cases,
        {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "Idempotency-Key": sent.key },
          body: JSON.stringify(sent.body),
        },
        REQUEST_MS,
      );
      data = await res.json();
    } catch (err) {
      data = null; // offline, timed out, or not our JSON (a captive portal's page)
    }
    inFlight = false;
    if (res && (res.status === 200 || res.status === 201) && data && data.status_token) {
      // Accepted even if "Stop trying" was pressed meanwhile: the case exists, so show it.
      accepted(data);
      return;
    }
    if (pending !== sent) return;
    // Only our own JSON error is a refusal; a proxy's or captive portal's 4xx page is not.
    const ours = data && typeof data.detail === "string";
    if (ours && res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      rejected(res.status, data);
      return;
    }
    failedOnce = true;
    sendState(t.notYet);
    retryTimer = setTimeout(attempt, RETRY_MS);
  }

  function accepted(data) {
    write(CASE, { case_id: data.case_id, status_token: data.status_token });
    remove(PENDING);
    pending = null;
    failedOnce = false;
    setBusy(false);
    sendState("");
    showStatusScreen(true);
  }

  // A 4xx means this exact body will never be accepted: change it, never drop the SOS.
  function rejected(status, data) {
    const body = pending.body;
    const errors = Array.isArray(data.errors) ? data.errors : [];
    const fields = errors.map((e) => String(e.field || ""));
    const rekeyed = pending.rekeyed;
    pending = null;
    remove(PENDING);
    if (fields.includes("Idempotency-Key") && !rekeyed) {
      // The key, not the SOS, was refused: send the same body once more under a fresh key.
      resend(body, true);
      return;
    }
    if (status === 422 && fields.length && fields.every((f) => f.startsWith("location"))) {
      // A bad location (a phone clock far ahead) must not stop the SOS: send without it.
      const retry = { kind: body.kind };
      if (body.person) retry.person = body.person;
      resend(retry, false);
      return;
    }
    setBusy(false);
    failedOnce = false;
    sendState("");
    const list = $("send-errors-list");
    list.textContent = "";
    errors.forEach((e) => {
      const name = String(e.field || "").replace(/^person\./, "");
      if (FIELDS.includes(name)) $(name).setAttribute("aria-invalid", "true");
      const li = document.createElement("li");
      // The API's messages carry pydantic's "Value error, " prefix: noise for a person.
      const message = String(e.message || "").replace(/^Value error, /, "");
      li.textContent = (t.fields[name] || e.field) + ": " + message;
      list.appendChild(li);
    });
    $("send-errors-title").textContent = errors.length ? t.rejected : t.rejectedOther;
    show($("send-errors"), true);
    $("send-without-details").focus();
  }

  function resend(body, rekeyed) {
    pending = { key: newKey(), body: body, rekeyed: rekeyed };
    write(PENDING, pending);
    attempt();
  }

  $("send-without-details").addEventListener("click", () => {
    show($("send-errors"), false);
    sendSos(true);
  });

  $("sos-stop").addEventListener("click", () => {
    clearTimeout(retryTimer);
    pending = null;
    failedOnce = false;
    remove(PENDING);
    setBusy(false);
    sendState(t.stopped);
  });

  /* ---- Hold to send ---------------------------------------------------------------- */

  let holdTimer = null;
  document.documentElement.style.setProperty("--hold-ms", config.holdMs + "ms");

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
      } catch (err) {
        /* capture is a nicety: a finger sliding off still cancels below */
      }
      startHold();
    });
    ["pointerup", "pointercancel", "lostpointercapture"].forEach((name) =>
      sos.addEventListener(name, cancelHold),
    );
  } else {
    sos.addEventListener(
      "touchstart",
      (event) => {
        event.preventDefault();
        startHold();
      },
      { passive: false },
    );
    ["touchend", "touchcancel", "mouseup", "mouseleave"].forEach((name) =>
      sos.addEventListener(name, cancelHold),
    );
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

  /* ---- Status ---------------------------------------------------------------------- */

  let etag = null;
  let pollTimer = null;
  let closed = false;
  let shownEvents = "";

  function showStatusScreen(moveFocus) {
    show($("sos-screen"), false);
    show($("status-screen"), true);
    if (moveFocus) $("status-title").focus();
    closed = false;
    poll();
  }

  function schedulePoll() {
    clearTimeout(pollTimer);
    // A hidden page polls rarely to spare the battery; it catches up when shown.
    pollTimer = setTimeout(poll, document.hidden ? config.pollMs * 10 : config.pollMs);
  }

  async function poll() {
    clearTimeout(pollTimer);
    const saved = read(CASE);
    if (!saved || closed) return;
    const headers = { Authorization: "Bearer " + saved.status_token };
    if (etag) headers["If-None-Match"] = etag;
    let res = null;
    let data = null;
    try {
      res = await fetchWithin(
        config.api.status,
        { headers: headers, cache: "no-store", credentials: "same-origin" },
        REQUEST_MS,
      );
      if (res.status === 200) data = await res.json();
    } catch (err) {
      res = null;
    }
    if (!read(CASE)) return; // started over meanwhile
    if (res && res.status === 304) {
      $("status-conn").textContent = "";
    } else if (data) {
      etag = res.headers.get("ETag");
      $("status-conn").textContent = "";
      renderStatus(data);
    } else if (res && (res.status === 401 || res.status === 404)) {
      gone();
      return;
    } else {
      $("status-conn").textContent = t.offline;
    }
    if (!closed) schedulePoll();
  }

  function setText(el, text) {
    // Rewriting the same text would make some screen readers announce it again.
    if (el.textContent !== text) el.textContent = text;
  }

  function renderStatus(data) {
    $("status-screen").dataset.stage = data.stage;
    setText($("status-message"), data.message);
    const station = $("status-station");
    show(station, Boolean(data.police_station));
    setText(station, data.police_station ? t.station + " " + data.police_station : "");
    if (data.hotline_phone) {
      $("hotline-link").href = "tel:" + data.hotline_phone.replace(/[^0-9+]/g, "");
      setText($("hotline-number"), data.hotline_phone);
    }
    renderTimeline(data.events || []);
    if (data.closed) setClosed();
  }

  function renderTimeline(events) {
    const key = JSON.stringify(events);
    if (key === shownEvents) return;
    shownEvents = key;
    const list = $("timeline");
    list.textContent = "";
    const clock = new Intl.DateTimeFormat(config.lang, {
      hour: "2-digit",
      minute: "2-digit",
      day: "numeric",
      month: "short",
    });
    events.forEach((event) => {
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.dateTime = event.at;
      time.textContent = clock.format(new Date(event.at));
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = event.label;
      li.append(time, " ", label);
      if (event.station) {
        const where = document.createElement("span");
        where.className = "where";
        where.textContent = event.station;
        li.append(" ", where);
      }
      list.appendChild(li);
    });
  }

  function setClosed() {
    closed = true;
    clearTimeout(pollTimer);
    const focusLost = $("withdraw-panel").contains(document.activeElement);
    toggle($("withdraw"), $("withdraw-panel"), false);
    show($("withdraw"), false);
    show($("start-over"), true);
    if (focusLost) $("start-over").focus();
  }

  function gone() {
    setText($("status-message"), t.gone);
    setClosed();
  }

  $("withdraw").addEventListener("click", () => {
    $("withdraw-state").textContent = "";
    toggle($("withdraw"), $("withdraw-panel"), true);
  });
  $("withdraw-cancel").addEventListener("click", () =>
    toggle($("withdraw"), $("withdraw-panel"), false),
  );
  $("withdraw-confirm").addEventListener("click", async () => {
    const saved = read(CASE);
    if (!saved) return;
    let res = null;
    let data = null;
    try {
      res = await fetchWithin(
        config.api.withdraw,
        {
          method: "POST",
          credentials: "same-origin",
          headers: { Authorization: "Bearer " + saved.status_token },
        },
        REQUEST_MS,
      );
      if (res.status === 200) data = await res.json();
    } catch (err) {
      res = null;
    }
    if (data) {
      renderStatus(data);
    } else if (res && res.status === 409) {
      poll(); // already closed elsewhere: show what the server says
    } else if (res && res.status === 401) {
      gone();
    } else {
      $("withdraw-state").textContent = t.withdrawFailed;
    }
  });

  $("start-over").addEventListener("click", () => {
    // Forget the case, keep the details: the person may need them again today.
    remove(CASE);
    etag = null;
    closed = false;
    shownEvents = "";
    clearTimeout(pollTimer);
    $("timeline").textContent = "";
    $("status-message").textContent = t.received;
    show($("status-station"), false);
    show($("start-over"), false);
    show($("withdraw"), true);
    delete $("status-screen").dataset.stage;
    show($("status-screen"), false);
    show($("sos-screen"), true);
    sendState("");
    sos.focus();
  });

  /* ---- Start --------------------------------------------------------------------- */

  loadDetails();
  if (read(CASE)) {
    showStatusScreen(false);
  } else {
    pending = read(PENDING);
    if (pending) {
      setBusy(true);
      failedOnce = true;
      sendState(t.resuming);
      attempt();
    }
  }

  window.addEventListener("online", () => {
    if (pending) attempt();
    else if (read(CASE) && !closed) poll();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && read(CASE) && !closed) poll();
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw).catch(() => {
      /* the page works without offline support */
    });
  }
})();
