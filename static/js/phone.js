/* Migrapass Live — the phone: the waiting page and the room.
 * Words come from data-i18n-* attributes and <template> elements rendered by the server.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var root = document.querySelector("[data-phone]");
  if (!root || !Live || !window.io) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var alertBox = document.querySelector('[data-testid="phone-alert"]');

  function showAlert(message) {
    if (!alertBox) return;
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  if (root.getAttribute("data-phone") === "waiting") {
    waitingPage();
  } else {
    roomPage();
  }

  /* ---------- Waiting at the door ---------- */

  function waitingPage() {
    var reloadKey = "mp:reloaded:" + sessionId;

    function enter() {
      // Guard against a reload loop if the server and this page ever disagree.
      var now = Date.now();
      var last = 0;
      try {
        last = Number(window.sessionStorage.getItem(reloadKey)) || 0;
        window.sessionStorage.setItem(reloadKey, String(now));
      } catch (e) { /* storage may be unavailable */ }
      if (now - last < 5000) return;
      window.location.reload();
    }

    Live.connectLive("/participant", sessionId, {
      // The sync only succeeds once we are let in (we may have been let in before connecting).
      snapshot: enter,
      syncRefused: function () { /* still waiting: normal */ },
      personal: function (msg) {
        if (msg.kind === "you_are_admitted") enter();
      },
      refused: showAlert,
    });
  }

  /* ---------- The room ---------- */

  function roomPage() {
    var i18n = {
      sending: root.getAttribute("data-i18n-sending"),
      sent: root.getAttribute("data-i18n-sent"),
      notSent: root.getAttribute("data-i18n-not-sent"),
      empty: root.getAttribute("data-i18n-empty"),
      hidden: root.getAttribute("data-i18n-hidden"),
      hiddenReason: root.getAttribute("data-i18n-hidden-reason"),
    };
    var prompts = Array.prototype.slice.call(root.querySelectorAll(".prompt[data-step-index]"));
    var loading = root.querySelector('[data-role="loading"]');
    var ended = root.querySelector('[data-role="ended"]');
    var postArea = root.querySelector('[data-role="post-area"]');
    var form = root.querySelector('[data-testid="post-form"]');
    var textarea = root.querySelector('[data-testid="post-text"]');
    var button = root.querySelector('[data-testid="post-button"]');
    var postStatus = root.querySelector('[data-testid="post-status"]');
    var ownList = root.querySelector('[data-testid="my-cards"]');
    var ownEmpty = root.querySelector('[data-role="own-empty"]');
    var boardList = root.querySelector('[data-testid="shared-board"]');
    var boardEmpty = root.querySelector('[data-role="board-empty"]');

    var state = { status: "open", stepIndex: -1, openBoard: null };
    var cards = {}; // id -> public card
    var own = {}; // id -> own card
    var sending = false;

    /* Draft kept across reloads: the text, and the client_id of a post not yet acknowledged
       (so that pressing Post again after a lost answer cannot post twice). */
    var draftKey = "mp:draft:" + sessionId;
    var draft = loadDraft();
    if (draft.text) textarea.value = draft.text;

    function loadDraft() {
      try {
        var raw = window.localStorage.getItem(draftKey);
        var parsed = raw ? JSON.parse(raw) : null;
        if (parsed && typeof parsed.text === "string") return parsed;
      } catch (e) { /* ignore */ }
      return { text: "", clientId: null };
    }
    function saveDraft() {
      try {
        if (draft.text) window.localStorage.setItem(draftKey, JSON.stringify(draft));
        else window.localStorage.removeItem(draftKey);
      } catch (e) { /* storage full or disabled: the text stays in the page */ }
    }

    textarea.addEventListener("input", function () {
      if (textarea.value !== draft.text) {
        draft.text = textarea.value;
        draft.clientId = null; // different text: a different card
        saveDraft();
      }
    });

    function setPostStatus(message, isError) {
      postStatus.textContent = message || "";
      postStatus.classList.toggle("is-error", !!isError);
    }

    var live = Live.connectLive("/participant", sessionId, {
      snapshot: function (board) {
        common(board);
        cards = {};
        board.cards.forEach(function (card) { cards[card.id] = card; });
        (board.own || []).forEach(function (card) { upsertOwn(card); });
        showAlert("");
        renderAll();
      },
      board: function (msg) {
        common(msg);
        Live.applyCardMessage(cards, msg);
        renderAll();
      },
      personal: function (msg) {
        if (msg.kind === "own_card" && msg.card) {
          upsertOwn(msg.card);
          renderOwn();
        }
      },
      syncRefused: function (ack) {
        showAlert(ack.message || "");
      },
      refused: showAlert,
    });

    function common(msg) {
      state.status = msg.status;
      state.stepIndex = msg.step_index;
      state.openBoard = msg.open_board;
    }

    function upsertOwn(card) {
      var before = own[card.id];
      if (before && before.hidden && !card.hidden) return; // never un-hide from an old message
      own[card.id] = card;
    }

    function currentPrompt() {
      for (var i = 0; i < prompts.length; i++) {
        if (Number(prompts[i].getAttribute("data-step-index")) === state.stepIndex) return prompts[i];
      }
      return null;
    }

    function renderAll() {
      if (loading) loading.hidden = true;
      var current = currentPrompt();
      prompts.forEach(function (p) { p.hidden = p !== current; });
      var isOpen = state.status === "open";
      ended.hidden = isOpen;
      var canPost = isOpen && !!state.openBoard;
      if (postArea.hidden === canPost) {
        postArea.hidden = !canPost;
      }
      renderBoard(current ? current.getAttribute("data-step-id") : null);
      renderOwn();
    }

    function renderBoard(stepId) {
      var shown = {};
      Object.keys(cards).forEach(function (id) {
        if (cards[id].step === stepId) shown[id] = cards[id];
      });
      syncCards(boardList, shown, "tpl-shared-card", fillShared);
      boardEmpty.hidden = boardList.children.length > 0;
    }

    function renderOwn() {
      syncCards(ownList, own, "tpl-own-card", fillOwn);
      ownEmpty.hidden = ownList.children.length > 0;
    }

    /* Keyed update: existing items are updated in place, new ones inserted newest first. */
    function syncCards(list, byId, templateId, fill) {
      var existing = {};
      Array.prototype.slice.call(list.children).forEach(function (el) {
        var id = el.getAttribute("data-id");
        if (!Object.prototype.hasOwnProperty.call(byId, id)) list.removeChild(el);
        else existing[id] = el;
      });
      Object.keys(byId).forEach(function (id) {
        var el = existing[id];
        if (!el) {
          el = Live.fromTemplate(templateId);
          el.setAttribute("data-id", id);
          Live.placeSorted(list, el, Number(id), true);
        }
        fill(el, byId[id]);
      });
    }

    function fillShared(el, card) {
      setText(el.querySelector(".card-text"), card.text);
      var author = el.querySelector(".card-author");
      setText(author, card.author || "");
      author.hidden = !card.author;
    }

    function fillOwn(el, card) {
      setText(el.querySelector(".card-text"), card.text);
      el.setAttribute("data-card-id", String(card.id));
      el.setAttribute("data-hidden", card.hidden ? "true" : "false");
      el.classList.toggle("is-hidden", !!card.hidden);
      var mark = el.querySelector(".card-mark");
      mark.hidden = !card.hidden;
      if (card.hidden) {
        setText(mark, card.hidden_reason
          ? Live.format(i18n.hiddenReason, { reason: card.hidden_reason })
          : i18n.hidden);
      }
    }

    function setText(el, text) {
      if (el.textContent !== text) el.textContent = text;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return;
      var text = textarea.value;
      if (!text.trim()) {
        setPostStatus(i18n.empty, true);
        textarea.focus();
        return;
      }
      if (!state.openBoard) return;
      if (!draft.clientId || draft.text !== text) {
        draft = { text: text, clientId: Live.randomId() };
        saveDraft();
      }
      sending = true;
      button.disabled = true;
      setPostStatus(i18n.sending, false);
      live.emit("post", { client_id: draft.clientId, board: state.openBoard, text: text }, function (err, ack) {
        sending = false;
        button.disabled = false;
        if (err) {
          // Keep the text and its client_id: pressing Post again is safe.
          setPostStatus(i18n.notSent, true);
          return;
        }
        if (!ack.ok) {
          draft.clientId = null;
          saveDraft();
          setPostStatus(ack.message, true);
          return;
        }
        // Only clear if the person did not start typing something else meanwhile.
        if (textarea.value === text) textarea.value = "";
        draft = { text: textarea.value, clientId: null };
        saveDraft();
        setPostStatus(i18n.sent, false);
        textarea.focus();
      });
    });
  }
})();
