/**
 * The person deleted their data: what this phone kept for them goes too, their drafts
 * and outbox (localStorage; another person's on a shared phone stay) and the room pages
 * kept for offline use. The server's
 * Clear-Site-Data header does the same, but browsers honour it over HTTPS only, and a
 * workshop's Wi-Fi often serves plain HTTP.
 */
(function () {
  "use strict";
  var page = document.querySelector("[data-erased]");
  var ids = page ? page.getAttribute("data-erased").split(" ").filter(Boolean) : [];
  function theirs(key) {
    return ids.some(function (id) {
      return key.indexOf("mp:draft:" + id + ":") === 0 || key.indexOf("mp:outbox:" + id + ":") === 0;
    });
  }
  try {
    var mine = [];
    for (var i = 0; i < window.localStorage.length; i++) {
      var key = window.localStorage.key(i);
      if (key && theirs(key)) mine.push(key);
    }
    mine.forEach(function (key) { window.localStorage.removeItem(key); });
  } catch (e) {
    // Storage may be off (private browsing): nothing was kept there.
  }
  if (window.caches && window.caches.keys) {
    window.caches.keys().then(function (names) {
      names.forEach(function (name) {
        if (name.indexOf("mp-") === 0) window.caches.delete(name);
      });
    });
  }
  var done = document.querySelector("[data-role=forgotten]");
  if (done) done.hidden = false;
})();
