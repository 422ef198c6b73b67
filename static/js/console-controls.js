/* Migrapass Live — the console's controls as the session is now: which buttons work,
 * what each says it will do, what the board is now (said apart, in its state line), and
 * the wall (its page, a card alone, the join panel, the group's rules).
 *
 * MigrapassConsole.controls(page) → {render, turnPage}; `page` is the console's
 * (console.js). Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  Console.controls = function (page) {
    var Board = window.MigrapassBoard;
    var q = page.q;
    var all = page.all;
    var t = page.t;
    var store = page.store;
    var stepItems = page.stepItems;
    var boardControls = q('[data-role="board-controls"]');
    var boardState = q('[data-role="board-state"]');
    var behalfPanel = q('[data-role="behalf-panel"]');
    var wallPage = q('[data-role="wall-page"]');
    var spotlightBar = q('[data-role="spotlight-bar"]');
    var groupRules = Number(page.root.getAttribute("data-group-rules")) || 0;
    var maxWallPage = Number(page.root.getAttribute("data-max-wall-page"));

    /** What takes votes on the current step's board ("cards", "options", "families",
     *  "none": data-votes-on, from the board types), and whether a vote can open now:
     *  a vote on families needs a family. */
    function votable(board) {
      var item = stepItems[store.common.step_index];
      var on = item ? item.getAttribute("data-votes-on") : "none";
      if (on === "families") return board.clusters.length > 0;
      return on === "cards" || on === "options";
    }

    function render() {
      var busy = page.isBusy();
      var open = page.isReady() && store.common.status === "open" && page.mayRun;
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
      var board = page.currentBoard();
      renderBoardState(board);
      if (board && boardControls) renderBoardControls(board, index);
      renderWall(board, open);
      if (behalfPanel) {
        var forms = page.forms;
        // A private board's answers are their author's alone: nobody writes them for them.
        // Nor the anonymous feedback: a card written for someone would carry their name.
        var mine = board && (board.private || board.authorless);
        var form = board && !mine && store.common.open_board ? forms[store.common.open_board] : null;
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

    function renderBoardControls(board, index) {
      var lockB = q('[data-action="board-lock"]');
      lockB.textContent = board.locked ? t("unlock-board") : t("lock-board");
      var untilReveal = q('[data-action="board-until-reveal"]');
      // "Show the cards" (on a hidden-first board: those their authors chose), or hide them.
      var show = board.hidden_first ? t("show-chosen") : t("reveal");
      untilReveal.textContent = board.until_reveal ? show : t("until-reveal");
      // A private board (the self-assessment) shows nobody's answers: nothing to reveal,
      // to make anonymous, to vote on or to group; it can still be closed.
      var shown = board.board !== "poll" && !board.private;
      untilReveal.hidden = !shown;
      var anon = q('[data-action="board-anonymous"]');
      anon.textContent = board.anonymous ? t("show-names") : t("make-anonymous");
      anon.hidden = !shown || board.authorless; // nobody's name is on these cards anyway
      // A vote opens only where the board takes votes; one already open can always close.
      var voting = board.budget > 0;
      var canVote = votable(board);
      // Nobody votes on, or groups, the answers of a private board or the anonymous feedback.
      var quiet = board.private || board.authorless;
      q('[data-role="voting-form"]').hidden = (!canVote && !voting) || quiet;
      all('[data-role="voting-form"] .label, #vote-budget, [data-testid="open-voting"]')
        .forEach(function (el) { el.hidden = voting || !canVote; });
      q('[data-action="close-voting"]').hidden = !voting;
      var item = stepItems[index];
      q('[data-role="voting-hint"]').hidden = canVote || voting || quiet ||
        !item || item.getAttribute("data-votes-on") !== "families";
      // A timeline draws no families: no groups to make on it.
      q('[data-role="cluster-form"]').hidden =
        board.board === "poll" || board.board === "timeline" || quiet;
    }

    /** What the board is now, said apart from the buttons (which say what they will do). */
    function renderBoardState(board) {
      if (!boardState) return;
      while (boardState.firstChild) boardState.removeChild(boardState.firstChild);
      boardState.hidden = !board;
      if (!board) return;
      var items = [t(board.locked ? "state-closed" : "state-open")];
      if (board.board !== "poll" && !board.private) {
        items.push(t(board.until_reveal ? "state-until-reveal" : "state-shown"));
        // The programme feedback carries nobody's name, whatever the switch would say.
        items.push(t(board.anonymous || board.authorless ? "anonymous-on" : "anonymous-off"));
      }
      if (board.hidden_first) items.push(chosen(board));
      // The anonymous feedback: read on this screen alone once closed, before the wall.
      if (board.authorless && board.until_reveal) {
        items.push(t(board.locked ? "feedback-read-first" : "feedback-close-to-read"));
      }
      if (board.budget > 0) items.push(page.tCount("voting-on", board.budget));
      else if (votable(board)) items.push(t("voting-off"));
      items.forEach(function (text) { boardState.appendChild(Board.el("span", "state-item", text)); });
    }

    /** "N of M cards chosen to be shown": the cards on the board (not hidden by a tutor)
     *  whose author chose to show them, of all of them. */
    function chosen(board) {
      var cards = store.cardsOf(board.step).filter(function (c) { return !c.hidden; });
      var count = cards.filter(function (c) { return !c.not_shown; }).length;
      // "1 of 3 cards": the noun follows the total it counts in.
      var keyed = window.MigrapassTexts ? window.MigrapassTexts.pluralKey("chosen", cards.length) : "chosen";
      return Board.fill(t(keyed) || t("chosen"), { count: count, total: cards.length });
    }

    /** The wall: the board's page (the projector shows page % its pages), a card alone,
     *  the join panel, the group's rules. */
    function renderWall(board, open) {
      var w = page.wall();
      var pages = board ? page.wallPages[board.step] : undefined;
      var number = Number(w.page) || 0;
      if (wallPage) {
        wallPage.textContent = pages ?
          Board.fill(t("wall-page"), { page: (number % pages) + 1, pages: pages }) :
          Board.fill(t("wall-page-unknown"), { page: number + 1 });
        var still = !open || page.isBusy() || pages === 1;
        q('[data-action="wall-prev"]').disabled = still || (!pages && number === 0);
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

    /** The page the wall turns to, `delta` pages on (round: after the last comes the first);
     *  false when there is no board to turn. */
    function turnPage(delta) {
      var board = page.currentBoard();
      if (!board) return false;
      var pages = page.wallPages[board.step];
      var number = Number(page.wall().page) || 0;
      var next;
      if (pages) {
        if (pages === 1) return true;
        next = ((number % pages) + delta + pages) % pages;
      } else {
        next = Math.min(maxWallPage, Math.max(0, number + delta));
        if (next === number) return true;
      }
      page.act("wall_page", { step: board.step, page: next });
      return true;
    }

    return { render: render, turnPage: turnPage };
  };
})();
