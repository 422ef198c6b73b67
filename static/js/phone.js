/* Migrapass Live — the phone: the waiting page and the room.
 * Words come from data-i18n-* attributes and <template> elements rendered by the server.
 * The room announces each step change, groups "My cards" by step, and checks its card
 * forms itself (static/js/fields.js: what is wrong is said next to the field, dates are
 * read as people write them and sent in stored form).
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
        if (msg.you_are_admitted) enter();
        // Turned away from the door: back to the home page, where a code can be typed.
        if (msg.declined) window.location.assign("/?door=closed");
      },
      refused: showAlert,
    });
  }

  /* ---------- The room ---------- */

  function roomPage() {
    var Board = window.MigrapassBoard;
    var participantId = root.getAttribute("data-participant-id");
    function t(key) { return root.getAttribute("data-i18n-" + key) || ""; }

    var prompts = Array.prototype.slice.call(root.querySelectorAll(".prompt[data-step-index]"));
    var loading = root.querySelector('[data-role="loading"]');
    var ended = root.querySelector('[data-role="ended"]');
    var postArea = root.querySelector('[data-role="post-area"]');
    var postStatus = root.querySelector('[data-role="post-status"]');
    var anonymousNote = root.querySelector('[data-role="anonymous-note"]');
    var voteArea = root.querySelector('[data-role="vote-area"]');
    var votesLeft = root.querySelector('[data-role="votes-left"]');
    var ownList = root.querySelector('[data-testid="my-cards"]');
    var stepAnnouncement = root.querySelector('[data-role="step-announcement"]');
    var ownEmpty = root.querySelector('[data-role="own-empty"]');
    var boardEl = root.querySelector('[data-role="board"]');
    var boardEmpty = root.querySelector('[data-role="board-empty"]');
    var timerEl = root.querySelector('[data-role="timer"]');
    var forms = {};
    Array.prototype.forEach.call(root.querySelectorAll("form[data-compose-board]"), function (f) {
      forms[f.getAttribute("data-compose-board")] = f;
    });

    var checker = new window.MigrapassFields.Checker(root); // its words: the page's too

    var store = new Board.Store();
    var synced = false;
    var seenStep; // the step last drawn: undefined until the first board arrives
    var shownForm = null;
    var shownStep = null;
    var outbox = new window.MigrapassOutbox.Outbox(
      participantId, sessionId, Number(root.getAttribute("data-max-message-bytes")));
    var outboxEl = document.querySelector('[data-testid="outbox"]');
    var outboxUsed = outbox.size() > 0; // "All sent" is shown once something was queued
    var sender = null;

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

    // Lets the room page open again without a network (secure contexts only).
    if ("serviceWorker" in navigator && window.isSecureContext && root.getAttribute("data-sw")) {
      navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: "/" })
        .then(keepThisPage)
        .catch(function () { /* the page works without it */ });
    }

    /** This very page and what it loaded were fetched before the worker ran: keep them. */
    function keepThisPage() {
      if (!window.caches) return null;
      var urls = [window.location.pathname];
      var assets = document.querySelectorAll("script[src], link[rel=stylesheet]");
      Array.prototype.forEach.call(assets, function (el) {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      return window.caches.open("mp-room-v1").then(function (cache) {
        return cache.addAll(urls);
      }).then(function () { root.setAttribute("data-offline-ready", "true"); });
    }

    var live = Live.connectLive("/participant", sessionId, {
      snapshot: function (body) {
        store.snapshot(body);
        synced = true;
        if (checkIdentity(body.you)) showAlert("");
        renderAll();
        kick();
      },
      caughtUp: function (ack) {
        synced = true;
        if (checkIdentity(ack.you)) showAlert("");
        renderAll();
        kick();
      },
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

    var cardGivenBack = false; // a refused card waits in its form, with its message
    sender = new window.MigrapassOutbox.Sender(outbox, live, {
      sent: function (item) {
        // A card given back to its form keeps its message until the person sends again,
        // even as other cards queued behind it go through.
        if (item.values && !cardGivenBack) setPostStatus(t(item.event === "edit" ? "saved" : "sent"), false);
        if (!item.values) showAlert(""); // an earlier refusal no longer stands
        renderOwn();
      },
      refused: function (item, ack) {
        // The socket's doors answer a message too large before they know whose it is,
        // so in the default language: the page has the words in the person's own.
        var words = ack.error === "too_large" ? t("too-large") : ack.message;
        if (item.values) giveBack(item);
        if (item.values) setPostStatus(words, true);
        else showAlert(words);
        renderOwn();
      },
      setAside: function (item) { // only cards and changes, which have a form to go back to
        giveBack(item);
        setPostStatus(t("set-aside"), true);
        renderOwn();
        renderOutbox();
      },
      changed: renderOutbox,
    });
    // Another tab of the same person sent (or queued) a card: draw what is left.
    outbox.watch(function () {
      renderOwn();
      renderOutbox();
    });
    renderAll(); // before any connection: what waits in the outbox shows at once
    window.addEventListener("online", kick);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) kick();
    });

    /** A refused card goes back to its step's form, unless something new is being typed. */
    function giveBack(item) {
      cardGivenBack = true;
      var draft = loadDraft(item.step);
      if (!isBlank(item.step, draft.values)) return; // something new is being typed

      saveDraft(item.step, { values: item.values, editing: item.editing || null });
      if (item.step === shownStep) renderForm(true, true);
    }

    function renderOutbox() {
      if (!outboxEl) return;
      var count = outbox.size();
      if (count > 0) outboxUsed = true;
      var state = count > 0 ? "waiting" : "empty";
      var label = count === 0 ? outboxEl.getAttribute("data-label-empty") :
        Live.format(outboxEl.getAttribute(
          window.MigrapassTexts.isOne(count) ? "data-label-one" : "data-label-many"), { count: count });
      outboxEl.setAttribute("data-state", state);
      if (outboxEl.textContent !== label) outboxEl.textContent = label;
      outboxEl.hidden = count === 0 && !(outboxUsed && live.ready());
    }

    /* ----- drafts: what was typed survives a reload, per person, session and step ----- */

    function draftKey(stepId) {
      return "mp:draft:" + participantId + ":" + sessionId + ":" + stepId;
    }
    function loadDraft(stepId) {
      try {
        var parsed = JSON.parse(window.localStorage.getItem(draftKey(stepId)) || "null");
        if (parsed && typeof parsed === "object" && parsed.values) return parsed;
      } catch (e) { /* ignore */ }
      return { values: {}, editing: null };
    }
    function saveDraft(stepId, draft) {
      try {
        var empty = !draft.editing && isBlank(stepId, draft.values);
        if (empty) window.localStorage.removeItem(draftKey(stepId));
        else window.localStorage.setItem(draftKey(stepId), JSON.stringify(draft));
      } catch (e) { /* storage full or disabled: the text stays in the page */ }
    }

    /** What a new card of this step starts with: the script may choose its category
     *  (`category: migration`), which the person can still change. */
    function presets(stepId) {
      var prompt = promptOf(stepId);
      var category = prompt ? prompt.getAttribute("data-category") : "";
      return category ? { category: category } : {};
    }
    function withPresets(stepId, values) {
      var out = {};
      var given = presets(stepId);
      Object.keys(values).forEach(function (k) { out[k] = values[k]; });
      Object.keys(given).forEach(function (k) { if (!out[k]) out[k] = given[k]; });
      return out;
    }
    /** Nothing typed: every value empty, or as the step presets it. */
    function isBlank(stepId, values) {
      var given = presets(stepId);
      return Object.keys(values).every(function (k) { return !values[k] || values[k] === given[k]; });
    }

    function readValues(form) {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name) return;
        if (input.type === "radio") {
          if (input.checked) values[input.name] = input.value;
          else if (!(input.name in values)) values[input.name] = "";
        } else {
          values[input.name] = input.value;
        }
      });
      return values;
    }
    function writeValues(form, values) {
      Array.prototype.forEach.call(form.elements, function (input) {
        if (!input.name) return;
        var value = Object.prototype.hasOwnProperty.call(values, input.name) ? values[input.name] : "";
        if (input.type === "radio") input.checked = input.value === value;
        else if (input.value !== value) input.value = value || "";
      });
      checker.clear(form);
      checker.closeMonthPickers(form);
      if (window.MigrapassTexts) window.MigrapassTexts.watch(form); // counters follow drafts
    }
    /** The card's fields from the form's values ("actions.0.what" builds a list). */
    function fieldsFrom(values) {
      var fields = {};
      var actions = [];
      Object.keys(values).forEach(function (name) {
        var m = /^actions\.(\d+)\.(what|deadline)$/.exec(name);
        if (m) {
          var i = Number(m[1]);
          actions[i] = actions[i] || { what: "", deadline: "" };
          actions[i][m[2]] = values[name];
        } else if (values[name] !== "") {
          fields[name] = values[name];
        }
      });
      var filled = actions.filter(function (a) { return a && a.what.trim(); });
      if (filled.length) fields.actions = filled;
      return fields;
    }
    function valuesFrom(card) {
      var values = {};
      var f = card.fields || {};
      Object.keys(f).forEach(function (k) {
        if (k === "actions") {
          f.actions.forEach(function (a, i) {
            values["actions." + i + ".what"] = a.what;
            values["actions." + i + ".deadline"] = a.deadline;
          });
        } else {
          values[k] = f[k];
        }
      });
      return values;
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
        saveDraft(stepId, { values: {}, editing: null });
        renderForm(true);
      });
      checker.monthPickers(form, remember);
    });

    function remember(form) {
      var stepId = store.common.step_id;
      var draft = loadDraft(stepId);
      var values = readValues(form);
      if (JSON.stringify(values) !== JSON.stringify(draft.values)) {
        draft.values = values;
        saveDraft(stepId, draft);
      }
    }

    function setPostStatus(message, isError) {
      postStatus.textContent = message || "";
      postStatus.classList.toggle("is-error", !!isError);
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
      var draft = loadDraft(stepId);
      var values = readValues(form);
      var card = fieldsFrom(values);
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
        values: values,
        editing: draft.editing || null,
      };
      if (!outbox.add(item)) { // too large ever to be sent: it stays in the form
        setPostStatus(t("too-large"), true);
        return;
      }
      writeValues(form, presets(stepId));
      saveDraft(stepId, { values: {}, editing: null });
      cardGivenBack = false;
      setPostStatus(live.ready() ? t("sending") : t("queued"), false);
      renderForm(true);
      renderOwn();
      renderOutbox();
      kick();
      var first = form.querySelector("input:not([type=radio]), textarea");
      if (first) first.focus();
    }

    function startEdit(card) {
      var form = forms[card.board];
      if (!form) return;
      var draft = { values: valuesFrom(card), editing: card.id };
      checker.dateFields(form).forEach(function (field) {
        if (draft.values[field.name]) draft.values[field.name] = checker.shownDate(draft.values[field.name]);
      });
      saveDraft(card.step, draft);
      writeValues(form, draft.values);
      renderForm(true);
      setPostStatus("", false);
      var first = form.querySelector("input:not([type=radio]), textarea");
      if (first) first.focus();
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

    /* ----- drawing ----- */

    function currentPrompt() {
      for (var i = 0; i < prompts.length; i++) {
        if (Number(prompts[i].getAttribute("data-step-index")) === store.common.step_index) {
          return prompts[i];
        }
      }
      return null;
    }

    function promptOf(stepId) {
      for (var i = 0; i < prompts.length; i++) {
        if (prompts[i].getAttribute("data-step-id") === stepId) return prompts[i];
      }
      return null;
    }

    function stepTitle(prompt) {
      var heading = prompt.querySelector(".prompt-title");
      return heading ? heading.textContent.trim() : "";
    }

    /** The tutor moved the room on: say so (a live region), and take the person to the
     *  new prompt. Not on the first board, nor on a reconnection to the same step. */
    function announceStep(current) {
      var stepId = store.common.step_id;
      var first = seenStep === undefined;
      if (stepId === seenStep) return;
      seenStep = stepId;
      if (first || !current) return;
      stepAnnouncement.textContent = Board.fill(t("step-now"), {
        number: Number(current.getAttribute("data-step-index")) + 1,
        total: prompts.length,
        title: stepTitle(current),
      });
      var heading = current.querySelector(".prompt-title");
      if (heading) {
        try {
          heading.focus({ preventScroll: true });
        } catch (e) { heading.focus(); }
      }
      if (current.scrollIntoView) current.scrollIntoView(true);
    }

    function renderForm(force, reload) {
      var board = store.common.status === "open" ? store.common.open_board : null;
      var stepId = store.common.step_id;
      var form = board ? forms[board] : null;
      postArea.hidden = !form;
      if (form !== shownForm || stepId !== shownStep || force) {
        Object.keys(forms).forEach(function (k) { forms[k].hidden = forms[k] !== form; });
        if (form) {
          var draft = loadDraft(stepId);
          if (form !== shownForm || stepId !== shownStep || reload) {
            writeValues(form, withPresets(stepId, draft.values));
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
        renderOwn(); // cards waiting to send show even before the board arrives
        return;
      }
      if (loading) loading.hidden = true;
      var current = currentPrompt();
      prompts.forEach(function (p) { p.hidden = p !== current; });
      ended.hidden = store.common.status === "open";
      renderForm(false);
      announceStep(current);
      renderVotes();
      renderBoard();
      renderOwn();
      renderTimer();
    }

    function liveStep() {
      var stepId = store.common.step_id;
      var board = stepId ? store.boards[stepId] : null;
      return store.common.status === "open" && board && !board.locked ? board : null;
    }

    function renderVotes() {
      var board = liveStep();
      var voting = board && board.budget > 0;
      voteArea.hidden = !voting;
      if (voting) {
        var left = store.votesLeft(board.step);
        var shown = Board.fill(t(window.MigrapassTexts.isOne(left) ? "votes-left-one" : "votes-left"), { count: left });
        // A refusal said before is not true any more once the votes left have changed.
        if (votesLeft.textContent && votesLeft.textContent !== shown) showAlert("");
        votesLeft.textContent = shown;
      }
    }

    function voteButtons(container, target, board) {
      var mine = ((store.mine[board.step] || {}).votes || {})[target] || 0;
      var box = Board.el("span", "vote-buttons");
      var plus = Board.el("button", "button button-small", t("vote"));
      plus.type = "button";
      plus.setAttribute("data-testid", "vote");
      plus.setAttribute("data-focus-key", "vote:" + target);
      plus.disabled = store.votesLeft(board.step) <= 0;
      plus.addEventListener("click", function () { send("vote", { step: board.step, target: target }); });
      box.appendChild(plus);
      if (mine) {
        var count = Board.el("span", "my-votes", Board.fill(t("my-votes"), { count: mine }));
        count.setAttribute("data-testid", "my-votes");
        box.appendChild(count);
        var minus = Board.el("button", "button button-small button-quiet", t("unvote"));
        minus.type = "button";
        minus.setAttribute("data-testid", "unvote");
        minus.setAttribute("data-focus-key", "unvote:" + target);
        minus.addEventListener("click", function () { send("unvote", { step: board.step, target: target }); });
        box.appendChild(minus);
      }
      container.appendChild(box);
    }

    function renderBoard() {
      var stepId = store.common.step_id;
      var board = liveStep();
      var shown = Board.render(boardEl, store, stepId, {
        cardTestId: "shared-card",
        cardControls: function (li, card) {
          if (store.own[card.id]) li.appendChild(Board.el("span", "tag tag-yours", t("yours")));
          if (!board || card.board !== "group_rules") return;
          var stances = ((store.mine[stepId] || {}).stances || {});
          var mine = stances[String(card.id)] || "none";
          var row = Board.el("span", "stance-buttons");
          ["agree", "disagree"].forEach(function (stance) {
            var b = Board.el("button", "button button-small", t(stance));
            b.type = "button";
            b.setAttribute("aria-pressed", mine === stance ? "true" : "false");
            b.setAttribute("data-testid", "stance-" + stance);
            b.setAttribute("data-focus-key", stance + ":" + card.id);
            b.addEventListener("click", function () {
              send("stance", { card_id: card.id, stance: mine === stance ? "none" : stance });
            });
            row.appendChild(b);
          });
          li.appendChild(row);
          if (board.budget > 0) voteButtons(li, "card:" + card.id, board);
        },
        clusterControls: function (head, cluster) {
          if (board && board.budget > 0) voteButtons(head, "cluster:" + cluster.id, board);
        },
        optionControls: function (row, index) {
          if (board && board.budget > 0) voteButtons(row, "option:" + index, board);
        },
      });
      var isPoll = stepId && store.boards[stepId] && store.boards[stepId].board === "poll";
      boardEmpty.hidden = shown > 0 || isPoll;
    }

    /** "My cards": one group per step, in the meeting's order, under the step's title;
     *  in each, what waits to be sent first, then the newest card first. */
    function renderOwn() {
      var focusKey = document.activeElement && ownList.contains(document.activeElement) ?
        document.activeElement.getAttribute("data-focus-key") : null;
      while (ownList.firstChild) ownList.removeChild(ownList.firstChild);
      var cards = store.ownOf(null).reverse();
      var board = liveStep();
      var pending = outbox.items().filter(function (item) { return item.event === "post"; });
      var groups = {};
      function listOf(stepId) {
        if (groups[stepId]) return groups[stepId].list;
        var prompt = promptOf(stepId);
        var section = Board.el("section", "own-group");
        section.setAttribute("data-testid", "own-group");
        section.setAttribute("data-step-id", stepId || "");
        var title = Board.el("h3", "own-group-title", prompt ? stepTitle(prompt) : stepId);
        title.setAttribute("dir", "auto");
        if (prompt) title.setAttribute("lang", prompt.querySelector(".prompt-title").getAttribute("lang"));
        section.appendChild(title);
        var list = Board.el("ul", "cards");
        section.appendChild(list);
        var order = prompt ? Number(prompt.getAttribute("data-step-index")) : prompts.length;
        groups[stepId] = { section: section, list: list, order: order };
        return list;
      }
      pending.reverse().forEach(function (item) {
        var li = Board.el("li", "card board-card is-pending board-card-" + item.data.board);
        li.setAttribute("data-testid", "pending-card");
        li.appendChild(Board.cardBody({ board: item.data.board, fields: item.data.fields }));
        li.appendChild(Board.el("p", "card-mark", t("waiting")));
        listOf(item.step || store.common.step_id).appendChild(li);
      });
      cards.forEach(function (card) {
        var li = Board.el("li", "card board-card board-card-" + card.board);
        li.setAttribute("data-testid", "own-card");
        li.setAttribute("data-card-id", String(card.id));
        li.setAttribute("data-hidden", card.hidden ? "true" : "false");
        li.appendChild(Board.cardBody(card));
        if (card.anonymous) li.appendChild(Board.el("p", "card-mark", Board.word("anonymous")));
        if (card.hidden) {
          li.classList.add("is-hidden");
          var mark = Board.el("p", "card-mark", card.hidden_reason ?
            Board.fill(Board.word("hidden-reason"), { reason: card.hidden_reason }) : Board.word("hidden"));
          mark.setAttribute("data-testid", "hidden-mark");
          li.appendChild(mark);
        } else if (board && card.step === board.step && forms[card.board]) {
          var row = Board.el("p", "card-controls");
          var edit = Board.el("button", "button button-small", t("edit"));
          edit.type = "button";
          edit.setAttribute("data-testid", "edit-card");
          edit.setAttribute("data-focus-key", "edit:" + card.id);
          edit.addEventListener("click", function () { startEdit(card); });
          var back = Board.el("button", "button button-small button-quiet", t("withdraw"));
          back.type = "button";
          back.setAttribute("data-testid", "withdraw-card");
          back.setAttribute("data-focus-key", "withdraw:" + card.id);
          back.addEventListener("click", function () { withdraw(card); });
          row.appendChild(edit);
          row.appendChild(back);
          li.appendChild(row);
        }
        listOf(card.step).appendChild(li);
      });
      Object.keys(groups).map(function (k) { return groups[k]; })
        .sort(function (a, b) { return a.order - b.order; })
        .forEach(function (group) { ownList.appendChild(group.section); });
      ownEmpty.hidden = cards.length + pending.length > 0;
      if (focusKey) {
        var again = ownList.querySelector('[data-focus-key="' + focusKey + '"]');
        if (again) again.focus();
      }
    }

    function renderTimer() {
      var left = store.common.status === "open" ? store.timeLeft() : null;
      timerEl.hidden = left === null;
      if (left !== null) {
        var text = Board.formatClock(Math.max(0, left));
        if (timerEl.textContent !== text) timerEl.textContent = text;
      }
    }
    window.setInterval(renderTimer, 1000);
  }
})();
