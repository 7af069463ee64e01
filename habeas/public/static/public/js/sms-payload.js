/* The SOS in one SMS, for when mobile data is cut (format v1, read by habeas.lib.smscodec):
 *
 *   H1 <reference> <lat>,<lon> <yyyymmdd> <name>
 *
 * <reference> is a one-way hash of the pending SOS's idempotency key (smsReference), so the
 * SMS and the app's later retry make one case while the SMS, which the carrier reads, never
 * carries the key that opens the status page; "-" stands for an unknown location or date of
 * birth; an empty name is left out.
 * Example: "H1 k7Pq2Xz9Lm3W 55.7649,37.6116 19950412 Мария Иванова".
 */
(() => {
  "use strict";

  window.Habeas = window.Habeas || {};
  const H = window.Habeas;

  // The server reads a name of letters, digits, spaces, . ' - and _ that starts with a
  // letter, up to 100 characters; anything else would turn the SMS into free text.
  // Composed first: a letter with a separate accent mark would not count as one letter.
  function smsName(name) {
    const clean = String(name || "")
      .normalize("NFC")
      .replace(/\p{M}/gu, "")
      .replace(/[^\p{L}\p{N}_ .'-]/gu, " ")
      .split(/\s+/)
      .filter(Boolean)
      .join(" ")
      .replace(/^[^\p{L}]+/u, "");
    return Array.from(clean).slice(0, 100).join("").trim();
  }

  function smsPayload(reference, location, person) {
    const parts = ["H1", reference];
    const lat = location && Number(location.lat);
    const lon = location && Number(location.lon);
    const known = location && Number.isFinite(lat) && Number.isFinite(lon);
    parts.push(known ? `${lat.toFixed(4)},${lon.toFixed(4)}` : "-");
    const born = person && /^\d{4}-\d{2}-\d{2}$/.test(person.date_of_birth || "");
    parts.push(born ? person.date_of_birth.replace(/-/g, "") : "-");
    const name = smsName(person && person.full_name);
    if (name) parts.push(name);
    return parts.join(" ");
  }

  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  function pick(bytes) {
    return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
  }

  // The same as habeas.lib.smscodec.reference: the first 12 bytes of SHA-256(key), one
  // character of 62 each. Without SubtleCrypto (plain http away from localhost) a random
  // reference still makes a case for the hotline, only not the same case as the app's retry.
  async function smsReference(key) {
    if (window.crypto && crypto.subtle) {
      const data = new TextEncoder().encode(key);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
      return pick(digest.slice(0, 12));
    }
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return pick(bytes);
  }

  // "?&body=" is the one form both iOS and Android read.
  function smsHref(number, payload) {
    return `sms:${number}?&body=${encodeURIComponent(payload)}`;
  }

  H.smsReference = smsReference;
  H.smsPayload = smsPayload;
  H.smsHref = smsHref;
})();
