/* Migrapass Live — the phone's service worker: the room page opens without a network.
 *
 * A room page: network first, always (the server's when it answers, and a copy is kept;
 * the kept copy only when it does not). So a phone that lost the Wi-Fi can still reload
 * its room, see its cards waiting to send, and send them once the server is back; and
 * after a new version is deployed, one reload shows it. A static file under its hashed
 * name (room.3f2a1b9c0d.css, app/static_files.py) never changes: the kept copy first,
 * the network only for one not kept yet. A file under its plain name is treated as a
 * page. Socket.IO, forms and every other page go to the network untouched.
 *
 * Paths are the registration's scope's: the app may be served under a proxy's prefix
 * (/live/). The kept room pages are the few last ones; a file none of them links to (an
 * older version's) is let go. Registered only in secure contexts (HTTPS or
 * localhost), as browsers require.
 */
"use strict";

var CACHE = "mp-room-v2"; // "This is not me" deletes every "mp-room-" cache (outbox.js)
var PAGES_KEPT = 3;
var ROOT = new URL(self.registration.scope).pathname; // "/" or "/live/"
var STATIC = ROOT + "static/";
var HASHED = /\.[0-9a-f]{10}\.[a-z0-9]+$/;
// How many times "This is not me" (outbox.js) let every kept room go: what was fetched
// before the last time is not kept after it (it may be the previous person's page).
var forgotten = 0;

function isRoom(path) {
  var rest = path.slice(ROOT.length);
  return path.indexOf(ROOT) === 0 && /^s\/\d+$/.test(rest);
}

/** "hashed", "page" (a room page or a static file under its plain name), or null. */
function kindOf(request) {
  if (request.method !== "GET") return null;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.indexOf(STATIC) === 0) return HASHED.test(url.pathname) ? "hashed" : "page";
  return isRoom(url.pathname) ? "page" : null;
}

/** Keep a room page, or a file for the kept rooms (none once they went: another page's
 *  files do not bring the cache back). `asked`: `forgotten` when the fetch began. */
function keep(request, response, asked) {
  if (!response.ok || response.redirected || response.type !== "basic") return Promise.resolve();
  var room = isRoom(new URL(request.url).pathname);
  var copy = response.clone();
  return (room ? Promise.resolve(true) : caches.has(CACHE)).then(function (wanted) {
    if (!wanted || asked !== forgotten) return null;
    return caches.open(CACHE).then(function (cache) {
      if (asked !== forgotten) return null;
      return cache.put(request, copy).then(function () { return room ? prune(cache) : null; });
    });
  });
}

/** The static paths a kept page links to. */
function linked(html, base) {
  var found = {};
  var re = /(?:src|href)="([^"]+)"/g;
  var m;
  while ((m = re.exec(html))) {
    var path = new URL(m[1].replace(/&amp;/g, "&"), base).pathname;
    if (path.indexOf(STATIC) === 0) found[path] = true;
  }
  return found;
}

/** Keep the last PAGES_KEPT room pages (the cache lists them in the order they were put)
 *  and the static files they link to; let the rest go. */
function prune(cache) {
  return cache.keys().then(function (requests) {
    var pages = requests.filter(function (r) { return isRoom(new URL(r.url).pathname); });
    var old = pages.slice(0, Math.max(0, pages.length - PAGES_KEPT));
    var kept = pages.slice(old.length);
    return Promise.all(kept.map(function (r) {
      return cache.match(r).then(function (page) { return page ? page.text() : ""; })
        .then(function (html) { return linked(html, r.url); });
    })).then(function (lists) {
      var used = {};
      lists.forEach(function (list) { Object.keys(list).forEach(function (p) { used[p] = true; }); });
      var gone = requests.filter(function (r) {
        var path = new URL(r.url).pathname;
        return old.indexOf(r) >= 0 || (path.indexOf(STATIC) === 0 && !used[path]);
      });
      return Promise.all(gone.map(function (r) { return cache.delete(r); }));
    });
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });

/** Let go of the kept caches `doomed` names, of any version. */
function letGo(doomed) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("mp-room-") === 0 && doomed(n);
    }).map(function (n) { return caches.delete(n); }));
  });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(letGo(function (n) { return n !== CACHE; }) // an older worker's
    .then(function () { return self.clients.claim(); }));
});

// "This is not me": every kept room goes, and no fetch on its way puts one back.
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "forget") return;
  forgotten += 1;
  var port = event.ports && event.ports[0];
  event.waitUntil(letGo(function () { return true; }).then(function () {
    if (port) port.postMessage("forgotten");
  }));
});

function fromNetwork(event) {
  var asked = forgotten;
  return fetch(event.request).then(function (response) {
    event.waitUntil(keep(event.request, response, asked));
    return response;
  });
}

self.addEventListener("fetch", function (event) {
  var kind = kindOf(event.request);
  if (!kind) return;
  var kept = function () {
    return caches.match(event.request).then(function (found) { return found || Response.error(); });
  };
  if (kind === "hashed") {
    event.respondWith(caches.match(event.request).then(function (found) {
      return found || fromNetwork(event);
    }));
  } else {
    event.respondWith(fromNetwork(event).catch(kept));
  }
});
