/* Migrapass Live — the projector: the step, its timer and its board, in large type.
 *
 * The timer is the server's: an end time (or the time left when paused), drawn here
 * against the server's clock. When it runs out the page says so, and rings once if the
 * tutor turned the sound on: browsers only let a page play sound after a click.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var Board = window.MigrapassBoard;
  var root = document.querySelector("[data-projector]");
  if (!root || !Live || !Board || !window.io) return;

  function q(selector) { return root.querySelector(selector); }
  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var stepTitles = Array.prototype.slice.call(root.querySelectorAll(".projector-step"));
  var boardWrap = q('[data-role="board-wrap"]');
  var boardEl = q('[data-role="board"]');
  var boardEmpty = q('[data-role="board-empty"]');
  var writeHint = q('[data-role="write-hint"]');
  var voteHint = q('[data-role="vote-hint"]');
  var ended = q('[data-role="ended"]');
  var timerEl = q('[data-role="timer"]');
  var timeUp = q('[data-role="time-up"]');
  var soundButton = q('[data-role="sound"]');
  var soundOn = q('[data-role="sound-on"]');

  var store = new Board.Store();
  var audio = null;
  var rungFor = null; // the end time we already rang for

  Live.connectLive("/projector", sessionId, {
    snapshot: function (body) {
      store.snapshot(body);
      // A reload after the end must not ring again.
      rungFor = store.timeLeft() !== null && store.timeLeft() <= 0 ? store.common.timer.ends_ms : null;
      render();
    },
    board: function (msg) {
      store.patch(msg);
      render();
    },
    caughtUp: function () { render(); },
  });

  soundButton.addEventListener("click", function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (audio.resume) audio.resume();
    soundButton.hidden = true;
    soundOn.hidden = false;
    soundButton.setAttribute("aria-pressed", "true");
  });

  function ring() {
    if (!audio) return;
    // Three soft beeps: noticeable at the back of the room, not alarming.
    [0, 0.45, 0.9].forEach(function (offset) {
      var start = audio.currentTime + offset;
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.4);
    });
  }

  function render() {
    var current = null;
    stepTitles.forEach(function (title) {
      var isCurrent = Number(title.getAttribute("data-step-index")) === store.common.step_index;
      title.hidden = !isCurrent;
      if (isCurrent) current = title;
    });
    var stepId = current ? current.getAttribute("data-step-id") : null;
    var board = stepId ? store.boards[stepId] : null;
    var shown = Board.render(boardEl, store, stepId, { cardTestId: "projector-card" });
    var isOpen = store.common.status === "open";
    boardWrap.hidden = !isOpen || !board;
    boardEmpty.hidden = shown > 0 || !board || board.board === "poll" || board.concealed;
    writeHint.hidden = !(isOpen && store.common.open_board);
    voteHint.hidden = !(isOpen && board && board.budget > 0 && !board.locked);
    ended.hidden = isOpen;
    root.classList.toggle("is-ended", !isOpen);
    root.classList.toggle("is-dense", shown > 8);
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
    if (over && endsAt && rungFor !== endsAt) {
      rungFor = endsAt;
      ring();
    }
  }
  window.setInterval(renderTimer, 250);
})();
