/* Migrapass Live — the tutor's console: steps and guide, timer, board controls, the wall
 * (its page, a card alone, the join panel, the group's rules), the door, attendance, notes,
 * the end. Every control is a real button or form (keyboard first); a few single-key
 * shortcuts work when the focus is not in a text box. Buttons say what they will do; what
 * the board is now is said apart, in its state line.
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

  /** The page's words for a count: data-i18n-<key>-one where the language says one. */
  function tCount(key, count) {
    var one = window.MigrapassTexts && window.MigrapassTexts.isOne(count);
    return Board.fill((one && t(key + "-one")) || t(key), { count: count });
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
  var boardState = q('[data-role="board-state"]');
  var wallPage = q('[data-role="wall-page"]');
  var spotlightBar = q('[data-role="spotlight-bar"]');
  var groupRules = Number(root.getAttribute("data-group-rules")) || 0;
  var forms = {};
  all("form[data-compose-board]").forEach(function (f) { forms[f.getAttribute("data-compose-board")] = f; });

  var store = new Board.Store();
  var ready = false;
  var busy = false; // one control action at a time
  var waiting = {};
  var members = {};
  var wallPages = {}; // step id → how many pages the projector needs for its board

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

  // The projector tells how many pages the board takes on its screen (a measure of its
  // own, relayed by the server, never logged).
  live.socket.on("wall_pages", function (msg) {
    if (!msg || typeof msg.step !== "string" || typeof msg.pages !== "number") return;
    wallPages[msg.step] = msg.pages;
    if (ready) renderControls();
  });

  function showAlert(message) {
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  /** Send one control; the server's answer (or silence) is shown, never swallowed: on
   *  the page, or in `errorBox` (a dialog's own line) when one is given.
   *  opts.plain: send `data` as it is, without an idempotency key. */
  function act(event, data, done, errorBox, opts) {
    if (busy || !mayRun) return;
    busy = true;
    renderControls();
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
      renderControls();
      if (done) done(!err && ack && ack.ok, ack);
    });
  }

  function currentStep() { return store.common.step_id; }
  function currentBoard() { var s = currentStep(); return s ? store.boards[s] : null; }
  function wall() {
    return store.common.wall || { page: 0, spotlight: null, join: "auto", rules: false };
  }

  /** What takes votes on the current step's board ("cards", "options", "families",
   *  "none": data-votes-on, from the board types), and whether a vote can open now:
   *  a vote on families needs a family. */
  function votable(board) {
    var item = stepItems[store.common.step_index];
    var on = item ? item.getAttribute("data-votes-on") : "none";
    if (on === "families") return board.clusters.length > 0;
    return on === "cards" || on === "options";
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
    var count = Object.keys(waiting).length;
    var doorAll = q('[data-role="door-all"]');
    if (doorAll) {
      doorAll.hidden = count < 2;
      q('[data-role="admit-all-question"]').textContent = tCount("admit-all-question", count);
      if (count === 0) {
        q('[data-role="admit-all-confirm"]').hidden = true;
        q('[data-role="clear-door-confirm"]').hidden = true;
      }
    }
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
            askHideReason(card, li);
          }, "hide:" + card.id));
        }
        var spotlit = wall().spotlight === card.id;
        if (spotlit) {
          li.classList.add("is-spotlit");
          li.insertBefore(Board.el("p", "tag tag-spotlit", t("spotlit")), li.firstChild);
          row.appendChild(button(t("back-to-board"), "spotlight-off-button", function () {
            act("spotlight", { card_id: null });
          }, "spotlight:" + card.id));
        } else if (!card.hidden && !card.waiting) {
          row.appendChild(button(t("spotlight"), "spotlight-button", function () {
            act("spotlight", { card_id: card.id });
          }, "spotlight:" + card.id));
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
          askClusterTitle(cluster);
        }, "rename:" + cluster.id));
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
    all(".timer-panel button, .timer-panel input, .wall-panel button, .door-all button, .confirm button")
      .forEach(function (b) { b.disabled = !open || (busy && b.tagName === "BUTTON"); });
    var board = currentBoard();
    renderBoardState(board);
    if (board && boardControls) {
      var lockB = q('[data-action="board-lock"]');
      lockB.textContent = board.locked ? t("unlock-board") : t("lock-board");
      var conceal = q('[data-action="board-conceal"]');
      conceal.textContent = board.concealed ? t("reveal") : t("conceal");
      conceal.hidden = board.board === "poll";
      var anon = q('[data-action="board-anonymous"]');
      anon.textContent = board.anonymous ? t("show-names") : t("make-anonymous");
      anon.hidden = board.board === "poll";
      // A vote opens only where the board takes votes; one already open can always close.
      var voting = board.budget > 0;
      var canVote = votable(board);
      q('[data-role="voting-form"]').hidden = !canVote && !voting;
      all('[data-role="voting-form"] .label, #vote-budget, [data-testid="open-voting"]')
        .forEach(function (el) { el.hidden = voting || !canVote; });
      q('[data-action="close-voting"]').hidden = !voting;
      var item = stepItems[index];
      q('[data-role="voting-hint"]').hidden = canVote || voting ||
        !item || item.getAttribute("data-votes-on") !== "families";
      // A timeline draws no families: no groups to make on it.
      q('[data-role="cluster-form"]').hidden = board.board === "poll" || board.board === "timeline";
    }
    renderWall(board, open);
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

  /** What the board is now, said apart from the buttons (which say what they will do). */
  function renderBoardState(board) {
    if (!boardState) return;
    while (boardState.firstChild) boardState.removeChild(boardState.firstChild);
    boardState.hidden = !board;
    if (!board) return;
    var items = [t(board.locked ? "state-closed" : "state-open")];
    if (board.board !== "poll") {
      items.push(t(board.concealed ? "state-concealed" : "state-shown"));
      items.push(t(board.anonymous ? "anonymous-on" : "anonymous-off"));
    }
    if (board.budget > 0) items.push(tCount("voting-on", board.budget));
    else if (votable(board)) items.push(t("voting-off"));
    items.forEach(function (text) { boardState.appendChild(Board.el("span", "state-item", text)); });
  }

  /** The wall: the board's page (the projector shows page % its pages), a card alone,
   *  the join panel, the group's rules. */
  function renderWall(board, open) {
    var w = wall();
    var pages = board ? wallPages[board.step] : undefined;
    var page = Number(w.page) || 0;
    if (wallPage) {
      wallPage.textContent = pages ?
        Board.fill(t("wall-page"), { page: (page % pages) + 1, pages: pages }) :
        Board.fill(t("wall-page-unknown"), { page: page + 1 });
      var still = !open || busy || pages === 1;
      q('[data-action="wall-prev"]').disabled = still || (!pages && page === 0);
      q('[data-action="wall-next"]').disabled = still;
    }
    if (spotlightBar) {
      var card = w.spotlight !== null && w.spotlight !== undefined ? store.cards[w.spotlight] : null;
      spotlightBar.hidden = !(card && board && card.step === board.step);
    }
    var joinState = q('[data-role="join-state"]');
    if (joinState) {
      var join = w.join || "auto";
      joinState.textContent = t("join-" + join);
      all('[data-action="join-panel"]').forEach(function (b) {
        b.hidden = b.getAttribute("data-shown") === join;
      });
    }
    var rules = q('[data-role="rules-control"]');
    if (rules) {
      rules.hidden = !(w.rules || groupRules > 0 || adoptedHere());
      q('[data-role="rules-state"]').textContent = w.rules ? t("rules-on") : t("rules-off");
      q('[data-testid="rules-on"]').hidden = !!w.rules;
      q('[data-testid="rules-off"]').hidden = !w.rules;
    }
  }

  function adoptedHere() {
    for (var id in store.cards) {
      if (Object.prototype.hasOwnProperty.call(store.cards, id) && store.cards[id].adopted) return true;
    }
    return false;
  }

  /** The page the wall turns to, `delta` pages on (round: after the last comes the first). */
  function turnPage(delta) {
    var board = currentBoard();
    if (!board) return false;
    var pages = wallPages[board.step];
    var page = Number(wall().page) || 0;
    var next;
    if (pages) {
      if (pages === 1) return true;
      next = ((page % pages) + delta + pages) % pages;
    } else {
      next = Math.min(999, Math.max(0, page + delta));
      if (next === page) return true;
    }
    act("wall_page", { step: board.step, page: next });
    return true;
  }

  /* ---------- the texts a tutor types: in a dialog of the page, never window.prompt ---------- */

  var hideDialog = document.querySelector('[data-role="hide-dialog"]');
  var renameDialog = document.querySelector('[data-role="rename-dialog"]');
  var dialogSend = null; // what the open dialog's form sends
  var dialogReturn = []; // focus keys to go back to when it closes

  function openDialog(dialog, value, send, focusKeys) {
    var field = dialog.querySelector("[data-max-chars]");
    var error = dialog.querySelector('[data-role="dialog-error"]');
    field.value = value || "";
    field.removeAttribute("aria-invalid");
    error.hidden = true;
    error.textContent = "";
    window.MigrapassTexts.check(field);
    dialogSend = send;
    dialogReturn = focusKeys || [];
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    field.focus();
  }

  function closeDialog(dialog) {
    if (typeof dialog.close === "function") {
      if (dialog.open) dialog.close(); // its "close" event brings the focus back
    } else {
      dialog.removeAttribute("open");
      afterDialog();
    }
  }

  function afterDialog() {
    dialogSend = null;
    for (var i = 0; i < dialogReturn.length; i++) {
      var again = root.querySelector('[data-focus-key="' + dialogReturn[i] + '"]');
      if (again) {
        again.focus();
        return;
      }
    }
  }

  /** A text over its limit is never cut, nor sent: it stays whole in its field, with the
   *  counter saying how much to take out, and is asked again. */
  function wireDialog(dialog, required) {
    if (!dialog) return;
    var form = dialog.querySelector("form");
    var field = dialog.querySelector("[data-max-chars]");
    var error = dialog.querySelector('[data-role="dialog-error"]');
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!dialogSend || busy) return;
      var fits = window.MigrapassTexts.check(field);
      if (!fits || (required && !field.value.trim())) {
        if (!fits) field.setAttribute("aria-invalid", "true");
        field.focus();
        return;
      }
      field.removeAttribute("aria-invalid");
      dialogSend(field.value, error, function () { closeDialog(dialog); });
    });
    dialog.querySelector('[data-action="dialog-cancel"]').addEventListener("click", function () {
      closeDialog(dialog);
    });
    dialog.addEventListener("close", afterDialog);
  }
  wireDialog(hideDialog, false);
  wireDialog(renameDialog, true);

  function askHideReason(card, li) {
    if (!hideDialog) return;
    var quote = hideDialog.querySelector('[data-role="dialog-card"]');
    var text = li.querySelector(".card-text");
    quote.textContent = text ? text.textContent : "";
    quote.hidden = !quote.textContent;
    openDialog(hideDialog, "", function (reason, error, close) {
      act("hide", { card_id: card.id, reason: reason }, function (ok) {
        if (ok) close();
      }, error);
    }, ["unhide:" + card.id, "hide:" + card.id]);
  }

  function askClusterTitle(cluster) {
    if (!renameDialog) return;
    openDialog(renameDialog, cluster.title, function (title, error, close) {
      act("cluster_rename", { cluster_id: cluster.id, title: title.trim() }, function (ok) {
        if (ok) close();
      }, error);
    }, ["rename:" + cluster.id]);
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

  /** The button pressed is gone (its action done, its other side shown): the focus goes
   *  to the one that takes its place, not to the page's start. */
  function focusShown(selector) {
    var now = document.activeElement;
    if (now && now !== document.body && !now.hidden) return;
    var shown = all(selector).filter(function (b) { return !b.hidden; });
    if (shown.length) shown[0].focus();
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
    } else if (action === "admit-all" || action === "clear-door") {
      var ask = q('[data-role="' + action + '-confirm"]');
      q('[data-role="admit-all-confirm"]').hidden = ask !== q('[data-role="admit-all-confirm"]');
      q('[data-role="clear-door-confirm"]').hidden = ask !== q('[data-role="clear-door-confirm"]');
      ask.querySelector('[data-action$="-confirm"]').focus();
    } else if (action === "confirm-cancel") {
      target.closest(".confirm").hidden = true;
      var back = q('[data-action="' + (target.closest('[data-role="admit-all-confirm"]') ? "admit-all" : "clear-door") + '"]');
      if (back && !back.closest("[hidden]")) back.focus();
    } else if (action === "admit-all-confirm") {
      target.closest(".confirm").hidden = true;
      // Each one let in arrives as its own board message (the door is redrawn by them).
      act("admit_all", {}, null, null, { plain: true });
    } else if (action === "clear-door-confirm") {
      target.closest(".confirm").hidden = true;
      act("clear_door", {});
    } else if (action === "wall-next") turnPage(1);
    else if (action === "wall-prev") turnPage(-1);
    else if (action === "spotlight-off") act("spotlight", { card_id: null });
    else if (action === "join-panel") {
      act("join_panel", { shown: target.getAttribute("data-shown") }, function () {
        focusShown('[data-action="join-panel"]');
      });
    } else if (action === "wall-rules") {
      act("wall_rules", { on: target.getAttribute("data-on") === "true" }, function () {
        focusShown('[data-action="wall-rules"]');
      });
    }
    else if (action === "present") {
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
    // On a French keyboard [ and ] are typed with AltGr (Ctrl+Alt): those two keep working.
    var bracket = event.key === "[" || event.key === "]";
    if (!mayRun || event.metaKey || (!bracket && (event.ctrlKey || event.altKey))) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    if (document.querySelector("dialog[open]")) return; // a dialog's keys are its own
    var key = event.key;
    if (key === "n" || key === "N") act("step", { delta: 1 });
    else if (key === "p" || key === "P") act("step", { delta: -1 });
    else if (key === "t" || key === "T") toggleTimer();
    else if (key === "+") act("timer_extend", { seconds: 60 });
    else if (key === "PageDown" || key === "]") {
      if (!turnPage(1)) return; // no board: the key scrolls, as it always does
    } else if (key === "PageUp" || key === "[") {
      if (!turnPage(-1)) return;
    }
    else if (key === "r" || key === "R") {
      var board = currentBoard();
      if (board && board.concealed) act("board_conceal", { step: board.step, on: false });
      else return;
    } else return;
    event.preventDefault();
  });
})();
