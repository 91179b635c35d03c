// The dashboard's one script (served at /dashboard/dashboard.js): every few seconds it fetches
// the live part of the page again and puts it in place, so the page updates without a reload.
// A failed fetch shows the "cannot reach the hub" line; a 401 (signed out, token revoked) goes
// back to the sign-in form. Without JavaScript the page reloads itself instead (<noscript>).
(function () {
  "use strict";
  var live = document.getElementById("live");
  var lost = document.getElementById("lost");
  if (!live) { return; }
  var src = live.getAttribute("data-src");
  var every = Number(live.getAttribute("data-every")) || 3000;
  function again() { window.setTimeout(tick, every); }
  function tick() {
    fetch(src, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/dashboard/signin"); return null; }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      })
      .then(function (html) {
        if (html !== null) { live.innerHTML = html; lost.hidden = true; }
        again();
      })
      .catch(function () { lost.hidden = false; again(); });
  }
  again();
})();
