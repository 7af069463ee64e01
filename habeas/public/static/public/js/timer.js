/* The check-in timer: "if I have not checked in by HH:MM, send my SOS".
 *
 * Arming hands the details, contacts and location to the server (sealed there), which sends
 * the SOS if the deadline passes. The phone keeps only the timer's token and deadline
 * (habeas.timer), never the PINs. A check-in with the duress PIN looks exactly like one with
 * the real PIN, here and in the server's answers; on the server it sends the SOS at once.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();

  const TIMER = "habeas.timer";
  const LOCATE_MS = 3000;
  const REQUEST_MS = 15000;
  const POLL_MS = 30000;
  const api = config.timers;

  let lastArm = null; // {key, body}: pressing "Set" again after a failure reuses the key
  let tick = null;
  let pollTimer = null;

  function say(id, text) {
    $(id).textContent = text;
  }

  function screen(name) {
    show($("timer-arm"), name === "arm");
    show($("timer-armed"), name === "armed");
    show($("timer-done"), name === "done");
    // Only an armed timer holds details: check-in and firing destroy them on the server.
    show($("timer-delete-wrap"), name === "armed");
    if (name !== "armed") clearInterval(tick);
  }

  const pad = (n) => String(n).padStart(2, "0");

  // ISO 8601 in the phone's own time zone, so the server knows which 21:00 is meant.
  function isoLocal(d) {
    const offset = -d.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    const abs = Math.abs(offset);
    return (
      d.getFullYear() +
      "-" +
      pad(d.getMonth() + 1) +
      "-" +
      pad(d.getDate()) +
      "T" +
      pad(d.getHours()) +
      ":" +
      pad(d.getMinutes()) +
      ":00" +
      sign +
      pad(Math.floor(abs / 60)) +
      ":" +
      pad(abs % 60)
    );
  }

  function clock(iso) {
    const when = new Date(iso);
    const sameDay = when.toDateString() === new Date().toDateString();
    const options = { hour: "2-digit", minute: "2-digit" };
    if (!sameDay) Object.assign(options, { weekday: "short", day: "numeric", month: "short" });
    return new Intl.DateTimeFormat(config.lang, options).format(when);
  }

  function request(url, options) {
    const saved = H.read(TIMER);
    const headers = Object.assign({}, options.headers);
    if (saved && options.auth) headers.Authorization = `Bearer ${saved.token}`;
    return H.fetchWithin(
      url,
      {
        method: options.method || "GET",
        credentials: "same-origin",
        cache: "no-store",
        headers: headers,
        body: options.body,
      },
      REQUEST_MS,
    );
  }

  async function json(res) {
    try {
      return await res.json();
    } catch (_err) {
      return null;
    }
  }

  /* ---- Arming ---------------------------------------------------------------------- */

  function deadline() {
    const [hours, minutes] = $("timer-time").value.split(":").map(Number);
    const day = Number(document.querySelector("input[name=day]:checked").value);
    const when = new Date();
    when.setDate(when.getDate() + day);
    when.setHours(hours, minutes, 0, 0);
    return when;
  }

  function showErrors(title, items) {
    const list = $("timer-errors-list");
    list.textContent = "";
    items.forEach((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    say("timer-errors-title", title);
    show($("timer-errors"), true);
  }

  function label(field) {
    const contact = /^contacts\.(\d+)/.exec(field);
    if (contact) return H.format(t.contact, { n: Number(contact[1]) + 1 });
    const person = /^person\.(\w+)/.exec(field);
    if (person) return t.fields[person[1]] || field;
    return field;
  }

  $("timer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("timer-form");
    show($("timer-errors"), false);
    say("timer-state", "");
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    const pin = $("timer-pin").value;
    const duress = $("timer-duress").value;
    const shape = new RegExp(`^[0-9]{${config.pinMin},${config.pinMax}}$`);
    if (!shape.test(pin) || !shape.test(duress)) {
      say("timer-state", H.format(t.pinShape, { min: config.pinMin, max: config.pinMax }));
      return;
    }
    if (pin === duress) {
      say("timer-state", t.pinsSame);
      $("timer-duress").focus();
      return;
    }
    const when = deadline();
    if (when.getTime() <= Date.now()) {
      say("timer-state", t.past);
      $("timer-time").focus();
      return;
    }
    $("timer-set").disabled = true;
    say("timer-state", t.arming);
    const sendable = H.sendable();
    const body = {
      deadline: isoLocal(when),
      pin: pin,
      duress_pin: duress,
      person: sendable.person || {},
      location: $("timer-location").checked ? await H.locate(LOCATE_MS) : null,
      contacts: sendable.contacts,
    };
    if (sendable.city) body.city = sendable.city;
    // The location may differ between presses; the rest is what makes a retry the same timer.
    const same =
      lastArm &&
      JSON.stringify({ ...lastArm.body, location: null }) ===
        JSON.stringify({ ...body, location: null });
    if (same) body.location = lastArm.body.location;
    else lastArm = { key: H.newKey(), body: body };
    let res = null;
    let data = null;
    try {
      res = await request(api.arm, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": lastArm.key },
        body: JSON.stringify(lastArm.body),
      });
      data = await json(res);
    } catch (_err) {
      res = null;
    }
    $("timer-set").disabled = false;
    if (res && (res.status === 200 || res.status === 201) && data && data.timer_token) {
      lastArm = null;
      form.reset();
      say("timer-state", "");
      H.write(TIMER, { token: data.timer_token, deadline: data.deadline || body.deadline });
      armed(true);
      return;
    }
    say("timer-state", "");
    if (res && data && typeof data.detail === "string" && res.status >= 400 && res.status < 500) {
      lastArm = null;
      const errors = Array.isArray(data.errors) ? data.errors : [];
      showErrors(
        errors.length ? t.rejected : data.detail,
        errors.map((e) => {
          const message = String(e.message || "").replace(/^Value error, /, "");
          return `${label(String(e.field || ""))}: ${message}`;
        }),
      );
      return;
    }
    say("timer-state", t.armFailed);
  });

  /* ---- Armed: countdown, check-in, status ------------------------------------------ */

  function countdown() {
    const saved = H.read(TIMER);
    if (!saved) return;
    const left = Math.max(0, Math.round((new Date(saved.deadline).getTime() - Date.now()) / 1000));
    const hours = Math.floor(left / 3600);
    const text = `${hours}:${pad(Math.floor(left / 60) % 60)}:${pad(left % 60)}`;
    say("timer-countdown", H.format(t.left, { time: text }));
    if (left === 0) {
      clearInterval(tick);
      poll(); // the server has fired it, or is about to
    }
  }

  function armed(moveFocus) {
    const saved = H.read(TIMER);
    say("timer-message", H.format(t.armed, { time: clock(saved.deadline) }));
    say("checkin-state", "");
    screen("armed");
    clearInterval(tick);
    countdown();
    tick = setInterval(countdown, 1000);
    if (moveFocus) $("armed-title").focus();
    schedulePoll();
  }

  function done(message) {
    say("timer-done-message", message);
    screen("done");
    clearTimeout(pollTimer);
  }

  function gone(message) {
    H.remove(TIMER);
    clearTimeout(pollTimer);
    screen("arm");
    say("timer-state", message);
  }

  function schedulePoll() {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, POLL_MS);
  }

  function showState(state) {
    if (state === "armed") {
      if ($("timer-armed").hidden) armed(false);
      else schedulePoll();
    } else if (state === "fired") {
      done(t.fired);
    } else if (state === "cancelled") {
      done(t.checkedIn);
    } else if (state === "deleted") {
      gone(t.deleted);
    }
  }

  async function poll() {
    clearTimeout(pollTimer);
    if (!H.read(TIMER)) return;
    let res = null;
    let data = null;
    try {
      res = await request(api.status, { auth: true });
      data = await json(res);
    } catch (_err) {
      res = null;
    }
    if (!H.read(TIMER)) return;
    if (res && res.status === 200 && data && data.state) {
      const saved = H.read(TIMER);
      if (data.deadline && data.deadline !== saved.deadline) {
        H.write(TIMER, { token: saved.token, deadline: data.deadline });
      }
      showState(data.state);
    } else if (res && (res.status === 401 || res.status === 404)) {
      gone(t.gone);
    } else if ($("timer-armed").hidden === false) {
      schedulePoll(); // offline: the countdown carries on from the saved deadline
    }
  }

  $("checkin-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("checkin-form");
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    $("checkin").disabled = true;
    say("checkin-state", t.checkingIn);
    let res = null;
    let data = null;
    try {
      res = await request(api.checkin, {
        method: "POST",
        auth: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pin: $("checkin-pin").value }),
      });
      data = await json(res);
    } catch (_err) {
      res = null;
    }
    $("checkin").disabled = false;
    $("checkin-pin").value = "";
    if (res && res.status === 200 && data) {
      showState(data.state || "cancelled");
      $("done-title").focus();
    } else if (res && res.status === 403) {
      const left = data && data.attempts_left !== undefined ? data.attempts_left : "?";
      say("checkin-state", H.format(t.wrongPin, { n: left }));
      $("checkin-pin").focus();
    } else if (res && (res.status === 401 || res.status === 404)) {
      gone(t.gone);
    } else if (res && res.status === 409) {
      say("checkin-state", "");
      poll();
    } else {
      say("checkin-state", t.checkinFailed);
    }
  });

  /* ---- Delete, and a new timer ----------------------------------------------------- */

  function toggleDelete(open) {
    show($("timer-delete-panel"), open);
    $("timer-delete").setAttribute("aria-expanded", open ? "true" : "false");
  }
  $("timer-delete").addEventListener("click", () => {
    say("timer-delete-state", "");
    toggleDelete(true);
  });
  $("timer-delete-cancel").addEventListener("click", () => toggleDelete(false));
  // Deleting takes the PIN, like checking in: whoever holds the phone must not be able to
  // stop the timer quietly. The duress PIN gets the same answer and sends the SOS.
  $("timer-delete-confirm").addEventListener("click", async () => {
    const pin = $("timer-delete-pin");
    if (!pin.checkValidity()) {
      pin.reportValidity();
      return;
    }
    let res = null;
    let data = null;
    try {
      res = await request(api.delete, {
        method: "POST",
        auth: true,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pin: pin.value }),
      });
      data = await json(res);
    } catch (_err) {
      res = null;
    }
    pin.value = "";
    if (res && res.status === 403) {
      const left = data && data.attempts_left !== undefined ? data.attempts_left : "?";
      say("timer-delete-state", H.format(t.wrongPin, { n: left }));
      pin.focus();
    } else if (res && [200, 204, 401, 404].includes(res.status)) {
      // Deleted, or the server has nothing under this token any more: forget it either way.
      toggleDelete(false);
      gone(t.deleted);
    } else {
      say("timer-delete-state", t.deleteFailed);
    }
  });

  $("timer-new").addEventListener("click", () => {
    // The old timer is over; forgetting its token here deletes nothing on the server.
    H.remove(TIMER);
    screen("arm");
    $("timer-time").focus();
  });

  /* ---- Start ----------------------------------------------------------------------- */

  if (H.read(TIMER)) {
    armed(false);
    poll();
  } else {
    screen("arm");
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && H.read(TIMER)) poll();
  });
  window.addEventListener("online", () => {
    if (H.read(TIMER)) poll();
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw).catch(() => {
      /* the page works without offline support */
    });
  }
})();
