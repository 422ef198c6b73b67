/* Migrapass Live — the PDF export page: once the file is ready, start its download once.
 * The button stays for a second try; no download starts again when the page is reloaded. */
(function () {
  "use strict";
  var link = document.querySelector("[data-auto-download]");
  if (!link) return;
  var key = "mp:downloaded:" + link.getAttribute("href");
  try {
    if (window.sessionStorage.getItem(key)) return;
    window.sessionStorage.setItem(key, "1");
  } catch (e) { /* private mode: download anyway */ }
  window.location.assign(link.getAttribute("href"));
})();
