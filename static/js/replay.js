/* Migrapass Live — the replay page: a finished session played back.
 *
 * It fetches the slider's data (timeline.json) once, then the wall at each moment the
 * viewer reaches (frame/<seq>: the live projector's own snapshot, rebuilt from the log
 * by the server's fold), and draws it with the live projector's own code
 * (projector-wall.js) into a 16:9 box. The wall's timer runs on the replay's clock:
 * store.clockOffset is set to the moment shown minus the browser's clock at every move.
 *
 * replay-player.js keeps the moment, replay-frames.js fetches and caches frames,
 * replay-controls.js draws the slider and takes the clicks and keys, replay-panels.js
 * fills the guide, the timer, the notes and the annotations. Every visible word comes
 * from the page's data-word-* attributes.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-replay]");
  if (!root || !window.MigrapassWall || !window.MigrapassReplayPlayer || !window.fetch) return;

  function word(key) {
    var value = root.getAttribute("data-word-" + key);
    return value === null ? key : value;
  }

  var Player = window.MigrapassReplayPlayer;
  var store = new window.MigrapassStore.Store();
  var wallRoot = root.querySelector("[data-replay-wall]");
  var wall = window.MigrapassWall.create(wallRoot, store, { tick: false });
  var loading = root.querySelector('[data-testid="replay-loading"]');
  var loadingText = loading.textContent;

  var timeline = null;
  var player = null;
  var frames = null;
  var controls = null;
  var panels = null;
  var askedSeq = null; // the frame last asked for
  var drawnSeq = null; // the frame on the wall

  function setLoading(state) {
    root.setAttribute("data-loading", state);
    loading.hidden = state === "ready";
    loading.textContent = state === "failed" ? word("failed") : loadingText;
    loading.classList.toggle("is-failed", state === "failed");
  }

  /** The events to fetch before they are needed: while playing the next few; else the
   *  neighbours the arrows go to. */
  function ahead(seq) {
    var i = timeline.index(seq);
    var out = [];
    var count = player.playing ? 4 : 1;
    for (var k = 1; k <= count && i + k < timeline.events.length; k++) out.push(timeline.events[i + k].seq);
    if (!player.playing && i > 0) out.push(timeline.events[i - 1].seq);
    return out;
  }

  function drawFrame(frame) {
    if (frame.seq !== player.seq || frame.seq === drawnSeq) return;
    drawnSeq = frame.seq;
    store.snapshot(frame.board || {});
    store.clockOffset = player.t - Date.now();
    wall.render(); // at once: one frame per move at most, and data-seq says it is drawn
    wallRoot.setAttribute("data-seq", String(frame.seq));
    panels.frame(frame);
    panels.moment(store);
  }

  function moved() {
    if (player.seq !== askedSeq) {
      askedSeq = player.seq;
      frames.show(player.seq, ahead(player.seq));
    }
    // The wall's timer as it stood at the moment shown (it stands still while paused).
    store.clockOffset = player.t - Date.now();
    wall.renderTimer();
    controls.update();
    panels.moment(store);
  }

  function start(data) {
    timeline = new Player.Timeline(data);
    player = new Player.Player(timeline, moved);
    frames = new window.MigrapassReplayFrames.Frames(root.getAttribute("data-frame-url"), drawFrame, setLoading);
    controls = new window.MigrapassReplayControls.Controls(root, timeline, player, word);
    panels = new window.MigrapassReplayPanels.Panels(root, timeline, player, word);
    panels.loadAnnotations();
    root.addEventListener("replay:annotated", function (e) {
      var note = e.detail;
      controls.addMarker({ seq: note.seq, ms: timeline.msOf(note.seq), kind: "annotation",
                           label: note.kind_label });
    });
    var asked = parseInt(root.getAttribute("data-start-seq"), 10);
    var first = isNaN(asked) ? timeline.first() : Math.min(timeline.last(), Math.max(timeline.first(), asked));
    player.seekSeq(first, "start");
    root.setAttribute("data-ready", "true");
  }

  setLoading("loading");
  window.fetch(root.getAttribute("data-timeline-url"), {
    credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    })
    .then(start)
    .catch(function (err) {
      setLoading("failed");
      if (window.console) window.console.error(err);
    });

  // The box follows the page's width (a side panel opening, full screen): lay out again.
  if (window.ResizeObserver) new window.ResizeObserver(function () { wall.later(); }).observe(wallRoot);
})();
