// One poll helper for the console's live pages (as healthchecks' adaptive-setinterval.js):
// window.HabeasConsole.poll({url, etag, everyMs, changed(html), tick()}).
// Each request is conditional (If-None-Match), so while nothing changed the server answers 304
// with no body and an idle page costs almost nothing. A hidden tab asks ten times less often
// and asks at once when it is shown again. An ended session reloads the page, which takes it
// to the login page (401: the session ran out while idle, see console/idle.py).
(() => {
  "use strict";

  const HIDDEN_EVERY = 10; // a hidden tab polls on every tenth tick

  function poll(options) {
    let etag = options.etag || "";
    let quietTicks = 0;
    let timer = null;
    let running = false;

    async function once() {
      if (document.hidden && ++quietTicks < HIDDEN_EVERY) return;
      quietTicks = 0;
      const response = await fetch(options.url, {
        headers: { "If-None-Match": etag },
        cache: "no-store",
        credentials: "same-origin",
      });
      if (response.redirected || response.status === 401) {
        window.location.reload();
        return;
      }
      if (response.status !== 200) return;
      etag = response.headers.get("ETag") || "";
      options.changed(await response.text());
    }

    function loop() {
      running = true;
      once()
        .catch(() => {
          /* offline for a moment: try again next tick */
        })
        .finally(() => {
          running = false;
          if (options.tick) options.tick();
          timer = window.setTimeout(loop, options.everyMs);
        });
    }

    document.addEventListener("visibilitychange", () => {
      if (document.hidden || running) return;
      window.clearTimeout(timer);
      loop();
    });
    timer = window.setTimeout(loop, options.everyMs);
  }

  window.HabeasConsole = Object.assign(window.HabeasConsole || {}, { poll: poll });
})();
