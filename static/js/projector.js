/* Migrapass Live — the projector: the current step and its board, in large type. */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var root = document.querySelector("[data-projector]");
  if (!root || !Live || !window.io) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var stepTitles = Array.prototype.slice.call(root.querySelectorAll(".projector-step"));
  var boardWrap = root.querySelector('[data-role="board-wrap"]');
  var boardList = root.querySelector('[data-testid="projector-board"]');
  var boardEmpty = root.querySelector('[data-role="board-empty"]');
  var writeHint = root.querySelector('[data-role="write-hint"]');
  var ended = root.querySelector('[data-role="ended"]');

  var state = { status: "open", stepIndex: -1, openBoard: null };
  var cards = {};

  Live.connectLive("/projector", sessionId, {
    snapshot: function (board) {
      common(board);
      cards = {};
      board.cards.forEach(function (card) { cards[card.id] = card; });
      render();
    },
    board: function (msg) {
      common(msg);
      Live.applyCardMessage(cards, msg);
      render();
    },
  });

  function common(msg) {
    state.status = msg.status;
    state.stepIndex = msg.step_index;
    state.openBoard = msg.open_board;
  }

  function render() {
    var current = null;
    stepTitles.forEach(function (title) {
      var isCurrent = Number(title.getAttribute("data-step-index")) === state.stepIndex;
      title.hidden = !isCurrent;
      if (isCurrent) current = title;
    });
    var stepId = current ? current.getAttribute("data-step-id") : null;
    var stepHasBoard = current ? current.getAttribute("data-board") !== "none" : false;

    // The cards of the current step, oldest first: each keeps its place as others arrive.
    var shown = 0;
    Array.prototype.slice.call(boardList.children).forEach(function (el) {
      var card = cards[el.getAttribute("data-id")];
      if (!card || card.step !== stepId) boardList.removeChild(el);
    });
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      if (card.step !== stepId) return;
      shown += 1;
      var el = boardList.querySelector('[data-id="' + card.id + '"]');
      if (!el) {
        el = Live.fromTemplate("tpl-projector-card");
        el.setAttribute("data-id", String(card.id));
        el.setAttribute("data-card-id", String(card.id));
        Live.placeSorted(boardList, el, card.id, false);
      }
      var text = el.querySelector(".card-text");
      if (text.textContent !== card.text) text.textContent = card.text;
      var author = el.querySelector(".card-author");
      author.textContent = card.author || "";
      author.hidden = !card.author;
    });

    var isOpen = state.status === "open";
    boardWrap.hidden = !isOpen || (!stepHasBoard && shown === 0);
    boardEmpty.hidden = shown > 0;
    writeHint.hidden = !(isOpen && state.openBoard);
    ended.hidden = isOpen;
    root.classList.toggle("is-ended", !isOpen);
    root.classList.toggle("is-dense", shown > 8);
  }
})();
