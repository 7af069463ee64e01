/* "My details" on any page that has them: the form with trusted contacts (home), the PIN that
 * locks them, the unlock form and the one-line summary (summons, timer), the wipe button.
 * Each part is wired only if its markup is on the page. Also gives the pages
 * Habeas.sendable(): the person, city and contacts to send, or nothing while locked.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const { config, t, $, show } = H.page();
  // The form's fields; the city goes in the SOS's clear envelope, not with the person.
  const PERSON = ["full_name", "date_of_birth", "phone", "note"];
  const FIELDS = [...PERSON, "city"];
  const SLOTS = [1, 2, 3];
  const TYPES = ["phone", "email", "telegram"];
  // The same shapes the API accepts; the input changes with the chosen type.
  const CONTACT_INPUT = {
    phone: { type: "tel", inputMode: "tel", pattern: "\\+?[0-9 \\(\\)\\-]{3,32}", max: 32 },
    email: { type: "email", inputMode: "email", pattern: "", max: 254 },
    telegram: { type: "text", inputMode: "numeric", pattern: "-?[0-9]{1,20}", max: 21 },
  };

  function say(id, text) {
    if ($(id)) $(id).textContent = text;
  }

  /* ---- What a page sends ----------------------------------------------------------- */

  function cleanContacts(list) {
    return (Array.isArray(list) ? list : [])
      .filter((c) => c && typeof c === "object")
      .map((c) => {
        const type = TYPES.find((name) => typeof c[name] === "string" && c[name].trim());
        return type ? { [type]: c[type].trim() } : null;
      })
      .filter(Boolean)
      .slice(0, 3);
  }

  H.sendable = () => {
    const saved = H.details.get();
    if (!saved) return { locked: true, person: null, city: "", contacts: [] };
    const person = {};
    PERSON.forEach((name) => {
      const value = String(saved[name] || "").trim();
      if (value) person[name] = value;
    });
    return {
      locked: false,
      person: Object.keys(person).length ? person : null,
      city: String(saved.city || "").trim(),
      contacts: cleanContacts(saved.contacts),
    };
  };

  /* ---- The form (home) ------------------------------------------------------------- */

  const form = $("details-form");

  function shapeContact(n) {
    const shape = CONTACT_INPUT[$(`contact-type-${n}`).value] || CONTACT_INPUT.phone;
    const input = $(`contact-value-${n}`);
    input.type = shape.type;
    input.inputMode = shape.inputMode;
    input.maxLength = shape.max;
    if (shape.pattern) input.pattern = shape.pattern;
    else input.removeAttribute("pattern");
  }

  function fill() {
    if (!form) return;
    const saved = H.details.get() || {};
    FIELDS.forEach((name) => {
      $(name).value = saved[name] || "";
    });
    const contacts = cleanContacts(saved.contacts);
    SLOTS.forEach((n, i) => {
      const contact = contacts[i] || { phone: "" };
      const type = Object.keys(contact)[0];
      $(`contact-type-${n}`).value = type;
      shapeContact(n);
      $(`contact-value-${n}`).value = contact[type];
    });
  }

  function collect() {
    const details = {};
    FIELDS.forEach((name) => {
      details[name] = $(name).value.trim();
    });
    details.contacts = [];
    SLOTS.forEach((n) => {
      const value = $(`contact-value-${n}`).value.trim();
      if (value) details.contacts.push({ [$(`contact-type-${n}`).value]: value });
    });
    return details;
  }

  function clearInvalid() {
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  // Saved details fold under "Details saved · edit": the form opens only when asked for.
  const edit = $("details-edit");
  let editing = false;

  function hasSaved() {
    const sendable = H.sendable();
    return (
      !sendable.locked && Boolean(sendable.person || sendable.city || sendable.contacts.length)
    );
  }

  function openForm(open) {
    editing = open;
    say("details-state", "");
    render();
  }

  if (form) {
    edit.addEventListener("click", () => {
      openForm(!editing);
      if (editing) $("full_name").focus();
    });
    // "Fix my details" after a refused SOS, and "Change my details" from other pages.
    const askedFor = () => window.location.hash === "#details";
    if (askedFor()) editing = true;
    window.addEventListener("hashchange", () => {
      if (askedFor()) openForm(true);
    });
    for (const link of document.querySelectorAll('a[href="#details"]')) {
      link.addEventListener("click", () => openForm(true));
    }

    for (const n of SLOTS) {
      $(`contact-type-${n}`).addEventListener("change", () => {
        shapeContact(n);
        $(`contact-value-${n}`).removeAttribute("aria-invalid");
      });
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearInvalid();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      try {
        editing = false;
        await H.details.save(collect());
        say("details-state", H.details.hasPin() ? t.savedSealed : t.saved);
        if (!edit.hidden) edit.focus();
      } catch (_err) {
        /* locked meanwhile: the form is hidden, nothing to save */
      }
    });

    // "Clear" asks first: one slip of the thumb would lose what took minutes to type.
    const clearPanel = $("clear-panel");
    function askClear(open) {
      clearPanel.hidden = !open;
      $("clear-details").setAttribute("aria-expanded", String(open));
    }
    $("clear-details").addEventListener("click", () => {
      askClear(clearPanel.hidden);
      if (!clearPanel.hidden) $("clear-cancel").focus();
    });
    $("clear-cancel").addEventListener("click", () => {
      askClear(false);
      $("clear-details").focus();
    });
    $("clear-confirm").addEventListener("click", () => {
      H.details.clear();
      form.reset();
      SLOTS.forEach(shapeContact);
      clearInvalid();
      askClear(false);
      say("details-state", t.cleared);
      $("clear-details").focus();
    });
  }

  /* ---- The PIN --------------------------------------------------------------------- */

  const setForm = $("pin-set-form");
  if (setForm) {
    setForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!setForm.checkValidity()) {
        setForm.reportValidity();
        return;
      }
      if ($("pin-new").value !== $("pin-repeat").value) {
        say("pin-state", t.pinMismatch);
        $("pin-repeat").focus();
        return;
      }
      // What is typed in the form now is what gets locked, saved or not.
      if (form && form.checkValidity()) await H.details.save(collect());
      await H.details.setPin($("pin-new").value);
      setForm.reset();
      say("pin-state", t.pinSet);
    });
    $("pin-lock").addEventListener("click", () => {
      H.details.lock();
      say("pin-state", t.pinLocked);
      say("details-state", "");
    });
    $("pin-remove").addEventListener("click", () => {
      H.details.removePin();
      say("pin-state", t.pinRemoved);
    });
  }

  const unlockForm = $("pin-unlock-form");
  if (unlockForm) {
    unlockForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!unlockForm.checkValidity()) {
        unlockForm.reportValidity();
        return;
      }
      const button = unlockForm.querySelector("button");
      button.disabled = true;
      const result = await H.details.unlock($("pin-unlock").value);
      button.disabled = false;
      $("pin-unlock").value = "";
      if (result.wiped) {
        window.location.replace(config.wipe);
      } else if (result.ok) {
        say("pin-unlock-state", "");
        say("pin-state", t.unlocked);
      } else {
        say("pin-unlock-state", H.format(t.pinWrong, { n: result.left }));
        $("pin-unlock").focus();
      }
    });
  }

  /* ---- The summary (summons, timer) ------------------------------------------------ */

  function summary() {
    const el = $("details-summary");
    if (!el) return;
    const sendable = H.sendable();
    if (sendable.locked) {
      el.textContent = t.summaryLocked;
      return;
    }
    const p = sendable.person || {};
    const parts = [p.full_name, p.date_of_birth, p.phone, sendable.city].filter(Boolean);
    if (sendable.contacts.length) {
      parts.push(H.format(t.summaryContacts, { n: sendable.contacts.length }));
    }
    el.textContent = parts.length ? `${t.summary} ${parts.join(", ")}` : t.summaryNone;
  }

  /* ---- Showing the right parts ----------------------------------------------------- */

  function render() {
    const hasPin = H.details.hasPin();
    const locked = H.details.locked();
    const folded = Boolean(edit) && !locked && hasSaved();
    show(form, !locked && (!folded || editing));
    if (edit) {
      show(edit, folded);
      edit.setAttribute("aria-expanded", String(folded && editing));
    }
    show(unlockForm, locked);
    show(setForm, !hasPin && H.details.canLock);
    show($("pin-open"), hasPin && !locked);
    if (setForm && !H.details.canLock && !hasPin) say("pin-state", t.noCrypto);
    fill();
    summary();
  }

  document.addEventListener("habeas:details", render);
  render();

  /* ---- The discreet install (home) ------------------------------------------------ */

  const discreet = $("discreet");
  if (discreet) {
    discreet.checked = H.discreet.on();
    discreet.addEventListener("change", () => {
      H.discreet.set(discreet.checked);
      say("discreet-state", discreet.checked ? t.discreetOn : t.discreetOff);
    });
  }

  /* ---- The panic wipe button (home) ------------------------------------------------ */

  const wipe = $("wipe");
  if (wipe) {
    const toggle = (open) => {
      show($("wipe-panel"), open);
      wipe.setAttribute("aria-expanded", open ? "true" : "false");
    };
    wipe.addEventListener("click", () => toggle(true));
    $("wipe-cancel").addEventListener("click", () => toggle(false));
    // The wipe page does the work; "replace" keeps this page out of the Back button.
    $("wipe-confirm").addEventListener("click", (event) => {
      event.preventDefault();
      window.location.replace(config.wipe);
    });
  }
})();
