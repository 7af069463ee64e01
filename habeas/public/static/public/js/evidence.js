/* Photos, video and documents sent to a case from its status screen: Habeas.uploads.
 *
 * Each file is hashed on the phone (SHA-256, piece by piece: a 200 MB video never sits in
 * memory), declared to the server under an upload key of its own, then sent in chunks from
 * the offset the server has. When the network drops, the upload waits and goes on from the
 * server's offset once the phone is back online; picking the same file again later resumes
 * it too (its key is kept under habeas.uploads by hash). The server's answer to the last
 * chunk is the receipt: the time it was received and the hash it checked.
 * Load after store.js and net.js, with the vendored js-sha256.
 */
(() => {
  "use strict";

  const H = window.Habeas;
  const KEPT = "habeas.uploads";
  const HASH_PIECE = 4 * 1024 * 1024;
  const REQUEST_MS = 120000; // one chunk on a slow network
  const RETRY_MS = 5000;

  // The page's settings and strings, read once (H.page() parses them at each call).
  let page = null;
  function strings() {
    page = page || H.page();
    return page;
  }

  function uploadKey() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
  }

  async function hashOf(file, progress) {
    const hasher = window.sha256.create();
    for (let at = 0; at < file.size; at += HASH_PIECE) {
      hasher.update(await file.slice(at, at + HASH_PIECE).arrayBuffer());
      progress(Math.min(at + HASH_PIECE, file.size) / file.size);
    }
    return hasher.hex();
  }

  function reason(data, fallback) {
    const first = data && Array.isArray(data.errors) && data.errors[0];
    return (first && first.message) || (data && data.detail) || fallback;
  }

  const percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    style: "percent",
  });
  const share = (part) => percent.format(Math.min(1, part));

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Resolve once the phone says it is online again, or after a while to try anyway.
  function backOnline() {
    return new Promise((resolve) => {
      const done = () => {
        window.removeEventListener("online", done);
        resolve();
      };
      window.addEventListener("online", done);
      setTimeout(done, navigator.onLine ? RETRY_MS : RETRY_MS * 6);
    });
  }

  // A line in the list for one file, and a way to say where it stands.
  function lineFor(list, name) {
    const line = document.createElement("li");
    const text = document.createElement("span");
    line.append(text);
    list.append(line);
    const say = (template, values = {}) => {
      text.textContent = H.format(template, { name: name, ...values });
    };
    return { line, say };
  }

  function showReceipt(line, say, state) {
    const { config, t } = strings();
    line.className = "received";
    const when = new Date(state.received_at).toLocaleTimeString(config.lang, {
      hour: "2-digit",
      minute: "2-digit",
    });
    say(t.uploadDone, { time: when });
    const hash = document.createElement("code");
    hash.className = "hash";
    hash.textContent = state.sha256;
    line.append(" ", hash);
  }

  // One file: sent from where the server's copy ends, its line saying how far it is.
  async function send(file, token, list, caseKey) {
    const { config, t } = strings();
    const { line, say } = lineFor(list, file.name);
    const auth = { Authorization: `Bearer ${token}` };

    say(t.uploadHashing, { pct: share(0) });
    const sha = await hashOf(file, (part) => say(t.uploadHashing, { pct: share(part) }));
    // Per case: the same file sent to another case is another upload.
    const slot = `${caseKey}:${sha}`;
    const kept = H.read(KEPT) || {};
    const key = (kept[slot] && kept[slot].key) || uploadKey();
    kept[slot] = { key: key };
    H.write(KEPT, kept);
    const forget = () => {
      const now = H.read(KEPT) || {};
      delete now[slot];
      H.write(KEPT, now);
    };

    const declared = JSON.stringify({
      upload_key: key,
      size: file.size,
      sha256: sha,
      content_type: file.type || "application/octet-stream",
      filename: file.name.slice(0, 200),
    });
    let state = null;
    let offset = 0;
    for (;;) {
      let res = null;
      try {
        if (state === null) {
          res = await H.fetchWithin(
            config.api.evidence,
            {
              method: "POST",
              headers: { ...auth, "Content-Type": "application/json" },
              body: declared,
              credentials: "same-origin",
            },
            REQUEST_MS,
          );
        } else {
          res = await H.fetchWithin(
            `${config.api.evidence}/${key}`,
            {
              method: "PATCH",
              headers: {
                ...auth,
                "Upload-Offset": String(offset),
                "Content-Type": "application/offset+octet-stream",
              },
              body: file.slice(offset, offset + state.chunk_bytes),
              credentials: "same-origin",
            },
            REQUEST_MS,
          );
        }
      } catch (_err) {
        // No network: wait for it, then ask the server what it kept.
        say(t.uploadWaiting, { pct: share(offset / file.size) });
        await backOnline();
        state = null;
        continue;
      }
      const data = await res.json().catch(() => null);
      if (res.status === 409 && res.headers.get("Upload-Offset")) {
        // Another try got further (or finished): go on from the server's offset; at the
        // end, declaring again answers with the receipt.
        offset = Number(res.headers.get("Upload-Offset"));
        if (offset >= file.size) state = null;
        continue;
      }
      if (!res.ok || !data) {
        if (res.status >= 500) {
          say(t.uploadWaiting, { pct: share(offset / file.size) });
          await sleep(RETRY_MS);
          state = null;
          continue;
        }
        forget();
        line.className = "failed";
        say(t.uploadFailed, { reason: reason(data, t.uploadRefused) });
        return;
      }
      // A chunk that moved nothing on (a proxy that drops bodies): pause rather than spin.
      if (state !== null && !data.complete && data.offset <= offset) await sleep(RETRY_MS);
      state = data;
      offset = data.offset;
      if (data.complete) break;
      say(t.uploadSending, { pct: share(offset / file.size) });
    }
    forget();
    showReceipt(line, say, state);
  }

  // What this link sent before (the page was closed, the phone restarted): the receipts,
  // and the uploads that stopped, to pick again.
  async function listSent(caseKey, list) {
    const { config, t } = strings();
    const saved = H.read(caseKey);
    if (!saved) return;
    let sent = null;
    try {
      const res = await H.fetchWithin(
        config.api.evidence,
        { headers: { Authorization: `Bearer ${saved.status_token}` }, credentials: "same-origin" },
        REQUEST_MS,
      );
      sent = res.ok ? await res.json() : null;
    } catch (_err) {
      return;
    }
    if (!Array.isArray(sent)) return;
    for (const state of sent) {
      const { line, say } = lineFor(list, state.filename || state.type);
      if (state.complete) showReceipt(line, say, state);
      else say(t.uploadStopped, { pct: share(state.offset / state.size) });
    }
  }

  H.uploads = {
    // Send these files to the case kept under caseKey; each gets its line in the list.
    send(caseKey, files) {
      const saved = H.read(caseKey);
      const list = document.getElementById("evidence-list");
      if (!saved || !list) return [];
      return Array.from(files).map((file) => send(file, saved.status_token, list, caseKey));
    },
    // The status screen's own picker, and what was sent before.
    wire(caseKey) {
      const input = document.getElementById("evidence-input");
      if (!input) return;
      listSent(caseKey, document.getElementById("evidence-list"));
      input.addEventListener("change", () => {
        H.uploads.send(caseKey, input.files);
        input.value = "";
      });
    },
  };
})();
