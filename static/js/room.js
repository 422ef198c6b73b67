/* Migrapass Live — the phone's room: the step's prompt, the card form, votes and stances,
 * the shared board, "My cards". Cards go to an outbox first (outbox.js), so nothing typed
 * is lost; what is typed is kept as a draft (drafts.js). The room announces each step
 * change, groups "My cards" by step (room-draw.js draws), and checks its card forms
 * itself (fields.js: what is wrong is said next to the field, dates are read as people
 * write them and sent in stored form).
 * Words come from data-i18n-* attributes rendered by the server.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var Phone = window.MigrapassPhone;
  if (!Phone || Phone.page !== "room" || !Live || !window.io) return;

  var Compose = window.MigrapassCompose;
  var root = Phone.root;
  var sessionId = Phone.sessionId;
  var showAlert = Phone.showAlert;
  var participantId = root.getAttribute("data-participant-id");
  function t(key) { return root.getAttribute("data-i18n-" + key) || ""; }

  var loading = root.querySelector('[data-role="loading"]');
  var ended = root.querySelector('[data-role="ended"]');
  var postArea = root.querySelector('[data-role="post-area"]');
  var postStatus = root.querySelector('[data-role="post-status"]');
  var anonymousNote = root.querySelector('[data-role="anonymous-note"]');
  var forms = {};
  Array.prototype.forEach.call(root.querySelectorAll("form[data-compose-board]"), function (f) {
    forms[f.getAttribute("data-compose-board")] = f;
  });

  var checker = new window.MigrapassFields.Checker(root); // its words: the page's too

  var store = new window.MigrapassStore.Store();
  var synced = false;
  var shownForm = null;
  var shownStep = null;
  var outbox = new window.MigrapassOutbox.Outbox(
    participantId, sessionId, Number(root.getAttribute("data-max-message-bytes")));
  var outboxEl = document.querySelector('[data-testid="outbox"]');
  var outboxUsed = outbox.size() > 0; // "All sent" is shown once something was queued
  var sender = null;
  var prompts = Array.prototype.slice.call(root.querySelectorAll(".prompt[data-step-index]"));
  var draw = window.MigrapassRoomDraw({
    root: root, t: t, store: store, outbox: outbox, forms: forms, prompts: prompts,
    showAlert: showAlert, send: send, startEdit: startEdit, withdraw: withdraw,
  });
  var drafts = new window.MigrapassDrafts.Drafts(participantId, sessionId, presets);
  // Read out politely: others' new cards on the board, the timer at one minute and at the end.
  var announce = window.MigrapassAnnounce ? window.MigrapassAnnounce.create(root) : null;

  /** The connection speaks for the person the server knows; the page is for ours. */
  function checkIdentity(you) {
    if (you === undefined || you === null || String(you) === participantId) return true;
    if (sender) sender.halt();
    showAlert(t("not-you"));
    return false;
  }

  function kick() {
    if (sender) sender.kick();
  }

  // Lets the room page open again without a network (secure contexts only). The scope is
  // the app's root, which a proxy's path prefix may move (/live/).
  if ("serviceWorker" in navigator && window.isSecureContext && root.getAttribute("data-sw")) {
    navigator.serviceWorker.register(root.getAttribute("data-sw"),
      { scope: root.getAttribute("data-sw-scope") || "/", updateViaCache: "all" })
      .then(keepThisPage)
      .catch(function () { /* the page works without it */ });
  }

  /** This very page and what it loaded came before the worker ran: keep them, as the
   *  browser's HTTP cache holds them ("force-cache": no second download of any). */
  function keepThisPage() {
    if (!window.caches || !window.Request) return null;
    // The person is leaving this phone ("This is not me", outbox.js): keep nothing of theirs.
    if (document.documentElement.hasAttribute("data-signing-out")) return null;
    var assets = document.querySelectorAll("script[src], link[rel=stylesheet]");
    var requests = [window.location.pathname].concat(Array.prototype.map.call(assets, function (el) {
      return el.getAttribute("src") || el.getAttribute("href");
    })).map(function (url) { return new Request(url, { cache: "force-cache" }); });
    return window.caches.open("mp-room-v2").then(function (cache) {
      return cache.addAll(requests);
    }).then(function () { root.setAttribute("data-offline-ready", "true"); });
  }

  /** The board is whole (a snapshot, or the patches missed): draw it, send what waits. */
  function synchronised(you) {
    synced = true;
    if (checkIdentity(you)) showAlert("");
    renderAll();
    kick();
  }

  var live = Live.connectLive("/participant", sessionId, {
    snapshot: function (body) {
      store.snapshot(body);
      synchronised(body.you);
    },
    caughtUp: function (ack) { synchronised(ack.you); },
    disconnected: function () { renderOutbox(); },
    board: function (msg) {
      store.patch(msg);
      renderAll();
    },
    personal: function (msg) {
      if (msg.identity_changed) {
        // A tutor merged this name into another one: the page is now someone else's.
        window.location.reload();
        return;
      }
      store.personal(msg);
      renderAll();
    },
    syncRefused: function (ack) { showAlert(ack.message || ""); },
    refused: showAlert,
  });

  // The self-assessment: one card per person and step, which the form keeps showing and
  // changes when sent again (never a second card); its thanks say it stays private.
  var PRIVATE_FORM = "self_assessment";
  var cardGivenBack = false; // a refused card waits in its form, with its message
  sender = new window.MigrapassOutbox.Sender(outbox, live, {
    sent: function (item) {
      // A card given back to its form keeps its message until the person sends again,
      // even as other cards queued behind it go through.
      if (item.values && !cardGivenBack) setPostStatus(t(sentWords(item)), false);
      // The answers stay in their form (to change them): the thanks are brought into
      // view, so that nobody thinks the long form was not sent.
      if (item.board === PRIVATE_FORM && !cardGivenBack && postStatus.scrollIntoView) {
        postStatus.scrollIntoView({ block: "center", behavior: "smooth" });
      }
      if (!item.values) showAlert(""); // an earlier refusal no longer stands
      draw.own();
    },
    refused: function (item, ack) {
      // The socket's doors answer a message too large before they know whose it is,
      // so in the default language: the page has the words in the person's own.
      var words = ack.error === "too_large" ? t("too-large") : ack.message;
      if (item.values) giveBack(item);
      if (item.values) setPostStatus(words, true);
      else showAlert(words);
      draw.own();
    },
    setAside: function (item) { // only cards and changes, which have a form to go back to
      giveBack(item);
      setPostStatus(t("set-aside"), true);
      draw.own();
      renderOutbox();
    },
    changed: renderOutbox,
  });
  // Another tab of the same person sent (or queued) a card: draw what is left.
  outbox.watch(function () {
    draw.own();
    renderOutbox();
  });
  renderAll(); // before any connection: what waits in the outbox shows at once
  window.addEventListener("online", kick);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) kick();
  });

  function sentWords(item) {
    if (item.board === PRIVATE_FORM) return "self-assessment-saved";
    var board = item.step ? store.boards[item.step] : null;
    if (board && board.authorless) return "feedback-sent"; // no card of theirs to show
    return item.event === "edit" ? "saved" : "sent";
  }

  /** A refused card goes back to its step's form, unless something new is being typed. */
  function giveBack(item) {
    cardGivenBack = true;
    var draft = drafts.load(item.step);
    if (!drafts.isBlank(item.step, draft.values)) return; // something new is being typed

    drafts.save(item.step, { values: Compose.renamed(item.values), editing: item.editing || null });
    if (item.step === shownStep) renderForm(true, true);
  }

  function renderOutbox() {
    if (!outboxEl) return;
    var count = outbox.size();
    if (count > 0) outboxUsed = true;
    var state = count > 0 ? "waiting" : "empty";
    var label = count === 0 ? outboxEl.getAttribute("data-label-empty") :
      Live.format(outboxEl.getAttribute(
        "data-" + window.MigrapassTexts.pluralKey("label", count)), { count: count });
    outboxEl.setAttribute("data-state", state);
    if (outboxEl.textContent !== label) outboxEl.textContent = label;
    outboxEl.hidden = count === 0 && !(outboxUsed && live.ready());
  }

  /** What a new card of this step starts with: the script may choose its category
   *  (`category: migration`), which the person can still change. */
  function presets(stepId) {
    var prompt = draw.promptOf(stepId);
    var category = prompt ? prompt.getAttribute("data-category") : "";
    return category ? { category: category } : {};
  }

  function writeValues(form, values) {
    Compose.fill(form, values);
    checker.clear(form);
    checker.closeMonthPickers(form);
    if (window.MigrapassTexts) window.MigrapassTexts.watch(form); // counters follow drafts
  }

  Object.keys(forms).forEach(function (board) {
    var form = forms[board];
    form.addEventListener("input", function (event) {
      remember(form);
      checker.recheck(form, event.target, false);
    });
    form.addEventListener("change", function (event) {
      if (!event.target.name) return; // the month picker writes into its field itself
      remember(form);
      checker.recheck(form, event.target, true);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(form);
    });
    var cancel = form.querySelector('[data-role="cancel-edit"]');
    cancel.addEventListener("click", function () {
      var stepId = store.common.step_id;
      writeValues(form, presets(stepId));
      drafts.clear(stepId);
      renderForm(true);
    });
    checker.monthPickers(form, remember);
  });

  function remember(form) {
    var stepId = store.common.step_id;
    var draft = drafts.load(stepId);
    var values = Compose.valuesOf(form);
    if (JSON.stringify(values) !== JSON.stringify(draft.values)) {
      draft.values = values;
      drafts.save(stepId, draft);
    }
  }

  function setPostStatus(message, isError) {
    postStatus.textContent = message || "";
    postStatus.classList.toggle("is-error", !!isError);
  }

  function focusFirstField(form) {
    var first = form.querySelector("input:not([type=radio]), textarea");
    if (first) first.focus();
  }

  /** Post (or change) a card: it goes to the outbox first, so nothing typed is lost. */
  function submit(form) {
    var stepId = store.common.step_id;
    var board = store.common.open_board;
    if (!board) return;
    if (!checker.check(form)) { // said next to the fields: an older "Posted" would mislead
      setPostStatus("", false);
      return;
    }
    var draft = drafts.load(stepId);
    var values = Compose.valuesOf(form);
    var card = Compose.fieldsOf(values);
    // The date as read here goes out (2015-03), so what is checked is what is stored;
    // the form keeps what was typed ("mars 2015") should the card come back to it.
    checker.dateFields(form).forEach(function (field) {
      if (card[field.name]) card[field.name] = checker.readDate(field, card[field.name]).value;
    });
    var item = {
      id: Live.randomId(),
      event: draft.editing ? "edit" : "post",
      data: draft.editing ? { card_id: draft.editing, fields: card } : { board: board, fields: card },
      step: stepId,
      board: board,
      values: values,
      editing: draft.editing || null,
    };
    if (!outbox.add(item)) { // too large ever to be sent: it stays in the form
      setPostStatus(t("too-large"), true);
      return;
    }
    if (board === PRIVATE_FORM) { // the answers stay in the form, to be changed
      drafts.save(stepId, { values: values, editing: draft.editing || null });
    } else {
      writeValues(form, presets(stepId));
      drafts.clear(stepId);
    }
    cardGivenBack = false;
    setPostStatus(live.ready() ? t("sending") : t("queued"), false);
    renderForm(true);
    draw.own();
    renderOutbox();
    kick();
    if (board !== PRIVATE_FORM) focusFirstField(form);
  }

  /** The self-assessment's form shows the person's answers once the server has them:
   *  sending again changes that card. Not while a first one still waits to be sent. */
  function adoptOwnAnswers(form, stepId) {
    var draft = drafts.load(stepId);
    if (draft.editing) return false;
    var waiting = outbox.items().some(function (item) {
      return item.event === "post" && item.step === stepId;
    });
    var mine = store.ownOf(stepId).filter(function (card) { return !card.hidden; });
    if (waiting || !mine.length) return false;
    var card = mine[mine.length - 1];
    draft = { values: Compose.valuesOfCard(card), editing: card.id };
    drafts.save(stepId, draft);
    writeValues(form, draft.values);
    return true;
  }

  function startEdit(card) {
    var form = forms[card.board];
    if (!form) return;
    var draft = { values: Compose.valuesOfCard(card), editing: card.id };
    checker.dateFields(form).forEach(function (field) {
      if (draft.values[field.name]) draft.values[field.name] = checker.shownDate(draft.values[field.name]);
    });
    drafts.save(card.step, draft);
    writeValues(form, draft.values);
    renderForm(true);
    setPostStatus("", false);
    focusFirstField(form);
  }

  function withdraw(card) {
    if (!window.confirm(t("confirm-withdraw"))) return;
    send("withdraw", { card_id: card.id });
  }

  /** Votes, stances, taking back: queued like cards, sent in order. */
  function send(event, data) {
    outbox.add({ id: Live.randomId(), event: event, data: data });
    renderOutbox();
    kick();
  }

  function renderForm(force, reload) {
    var board = store.common.status === "open" ? store.common.open_board : null;
    var stepId = store.common.step_id;
    var form = board ? forms[board] : null;
    postArea.hidden = !form;
    if (form && board === PRIVATE_FORM && adoptOwnAnswers(form, stepId)) force = true;
    if (form !== shownForm || stepId !== shownStep || force) {
      Object.keys(forms).forEach(function (k) { forms[k].hidden = forms[k] !== form; });
      if (form) {
        var draft = drafts.load(stepId);
        if (form !== shownForm || stepId !== shownStep || reload) {
          writeValues(form, drafts.withPresets(stepId, draft.values));
        }
        form.querySelector('[data-role="cancel-edit"]').hidden = !draft.editing;
        form.setAttribute("data-editing", draft.editing ? String(draft.editing) : "");
      }
      if (stepId !== shownStep) setPostStatus("", false);
      shownForm = form;
      shownStep = stepId;
    }
    var anonymous = stepId && store.boards[stepId] && store.boards[stepId].anonymous;
    anonymousNote.hidden = !(form && anonymous);
    anonymousNote.textContent = anonymous ? t("anonymous-note") : "";
  }

  function renderAll() {
    renderOutbox();
    if (!synced) {
      draw.own(); // cards waiting to send show even before the board arrives
      return;
    }
    if (loading) loading.hidden = true;
    var current = draw.currentPrompt();
    prompts.forEach(function (p) { p.hidden = p !== current; });
    ended.hidden = store.common.status === "open";
    renderForm(false);
    draw.notice();
    draw.announceStep(current);
    draw.votes();
    draw.board();
    draw.own();
    draw.timer();
    if (announce) announce.cards(othersCards());
  }

  /** The cards the board shows this person that others wrote (any step's). */
  function othersCards() {
    return Object.keys(store.cards).filter(function (id) {
      return !store.cards[id].hidden && !store.own[id];
    });
  }

  window.setInterval(function () {
    draw.timer();
    if (announce) announce.timer(synced ? store.timeLeft() : null);
  }, 1000);
})();
