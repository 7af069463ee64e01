/* "Someone I know was detained": a relative or a witness reports another person, then follows
 * the case.
 *
 * Like the SOS, an unanswered report is kept (habeas.relative.pending) and retried under the
 * same idempotency key until the hotline answers; the answered case is habeas.relative.case,
 * apart from the phone owner's own SOS, which it must never stand in the way of.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();
  const places = JSON.parse(document.getElementById("rel-station-places").textContent);

  const PENDING = "habeas.relative.pending";
  const CASE = "habeas.relative.case";
  const RETRY_MS = 5000;
  const REPORTER = ["name", "relation", "phone", "telegram", "email"];

  const form = $("relative-form");

  function say(text) {
    $("relative-state").textContent = text;
  }

  function value(id) {
    return $(id).value.trim();
  }

  // Where and the station go into the sealed note; a station from the list also routes the
  // case by its position, so the lawyers near it are asked first.
  function body() {
    const person = { full_name: value("rel-full_name") };
    if (value("rel-date_of_birth")) person.date_of_birth = value("rel-date_of_birth");
    const station = value("rel-station");
    const note = [
      value("rel-where") && `${t.noteWhere} ${value("rel-where")}`,
      station && `${t.noteStation} ${station}`,
      value("rel-note"),
    ].filter(Boolean);
    if (note.length) person.note = note.join("\n");
    const reporter = {};
    REPORTER.forEach((name) => {
      if (value(`rep-${name}`)) reporter[name] = value(`rep-${name}`);
    });
    const role = form.querySelector("input[name=role]:checked");
    const out = {
      kind: "detention",
      reporter_role: role ? role.value : "relative",
      person: person,
      reporter: reporter,
    };
    if (value("rel-city")) out.city = value("rel-city");
    const place = places.find((p) => p.name === station);
    if (place) out.location = { lat: place.lat, lon: place.lon };
    return out;
  }

  const requests = H.requestSender({
    url: config.api.cases,
    retryMs: RETRY_MS,
    pendingKey: PENDING,
    caseKey: CASE,
    button: $("relative-send"),
    accepted: accepted,
    rejected: rejected,
    failed: () => say(t.notYet),
  });

  function accepted() {
    form.reset();
    say("");
    show($("relative-screen"), false);
    status.open(true);
  }

  function label(field) {
    const name = /^(?:person|reporter)\.(\w+)/.exec(field);
    return (name && t.relativeFields[name[1]]) || field;
  }

  function rejected(data) {
    say("");
    H.showRefusals("relative", data, label, t.rejected);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    show($("relative-errors"), false);
    say(t.sending);
    requests.send(body());
  });

  const status = H.status({
    caseKey: CASE,
    onStartOver: () => {
      show($("relative-screen"), true);
      $("rel-full_name").focus();
    },
  });

  if (H.read(CASE)) {
    show($("relative-screen"), false);
    status.open(false);
  } else if (requests.resume()) {
    say(t.resuming);
  }
})();
