/* The live status of a case the phone sent (an SOS or a summons): Habeas.status(options).
 *
 * Reads the page's markup from public/_status.html and the case's token from localStorage
 * under options.caseKey; options.onStartOver runs when the person closes a finished case.
 */
(() => {
  "use strict";

  window.Habeas = window.Habeas || {};
  const H = window.Habeas;
  const REQUEST_MS = 15000; // a hung request must not stop the polling

  H.status = (options) => {
    const config = JSON.parse(document.getElementById("sos-config").textContent);
    const t = JSON.parse(document.getElementById("sos-strings").textContent);
    const $ = (id) => document.getElementById(id);
    const caseKey = options.caseKey;

    let etag = null;
    let pollTimer = null;
    let closed = false;
    let shownEvents = "";
    // The page's own heading, for a server that sends none (a summons) and for Start over.
    const firstTitle = $("status-title").textContent;

    function show(el, visible) {
      el.hidden = !visible;
    }

    function toggle(button, panel, open) {
      show(panel, open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function open(moveFocus) {
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
      const saved = H.read(caseKey);
      if (!saved || closed) return;
      const headers = { Authorization: `Bearer ${saved.status_token}` };
      if (etag) headers["If-None-Match"] = etag;
      let res = null;
      let data = null;
      try {
        res = await H.fetchWithin(
          config.api.status,
          { headers: headers, cache: "no-store", credentials: "same-origin" },
          REQUEST_MS,
        );
        if (res.status === 200) data = await res.json();
      } catch (_err) {
        res = null;
      }
      if (!H.read(caseKey)) return; // started over meanwhile
      if (res && res.status === 304) {
        $("status-conn").textContent = "";
      } else if (data) {
        etag = res.headers.get("ETag");
        $("status-conn").textContent = "";
        render(data);
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

    function render(data) {
      $("status-screen").dataset.stage = data.stage;
      setText($("status-message"), data.message);
      const station = $("status-station");
      show(station, Boolean(data.police_station));
      setText(station, data.police_station ? `${t.station} ${data.police_station}` : "");
      // The heading says what is happening now ("A lawyer is on the way"), and the lawyer's
      // name lets the person tell the police who is coming.
      setText($("status-title"), data.heading || firstTitle);
      showLawyer(data.lawyer || "");
      showCourt(data.court || {});
      if (data.hotline_phone) {
        $("hotline-link").href = `tel:${data.hotline_phone.replace(/[^0-9+]/g, "")}`;
        setText($("hotline-number"), data.hotline_phone);
      }
      renderTimeline(data.events || []);
      if (data.closed) setClosed();
    }

    function showLawyer(name) {
      const line = $("status-lawyer");
      show(line, Boolean(name));
      setText(line, name ? H.format(t.lawyer, { name: name }) : "");
      const say = $("say-lawyer");
      if (say) setText(say, name ? H.format(say.dataset.named, { name: name }) : say.dataset.plain);
    }

    // The next hearing and the decision, once the lawyer recorded them: the person and the
    // family need the day, the court and the last day to appeal.
    function showCourt(court) {
      const hearing = court.hearing;
      const line = $("status-hearing");
      show(line, Boolean(hearing));
      if (hearing) {
        const when = new Intl.DateTimeFormat(config.lang, {
          day: "numeric",
          month: "long",
          hour: "2-digit",
          minute: "2-digit",
        }).format(new Date(hearing.at));
        const court = [hearing.court, hearing.address].filter(Boolean).join(", ");
        setText(line, H.format(t.hearing, { when: when, court: court }));
      }
      const decision = court.decision;
      const ruled = $("status-decision");
      show(ruled, Boolean(decision));
      if (decision) {
        const by = new Intl.DateTimeFormat(config.lang, { day: "numeric", month: "long" }).format(
          new Date(`${decision.appeal_by}T12:00:00`),
        );
        setText(ruled, H.format(t.decision, { text: decision.text, date: by }));
      }
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
    // One POST with this case's status token: the response, null when the network failed,
    // undefined when the phone holds no case any more.
    async function postWithToken(url) {
      const saved = H.read(caseKey);
      if (!saved) return undefined;
      try {
        return await H.fetchWithin(
          url,
          {
            method: "POST",
            credentials: "same-origin",
            headers: { Authorization: `Bearer ${saved.status_token}` },
          },
          REQUEST_MS,
        );
      } catch (_err) {
        return null;
      }
    }

    $("withdraw-confirm").addEventListener("click", async () => {
      const res = await postWithToken(config.api.withdraw);
      if (res === undefined) return;
      const data = res ? await res.json().catch(() => null) : null;
      if (res && res.status === 200 && data) {
        render(data);
      } else if (res && res.status === 409) {
        // Closed elsewhere, or others reported the person too: say why, show what is true.
        $("withdraw-state").textContent = (data && data.detail) || "";
        poll();
      } else if (res && res.status === 401) {
        gone();
      } else {
        $("withdraw-state").textContent = t.withdrawFailed;
      }
    });

    // The detainee may erase their own details from the server at any time.
    $("forget").addEventListener("click", () => {
      $("forget-state").textContent = "";
      toggle($("forget"), $("forget-panel"), true);
    });
    $("forget-cancel").addEventListener("click", () =>
      toggle($("forget"), $("forget-panel"), false),
    );
    $("forget-confirm").addEventListener("click", async () => {
      const res = await postWithToken(config.api.forget);
      if (res === undefined) return;
      if (res && res.status === 200) {
        toggle($("forget"), $("forget-panel"), false);
        show($("forget"), false);
        $("status-conn").textContent = t.forgotten;
      } else if (res && res.status === 401) {
        gone();
      } else {
        $("forget-state").textContent = t.forgetFailed;
      }
    });

    // A call-back for when calling out is not possible (no credit, a phone on the police's
    // desk is not safe to call from): the hotline's operator phones the number on file.
    $("callback").addEventListener("click", async () => {
      $("callback").disabled = true;
      const res = await postWithToken(config.api.callback);
      if (res === undefined) return;
      if (res && res.status === 200) {
        show($("callback"), false);
        $("callback-state").textContent = t.callbackAsked;
      } else if (res && res.status === 401) {
        gone();
      } else {
        $("callback").disabled = false;
        $("callback-state").textContent = t.callbackFailed;
      }
    });

    $("start-over").addEventListener("click", () => {
      // Forget the case, keep the details: the person may need them again today.
      H.remove(caseKey);
      etag = null;
      closed = false;
      shownEvents = "";
      clearTimeout(pollTimer);
      $("timeline").textContent = "";
      $("status-message").textContent = t.received;
      show($("status-station"), false);
      $("status-title").textContent = firstTitle;
      showLawyer("");
      show($("start-over"), false);
      show($("withdraw"), true);
      show($("callback"), true);
      $("callback").disabled = false;
      $("callback-state").textContent = "";
      delete $("status-screen").dataset.stage;
      show($("status-screen"), false);
      options.onStartOver();
    });

    if (H.uploads) H.uploads.wire(caseKey);

    window.addEventListener("online", () => {
      if (H.read(caseKey) && !closed) poll();
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && H.read(caseKey) && !closed) poll();
    });

    return { open: open };
  };
})();
