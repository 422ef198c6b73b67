/* Migrapass Live — the phone's outbox: writes that the server has not acknowledged yet.
 *
 * Every write (a card, a change, a vote…) is stored in localStorage with its client id
 * before it is sent, and removed only when the server acknowledges it. A reload, a
 * sleeping phone or a lost connection leaves it there; it is resent, with the same id,
 * once the connection is back, and the server stores it at most once.
 *
 * The outbox belongs to one person on one session: its key names both, each item is
 * sent with `as` (the person it was written by), and "This is not me" deletes the
 * person's outbox and drafts from the phone (forgetPerson), so a shared phone never
 * sends one person's cards as another's.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassOutbox.
 */
(function () {
  "use strict";

  var PREFIX = "mp:";
  var RETRY_MS = [1000, 2000, 5000, 10000, 20000];
  // Refusals that say "not now" rather than "no": the item stays and is sent again.
  var TRANSIENT = { too_fast: true, out_of_order: true, not_in_room: true };
  // A write leaves room under the server's limit on a message (the page says it) for
  // the message's own envelope: a keyboard that ignores a field's limit cannot put one
  // in the outbox that never leaves.
  var ENVELOPE_BYTES = 4 * 1024;
  // A card whose sending was cut this many times in a row, each time just after it was
  // sent (or that failed on the server), is set aside, back in its form, rather than
  // sent again forever. A cut later than CUT_WINDOW_MS is the network's, not the card's.
  var GIVE_UP_AFTER = 3;
  var CUT_WINDOW_MS = 3000;

  function bytes(value) {
    var text = JSON.stringify(value);
    try {
      return new window.Blob([text]).size;
    } catch (e) {
      return unescape(encodeURIComponent(text)).length;
    }
  }

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null; // private mode or storage disabled: the outbox lives in the page only
    }
  }

  function Outbox(personId, sessionId, maxMessageBytes) {
    this.person = Number(personId);
    this.maxBytes = (maxMessageBytes || 64 * 1024) - ENVELOPE_BYTES;
    this.key = PREFIX + "outbox:" + personId + ":" + sessionId;
    this.store = storage();
    this.memory = [];
  }

  Outbox.prototype.items = function () {
    if (!this.store) return this.memory.slice();
    try {
      var parsed = JSON.parse(this.store.getItem(this.key) || "[]");
      return Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      return [];
    }
  };

  Outbox.prototype.save = function (items) {
    this.memory = items.slice();
    if (!this.store) return;
    try {
      if (items.length) this.store.setItem(this.key, JSON.stringify(items));
      else this.store.removeItem(this.key);
    } catch (e) {
      this.store = null; // full: keep going in memory rather than lose the item
    }
  };

  /** Queue a write: {id, event, data}; false (and nothing queued) if it is too large
   *  ever to be sent. The id is the client id the server dedupes on. */
  Outbox.prototype.add = function (item) {
    if (bytes(item.data) > this.maxBytes) return false;
    var items = this.items();
    items.push(item);
    this.save(items);
    return true;
  };

  /** Note one more failed try of a write; true once it is time to set it aside. */
  Outbox.prototype.failed = function (id) {
    var items = this.items();
    var spent = false;
    items.forEach(function (item) {
      if (item.id !== id) return;
      item.failures = (item.failures || 0) + 1;
      spent = item.failures >= GIVE_UP_AFTER;
    });
    this.save(items);
    return spent;
  };

  /** Call `changed` when another tab of the same person changes this outbox. */
  Outbox.prototype.watch = function (changed) {
    var key = this.key;
    window.addEventListener("storage", function (event) {
      if (event.key === key || event.key === null) changed();
    });
  };

  Outbox.prototype.remove = function (id) {
    this.save(this.items().filter(function (item) { return item.id !== id; }));
  };

  Outbox.prototype.size = function () { return this.items().length; };

  /**
   * Send the queue in order, one write at a time, whenever `live.ready()`.
   * hooks.sent(item, ack), hooks.refused(item, ack), hooks.setAside(item) and
   * hooks.changed() tell the page.
   */
  function Sender(outbox, live, hooks) {
    this.outbox = outbox;
    this.live = live;
    this.hooks = hooks;
    this.busy = false;
    this.halted = false;
    this.failures = 0;
    this.timer = null;
  }

  Sender.prototype.later = function () {
    var self = this;
    var wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)];
    this.failures += 1;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.kick(); }, wait);
  };

  /** Stop for good: the connection now speaks for someone else. */
  Sender.prototype.halt = function () { this.halted = true; };

  Sender.prototype.kick = function () {
    var self = this;
    if (this.busy || this.halted || !this.live.ready()) {
      this.hooks.changed();
      return;
    }
    var head = this.outbox.items()[0];
    if (!head) {
      this.hooks.changed();
      return;
    }
    this.busy = true;
    var data = {};
    Object.keys(head.data).forEach(function (k) { data[k] = head.data[k]; });
    data.client_id = head.id;
    data.as = this.outbox.person;
    var cuts = this.live.cuts();
    var sentAt = Date.now();
    this.live.emit(head.event, data, function (err, ack) {
      self.busy = false;
      // The connection was cut just after this card left, or the server failed on it:
      // again, a few times, then it goes back to its form instead of cutting the line
      // forever. Votes and other small writes without a form are only ever resent.
      var cut = (err || !ack) && self.live.cuts() !== cuts && Date.now() - sentAt < CUT_WINDOW_MS;
      if (head.values && (cut || (ack && !ack.ok && ack.error === "server_error"))) {
        if (self.outbox.failed(head.id)) {
          self.outbox.remove(head.id);
          self.hooks.setAside(head);
          self.kick();
          return;
        }
      }
      if (err || !ack || (!ack.ok && ack.error === "server_error")) {
        self.later(); // offline or no answer: the same id goes again
        self.hooks.changed();
        return;
      }
      if (!ack.ok && ack.error === "not_you") {
        self.halt();
        self.hooks.refused(head, ack);
        self.hooks.changed();
        return;
      }
      if (!ack.ok && TRANSIENT[ack.error]) {
        self.later();
        self.hooks.changed();
        return;
      }
      self.failures = 0;
      self.outbox.remove(head.id);
      if (ack.ok) self.hooks.sent(head, ack);
      else self.hooks.refused(head, ack);
      self.kick();
    });
  };

  /** Delete everything this phone keeps for one person: unsent writes and drafts. */
  function forgetPerson(personId) {
    var s = storage();
    if (!s) return;
    var marks = [PREFIX + "outbox:" + personId + ":", PREFIX + "draft:" + personId + ":"];
    var doomed = [];
    for (var i = 0; i < s.length; i++) {
      var key = s.key(i);
      for (var j = 0; j < marks.length; j++) {
        if (key && key.indexOf(marks[j]) === 0) doomed.push(key);
      }
    }
    doomed.forEach(function (key) { s.removeItem(key); });
  }

  /** How many writes one person has waiting on this phone, all sessions together. */
  function waitingFor(personId) {
    var s = storage();
    if (!s) return 0;
    var mark = PREFIX + "outbox:" + personId + ":";
    var count = 0;
    for (var i = 0; i < s.length; i++) {
      var key = s.key(i);
      if (key && key.indexOf(mark) === 0) {
        try {
          count += (JSON.parse(s.getItem(key) || "[]") || []).length;
        } catch (e) { /* unreadable: nothing to count */ }
      }
    }
    return count;
  }

  window.MigrapassOutbox = {
    Outbox: Outbox,
    Sender: Sender,
    forgetPerson: forgetPerson,
    waitingFor: waitingFor,
  };
})();

