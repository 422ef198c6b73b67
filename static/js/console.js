/* Migrapass Live — the tutor's console: steps and guide, timer, board controls, the door,
 * attendance, notes, the end. Every control is a real button or form (keyboard first);
 * a few single-key shortcuts work when the focus is not in a text box.
 * Words come from data-i18n-* attributes rendered by the server.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var Board = window.MigrapassBoard;
  var root = document.querySelector("[data-console]");
  if (!root || !Live || !Board || !window.io) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var mayRun = root.getAttribute("data-may-run") === "true";
  function t(key) { return root.getAttribute("data-i18n-" + key) || ""; }

  /** A short text asked in a prompt (`key`: its words, and data-<key>-max its limit),
   *  or null. Never cut: one too long is asked again, with what was typed kept and a
   *  word on how much to take out. */
  function askText(key, initial) {
    var limit = Number(root.getAttribute("data-" + key + "-max"));
    var question = t(key);
    var text = initial || "";
    for (;;) {
      text = window.prompt(question, text);
      if (text === null) return null;
      var over = window.MigrapassTexts.length(text) - limit;
      if (!limit || over <= 0) return text;
      question = window.MigrapassTexts.words("chars-over", over) + "\n" + t(key);
    }
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
  var boardEl = q('[data-role="board"]');
  var noBoard = q('[data-role="no-board"]');
  var boardControls = q('[data-role="board-controls"]');
  var cardsCount = q('[data-role="cards-count"]');
  var waitingList = q('[data-testid="waiting-list"]');
  var membersList = q('[data-testid="members-list"]');
  var notesList = q('[data-role="notes"]');
  var behalfPanel = q('[data-role="behalf-panel"]');
  var behalfWho = q('[data-role="behalf-who"]');
  var forms = {};
  all("form[data-compose-board]").forEach(function (f) { forms[f.getAttribute("data-compose-board")] = f; });

  var store = new Board.Store();
  var ready = false;
  var busy = false; // one control action at a time
  var waiting = {};
  var members = {};

  var live = Live.connectLive("/tutor", sessionId, {
    snapshot: function (body) {
      store.snapshot(body);
      waiting = {};
      (body.waiting || []).forEach(function (p) { waiting[p.id] = p; });
      members = {};
      (body.members || []).forEach(function (p) { members[p.id] = p; });
      ready = true;
      render();
    },
    caughtUp: function (ack) {
      // Back after a short gap: the missed patches are applied; refresh the door.
      waiting = {};
      (ack.waiting || []).forEach(function (p) { waiting[p.id] = p; });
      members = {};
      (ack.members || []).forEach(function (p) { members[p.id] = p; });
      ready = true;
      render();
    },
    board: function (msg) {
      store.patch(msg);
      if (msg.admitted) {
        delete waiting[msg.admitted.id];
        members[msg.admitted.id] = msg.admitted;
      }
      if (msg.merged) {
        delete members[msg.merged.absorbed];
        delete waiting[msg.merged.absorbed];
      }
      render();
    },
    waiting: function (msg) {
      var p = msg.participant;
      if (p && !members[p.id]) {
        waiting[p.id] = p;
        render();
      }
      if (msg.declined) {
        msg.declined.forEach(function (id) { delete waiting[id]; });
        render();
      }
    },
    disconnected: function () {
      ready = false;
      renderControls();
    },
    syncRefused: function (ack) { showAlert(ack.message); },
    refused: showAlert,
  });

  function showAlert(message) {
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  /** Send one control; the server's answer (or silence) is shown, never swallowed. */
  function act(event, data, done) {
    if (busy || !mayRun) return;
    busy = true;
    renderControls();
    data = data || {};
    data.client_id = Live.randomId();
    live.emit(event, data, function (err, ack) {
      busy = false;
      if (err) showAlert(t("no-answer"));
      else if (!ack.ok) showAlert(ack.message);
      else showAlert("");
      renderControls();
      if (done) done(!err && ack && ack.ok);
    });
  }

  function currentStep() { return store.common.step_id; }
  function currentBoard() { var s = currentStep(); return s ? store.boards[s] : null; }

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
    renderPeople();
    renderBoard();
    renderNotes();
    renderControls();
    renderTimer();
  }

  function renderPeople() {
    fillList(waitingList, waiting, "tpl-waiting", function (li, p) {
      li.setAttribute("data-participant-id", String(p.id));
      // When they knocked: two people of the same name are told apart by it too.
      if (p.since_ms) {
        li.querySelector(".person-since").textContent = window.MigrapassTexts.clock(p.since_ms);
      }
    });
    q('[data-role="waiting-count"]').textContent = String(Object.keys(waiting).length);
    q('[data-role="waiting-empty"]').hidden = Object.keys(waiting).length > 0;
    var clearDoor = q('[data-role="clear-door"]');
    if (clearDoor) clearDoor.hidden = Object.keys(waiting).length < 2;
    var present = {};
    store.present.forEach(function (id) { present[id] = true; });
    fillList(membersList, members, "tpl-member", function (li, p) {
      li.setAttribute("data-participant-id", String(p.id));
      var box = li.querySelector("input");
      box.checked = !!present[p.id];
      box.setAttribute("data-focus-key", "present:" + p.id);
    });
    q('[data-role="members-empty"]').hidden = Object.keys(members).length > 0;
    q('[data-role="present-count"]').textContent =
      Board.fill(t("present"), { count: store.present.length });
    if (mayRun) {
      fillSelect(behalfWho, members);
      fillSelect(q('[data-role="merge-kept"]'), members);
      // Only people let in can be merged: someone at the door is not the group's yet.
      fillSelect(q('[data-role="merge-absorbed"]'), members);
    }
  }

  function byName(map) {
    return Object.keys(map).map(function (id) { return map[id]; }).sort(function (a, b) {
      return String(a.name).localeCompare(String(b.name));
    });
  }

  function fillList(list, map, templateId, decorate) {
    var focused = document.activeElement;
    var key = focused && list.contains(focused) ? focused.getAttribute("data-focus-key") : null;
    while (list.firstChild) list.removeChild(list.firstChild);
    byName(map).forEach(function (p) {
      var li = Live.fromTemplate(templateId);
      li.querySelector(".person-name").textContent = p.name;
      decorate(li, p);
      list.appendChild(li);
    });
    if (key) {
      var again = list.querySelector('[data-focus-key="' + key + '"]');
      if (again) again.focus();
    }
  }

  function fillSelect(select, map) {
    if (!select) return;
    var chosen = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    byName(map).forEach(function (p) {
      var option = document.createElement("option");
      option.value = String(p.id);
      option.textContent = p.name;
      select.appendChild(option);
    });
    if (chosen && map[chosen]) select.value = chosen;
  }

  function button(label, testId, onClick, focusKey) {
    var b = Board.el("button", "button button-small", label);
    b.type = "button";
    b.setAttribute("data-testid", testId);
    if (focusKey) b.setAttribute("data-focus-key", focusKey);
    b.disabled = !mayRun;
    b.addEventListener("click", onClick);
    return b;
  }

  function renderBoard() {
    var board = currentBoard();
    var stepId = currentStep();
    noBoard.hidden = !!board;
    boardEl.hidden = !board;
    if (boardControls) boardControls.hidden = !board;
    var shown = Board.render(boardEl, store, stepId, {
      cardTestId: "tutor-card",
      cardControls: function (li, card) {
        if (card.by_staff) li.appendChild(Board.el("p", "card-meta", t("tutor-card")));
        if (!mayRun) return;
        var row = Board.el("p", "card-controls");
        if (card.hidden) {
          row.appendChild(button(t("unhide"), "unhide-button", function () {
            act("unhide", { card_id: card.id });
          }, "unhide:" + card.id));
        } else {
          row.appendChild(button(t("hide"), "hide-button", function () {
            var reason = askText("hide-prompt");
            if (reason !== null) act("hide", { card_id: card.id, reason: reason });
          }, "hide:" + card.id));
        }
        if (card.board === "group_rules") {
          row.appendChild(button(card.adopted ? t("unadopt") : t("adopt"), "adopt-button", function () {
            act("adopt", { card_id: card.id, adopted: !card.adopted });
          }, "adopt:" + card.id));
        }
        if (board && board.clusters.length) {
          var label = Board.el("label", "group-pick");
          label.appendChild(Board.el("span", "visually-hidden", t("group")));
          var select = document.createElement("select");
          select.className = "input input-small";
          select.setAttribute("data-testid", "group-select");
          select.setAttribute("data-focus-key", "group:" + card.id);
          var none = document.createElement("option");
          none.value = "";
          none.textContent = t("no-group");
          select.appendChild(none);
          board.clusters.forEach(function (c) {
            var o = document.createElement("option");
            o.value = String(c.id);
            o.textContent = c.title;
            select.appendChild(o);
          });
          select.value = card.cluster_id ? String(card.cluster_id) : "";
          select.addEventListener("change", function () {
            act("group", { card_id: card.id, cluster_id: select.value ? Number(select.value) : null });
          });
          label.appendChild(select);
          row.appendChild(label);
        }
        li.appendChild(row);
      },
      clusterControls: function (head, cluster) {
        if (!mayRun) return;
        head.appendChild(button(t("rename"), "cluster-rename", function () {
          var title = askText("rename-prompt", cluster.title);
          if (title && title.trim()) act("cluster_rename", { cluster_id: cluster.id, title: title.trim() });
        }));
        head.appendChild(button(t("remove"), "cluster-remove", function () {
          act("cluster_remove", { cluster_id: cluster.id });
        }));
      },
    });
    cardsCount.textContent = String(shown);
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

  function renderControls() {
    var open = ready && store.common.status === "open" && mayRun;
    var index = store.common.step_index;
    all('[data-action="prev"]').forEach(function (b) { b.disabled = !open || busy || index <= 0; });
    all('[data-action="next"]').forEach(function (b) {
      b.disabled = !open || busy || index >= stepItems.length - 1;
    });
    all('[data-action="jump"]').forEach(function (b) {
      b.disabled = !open || busy || Number(b.getAttribute("data-index")) === index;
    });
    var lock = q('[data-action="lock"]');
    if (lock) {
      lock.disabled = !open || busy;
      lock.textContent = store.common.joining_locked ? t("unlock") : t("lock");
    }
    var end = q('[data-action="end"]');
    if (end) end.disabled = !open || busy;
    all(".console-main button, .console-main input, .console-main select, .console-side form button")
      .forEach(function (b) { if (!b.closest(".board")) b.disabled = !open || (busy && b.tagName === "BUTTON"); });
    var timer = store.common.timer || {};
    var pause = q('[data-action="timer-pause"]');
    if (pause) {
      pause.disabled = !open || (timer.ends_ms === null && timer.remaining_ms === null);
      pause.textContent = timer.ends_ms === null && timer.remaining_ms !== null ? t("resume") : t("pause");
      q('[data-action="timer-extend"]').disabled = pause.disabled;
      q('[data-action="timer-clear"]').disabled = pause.disabled;
    }
    var board = currentBoard();
    if (board && boardControls) {
      var lockB = q('[data-action="board-lock"]');
      lockB.textContent = board.locked ? t("unlock-board") : t("lock-board");
      var conceal = q('[data-action="board-conceal"]');
      conceal.textContent = board.concealed ? t("reveal") : t("conceal");
      conceal.hidden = board.board === "poll";
      var anon = q('[data-action="board-anonymous"]');
      anon.textContent = board.anonymous ? t("anonymous-on") : t("anonymous-off");
      anon.setAttribute("aria-pressed", board.anonymous ? "true" : "false");
      anon.hidden = board.board === "poll";
      q('[data-action="close-voting"]').hidden = !(board.budget > 0);
      q('[data-role="cluster-form"]').hidden = board.board === "poll";
    }
    if (behalfPanel) {
      var form = board && store.common.open_board ? forms[store.common.open_board] : null;
      behalfPanel.hidden = !form || !open;
      Object.keys(forms).forEach(function (k) { forms[k].hidden = forms[k] !== form; });
    }
    var minutes = q("#timer-minutes");
    var item = stepItems[index];
    if (minutes && item && minutes.getAttribute("data-step") !== String(index)) {
      minutes.value = item.getAttribute("data-minutes");
      minutes.setAttribute("data-step", String(index));
    }
  }

  function renderTimer() {
    var left = store.timeLeft();
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

  function toggleTimer() {
    var timer = store.common.timer || {};
    if (timer.ends_ms !== null && timer.ends_ms !== undefined) act("timer_pause");
    else if (timer.remaining_ms !== null && timer.remaining_ms !== undefined) act("timer_resume");
    else startTimer();
  }
  function startTimer() {
    var minutes = Number(q("#timer-minutes").value) || 10;
    act("timer_start", { seconds: Math.round(Math.min(240, Math.max(1, minutes)) * 60) });
  }
  function flag(event, key) {
    var board = currentBoard();
    if (board) act(event, { step: board.step, on: !board[key] });
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || !root.contains(target)) return;
    var action = target.getAttribute("data-action");
    if (action === "next") act("step", { delta: 1 });
    else if (action === "prev") act("step", { delta: -1 });
    else if (action === "jump") act("step", { index: Number(target.getAttribute("data-index")) });
    else if (action === "lock") act("lock", { locked: !store.common.joining_locked });
    else if (action === "admit" || action === "decline") {
      var li = target.closest("[data-participant-id]");
      act(action, { participant_id: Number(li.getAttribute("data-participant-id")) });
    } else if (action === "clear-door") {
      if (window.confirm(target.getAttribute("data-confirm"))) act("clear_door", {});
    } else if (action === "present") {
      var row = target.closest("[data-participant-id]");
      act("attendance", { participant_id: Number(row.getAttribute("data-participant-id")), present: target.checked });
    } else if (action === "timer-pause") toggleTimer();
    else if (action === "timer-extend") act("timer_extend", { seconds: 60 });
    else if (action === "timer-clear") act("timer_clear");
    else if (action === "board-lock") flag("board_lock", "locked");
    else if (action === "board-conceal") flag("board_conceal", "concealed");
    else if (action === "board-anonymous") flag("board_anonymous", "anonymous");
    else if (action === "close-voting") {
      var b = currentBoard();
      if (b) act("voting", { step: b.step, budget: 0 });
    } else if (action === "end") {
      q('[data-role="end-confirm"]').hidden = false;
      q('[data-action="end-confirm"]').focus();
    } else if (action === "end-cancel") {
      q('[data-role="end-confirm"]').hidden = true;
    } else if (action === "end-confirm") {
      q('[data-role="end-confirm"]').hidden = true;
      act("end");
    }
  });

  on('[data-role="timer-form"]', "submit", function (event) {
    event.preventDefault();
    startTimer();
  });
  on('[data-role="voting-form"]', "submit", function (event) {
    event.preventDefault();
    var board = currentBoard();
    var budget = Number(q("#vote-budget").value) || 3;
    if (board) act("voting", { step: board.step, budget: Math.min(10, Math.max(1, budget)) });
  });
  on('[data-role="cluster-form"]', "submit", function (event) {
    event.preventDefault();
    var input = q("#cluster-title");
    var board = currentBoard();
    if (!board || !input.value.trim()) return;
    act("cluster_create", { step: board.step, title: input.value.trim() }, function (ok) {
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
  Object.keys(forms).forEach(function (board) {
    var form = forms[board];
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = {};
      var actions = [];
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name || (input.type === "radio" && !input.checked) || input.value === "") return;
        var m = /^actions\.(\d+)\.(what|deadline)$/.exec(input.name);
        if (m) {
          actions[Number(m[1])] = actions[Number(m[1])] || { what: "", deadline: "" };
          actions[Number(m[1])][m[2]] = input.value;
        } else {
          fields[input.name] = input.value;
        }
      });
      actions = actions.filter(function (a) { return a && a.what.trim(); });
      if (actions.length) fields.actions = actions;
      act("post", { board: board, fields: fields, on_behalf_of: Number(behalfWho.value) }, function (ok) {
        if (ok) form.reset();
      });
    });
  });

  document.addEventListener("keydown", function (event) {
    if (!mayRun || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var key = event.key;
    if (key === "n" || key === "N") act("step", { delta: 1 });
    else if (key === "p" || key === "P") act("step", { delta: -1 });
    else if (key === "t" || key === "T") toggleTimer();
    else if (key === "+") act("timer_extend", { seconds: 60 });
    else if (key === "r" || key === "R") {
      var board = currentBoard();
      if (board && board.concealed) act("board_conceal", { step: board.step, on: false });
      else return;
    } else return;
    event.preventDefault();
  });
})();
