/* What Habeas keeps on the phone, for every page: window.Habeas (sending is in net.js).
 *
 * localStorage keys (JSON):
 *   habeas.details        the person's details and trusted contacts, when no PIN is set
 *   habeas.sealed         the same, encrypted (AES-GCM, key from the PIN by PBKDF2), with a PIN
 *   habeas.pinfails       wrong PINs in a row; the fifth wipes everything
 *   habeas.pending        an SOS not yet answered: its idempotency key and exact body
 *   habeas.case           the answered SOS: case id and status token
 *   habeas.summons.*      the same two for a summons
 *   habeas.timer          the check-in timer's token and deadline
 *   habeas.discreet       true once the discreet install (neutral name and icon) is chosen
 * IndexedDB "habeas" holds a copy of the pending SOS for the service worker, which cannot
 * read localStorage. Everything here is removed by wipe() (the panic wipe, /x).
 */
(() => {
  "use strict";

  window.Habeas = window.Habeas || {};
  const H = window.Habeas;

  // What every page's script starts with: its settings and strings (JSON in the page, as the
  // CSP allows no inline code), a lookup by id, and show/hide.
  H.page = () => ({
    config: JSON.parse(document.getElementById("sos-config").textContent),
    t: JSON.parse(document.getElementById("sos-strings").textContent),
    $: (id) => document.getElementById(id),
    show: (el, visible) => {
      if (el) el.hidden = !visible;
    },
  });

  // Storage can be missing or full (private mode, disabled): memory keeps this visit's
  // values, and is read first so a failed write never brings back an old value.
  const memory = {};
  function read(key) {
    if (key in memory) return memory[key];
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? null : JSON.parse(raw);
    } catch (_err) {
      return null;
    }
  }
  function write(key, value) {
    memory[key] = value;
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (_err) {
      /* memory holds it */
    }
  }
  function remove(key) {
    delete memory[key];
    try {
      window.localStorage.removeItem(key);
    } catch (_err) {
      /* nothing stored */
    }
  }

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (all, name) => (name in values ? values[name] : all));
  }

  /* ---- IndexedDB, for the service worker ------------------------------------------- */

  const DB = "habeas";
  const STORE = "kv";

  // One short-lived connection per call: an open connection would block the wipe.
  function idb(mode, run) {
    return new Promise((resolve, reject) => {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(STORE, mode);
        const request = run(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          reject(tx.error);
        };
      };
    });
  }
  const quiet = (promise) => promise.catch(() => null);
  H.idb = {
    get: (key) => quiet(idb("readonly", (s) => s.get(key))),
    put: (key, value) => quiet(idb("readwrite", (s) => s.put(value, key))),
    del: (key) => quiet(idb("readwrite", (s) => s.delete(key))),
  };

  /* ---- Details, optionally under a PIN --------------------------------------------- */

  const DETAILS = "habeas.details";
  const SEALED = "habeas.sealed";
  const FAILS = "habeas.pinfails";
  const MAX_TRIES = 5;
  // PBKDF2-SHA256 at 250,000 rounds: a fraction of a second on a phone, per guess.
  const ITERATIONS = 250000;

  const subtle = window.isSecureContext && window.crypto && crypto.subtle;
  let key = null; // this visit's AES key after unlocking; never stored
  let opened = null; // this visit's decrypted details

  const b64 = (bytes) => btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)));
  const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  async function deriveKey(pin, salt, iterations) {
    const base = await subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, [
      "deriveKey",
    ]);
    return subtle.deriveKey(
      { name: "PBKDF2", salt: salt, iterations: iterations, hash: "SHA-256" },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
  }

  async function seal(value, aesKey, salt, iterations) {
    const iv = new Uint8Array(12);
    crypto.getRandomValues(iv);
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const data = await subtle.encrypt({ name: "AES-GCM", iv: iv }, aesKey, plain);
    return { v: 1, iterations: iterations, salt: b64(salt), iv: b64(iv), data: b64(data) };
  }

  function changed() {
    document.dispatchEvent(new CustomEvent("habeas:details"));
  }

  function clean(value) {
    return value && typeof value === "object" ? value : {};
  }

  H.details = {
    canLock: Boolean(subtle),
    maxTries: MAX_TRIES,
    hasPin: () => Boolean(read(SEALED)),
    locked: () => Boolean(read(SEALED)) && !key,
    // The details to send, or null while they are locked.
    get() {
      if (read(SEALED)) return key ? opened : null;
      return clean(read(DETAILS));
    },
    async save(value) {
      const sealed = read(SEALED);
      if (sealed) {
        if (!key) throw new Error("locked");
        write(SEALED, await seal(value, key, unb64(sealed.salt), sealed.iterations));
        opened = value;
      } else {
        write(DETAILS, value);
      }
      changed();
    },
    clear() {
      // Nothing left to protect, so the PIN goes with the details.
      remove(DETAILS);
      remove(SEALED);
      remove(FAILS);
      key = null;
      opened = null;
      changed();
    },
    async setPin(pin) {
      const current = this.get() || {};
      const salt = new Uint8Array(16);
      crypto.getRandomValues(salt);
      const fresh = await deriveKey(pin, salt, ITERATIONS);
      write(SEALED, await seal(current, fresh, salt, ITERATIONS));
      remove(DETAILS);
      remove(FAILS);
      key = fresh;
      opened = current;
      changed();
    },
    // Resolve {ok} on the right PIN, {left} on a wrong one, {wiped} on the last wrong one.
    async unlock(pin) {
      const sealed = read(SEALED);
      if (!sealed) return { ok: true };
      // Counted before trying, so closing the page mid-guess earns no free attempt.
      const fails = (Number(read(FAILS)) || 0) + 1;
      write(FAILS, fails);
      try {
        const tried = await deriveKey(pin, unb64(sealed.salt), sealed.iterations);
        const plain = await subtle.decrypt(
          { name: "AES-GCM", iv: unb64(sealed.iv) },
          tried,
          unb64(sealed.data),
        );
        opened = clean(JSON.parse(new TextDecoder().decode(plain)));
        key = tried;
        remove(FAILS);
        changed();
        return { ok: true };
      } catch (_err) {
        if (fails >= MAX_TRIES) {
          await wipe();
          return { wiped: true };
        }
        return { left: MAX_TRIES - fails };
      }
    },
    lock() {
      key = null;
      opened = null;
      changed();
    },
    removePin() {
      if (!key) throw new Error("locked");
      write(DETAILS, opened || {});
      remove(SEALED);
      remove(FAILS);
      key = null;
      opened = null;
      changed();
    },
  };

  /* ---- The panic wipe -------------------------------------------------------------- */

  function within(promise, ms) {
    return Promise.race([
      promise.catch(() => null),
      new Promise((resolve) => setTimeout(resolve, ms)),
    ]);
  }

  function deleteDatabase(name) {
    return new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = () => resolve();
      // Blocked by another tab's open connection: it is deleted once that closes.
      request.onblocked = () => resolve();
    });
  }

  // Remove everything Habeas stored in this browser. Never rejects; each step is bounded in
  // time so a stuck one cannot stop the others.
  async function wipe() {
    key = null;
    opened = null;
    for (const name of Object.keys(memory)) delete memory[name];
    try {
      window.localStorage.clear();
      window.sessionStorage.clear();
    } catch (_err) {
      /* no storage to clear */
    }
    // Workers before caches, so that none re-fills a cache after it is deleted.
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      await within(
        navigator.serviceWorker
          .getRegistrations()
          .then((all) => Promise.all(all.map((r) => r.unregister()))),
        3000,
      );
    }
    if (window.caches) {
      await within(
        caches.keys().then((names) => Promise.all(names.map((n) => caches.delete(n)))),
        3000,
      );
    }
    if (window.indexedDB) {
      const listed = indexedDB.databases
        ? within(indexedDB.databases(), 1000).then((all) => (all || []).map((d) => d.name))
        : Promise.resolve([]);
      const names = new Set(await listed);
      names.add(DB);
      await within(Promise.all(Array.from(names).map(deleteDatabase)), 3000);
    }
    // The language choice and the form token: script-readable cookies, for this path up.
    for (const cookie of document.cookie.split(";")) {
      const name = cookie.split("=")[0].trim();
      // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from many phones
      if (name) document.cookie = `${name}=; Max-Age=0; path=/; SameSite=Lax`;
    }
  }

  /* ---- The discreet install ------------------------------------------------------ */

  // Once chosen, every page names the neutral manifest, title and icon: what the browser
  // reads when the app is added to the home screen. The page's elements carry the neutral
  // value in data-discreet; the real one is kept in data-plain to put back.
  const DISCREET = "habeas.discreet";
  const ATTRIBUTE = { TITLE: "textContent", META: "content", LINK: "href" };

  function disguise(on) {
    for (const el of document.querySelectorAll("[data-discreet]")) {
      const field = ATTRIBUTE[el.tagName];
      if (!field) continue;
      if (el.dataset.plain === undefined) el.dataset.plain = el[field];
      el[field] = on ? el.dataset.discreet : el.dataset.plain;
    }
  }

  H.discreet = {
    on: () => read(DISCREET) === true,
    set(on) {
      if (on) write(DISCREET, true);
      else remove(DISCREET);
      disguise(on);
    },
  };
  if (H.discreet.on()) disguise(true);

  H.read = read;
  H.write = write;
  H.remove = remove;
  H.format = format;
  H.wipe = wipe;
})();
