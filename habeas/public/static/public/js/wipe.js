/* The panic wipe (/x): remove everything Habeas keeps in this browser, then show a blank page.
 * No confirmation here: typing the address, or the confirmed button on the start page, is the
 * decision. The browser's history of visited pages is out of a page's reach.
 */
(() => {
  "use strict";

  document.body.dataset.wiped = "working";
  window.Habeas.wipe().then(() => {
    document.body.dataset.wiped = "1";
    document.getElementById("wipe-state").textContent = "✓";
  });
})();
