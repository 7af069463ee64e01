/* A request to the hotline that is no emergency: "I have been summoned" (kind summons) and
 * "Ask for legal help" (a consultation, court, an appeal). Sends the form with the saved
 * details, then follows the case.
 *
 * The form names what it sends: data-field is the body's key for the form's fields and the
 * prefix of their ids ("summons", "request"); data-kind is the case's kind, or "choose" for
 * the form's own kind radios. Like the SOS, an unanswered request is kept
 * (habeas.<field>.pending) and retried under the same idempotency key until the hotline
 * answers; the answered case is habeas.<field>.case, apart from the SOS's, so that a request
 * never stands in the way of an SOS.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();

  const form = document.querySelector("form[data-field]");
  const FIELD = form.dataset.field;
  const PENDING = `habeas.${FIELD}.pending`;
  const CASE = `habeas.${FIELD}.case`;
  const FIELDS = ["date", "time", "place", "text"];
  // Radio groups: the summons's reason, the request's kind.
  const CHOICE = FIELD === "summons" ? "reason" : "kind";
  const RETRY_MS = 5000;
  const OWN = new RegExp(`^${FIELD}\\.(\\w+)`);

  function say(text) {
    $(`${FIELD}-state`).textContent = text;
  }

  function chosen() {
    const checked = form.querySelector(`input[name=${CHOICE}]:checked`);
    return checked ? checked.value : "";
  }

  function body() {
    const details = {};
    FIELDS.forEach((name) => {
      const value = $(`${FIELD}-${name}`).value.trim();
      if (value) details[name] = value;
    });
    let kind = form.dataset.kind;
    if (kind === "choose") kind = chosen();
    else if (chosen()) details[CHOICE] = chosen();
    const out = { kind: kind, [FIELD]: details };
    const sendable = H.sendable();
    if (sendable.person) out.person = sendable.person;
    if (sendable.city) out.city = sendable.city;
    if (sendable.contacts.length) out.contacts = sendable.contacts;
    return out;
  }

  function fillFrom(sent) {
    const details = (sent && sent[FIELD]) || {};
    FIELDS.forEach((name) => {
      $(`${FIELD}-${name}`).value = details[name] || "";
    });
    const choice = CHOICE === "kind" ? sent && sent.kind : details[CHOICE];
    const radio = choice && $(`${CHOICE}-${choice}`);
    if (radio) radio.checked = true;
  }

  const requests = H.requestSender({
    url: config.api.cases,
    retryMs: RETRY_MS,
    pendingKey: PENDING,
    caseKey: CASE,
    button: $(`${FIELD}-send`),
    accepted: accepted,
    rejected: rejected,
    failed: () => say(t.notYet),
  });

  function accepted() {
    // The files picked with the form go once the case exists: they need its status link.
    const files = $(`${FIELD}-files`);
    if (files && files.files.length) H.uploads.send(CASE, files.files);
    form.reset();
    say("");
    show($(`${FIELD}-screen`), false);
    status.open(true);
  }

  function label(field) {
    const own = OWN.exec(field);
    if (own) return t.formFields[own[1]] || field;
    if (field === "kind") return t.formFields.kind || field;
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
      const own = OWN.exec(field);
      const name = own ? own[1] : field === "kind" ? "kind" : "";
      const input = name && $(name === CHOICE ? `${FIELD}-${CHOICE}` : `${FIELD}-${name}`);
      if (input) input.setAttribute("aria-invalid", "true");
    }
    H.showRefusals(FIELD, data, label, t.rejected, onHome ? [t.fixOnHome] : []);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    show($(`${FIELD}-errors`), false);
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
      show($(`${FIELD}-screen`), true);
      form.querySelector("input, textarea").focus();
    },
  });

  if (H.read(CASE)) {
    show($(`${FIELD}-screen`), false);
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
