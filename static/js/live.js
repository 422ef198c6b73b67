/* Migrapass Live — the client every live page shares.
 *
 * connectLive(namespace, sessionId, handlers, options) opens one Socket.IO connection,
 * asks for the board with `sync` on every (re)connection (the whole board first, then
 * only what it missed after the last seq it applied: handlers.caughtUp follows those
 * messages), applies `board` messages in seq order (older or duplicate ones are
 * ignored, a gap triggers a new sync), and shows the connection state in an
 * indicator element. Socket.IO's client reconnects by itself, with backoff.
 *
 * Classic script (no build step, old Android browsers): it defines window.MigrapassLive.
 * All visible words come from the page (data-* attributes), never from this file.
 */
(function () {
  "use strict";

  var ACK_TIMEOUT_MS = 10000;

  /** Where the app is rooted as the browser reaches it: "" at a host's root, or a
   *  proxy's path prefix such as "/live". This file is served from <root>/static/
   *  (under any file name), so its own address says so; read now, while it runs. */
  var ROOT = (function () {
    var script = document.currentScript;
    if (!script || !script.src) return "";
    var link = document.createElement("a"); // parses a URL on browsers without URL()
    link.href = script.src;
    var path = link.pathname.charAt(0) === "/" ? link.pathname : "/" + link.pathname;
    var at = path.indexOf("/static/");
    return at > 0 ? path.slice(0, at) : "";
  })();

  /** A random id for idempotent writes. crypto.randomUUID needs a secure context
   *  (the phones use plain http on the LAN) and is missing from older WebViews. */
  function randomId() {
    var c = window.crypto || window.msCrypto;
    if (c && typeof c.randomUUID === "function" && window.isSecureContext) {
      try {
        return c.randomUUID();
      } catch (e) { /* fall through */ }
    }
    var bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") {
      c.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    var hex = "";
    for (var j = 0; j < bytes.length; j++) {
      hex += (bytes[j] < 16 ? "0" : "") + bytes[j].toString(16);
    }
    return hex;
  }

  /** Fill "{name}" placeholders of a translated template (the result goes to textContent). */
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /** Insert `el` (with data-id) among its siblings ordered by numeric id, without moving others. */
  function placeSorted(container, el, id, descending) {
    var children = container.children;
    for (var i = 0; i < children.length; i++) {
      var other = Number(children[i].getAttribute("data-id"));
      if (descending ? other < id : other > id) {
        container.insertBefore(el, children[i]);
        return;
      }
    }
    container.appendChild(el);
  }

  /** Clone the first element of a <template>. */
  function fromTemplate(id) {
    var tpl = document.getElementById(id);
    return tpl.content.firstElementChild.cloneNode(true);
  }

  function Indicator(el) {
    this.el = el;
  }
  Indicator.prototype.set = function (state, message) {
    if (!this.el) return;
    var label = message || this.el.getAttribute("data-label-" + state) || "";
    this.el.setAttribute("data-state", state);
    var text = this.el.querySelector(".conn-text");
    if (text && text.textContent !== label) text.textContent = label;
  };

  function connectLive(namespace, sessionId, handlers, options) {
    options = options || {};
    handlers = handlers || {};
    var indicator = new Indicator(options.indicator || document.getElementById("connection"));
    var socket = window.io(namespace, {
      path: ROOT + "/socket.io",
      auth: { session_id: sessionId },
    });
    var lastSeq = -1;
    var cuts = 0; // connections lost so far: a write can tell it was cut on its way
    var haveBoard = false;
    var synced = false;
    var syncing = false;
    var buffer = [];

    function call(name, arg) {
      if (typeof handlers[name] === "function") handlers[name](arg);
    }

    function applyBoard(msg) {
      if (typeof msg.seq !== "number" || msg.seq <= lastSeq) return;
      if (msg.seq > lastSeq + 1) {
        // Every audience gets one message per event: a gap means we missed one.
        sync();
        return;
      }
      lastSeq = msg.seq;
      call("board", msg);
    }

    function dispatch(item) {
      if (item.type === "board") {
        applyBoard(item.msg);
      } else if (item.type === "personal") {
        if (typeof item.msg.seq === "number" && item.msg.seq <= item.snapshotSeq) return;
        call("personal", item.msg);
      } else if (item.type === "waiting") {
        call("waiting", item.msg);
      }
    }

    function receive(type, msg) {
      if (!msg || typeof msg !== "object") return;
      if (!synced) {
        buffer.push({ type: type, msg: msg });
        return;
      }
      if (type === "board") applyBoard(msg);
      else call(type, msg);
    }

    /** Apply held or missed messages in order; stop if one of them starts a new sync. */
    function drain(items, seqMark) {
      for (var i = 0; i < items.length; i++) {
        items[i].snapshotSeq = seqMark;
        dispatch(items[i]);
        if (!synced) {
          // A gap started a new sync: keep what is left for after it.
          buffer = items.slice(i + 1).concat(buffer);
          return false;
        }
      }
      return true;
    }

    function sync() {
      if (syncing) return;
      syncing = true;
      synced = false;
      // Having applied a board before, ask only for what came after it.
      var request = haveBoard && lastSeq >= 0 ? { after: lastSeq } : {};
      socket.timeout(ACK_TIMEOUT_MS).emit("sync", request, function (err, ack) {
        syncing = false;
        if (err) {
          // No answer: try again while connected; a reconnection syncs anyway.
          if (socket.connected) window.setTimeout(sync, 2000);
          return;
        }
        indicator.set("connected");
        if (ack && ack.ok && ack.missed) {
          synced = true;
          var held = buffer;
          buffer = [];
          var missed = ack.missed.map(function (m) { return { type: m.type, msg: m.msg }; });
          if (!drain(missed, lastSeq)) return;
          call("caughtUp", ack);
          drain(held, ack.seq);
          return;
        }
        if (!ack || !ack.ok || !ack.board) {
          synced = true; // board messages are not for us yet; personal ones still are
          var early = buffer;
          buffer = [];
          call("syncRefused", ack || {});
          // "You are let in" may have arrived while the refused sync was on its way.
          for (var j = 0; j < early.length; j++) {
            if (early[j].type === "personal") call("personal", early[j].msg);
          }
          return;
        }
        lastSeq = ack.board.seq;
        haveBoard = true;
        synced = true; // before the handler: it may send what waited (ready() is true)
        var pending = buffer;
        buffer = [];
        call("snapshot", ack.board);
        pending = pending.concat(buffer);
        buffer = [];
        drain(pending, ack.board.seq);
      });
    }

    indicator.set("connecting");

    socket.on("connect", function () {
      // Shown as connected once the board is in hand (or refused), not before.
      call("connected");
      sync();
    });
    socket.on("disconnect", function (reason) {
      cuts += 1;
      synced = false;
      syncing = false;
      buffer = [];
      if (reason === "io server disconnect" || reason === "io client disconnect") {
        indicator.set("offline");
      } else {
        indicator.set("reconnecting");
      }
      call("disconnected", reason);
    });
    socket.on("connect_error", function (err) {
      var message = err && err.data && err.data.message;
      if (message) {
        // The server refused us (not allowed, not in the room…): it will not retry.
        indicator.set("offline");
        call("refused", message);
      } else {
        indicator.set(socket.active ? "reconnecting" : "offline");
      }
    });
    socket.io.on("reconnect_attempt", function () {
      indicator.set("reconnecting");
    });
    socket.io.on("reconnect_failed", function () {
      indicator.set("offline");
    });

    // Words were taken out of the log (a person deleted their data): the board the
    // screen holds may show them, so it is fetched whole again.
    socket.on("resync", function () {
      haveBoard = false;
      sync();
    });

    // This phone or this log-in was signed out (elsewhere, or by a tutor): stop, and let
    // the server say where to go now (the home page, or the log-in page).
    socket.on("signed_out", function () {
      socket.disconnect();
      indicator.set("offline");
      window.location.reload();
    });
    socket.on("board", function (msg) { receive("board", msg); });
    socket.on("personal", function (msg) { receive("personal", msg); });
    socket.on("waiting", function (msg) { receive("waiting", msg); });

    return {
      socket: socket,
      resync: sync,
      /** Connected, with the board in hand: writes may go now. */
      ready: function () { return socket.connected && synced && haveBoard; },
      /** How many times the connection was lost so far. */
      cuts: function () { return cuts; },
      /** Emit with an acknowledgement. cb(error, ack): error is "offline" or "timeout". */
      emit: function (event, data, cb) {
        if (!socket.connected) {
          cb("offline", null);
          return;
        }
        socket.timeout(options.ackTimeout || ACK_TIMEOUT_MS).emit(event, data, function (err, ack) {
          cb(err ? "timeout" : null, ack || null);
        });
      },
    };
  }

  window.MigrapassLive = {
    root: ROOT,
    connectLive: connectLive,
    randomId: randomId,
    format: format,
    placeSorted: placeSorted,
    fromTemplate: fromTemplate,
  };
})();
