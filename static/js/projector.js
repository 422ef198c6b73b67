/* Migrapass Live — the live projector: its socket, its sound, its report of the pages.
 *
 * The wall itself (the step, its prompt, its timer, its board) is drawn by
 * projector-wall.js from a MigrapassStore; this file feeds that store from the
 * /projector socket, and answers for what only a live wall does:
 * - it tells the server how many pages the board made (`wall_pages`), so the console
 *   can offer them, again whenever a console asks (`wall_pages_wanted`);
 * - it rings once when the timer runs out, if the tutor turned the sound on: browsers
 *   only let a page play sound after a click.
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var root = document.querySelector("[data-projector]");
  if (!root || !Live || !window.MigrapassBoard || !window.MigrapassWall || !window.io) return;

  var sessionId = parseInt(root.getAttribute("data-session-id"), 10);
  var soundButton = root.querySelector('[data-role="sound"]');
  var soundOn = root.querySelector('[data-role="sound-on"]');

  var store = new window.MigrapassStore.Store();
  var audio = null;
  var rungFor = null; // the end time we already rang for
  var reported = null; // the "step:pages" the server was last told
  var live = null;

  var wall = window.MigrapassWall.create(root, store, {
    pages: report,
    timeUp: function (endsAt) {
      if (rungFor === endsAt) return;
      rungFor = endsAt;
      ring();
    },
  });

  live = Live.connectLive("/projector", sessionId, {
    snapshot: function (body) {
      store.snapshot(body);
      // A reload after the end must not ring again.
      rungFor = store.timeLeft() !== null && store.timeLeft() <= 0 ? store.common.timer.ends_ms : null;
      reported = null; // say the page count once after each snapshot
      wall.later();
    },
    board: function (msg) {
      store.patch(msg);
      wall.later();
    },
    caughtUp: function () { wall.later(); },
  });

  soundButton.addEventListener("click", function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (audio.resume) audio.resume();
    soundButton.hidden = true;
    soundOn.hidden = false;
    soundButton.setAttribute("aria-pressed", "true");
    soundOn.focus(); // the button is gone: the focus goes to what says the sound is on
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

  // A console that opens (or reloads) asks what the wall's pages are: say it again.
  live.socket.on("wall_pages_wanted", function () {
    reported = null;
    wall.later();
  });

  function report(stepId, pages) {
    var key = stepId + ":" + pages;
    if (!live || reported === key || !live.ready()) return;
    reported = key;
    live.emit("wall_pages", { step: stepId, pages: pages }, function (err, ack) {
      // Not heard (or not known yet by this server): try again with the next render.
      if (err || !ack || !ack.ok) reported = null;
    });
  }
})();
