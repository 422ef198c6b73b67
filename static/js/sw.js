/* Migrapass Live — the phone's service worker: the room page opens without a network.
 *
 * Network first, always: a page or a script from the server when it answers (and a
 * copy is kept), the kept copy only when it does not. So a phone that lost the Wi-Fi
 * can still reload its room, see its cards waiting to send, and send them once the
 * server is back. Only room pages and static files are kept; Socket.IO, forms and
 * every other page go to the network untouched. Registered only in secure contexts
 * (HTTPS or localhost), as browsers require.
 */
"use strict";

var CACHE = "mp-room-v1";

function keepable(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  return url.pathname.indexOf("/static/") === 0 || /^\/s\/\d+$/.test(url.pathname);
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) {
        return caches.delete(n);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!keepable(request)) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) {
        return kept || Response.error();
      });
    })
  );
});