/* "This is not me": the person's unsent cards and drafts leave the phone with them. */
(function () {
  "use strict";

  var LEAVE_WITHIN_MS = 3000; // the caches let go by then, or the phone leaves anyway

  function hook(form) {
    form.addEventListener("submit", function (event) {
      var person = form.getAttribute("data-person");
      var Outbox = window.MigrapassOutbox;
      if (!person || !Outbox) return;
      var unsent = Outbox.waitingFor(person);
      if (unsent > 0) {
        var key = window.MigrapassTexts ? window.MigrapassTexts.pluralKey("confirm-unsent", unsent) : "confirm-unsent";
        var wording = form.getAttribute("data-" + key) || form.getAttribute("data-confirm-unsent") || "";
        var question = wording.replace("{count}", String(unsent));
        if (!window.confirm(question)) {
          event.preventDefault();
          return;
        }
      }
      Outbox.forgetPerson(person);
      // The kept copy of the room page names the person: it goes too, before leaving, and
      // neither room.js nor the service worker keeps it again (the server's answer clears
      // the browser's own cache, for the Back button).
      document.documentElement.setAttribute("data-signing-out", "true");
      if (window.caches && !form.hasAttribute("data-cleared")) {
        event.preventDefault();
        var leave = function () {
          if (form.hasAttribute("data-cleared")) return;
          form.setAttribute("data-cleared", "true");
          form.submit();
        };
        Promise.all([forgetKeptRooms(), askWorkerToForget()]).then(leave, leave);
        // A storage that stalls (a busy cheap phone) must not keep the person signed in:
        // they leave anyway. The server's answer still clears the HTTP cache (Back); a
        // room the worker could not let go in time stays in its cache until the next sign-out.
        window.setTimeout(leave, LEAVE_WITHIN_MS);
      }
    });
  }

  function forgetKeptRooms() {
    return window.caches.keys().then(function (names) { // sw.js's, of any version
      return Promise.all(names.filter(function (name) {
        return name.indexOf("mp-room-") === 0;
      }).map(function (name) { return window.caches.delete(name); }));
    });
  }

  /** sw.js lets its kept rooms go too, and keeps none it was fetching meanwhile. */
  function askWorkerToForget() {
    var workers = navigator.serviceWorker;
    if (!workers || !window.MessageChannel) return Promise.resolve();
    return workers.getRegistration().then(function (registration) {
      var worker = registration && registration.active;
      if (!worker) return null;
      return new Promise(function (done) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { done(); };
        worker.postMessage({ type: "forget" }, [channel.port2]);
        window.setTimeout(done, 2000); // a worker that does not answer keeps no one here
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.not-me[data-person]"), hook);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
