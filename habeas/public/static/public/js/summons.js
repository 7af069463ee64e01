/* "I have been summoned": send the summons with the saved details, then follow the case.
 *
 * Like the SOS, an unanswered request is kept (habeas.summons.pending) and retried under the
 * same idempotency key until the hotline answers; the answered case is habeas.summons.case,
 * apart from the SOS's, so that a summons never stands in the way of an SOS.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();

  const PENDING = "habeas.summons.pending";
  const CASE = "habeas.summons.case";
  const FIELDS = ["date", "time", "place", "text"];
  const RETRY_MS = 5000;

  const form = $("summons-form");

  function say(text) {
    $("summons-state").textContent = text;
  }

  function body() {
    const summons = {};
    FIELDS.forEach((name) => {
      const value = $(`summons-${name}`).value.trim();
      if (value) summons[name] = value;
    });
    const reason = form.querySelector("input[name=reason]:checked");
    if (reason) summons.reason = reason.value;
    const out = { kind: "summons", summons: summons };
    const sendable = H.sendable();
    if (sendable.person) out.person = sendable.person;
    if (sendable.city) out.city = sendable.city;
    if (sendable.contacts.length) out.contacts = sendable.contacts;
    return out;
  }

  function fillFrom(sent) {
    const summons = (sent && sent.summons) || {};
    FIELDS.forEach((name) => {
      $(`summons-${name}`).value = summons[name] || "";
    });
    const reason = summons.reason && $(`reason-${summons.reason}`);
    if (reason) reason.checked = true;
  }

  const requests = H.requestSender({
    url: config.api.cases,
    retryMs: RETRY_MS,
    pendingKey: PENDING,
    caseKey: CASE,
    button: $("summons-send"),
    accepted: accepted,
    rejected: rejected,
    failed: () => say(t.notYet),
  });

  function accepted() {
    form.reset();
    say("");
    show($("summons-screen"), false);
    status.open(true);
  }

  function label(field) {
    const summons = /^summons\.(\w+)/.exec(field);
    if (summons) return t.summonsFields[summons[1]] || field;
    const contact = /^contacts\.(\d+)/.exec(field);
    if (contact) return H.format(t.contact, { n: Number(contact[1]) + 1 });
    const person = /^person\.(\w+)/.exec(field);
    if (person) return t.fields[person[1]] || field;
    return field;
  }

  function rejected(data) {
    say("");
    const errors = Array.isArray(data.errors) ? data.errors : [];
    const fields = errors.map((e) => String(e.field || ""));
    const onHome = fields.some((field) => /^(person|contacts)\b/.test(field));
    for (const field of fields) {
      const summons = /^summons\.(\w+)/.exec(field);
      const name = summons && summons[1];
      const input = name && $(name === "reason" ? "summons-reason" : `summons-${name}`);
      if (input) input.setAttribute("aria-invalid", "true");
    }
    H.showRefusals("summons", data, label, t.rejected, onHome ? [t.fixOnHome] : []);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    show($("summons-errors"), false);
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    say(t.sending);
    requests.send(body());
  });

  const status = H.status({
    caseKey: CASE,
    onStartOver: () => {
      show($("summons-screen"), true);
      $("summons-date").focus();
    },
  });

  if (H.read(CASE)) {
    show($("summons-screen"), false);
    status.open(false);
  } else {
    const earlier = requests.resume();
    if (earlier) {
      fillFrom(earlier.body);
      say(t.resuming);
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw).catch(() => {
      /* the page works without offline support */
    });
  }
})();
