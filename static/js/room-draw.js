/* Migrapass Live — what the room draws on the phone: the step's prompt and its
 * announcement, the votes left, the shared board with its buttons, "My cards", the timer.
 *
 * MigrapassRoomDraw(room) → the drawing functions of one room page; `room` gives its
 * root, words (t), store, outbox, card forms and prompts, and the verbs its buttons
 * call (send, startEdit, withdraw, showAlert). Called by room.js.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassRoomDraw.
 */
(function () {
  "use strict";

  window.MigrapassRoomDraw = function (room) {
    var Board = window.MigrapassBoard;
    var root = room.root;
    var t = room.t;
    var store = room.store;
    var prompts = room.prompts;
    var stepAnnouncement = root.querySelector('[data-role="step-announcement"]');
    var voteArea = root.querySelector('[data-role="vote-area"]');
    var votesLeft = root.querySelector('[data-role="votes-left"]');
    var boardEl = root.querySelector('[data-role="board"]');
    var boardEmpty = root.querySelector('[data-role="board-empty"]');
    var ownList = root.querySelector('[data-testid="my-cards"]');
    var ownEmpty = root.querySelector('[data-role="own-empty"]');
    var timerEl = root.querySelector('[data-role="timer"]');
    var noticeEl = root.querySelector('[data-role="board-notice"]');
    var portfolioWithheld = root.getAttribute("data-portfolio-withheld") === "true";
    var seenStep; // the step last drawn: undefined until the first board arrives

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

    /** The step's title in the person's language (without the French shown beside it). */
    function stepTitle(prompt) {
      var heading = prompt.querySelector(".prompt-title [data-role=\"listen-text\"]") ||
        prompt.querySelector(".prompt-title");
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
        var shown = Board.fill(t(window.MigrapassTexts.pluralKey("votes-left", left)), { count: left });
        // A refusal said before is not true any more once the votes left have changed.
        if (votesLeft.textContent && votesLeft.textContent !== shown) room.showAlert("");
        votesLeft.textContent = shown;
      }
    }

    // Each button's pictogram, by what it does (app/vocabulary/icons.py, ACTION_ICONS).
    var ACTIONS = {
      vote: "vote", unvote: "withdraw", "stance-agree": "agree", "stance-disagree": "disagree",
      "edit-card": "edit", "withdraw-card": "withdraw"
    };

    function button(className, label, testId, focusKey, onClick) {
      var b = Board.el("button", className, label);
      if (window.MigrapassIcons && ACTIONS[testId]) window.MigrapassIcons.before(b, "action", ACTIONS[testId]);
      b.type = "button";
      b.setAttribute("data-testid", testId);
      b.setAttribute("data-focus-key", focusKey);
      b.addEventListener("click", onClick);
      return b;
    }

    function voteButtons(container, target, board) {
      var mine = ((store.ownVotes[board.step] || {}).votes || {})[target] || 0;
      var box = Board.el("span", "vote-buttons");
      var plus = button("button button-small", t("vote"), "vote", "vote:" + target, function () {
        room.send("vote", { step: board.step, target: target });
      });
      plus.disabled = store.votesLeft(board.step) <= 0;
      box.appendChild(plus);
      if (mine) {
        var count = Board.el("span", "my-votes", Board.fill(t("my-votes"), { count: mine }));
        count.setAttribute("data-testid", "my-votes");
        box.appendChild(count);
        box.appendChild(button("button button-small button-quiet", t("unvote"), "unvote", "unvote:" + target,
          function () { room.send("unvote", { step: board.step, target: target }); }));
      }
      container.appendChild(box);
    }

    function stanceButtons(li, card, stepId) {
      var stances = ((store.ownVotes[stepId] || {}).stances || {});
      var mine = stances[String(card.id)] || "none";
      var row = Board.el("span", "stance-buttons");
      ["agree", "disagree"].forEach(function (stance) {
        var b = button("button button-small", t(stance), "stance-" + stance, stance + ":" + card.id, function () {
          room.send("stance", { card_id: card.id, stance: mine === stance ? "none" : stance });
        });
        b.setAttribute("aria-pressed", mine === stance ? "true" : "false");
        row.appendChild(b);
      });
      li.appendChild(row);
    }

    function renderBoard() {
      var stepId = store.common.step_id;
      var board = liveStep();
      var shown = Board.render(boardEl, store, stepId, {
        cardTestId: "shared-card",
        cardControls: function (li, card) {
          if (store.own[card.id]) li.appendChild(Board.el("span", "tag tag-yours", t("yours")));
          if (window.MigrapassListen) window.MigrapassListen.add(li, li.querySelector(".card-body"), !!store.own[card.id]);
          if (!board || card.board !== "group_rules") return;
          stanceButtons(li, card, stepId);
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

    /** Under the composer: who will see the card, and whether it goes to the portfolio
     *  (the step's board, as the server describes it, and the script's `feeds`). */
    function renderNotice() {
      var stepId = store.common.step_id;
      var board = stepId ? store.boards[stepId] : null;
      var prompt = promptOf(stepId);
      var said = [];
      if (board && prompt) {
        if (board.private) said.push(t("notice-private"));
        else if (board.authorless) said.push(t("notice-authorless"), t("notice-final"));
        else if (board.hidden_first) said.push(t("notice-hidden-first"));
        else if (board.until_reveal) said.push(t("notice-later"));
        else said.push(t("notice-room"));
        var feeds = prompt.getAttribute("data-feeds") && !portfolioWithheld;
        // The self-assessment feeds no section, yet its author reads their answers, before
        // and after, on their portfolio page.
        if (board.private) said.push(t("notice-private-portfolio"));
        else said.push(t(feeds ? "notice-portfolio" : "notice-no-portfolio"));
      }
      var text = said.join(" ");
      if (noticeEl.textContent !== text) noticeEl.textContent = text;
      noticeEl.hidden = !text;
    }

    /** The author's choice on a card of theirs, as it will be once the outbox is sent. */
    function choiceOf(card) {
      var choice = { shown: !!card.shown, details: !!card.details_shown };
      room.outbox.items().forEach(function (item) {
        if (item.event === "show" && item.data.card_id === card.id) {
          choice = { shown: item.data.shown, details: item.data.details };
        }
      });
      return choice;
    }

    function switchBox(className, testId, focusKey, label, checked) {
      var row = Board.el("label", "choice-switch " + className);
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = checked;
      input.setAttribute("data-testid", testId);
      input.setAttribute("data-focus-key", focusKey);
      row.appendChild(input);
      row.appendChild(Board.el("span", "choice-switch-label", label));
      return { row: row, input: input };
    }

    /** On a hidden-first step: "Show to the group", and apart "Also show the place and
     *  date"; each change goes through the outbox, like every other write. */
    function showChoice(card, stepBoard) {
      var choice = choiceOf(card);
      // "Also show the place and date" only where the card holds one.
      var dated = (stepBoard.revealing || []).some(function (name) { return card.fields && card.fields[name]; });
      var box = Board.el("div", "show-choice");
      box.setAttribute("data-testid", "show-choice");
      var shown = switchBox("is-switch", "show-switch", "show:" + card.id, t("show"), choice.shown);
      shown.input.setAttribute("role", "switch");
      // A card kept back keeps back its place and date too: shown again, they stay kept
      // until chosen afresh (the server refuses them on a card not shown).
      var details = switchBox("is-details", "show-details", "details:" + card.id, t("show-details"),
        choice.shown && choice.details);
      details.input.disabled = !choice.shown;
      function send() {
        var isShown = shown.input.checked;
        room.send("show", { card_id: card.id, shown: isShown, details: isShown && details.input.checked });
      }
      shown.input.addEventListener("change", send);
      details.input.addEventListener("change", send);
      box.appendChild(shown.row);
      if (dated) box.appendChild(details.row);
      var waiting = (store.boards[card.step] || {}).until_reveal;
      var said = !choice.shown ? "not-shown" : waiting ? "shown" : "shown-now";
      var state = Board.el("p", "show-state", t(said));
      state.setAttribute("data-testid", "show-state");
      box.appendChild(state);
      return box;
    }

    function ownCard(card, board) {
      var li = Board.el("li", "card board-card board-card-" + card.board);
      li.setAttribute("data-testid", "own-card");
      li.setAttribute("data-card-id", String(card.id));
      li.setAttribute("data-hidden", card.hidden ? "true" : "false");
      var body = li.appendChild(Board.cardBody(card));
      if (window.MigrapassListen) window.MigrapassListen.add(li, body, true);
      var stepBoard = store.boards[card.step];
      if (stepBoard && stepBoard.hidden_first && !card.hidden) li.appendChild(showChoice(card, stepBoard));
      if (card.anonymous) li.appendChild(Board.el("p", "card-mark", Board.word("anonymous")));
      if (card.hidden) {
        li.classList.add("is-hidden");
        var mark = Board.el("p", "card-mark", card.hidden_reason ?
          Board.fill(Board.word("hidden-reason"), { reason: card.hidden_reason }) : Board.word("hidden"));
        mark.setAttribute("data-testid", "hidden-mark");
        li.appendChild(mark);
      } else if (board && card.step === board.step && room.forms[card.board]) {
        var row = Board.el("p", "card-controls");
        row.appendChild(button("button button-small", t("edit"), "edit-card", "edit:" + card.id,
          function () { room.startEdit(card); }));
        row.appendChild(button("button button-small button-quiet", t("withdraw"), "withdraw-card",
          "withdraw:" + card.id, function () { room.withdraw(card); }));
        li.appendChild(row);
      }
      return li;
    }

    /** "My cards": one group per step, in the meeting's order, under the step's title;
     *  in each, what waits to be sent first, then the newest card first. */
    function renderOwn() {
      var focusKey = document.activeElement && ownList.contains(document.activeElement) ?
        document.activeElement.getAttribute("data-focus-key") : null;
      while (ownList.firstChild) ownList.removeChild(ownList.firstChild);
      var cards = store.ownOf(null).reverse();
      var board = liveStep();
      var pending = room.outbox.items().filter(function (item) { return item.event === "post"; });
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
      cards.forEach(function (card) { listOf(card.step).appendChild(ownCard(card, board)); });
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

    return {
      currentPrompt: currentPrompt,
      promptOf: promptOf,
      announceStep: announceStep,
      votes: renderVotes,
      board: renderBoard,
      own: renderOwn,
      notice: renderNotice,
      timer: renderTimer,
    };
  };
})();
