/* Migrapass Live — the tutor's console: steps and guide, the door, the board, the end.
 * Words come from data-i18n-* attributes and <template> elements rendered by the server.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var root = document.querySelector("[data-console]");
  if (!root || !Live || !window.io) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var mayRun = root.getAttribute("data-may-run") === "true";
  var i18n = {
    lock: root.getAttribute("data-i18n-lock"),
    unlock: root.getAttribute("data-i18n-unlock"),
    joiningOpen: root.getAttribute("data-i18n-joining-open"),
    joiningLocked: root.getAttribute("data-i18n-joining-locked"),
    noAnswer: root.getAttribute("data-i18n-no-answer"),
    hidden: root.getAttribute("data-i18n-hidden"),
    hiddenReason: root.getAttribute("data-i18n-hidden-reason"),
    tutorCard: root.getAttribute("data-i18n-tutor-card"),
  };

  function q(selector) { return root.querySelector(selector); }
  function all(selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }

  var stepItems = all(".step-item");
  var guides = all(".guide");
  var stepTitles = {};
  stepItems.forEach(function (item) {
    stepTitles[item.getAttribute("data-step-id")] = item.querySelector(".step-title").textContent;
  });
  var loading = q('[data-role="loading"]');
  var alertBox = q('[data-role="alert"]');
  var endedBanner = q('[data-role="ended"]');
  var joiningState = q('[data-role="joining-state"]');
  var prevButton = q('[data-action="prev"]');
  var nextButton = q('[data-action="next"]');
  var lockButton = q('[data-action="lock"]');
  var endButton = q('[data-action="end"]');
  var endConfirm = q('[data-role="end-confirm"]');
  var waitingList = q('[data-testid="waiting-list"]');
  var membersList = q('[data-testid="members-list"]');
  var boardList = q('[data-testid="console-board"]');

  var state = { status: "open", stepIndex: -1, joiningLocked: false, ready: false };
  var cards = {};
  var waiting = {};
  var members = {};
  var busy = false; // one control action at a time

  var live = Live.connectLive("/tutor", sessionId, {
    snapshot: function (board) {
      common(board);
      cards = {};
      board.cards.forEach(function (card) { cards[card.id] = card; });
      waiting = {};
      (board.waiting || []).forEach(function (p) { waiting[p.id] = p; });
      members = {};
      (board.members || []).forEach(function (p) { members[p.id] = p; });
      state.ready = true;
      render();
    },
    board: function (msg) {
      common(msg);
      if (msg.kind === "card" && msg.card) {
        cards[msg.card.id] = msg.card;
      } else if (msg.kind === "admitted" && msg.participant) {
        delete waiting[msg.participant.id];
        members[msg.participant.id] = msg.participant;
      }
      render();
    },
    waiting: function (msg) {
      var p = msg.participant;
      if (p && !members[p.id]) {
        waiting[p.id] = p;
        render();
      }
    },
    disconnected: function () {
      state.ready = false;
      renderControls();
    },
    syncRefused: function (ack) { showAlert(ack.message); },
    refused: showAlert,
  });

  function common(msg) {
    state.status = msg.status;
    state.stepIndex = msg.step_index;
    state.joiningLocked = !!msg.joining_locked;
  }

  function showAlert(message) {
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  /* ---------- Rendering ---------- */

  function render() {
    if (loading) loading.hidden = true;
    var current = null;
    stepItems.forEach(function (item) {
      var isCurrent = Number(item.getAttribute("data-step-index")) === state.stepIndex;
      if (isCurrent) {
        item.setAttribute("aria-current", "step");
        current = item;
      } else {
        item.removeAttribute("aria-current");
      }
    });
    guides.forEach(function (guide) {
      guide.hidden = Number(guide.getAttribute("data-step-index")) !== state.stepIndex;
    });
    joiningState.textContent = state.joiningLocked ? i18n.joiningLocked : i18n.joiningOpen;
    endedBanner.hidden = state.status !== "ended";
    renderPeople(waitingList, waiting, "tpl-waiting", "waiting");
    renderPeople(membersList, members, "tpl-member", "members");
    renderCards();
    renderControls();
    return current;
  }

  function renderControls() {
    if (!mayRun) return;
    var usable = state.ready && state.status === "open" && !busy;
    prevButton.disabled = !usable || state.stepIndex <= 0;
    nextButton.disabled = !usable || state.stepIndex >= stepItems.length - 1;
    lockButton.disabled = !usable;
    lockButton.textContent = state.joiningLocked ? i18n.unlock : i18n.lock;
    lockButton.setAttribute("aria-pressed", state.joiningLocked ? "true" : "false");
    endButton.disabled = !usable;
    if (state.status !== "open") endConfirm.hidden = true;
    all('[data-action="admit"], [data-action="hide"], .hide-form button').forEach(function (b) {
      b.disabled = !usable;
    });
  }

  function renderPeople(list, byId, templateId, countName) {
    var existing = {};
    Array.prototype.slice.call(list.children).forEach(function (el) {
      var id = el.getAttribute("data-id");
      if (!byId[id]) list.removeChild(el);
      else existing[id] = el;
    });
    var ids = Object.keys(byId).sort(function (a, b) {
      return String(byId[a].name).localeCompare(String(byId[b].name));
    });
    ids.forEach(function (id, index) {
      var el = existing[id];
      if (!el) {
        el = Live.fromTemplate(templateId);
        el.setAttribute("data-id", id);
        el.setAttribute("data-participant-id", id);
        list.insertBefore(el, list.children[index] || null);
      }
      el.setAttribute("data-name", byId[id].name || "");
      var name = el.querySelector(".person-name");
      if (name.textContent !== (byId[id].name || "")) name.textContent = byId[id].name || "";
    });
    q('[data-role="' + countName + '-count"]').textContent = String(ids.length);
    q('[data-role="' + countName + '-empty"]').hidden = ids.length > 0;
  }

  function renderCards() {
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      var el = boardList.querySelector('[data-id="' + card.id + '"]');
      if (!el) {
        el = Live.fromTemplate("tpl-tutor-card");
        el.setAttribute("data-id", String(card.id));
        el.setAttribute("data-card-id", String(card.id));
        Live.placeSorted(boardList, el, card.id, true);
      }
      fillCard(el, card);
    });
    Array.prototype.slice.call(boardList.children).forEach(function (el) {
      if (!cards[el.getAttribute("data-id")]) boardList.removeChild(el);
    });
    var count = Object.keys(cards).length;
    q('[data-role="cards-count"]').textContent = String(count);
    q('[data-role="cards-empty"]').hidden = count > 0;
  }

  function fillCard(el, card) {
    setText(el.querySelector(".card-text"), card.text);
    setText(el.querySelector(".card-author"), card.author || i18n.tutorCard);
    setText(el.querySelector(".card-step"), stepTitles[card.step] || card.step);
    el.setAttribute("data-hidden", card.hidden ? "true" : "false");
    el.classList.toggle("is-hidden", !!card.hidden);
    var mark = el.querySelector(".card-mark");
    mark.hidden = !card.hidden;
    if (card.hidden) {
      setText(mark, card.hidden_reason
        ? Live.format(i18n.hiddenReason, { reason: card.hidden_reason })
        : i18n.hidden);
    }
    var hideButton = el.querySelector('[data-action="hide"]');
    var hideForm = el.querySelector('[data-role="hide-form"]');
    if (hideButton && card.hidden) {
      hideButton.hidden = true;
      hideForm.hidden = true;
    }
  }

  function setText(el, text) {
    if (el && el.textContent !== text) el.textContent = text;
  }

  /* ---------- Actions ---------- */

  /** Emit a tutor action; show the refusal in the alert region, never drop it silently. */
  function act(event, data, button, done) {
    if (busy) return;
    busy = true;
    if (button) button.setAttribute("aria-busy", "true");
    renderControls();
    live.emit(event, data, function (err, ack) {
      busy = false;
      if (button) button.removeAttribute("aria-busy");
      if (err) {
        showAlert(i18n.noAnswer);
      } else if (!ack.ok) {
        showAlert(ack.message);
      } else {
        showAlert("");
      }
      renderControls();
      if (done) done(!err && ack && ack.ok, ack);
    });
  }

  if (!mayRun) return;

  prevButton.addEventListener("click", function () {
    act("step", { index: state.stepIndex - 1 }, prevButton);
  });
  nextButton.addEventListener("click", function () {
    act("step", { index: state.stepIndex + 1 }, nextButton);
  });
  lockButton.addEventListener("click", function () {
    act("lock", { locked: !state.joiningLocked }, lockButton);
  });

  endButton.addEventListener("click", function () {
    endConfirm.hidden = false;
    endConfirm.querySelector('[data-action="end-cancel"]').focus();
  });
  endConfirm.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.getAttribute("data-action") === "end-cancel") {
      endConfirm.hidden = true;
      endButton.focus();
    } else if (target.getAttribute("data-action") === "end-confirm") {
      act("end", {}, target, function (ok) {
        if (ok) endConfirm.hidden = true;
      });
    }
  });

  waitingList.addEventListener("click", function (event) {
    var button = event.target.closest('[data-action="admit"]');
    if (!button) return;
    var item = button.closest("[data-participant-id]");
    var pid = Number(item.getAttribute("data-participant-id"));
    act("admit", { participant_id: pid }, button, function (ok, ack) {
      if (!ok && ack && ack.error === "already_admitted") {
        delete waiting[pid];
        showAlert("");
        render();
      }
    });
  });

  boardList.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    var item = target.closest("[data-card-id]");
    var form = item.querySelector('[data-role="hide-form"]');
    var hideButton = item.querySelector('[data-action="hide"]');
    if (target.getAttribute("data-action") === "hide") {
      form.hidden = false;
      hideButton.setAttribute("aria-expanded", "true");
      form.querySelector('input[name="reason"]').focus();
    } else if (target.getAttribute("data-action") === "hide-cancel") {
      form.hidden = true;
      form.reset();
      hideButton.setAttribute("aria-expanded", "false");
      hideButton.focus();
    }
  });

  boardList.addEventListener("submit", function (event) {
    var form = event.target.closest('[data-role="hide-form"]');
    if (!form) return;
    event.preventDefault();
    var item = form.closest("[data-card-id]");
    var cardId = Number(item.getAttribute("data-card-id"));
    var reason = form.querySelector('input[name="reason"]').value.trim();
    act("hide", { card_id: cardId, reason: reason, client_id: Live.randomId() },
      form.querySelector('button[type="submit"]'), function (ok, ack) {
        if (ok || (ack && ack.error === "already_hidden")) {
          form.hidden = true;
          form.reset();
        }
      });
  });

  // Keyboard: Escape closes an open confirmation or hide form.
  root.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = event.target.closest && event.target.closest('[data-role="hide-form"]');
    if (form) {
      var item = form.closest("[data-card-id]");
      form.hidden = true;
      form.reset();
      var hb = item.querySelector('[data-action="hide"]');
      hb.setAttribute("aria-expanded", "false");
      hb.focus();
    } else if (!endConfirm.hidden) {
      endConfirm.hidden = true;
      endButton.focus();
    }
  });
})();
