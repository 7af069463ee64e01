// The console's service worker: only Web Push. It caches nothing and intercepts no requests,
// so the console always shows the server's current state.
// Served from /console/sw.js (scope /console/); messages are {"title": ..., "body": ...}.
"use strict";

// Offer texts end with the link to answer; open it only if it is one of our own pages.
function linkIn(body) {
  const found = String(body || "").match(/https?:\/\/\S+/g);
  if (found) {
    try {
      const url = new URL(found[found.length - 1]);
      if (url.origin === self.location.origin) return url.href;
    } catch (_error) {
      /* not a URL after all */
    }
  }
  return new URL("/console/", self.location.origin).href;
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (_error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const title = data.title || "Habeas";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      data: { url: linkIn(data.body) },
      // The same case alerted twice replaces the earlier notification instead of stacking.
      tag: title,
      requireInteraction: true,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/console/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const win of windows) {
        if (win.url === url && "focus" in win) return win.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
