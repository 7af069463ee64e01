// My profile: filter the long list of stations as you type, and turn on Web Push here.
(() => {
  "use strict";

  // --- station filter: hides options that do not match; chosen ones always stay visible ---
  const filter = document.getElementById("station-filter");
  const stations = document.getElementById("id_stations");
  if (filter && stations) {
    filter.hidden = false;
    filter.addEventListener("input", () => {
      const wanted = filter.value.trim().toLowerCase();
      for (const option of stations.options) {
        option.hidden =
          wanted !== "" && !option.selected && !option.text.toLowerCase().includes(wanted);
      }
    });
  }

  // --- Web Push ---
  const push = document.getElementById("push");
  if (!push) return;
  const button = document.getElementById("push-enable");
  const status = document.getElementById("push-status");
  const supported =
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    status.textContent = push.dataset.unsupported;
    return;
  }
  button.hidden = false;

  // The VAPID public key comes as base64url text; the browser wants its bytes.
  function keyBytes(base64url) {
    const padded =
      base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function sameBytes(buffer, bytes) {
    if (!buffer) return false;
    const other = new Uint8Array(buffer);
    return other.length === bytes.length && other.every((b, i) => b === bytes[i]);
  }

  async function enable() {
    if ((await Notification.requestPermission()) !== "granted") {
      status.textContent = push.dataset.denied;
      return;
    }
    await navigator.serviceWorker.register(push.dataset.worker, { scope: push.dataset.scope });
    const registration = await navigator.serviceWorker.ready;
    const key = keyBytes(push.dataset.key);
    let subscription = await registration.pushManager.getSubscription();
    // A subscription made under an older server key would be refused by the push service.
    if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key,
      });
    }
    const csrf = push.querySelector("input[name=csrfmiddlewaretoken]").value;
    const response = await fetch(push.dataset.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      body: JSON.stringify(subscription.toJSON()),
    });
    const answer = await response.json().catch(() => ({}));
    status.textContent = response.ok
      ? answer.message
      : Object.values(answer.errors || {}).join(" ") || push.dataset.failed;
  }

  button.addEventListener("click", () => {
    button.disabled = true;
    enable()
      .catch(() => {
        status.textContent = push.dataset.failed;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
})();
