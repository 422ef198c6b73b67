/* Migrapass Live — the projector's wall: the step, its prompt, its timer and its board,
 * read from the back of the room, drawn from a MigrapassStore (store.js). The live
 * projector (projector.js) feeds the store from its socket; the replay page
 * (replay.js) from frames of the log. Both draw through this one file.
 *
 * The wall shows one thing at a time (data-mode on the page): the board under the
 * step's prompt; a step without a board as its prompt alone (the objectives with the
 * first step); one card alone (the tutor's spotlight); the group's rules; or the end.
 * Sizes are CSS's (classes fit-0 … fit-11, from 96 to 22 px at 1080p, in vw/vh): this
 * file only measures which is the largest that fits, and when even the smallest board
 * size does not, splits the cards into pages. The tutor turns the pages (wall.page);
 * hooks.pages(stepId, pages) hears how many it made, so the console can offer them.
 *
 * The timer is the server's: an end time (or the time left when paused), drawn against
 * the store's clock (store.clockOffset); hooks.timeUp(endsAt) hears when it runs out.
 * hooks.tick === false: the page redraws the timer itself (the replay's clock stands
 * still while paused).
 *
 * Classic script (no build step): defines window.MigrapassWall. Needs board.js.
 */
(function () {
  "use strict";

  var FIT_LARGEST = 0; // fit-0: 96 px at 1080p
  var FIT_BOARD = 4; // the board starts at fit-4: 48 px
  var FIT_SMALLEST = 11; // fit-11: 22 px, the least a card's text may be
  var FIT_PROMPT_SMALLEST = 9; // a prompt alone on the wall: 30 px at least
  var DEFAULT_WALL = { page: 0, spotlight: null, join: "auto", rules: false };

  function create(root, store, hooks) {
    hooks = hooks || {};
    var Board = window.MigrapassBoard;

    function q(selector) { return root.querySelector(selector); }
    function all(selector, within) {
      return Array.prototype.slice.call((within || root).querySelectorAll(selector));
    }
    var expected = parseInt(root.getAttribute("data-expected"), 10) || 0;
    var maxPages = parseInt(root.getAttribute("data-max-wall-pages"), 10) || 1; // the server's limit
    var pageLabel = root.getAttribute("data-page-label") || "{page} / {pages}";
    var stepTitles = all(".projector-step");
    var prompts = all(".projector-prompt");
    var promptArea = q('[data-role="prompt-area"]');
    var stage = q('[data-role="stage"]');
    var full = q('[data-role="full"]');
    var fullPrompt = q('[data-role="full-prompt"]');
    var objectives = q('[data-role="objectives"]');
    var boardWrap = q('[data-role="board-wrap"]');
    var boardEl = q('[data-role="board"]');
    var boardEmpty = q('[data-role="board-empty"]');
    var result = q('[data-role="result"]');
    var spotlight = q('[data-role="spotlight"]');
    var spotlightCard = q('[data-role="spotlight-card"]');
    var rules = q('[data-role="rules"]');
    var rulesFit = q('[data-role="rules-fit"]');
    var rulesList = q('[data-role="rules-list"]');
    var earlierRules = all("li", rulesList);
    var voteHint = q('[data-role="vote-hint"]');
    var ended = q('[data-role="ended"]');
    var pageEl = q('[data-role="page"]');
    var timerEl = q('[data-role="timer"]');
    var timeUp = q('[data-role="time-up"]');
    var joinEl = q('[data-role="join"]'); // none on a replay: nobody joins a past session
    var breakEl = q('[data-role="break"]');
    var breakClock = q('[data-role="break-clock"]');
    var breakBack = q('[data-role="break-back"]');
    var breakMinutes = 0; // the break on the wall: its length in the script

    var fullStep = null; // the step whose prompt fills the wall now

    // Cards come in bursts (a room posts at once): lay the wall out once per burst.
    var pending = null;
    function later() {
      if (pending === null) pending = window.setTimeout(function () {
        pending = null;
        render();
      }, 40);
    }
    /* ---------- fitting: the largest size class whose content stays inside its box ---------- */

    function setFit(target, index) {
      for (var i = FIT_LARGEST; i <= FIT_SMALLEST; i++) target.classList.toggle("fit-" + i, i === index);
    }

    function fits(box) {
      return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
    }

    /** The board inside its box: in height (balanced columns), or in width (filled ones). */
    function boardFits() {
      return fits(boardWrap) && fits(boardEl);
    }

    /** The largest size from `from` down to `to` that fits (else `to`), found by halves:
     *  a board is laid out four or five times, not twelve. */
    function fit(box, target, from, to) {
      var ok = typeof box === "function" ? box : function () { return fits(box); };
      setFit(target, from);
      if (ok()) return true;
      setFit(target, to);
      if (!ok()) return false;
      var lo = from + 1;
      var hi = to; // fits
      while (lo < hi) {
        var mid = Math.floor((lo + hi) / 2);
        setFit(target, mid);
        if (ok()) hi = mid;
        else lo = mid + 1;
      }
      setFit(target, hi);
      return true;
    }

    /* ---------- pages of a board that does not fit at the smallest size ---------- */

    function boardItems() {
      return all("[data-card-id]", boardEl);
    }

    /** Show items [from, to) only, and the families, years and lists they belong to. */
    function showRange(items, from, to) {
      items.forEach(function (item, i) {
        item.classList.toggle("is-off-page", i < from || i >= to);
      });
      all(".board-cluster, .board-loose", boardEl).forEach(function (group) {
        var cards = all("[data-card-id]", group);
        var onPage = cards.some(function (c) { return !c.classList.contains("is-off-page"); });
        // An empty family shows on the first page only.
        group.classList.toggle("is-off-page", cards.length ? !onPage : from > 0);
      });
      // A year shows where one of its events does.
      var year = null;
      var yearShown = false;
      all(".timeline > li", boardEl).forEach(function (li) {
        if (li.classList.contains("timeline-year")) {
          if (year) year.classList.toggle("is-off-page", !yearShown);
          year = li;
          yearShown = false;
        } else if (!li.classList.contains("is-off-page")) {
          yearShown = true;
        }
      });
      if (year) year.classList.toggle("is-off-page", !yearShown);
    }

    /** The first item of each page, at the smallest size: as many items as fit, in order. */
    function paginate(items) {
      var starts = [];
      var from = 0;
      while (from < items.length && starts.length < maxPages) {
        starts.push(from);
        var lo = 1; // one item per page at least, even if it is too large
        var hi = items.length - from;
        showRange(items, from, from + hi);
        if (!boardFits()) {
          // The largest count that fits, by halves: a page is laid out a few times only.
          while (lo < hi) {
            var mid = Math.ceil((lo + hi) / 2);
            showRange(items, from, from + mid);
            if (boardFits()) lo = mid;
            else hi = mid - 1;
          }
          hi = lo;
        }
        from += hi;
      }
      return starts;
    }

    function wall() {
      var w = store.common.wall;
      return w && typeof w === "object" ? w : DEFAULT_WALL;
    }

    function hasVotes(board) {
      for (var key in board.tally || {}) {
        if (Object.prototype.hasOwnProperty.call(board.tally, key) && board.tally[key] > 0) return true;
      }
      return false;
    }

    /** Draw the board, at the largest size that fits, or in pages; the page count. */
    function renderBoard(stepId, board) {
      // A closed vote: the result, by votes, is what the wall shows.
      var ranked = board.board !== "poll" && board.budget === 0 && hasVotes(board);
      var shown = Board.render(boardEl, store, stepId, { cardTestId: "projector-card", ranked: ranked });
      result.hidden = !ranked;
      boardEmpty.hidden = shown > 0 || board.board === "poll" || board.until_reveal;
      // Families stand side by side, each whole: the room compares them while it votes.
      // Once the vote is closed the families, in order with their totals, are the result:
      // their cards fold away so every total is on the wall at once.
      var families = boardEl.querySelector(".board-cluster") !== null;
      boardEl.classList.toggle("has-families", families);
      boardEl.classList.toggle("is-result", families && ranked);
      // Balanced columns first (a short board stays short and wide); then columns filled
      // one after the other down the whole height, which holds more; then pages.
      boardEl.classList.remove("is-filled");
      if (fit(boardFits, boardEl, FIT_BOARD, FIT_SMALLEST)) return 1;
      boardEl.classList.add("is-filled");
      if (fit(boardFits, boardEl, FIT_BOARD, FIT_SMALLEST)) return 1;
      var items = boardItems();
      if (items.length < 2) return 1;
      var starts = paginate(items);
      var page = (Number(wall().page) || 0) % starts.length;
      showRange(items, starts[page], page + 1 < starts.length ? starts[page + 1] : items.length);
      return starts.length;
    }

    function renderSpotlight(card) {
      while (spotlightCard.firstChild) spotlightCard.removeChild(spotlightCard.firstChild);
      spotlightCard.appendChild(Board.cardElement(card, store.boards[card.step], { cardTestId: "projector-card" }));
      fit(spotlight, spotlightCard, FIT_LARGEST, FIT_SMALLEST);
    }

    function renderRules() {
      while (rulesList.firstChild) rulesList.removeChild(rulesList.firstChild);
      var shown = {}; // a rule adopted again tonight is on the wall once, as the server counts
      earlierRules.forEach(function (li) {
        shown[li.textContent] = true;
        rulesList.appendChild(li);
      });
      var adopted = [];
      for (var id in store.cards) {
        if (Object.prototype.hasOwnProperty.call(store.cards, id) && store.cards[id].adopted) {
          adopted.push(store.cards[id]);
        }
      }
      adopted.sort(function (a, b) { return a.id - b.id; });
      adopted.forEach(function (card) {
        var text = (card.fields && card.fields.text) || card.text;
        if (shown[text]) return;
        shown[text] = true;
        var li = Board.el("li", null, text);
        li.setAttribute("dir", "auto");
        li.setAttribute("data-testid", "group-rule");
        rulesList.appendChild(li);
      });
      fit(rules, rulesFit, FIT_LARGEST, FIT_SMALLEST);
    }

    function renderFull(stepId, isFirst) {
      if (fullStep !== stepId) {
        fullStep = stepId;
        while (fullPrompt.firstChild) fullPrompt.removeChild(fullPrompt.firstChild);
        prompts.forEach(function (prompt) {
          if (prompt.getAttribute("data-step-id") !== stepId) return;
          Array.prototype.forEach.call(prompt.childNodes, function (node) {
            fullPrompt.appendChild(node.cloneNode(true));
          });
        });
      }
      if (objectives) objectives.hidden = !isFirst;
      fit(full, full, FIT_LARGEST, FIT_PROMPT_SMALLEST);
    }

    /** Large while people arrive; a corner once the door is closed or all are in; none at the end. */
    function joinPanel(isOpen) {
      if (!isOpen || !joinEl) return "none";
      var shown = wall().join;
      if (shown === "large" || shown === "small") return shown;
      var present = Number(store.common.present_count) || 0;
      var allIn = expected > 0 && present >= expected;
      return store.common.joining_locked || allIn ? "small" : "large";
    }

    function render() {
      var current = null;
      stepTitles.forEach(function (title) {
        var isCurrent = Number(title.getAttribute("data-step-index")) === store.common.step_index;
        title.hidden = !isCurrent;
        if (isCurrent) current = title;
      });
      var stepId = current ? current.getAttribute("data-step-id") : null;
      prompts.forEach(function (prompt) { prompt.hidden = prompt.getAttribute("data-step-id") !== stepId; });
      var board = stepId ? store.boards[stepId] : null;
      var isOpen = store.common.status === "open";
      var w = wall();
      var spotCard = w.spotlight !== null && w.spotlight !== undefined ? store.cards[w.spotlight] : null;

      var mode = "board";
      if (!isOpen) mode = "ended";
      else if (w.rules) mode = "rules";
      else if (spotCard) mode = "spotlight";
      else if (current && current.getAttribute("data-kind") === "break") mode = "break";
      else if (!board) mode = stepId ? "full" : "waiting";
      breakMinutes = mode === "break" ? Number(current.getAttribute("data-minutes")) || 0 : 0;
      root.setAttribute("data-mode", mode);
      root.setAttribute("data-join", joinPanel(isOpen));

      promptArea.hidden = !(mode === "board" || mode === "spotlight");
      full.hidden = mode !== "full";
      boardWrap.hidden = mode !== "board";
      spotlight.hidden = mode !== "spotlight";
      rules.hidden = mode !== "rules";
      ended.hidden = mode !== "ended";
      breakEl.hidden = mode !== "break";
      stage.hidden = mode === "waiting";
      voteHint.hidden = !(mode === "board" && board && board.budget > 0 && !board.locked);

      var pages = 1;
      if (mode === "board") pages = renderBoard(stepId, board);
      else while (boardEl.firstChild) boardEl.removeChild(boardEl.firstChild);
      if (mode === "spotlight") renderSpotlight(spotCard);
      else while (spotlightCard.firstChild) spotlightCard.removeChild(spotlightCard.firstChild);
      if (mode === "rules") renderRules();
      if (mode === "full") renderFull(stepId, store.common.step_index === 0);
      else fullStep = null;

      var page = (Number(w.page) || 0) % pages;
      pageEl.hidden = mode !== "board" || pages < 2;
      pageEl.textContent = Board.fill(pageLabel, { page: page + 1, pages: pages });
      if (board && isOpen && hooks.pages) hooks.pages(stepId, pages);
      renderTimer();
    }

    function renderTimer() {
      var left = store.common.status === "open" ? store.timeLeft() : null;
      timerEl.hidden = left === null;
      var over = left !== null && left <= 0;
      if (left !== null) {
        var text = Board.formatClock(Math.max(0, left));
        if (timerEl.textContent !== text) timerEl.textContent = text;
      }
      timerEl.classList.toggle("is-over", over);
      timerEl.classList.toggle("is-paused", store.common.timer && store.common.timer.ends_ms === null &&
                                            store.common.timer.remaining_ms !== null);
      timeUp.hidden = !over;
      var endsAt = store.common.timer && store.common.timer.ends_ms;
      if (over && endsAt && hooks.timeUp) hooks.timeUp(endsAt);
      if (breakMinutes) renderBreak(left);
    }

    /** The pause: its clock while the timer runs, and when the room is back, in minutes
     *  (the timer's, or the break's own length before the tutor starts it). */
    function renderBreak(left) {
      breakClock.hidden = left === null;
      if (left !== null && breakClock.textContent !== timerEl.textContent) {
        breakClock.textContent = timerEl.textContent;
      }
      var minutes = left === null ? breakMinutes : Math.max(0, Math.ceil(left / 60000));
      var key = window.MigrapassTexts ? window.MigrapassTexts.pluralKey("back-in", minutes) : "back-in";
      var text = Board.fill(root.getAttribute("data-" + key) || root.getAttribute("data-back-in") || "", { count: minutes });
      if (breakBack.textContent !== text) breakBack.textContent = text;
    }

    if (hooks.tick !== false) window.setInterval(renderTimer, 250);

    // A window resized (or a projector plugged in) gets the sizes and pages again.
    var resizing = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(later, 150);
    });

    return { render: render, later: later, renderTimer: renderTimer };
  }

  window.MigrapassWall = { create: create };
})();
