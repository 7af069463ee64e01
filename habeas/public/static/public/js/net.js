/* Talking to the hotline, for every page: Habeas.newKey, fetchWithin, locate and sender.
 *
 * sender() is the one send-and-retry loop: the SOS and the summons both send a kept
 * {key, body} under its idempotency key until the hotline answers, so a retry never makes a
 * second case. Load after store.js.
 */
(() => {
  "use strict";

  window.Habeas = window.Habeas || {};
  const H = window.Habeas;
  const REQUEST_MS = 15000; // a hung request must not stop the retries

  // 12 characters of A-Z, a-z, 0-9 (~71 bits): short enough for the SMS payload.
  // getRandomValues works on plain http too, unlike crypto.randomUUID.
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  function newKey() {
    let key = "";
    while (key.length < 12) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      bytes.forEach((b) => {
        // 248 = 4 × 62: dropping larger bytes keeps every character equally likely.
        if (b < 248 && key.length < 12) key += ALPHABET[b % 62];
      });
    }
    return key;
  }

  function fetchWithin(url, options, ms) {
    if (!window.AbortController) return fetch(url, options);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    options.signal = controller.signal;
    return fetch(url, options).finally(() => clearTimeout(timer));
  }

  // Resolve with a location or null within `ms`, whatever the permission prompt does
  // (the API's own timeout does not count the time the prompt is open).
  function locate(ms) {
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
      const timer = setTimeout(() => finish(null), ms);
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
          { enableHighAccuracy: false, timeout: ms, maximumAge: 60000 },
        );
      } catch (_err) {
        finish(null);
      }
    });
  }

  /* Send what options.current() returns ({key, body}, or null for nothing) to options.url,
   * every options.retryMs until the hotline answers. Hooks: sending() before each try (and
   * waiting() says not now), settled() after it, accepted(data) on the case's answer,
   * rejected(status, data) on the hotline's own refusal, failed() before the next retry.
   * Returns {attempt, stop}. */
  H.sender = (options) => {
    const hook = (name, ...args) => options[name] && options[name](...args);
    let inFlight = false;
    let retryTimer = null;

    function stop() {
      clearTimeout(retryTimer);
      retryTimer = null;
    }

    async function attempt() {
      stop();
      const sent = options.current();
      if (!sent || inFlight || hook("waiting")) return;
      inFlight = true;
      hook("sending");
      let res = null;
      let data = null;
      try {
        res = await fetchWithin(
          options.url,
          {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Idempotency-Key": sent.key },
            body: JSON.stringify(sent.body),
          },
          REQUEST_MS,
        );
        data = await res.json();
      } catch (_err) {
        data = null; // offline, timed out, or not our JSON (a captive portal's page)
      }
      inFlight = false;
      hook("settled");
      if (res && (res.status === 200 || res.status === 201) && data && data.status_token) {
        // Accepted even if the person stopped meanwhile: the case exists, so show it.
        options.accepted(data);
        return;
      }
      if (options.current() !== sent) return;
      // Only our own JSON error is a refusal; a proxy's or captive portal's 4xx page is not.
      const ours = data && typeof data.detail === "string";
      if (
        ours &&
        res.status >= 400 &&
        res.status < 500 &&
        res.status !== 408 &&
        res.status !== 429
      ) {
        options.rejected(res.status, data);
        return;
      }
      hook("failed");
      retryTimer = setTimeout(attempt, options.retryMs);
    }

    return { attempt: attempt, stop: stop };
  };

  // A request sent from a form (a summons, a relative's report): kept on the phone under
  // options.pendingKey until the hotline answers, retried under one idempotency key, and the
  // answered case kept under options.caseKey, apart from the phone owner's own SOS.
  H.requestSender = (options) => {
    let pending = null;
    const forget = () => {
      pending = null;
      H.remove(options.pendingKey);
      sender.stop();
    };
    const sender = H.sender({
      url: options.url,
      retryMs: options.retryMs,
      current: () => pending,
      sending: () => {
        options.button.disabled = true;
      },
      settled: () => {
        options.button.disabled = false;
      },
      accepted: (data) => {
        H.write(options.caseKey, { case_id: data.case_id, status_token: data.status_token });
        forget();
        options.accepted(data);
      },
      // Refused: this body will never be accepted, so the next press sends a new one.
      rejected: (_status, data) => {
        forget();
        options.rejected(data);
      },
      failed: options.failed,
    });
    window.addEventListener("online", () => {
      if (pending) sender.attempt();
    });
    return {
      send(body) {
        // Pressing Send again while offline retries the same request, under the same key.
        if (!pending || JSON.stringify(pending.body) !== JSON.stringify(body)) {
          pending = { key: newKey(), body: body };
          H.write(options.pendingKey, pending);
        }
        sender.attempt();
      },
      // A request from an earlier visit, sent again; returns it (or null).
      resume() {
        pending = H.read(options.pendingKey);
        if (pending) sender.attempt();
        return pending;
      },
    };
  };

  // Show why the hotline refused a request, one line per field, in the panel whose ids start
  // with `prefix` (prefix-errors, -errors-title, -errors-list); `label` names a field, and
  // `extra` lines (a hint) follow. Returns the refused fields.
  H.showRefusals = (prefix, data, label, titleText, extra = []) => {
    const errors = Array.isArray(data.errors) ? data.errors : [];
    const list = document.getElementById(`${prefix}-errors-list`);
    list.textContent = "";
    const lines = errors.map((e) => {
      const message = String(e.message || "").replace(/^Value error, /, "");
      return `${label(String(e.field || ""))}: ${message}`;
    });
    for (const text of [...lines, ...extra]) {
      const li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    }
    document.getElementById(`${prefix}-errors-title`).textContent = errors.length
      ? titleText
      : data.detail;
    const panel = document.getElementById(`${prefix}-errors`);
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest" });
    return errors.map((e) => String(e.field || ""));
  };

  H.newKey = newKey;
  H.fetchWithin = fetchWithin;
  H.locate = locate;
})();
