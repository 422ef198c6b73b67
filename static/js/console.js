/* Migrapass Live — the tutor's console: steps and guide, timer, board controls, the wall
 * (its page, a card alone, the join panel, the group's rules), the door, attendance, notes,
 * the end. Every control is a real button or form (keyboard first); a few single-key
 * shortcuts work when the focus is not in a text box. Buttons say what they will do; what
 * the board is now is said apart, in its state line.
 *
 * This file connects, sends the tutor's actions (a table: data-action → what it does) and
 * draws through its parts: console-door.js, console-board.js (with console-dialogs.js),
 * console-controls.js. Words come from data-i18n-* attributes rendered by the server.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var Board = window.MigrapassBoard;
  var Console = window.MigrapassConsole;
  var root = document.querySelector("[data-console]");
  if (!root || !Live || !Board || !Console || !window.io || !window.MigrapassAnnounce) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var mayRun = root.getAttribute("data-may-run") === "true";
  function t(key) { return root.getAttribute("data-i18n-" + key) || ""; }

  /** The page's words for a count, in the plural form its language says for it. */
  function tCount(key, count) {
    var keyed = window.MigrapassTexts ? window.MigrapassTexts.pluralKey(key, count) : key;
    return Board.fill(t(keyed) || t(key), { count: count });
  }
  function q(selector) { return root.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  var stepItems = all(".step-item");
  var guides = all(".guide");
  var loading = q('[data-role="loading"]');
  var alertBox = q('[data-role="alert"]');
  var endedBanner = q('[data-role="ended"]');
  var joiningState = q('[data-role="joining-state"]');
  var timerEl = q('[data-role="timer"]');
  var notesList = q('[data-role="notes"]');
  var behalfWho = q('[data-role="behalf-who"]');
  var forms = {};
  all("form[data-compose-board]").forEach(function (f) { forms[f.getAttribute("data-compose-board")] = f; });

  var store = new window.MigrapassStore.Store();
  var ready = false;
  var busy = false; // one control action at a time
  var wallPages = {}; // step id → how many pages the projector needs for its board

  function currentStep() { return store.common.step_id; }
  function currentBoard() { var s = currentStep(); return s ? store.boards[s] : null; }
  function wall() {
    return store.common.wall || { page: 0, spotlight: null, join: "auto", rules: false };
  }

  /** What the console's parts share. */
  var page = {
    root: root, q: q, all: all, t: t, tCount: tCount, store: store, mayRun: mayRun,
    stepItems: stepItems, forms: forms, wallPages: wallPages, act: act,
    isReady: function () { return ready; },
    isBusy: function () { return busy; },
    currentStep: currentStep, currentBoard: currentBoard, wall: wall,
  };
  var door = Console.door(page);
  var board = Console.board(page);
  var controls = Console.controls(page);
  var keeper = Console.focus(root);
  // Read out: cards, the door, the timer. An extra: the console runs without it.
  var silent = { door: function () {}, cards: function () {}, timer: function () {} };
  var announce = window.MigrapassAnnounce ? window.MigrapassAnnounce.create(root) : silent;

  var live = Live.connectLive("/tutor", sessionId, {
    snapshot: function (body) {
      store.snapshot(body);
      door.reset(body);
      ready = true;
      render();
    },
    caughtUp: function (ack) {
      // Back after a short gap: the missed patches are applied; refresh the door.
      door.reset(ack);
      ready = true;
      render();
    },
    board: function (msg) {
      store.patch(msg);
      door.patched(msg);
      render();
    },
    waiting: function (msg) {
      if (door.knocked(msg)) render();
      if (msg.participant) announce.door([msg.participant.name]);
    },
    disconnected: function () {
      ready = false;
      controls.render();
    },
    syncRefused: function (ack) { showAlert(ack.message); },
    refused: showAlert,
  });

  // The projector tells how many pages the board takes on its screen (a measure of its
  // own, relayed by the server, never logged).
  live.socket.on("wall_pages", function (msg) {
    if (!msg || typeof msg.step !== "string" || typeof msg.pages !== "number") return;
    wallPages[msg.step] = msg.pages;
    if (ready) controls.render();
  });

  function showAlert(message) {
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  /** Send one control; the server's answer (or silence) is shown, never swallowed: on
   *  the page, or in `errorBox` (a dialog's own line) when one is given. One at a time:
   *  the controls wait for the answer (their buttons are disabled meanwhile).
   *  opts.plain: send `data` as it is, without an idempotency key; opts.marked: where
   *  the focus was (console-focus.js), opts.focus: what takes it if its control is gone. */
  function act(event, data, done, errorBox, opts) {
    if (busy || !mayRun) return;
    var marked = (opts && opts.marked) || keeper.mark();
    busy = true;
    controls.render();
    data = data || {};
    if (!(opts && opts.plain)) data.client_id = Live.randomId();
    live.emit(event, data, function (err, ack) {
      busy = false;
      var message = err ? t("no-answer") : !ack.ok ? ack.message || "" : "";
      if (errorBox) {
        errorBox.textContent = message;
        errorBox.hidden = !message;
      } else {
        showAlert(message);
      }
      controls.render();
      if (done) done(!err && ack && ack.ok, ack);
      keeper.keep(marked, opts && opts.focus);
    });
  }

  /* ---------- rendering ---------- */

  function render() {
    if (!ready) return;
    if (loading) loading.hidden = true;
    stepItems.forEach(function (item) {
      var isCurrent = Number(item.getAttribute("data-step-index")) === store.common.step_index;
      if (isCurrent) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
    guides.forEach(function (guide) {
      guide.hidden = Number(guide.getAttribute("data-step-index")) !== store.common.step_index;
    });
    joiningState.textContent = store.common.joining_locked ? t("joining-locked") : t("joining-open");
    endedBanner.hidden = store.common.status !== "ended";
    if (store.common.status !== "open") {
      // Nothing left to confirm once the workshop is over.
      all(".door .confirm").forEach(function (box) { box.hidden = true; });
    }
    door.render();
    board.render();
    announce.cards(Object.keys(store.cards).filter(function (id) { return !store.cards[id].by_staff; }));
    renderNotes();
    controls.render();
    renderTimer();
  }

  function renderNotes() {
    if (!notesList) return;
    while (notesList.firstChild) notesList.removeChild(notesList.firstChild);
    store.notes.slice().reverse().forEach(function (note) {
      var li = Board.el("li", "note");
      var time = Board.el("time", "note-time", window.MigrapassTexts.clock(note.ts_ms));
      time.setAttribute("datetime", new Date(note.ts_ms).toISOString());
      li.appendChild(time);
      var text = Board.el("p", "note-text", note.text);
      text.setAttribute("dir", "auto");
      li.appendChild(text);
      notesList.appendChild(li);
    });
  }

  function renderTimer() {
    var left = store.timeLeft();
    announce.timer(left);
    var text = left === null ? "–:––" : Board.formatClock(left);
    if (timerEl.textContent !== text) timerEl.textContent = text;
    timerEl.classList.toggle("is-over", left !== null && left <= 0);
    timerEl.classList.toggle("is-paused", (store.common.timer || {}).remaining_ms !== null &&
                                          (store.common.timer || {}).remaining_ms !== undefined);
  }
  window.setInterval(renderTimer, 500);

  /* ---------- controls ---------- */

  function on(selector, event, handler) {
    var el = q(selector);
    if (el) el.addEventListener(event, handler);
  }

  /** A number typed in `input`, or `fallback`, kept within the input's min and max (the
   *  server's limits, written by the page). */
  function bounded(input, fallback) {
    var value = Number(input.value) || fallback;
    return Math.min(Number(input.max), Math.max(Number(input.min), value));
  }

  function toggleTimer() {
    var timer = store.common.timer || {};
    if (timer.ends_ms !== null && timer.ends_ms !== undefined) act("timer_pause");
    else if (timer.remaining_ms !== null && timer.remaining_ms !== undefined) act("timer_resume");
    else startTimer();
  }
  function startTimer() {
    act("timer_start", { seconds: Math.round(bounded(q("#timer-minutes"), 10) * 60) });
  }
  function extendTimer() { act("timer_extend", { seconds: 60 }); }
  function step(delta) { return function () { act("step", { delta: delta }); }; }
  function flag(event, key) {
    return function () {
      var current = currentBoard();
      if (current) act(event, { step: current.step, on: !current[key] });
    };
  }
  /** The door's buttons on a person's row: let in, turn away, present tonight. */
  function personOf(target) {
    return Number(target.closest("[data-participant-id]").getAttribute("data-participant-id"));
  }
  function atTheDoor(event) {
    return function (target) { act(event, { participant_id: personOf(target) }); };
  }
  /** "Let everyone in" and "Turn everyone away" ask first, in their own box. */
  function askFirst(target, action) {
    var ask = q('[data-role="' + action + '-confirm"]');
    q('[data-role="admit-all-confirm"]').hidden = ask !== q('[data-role="admit-all-confirm"]');
    q('[data-role="clear-door-confirm"]').hidden = ask !== q('[data-role="clear-door-confirm"]');
    ask.querySelector('[data-action$="-confirm"]').focus();
  }
  function confirmed(event, plain) {
    return function (target) {
      var marked = keeper.mark(); // before its box hides it
      target.closest(".confirm").hidden = true;
      act(event, {}, null, null, { plain: plain, marked: marked, focus: doorHeading });
    };
  }
  function doorHeading() { return keeper.heading(q("#door-title")); }
  /** After a jump, the step's guide: what the tutor reads next. */
  function guideHeading() {
    var shown = guides.filter(function (guide) { return !guide.hidden; })[0];
    return shown ? keeper.heading(shown.querySelector("h3")) : null;
  }

  /** The button pressed is gone (its action done, its other side shown): the focus goes
   *  to the one that takes its place, not to the page's start. */
  function focusShown(selector) {
    var now = document.activeElement;
    if (now && now !== document.body && !now.hidden) return;
    var shown = all(selector).filter(function (b) { return !b.hidden; });
    if (shown.length) shown[0].focus();
  }

  /** What each data-action does: (the element clicked, its action). */
  var ACTIONS = {
    next: step(1),
    prev: step(-1),
    jump: function (target) {
      act("step", { index: Number(target.getAttribute("data-index")) }, null, null, { focus: guideHeading });
    },
    lock: function () { act("lock", { locked: !store.common.joining_locked }); },
    admit: atTheDoor("admit"),
    decline: atTheDoor("decline"),
    "admit-all": askFirst,
    "clear-door": askFirst,
    "confirm-cancel": function (target) {
      target.closest(".confirm").hidden = true;
      var asked = target.closest('[data-role="admit-all-confirm"]') ? "admit-all" : "clear-door";
      var back = q('[data-action="' + asked + '"]');
      if (back && !back.closest("[hidden]")) back.focus();
    },
    // Each one let in arrives as its own board message (the door is redrawn by them).
    "admit-all-confirm": confirmed("admit_all", true),
    "clear-door-confirm": confirmed("clear_door", false),
    "wall-next": function () { controls.turnPage(1); },
    "wall-prev": function () { controls.turnPage(-1); },
    "spotlight-off": function () { act("spotlight", { card_id: null }); },
    "join-panel": function (target) {
      act("join_panel", { shown: target.getAttribute("data-shown") }, function () {
        focusShown('[data-action="join-panel"]');
      });
    },
    "wall-rules": function (target) {
      act("wall_rules", { on: target.getAttribute("data-on") === "true" }, function () {
        focusShown('[data-action="wall-rules"]');
      });
    },
    present: function (target) {
      act("attendance", { participant_id: personOf(target), present: target.checked });
    },
    "timer-pause": toggleTimer,
    "timer-extend": extendTimer,
    "timer-clear": function () { act("timer_clear"); },
    "break-timer": startTimer, // the minutes field holds the break's own length
    "board-lock": flag("board_lock", "locked"),
    "board-until-reveal": flag("board_until_reveal", "until_reveal"),
    "board-anonymous": flag("board_anonymous", "anonymous"),
    "close-voting": function () {
      var current = currentBoard();
      if (current) act("voting", { step: current.step, budget: 0 });
    },
    end: function () {
      q('[data-role="end-confirm"]').hidden = false;
      q('[data-action="end-confirm"]').focus();
    },
    "end-cancel": function () {
      q('[data-role="end-confirm"]').hidden = true;
      q('[data-action="end"]').focus();
    },
    "end-confirm": function () {
      var marked = keeper.mark();
      q('[data-role="end-confirm"]').hidden = true;
      act("end", {}, null, null, { marked: marked, focus: function () {
        return endedBanner.querySelector("a");
      } });
    },
  };

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !root.contains(target)) return;
    var action = target.getAttribute("data-action");
    if (Object.prototype.hasOwnProperty.call(ACTIONS, action)) ACTIONS[action](target, action);
  });

  on('[data-role="timer-form"]', "submit", function (event) {
    event.preventDefault();
    startTimer();
  });
  on('[data-role="voting-form"]', "submit", function (event) {
    event.preventDefault();
    var current = currentBoard();
    if (current) act("voting", { step: current.step, budget: bounded(q("#vote-budget"), 3) });
  });
  on('[data-role="cluster-form"]', "submit", function (event) {
    event.preventDefault();
    var input = q("#cluster-title");
    var current = currentBoard();
    if (!current || !input.value.trim()) return;
    act("cluster_create", { step: current.step, title: input.value.trim() }, function (ok) {
      if (ok) input.value = "";
    });
  });
  on('[data-role="note-form"]', "submit", function (event) {
    event.preventDefault();
    var text = q("#note-text");
    if (!text.value.trim()) return;
    act("note", { text: text.value.trim() }, function (ok) { if (ok) text.value = ""; });
  });
  on('[data-role="merge-form"]', "submit", function (event) {
    event.preventDefault();
    var kept = Number(q('[data-role="merge-kept"]').value);
    var absorbed = Number(q('[data-role="merge-absorbed"]').value);
    if (kept && absorbed && kept !== absorbed) act("merge", { kept: kept, absorbed: absorbed });
  });
  // Writing for someone without a phone: the card goes straight to the board.
  Object.keys(forms).forEach(function (boardType) {
    var form = forms[boardType];
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = window.MigrapassCompose.fieldsOf(window.MigrapassCompose.valuesOf(form));
      act("post", { board: boardType, fields: fields, on_behalf_of: Number(behalfWho.value) }, function (ok) {
        if (ok) form.reset();
      });
    });
  });

  /** The single keys: each does what its button does; false lets the key do its own. */
  var SHORTCUTS = {
    n: step(1), N: step(1), p: step(-1), P: step(-1), t: toggleTimer, T: toggleTimer, "+": extendTimer,
    PageDown: function () { return controls.turnPage(1); }, // no board: the key scrolls
    "]": function () { return controls.turnPage(1); },
    PageUp: function () { return controls.turnPage(-1); },
    "[": function () { return controls.turnPage(-1); },
    r: reveal, R: reveal,
  };
  function reveal() {
    var current = currentBoard();
    if (!(current && current.until_reveal)) return false;
    act("board_until_reveal", { step: current.step, on: false });
  }

  if (mayRun) Console.keys(SHORTCUTS);
})();
