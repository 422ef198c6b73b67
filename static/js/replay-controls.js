/* Migrapass Live — a replay's controls: the slider with its marks, the buttons, the keys.
 *
 * The slider (an input type=range) runs over the timeline's own scale, on which quiet
 * spans are compressed (replay-player.js); its marks: each step's start (labelled with
 * the step, and as a chapter under the slider), each annotation and each of the tutor's
 * moves (reveal, vote, hide); the quiet spans as labelled stretches, and a "skip" button
 * while the moment shown is inside one. Skipping is a seek like any other: no control is
 * ever disabled by it.
 *
 * Marks are placed through a CSS custom property set with the CSSOM (--at, --len): a
 * strict CSP forbids style attributes, not the CSSOM.
 *
 * Classic script: defines window.MigrapassReplayControls. Words: Controls(…, word).
 */
(function () {
  "use strict";

  var MOVES = ["reveal", "vote", "hide"];

  function percent(share) { return (Math.max(0, Math.min(1, share)) * 100).toFixed(3) + "%"; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function Controls(root, timeline, player, word) {
    this.root = root;
    this.timeline = timeline;
    this.player = player;
    this.word = word;
    this.q = function (selector) { return root.querySelector(selector); };
    this.slider = this.q('[data-testid="replay-slider"]');
    this.clockEl = this.q('[data-testid="replay-clock"]');
    this.elapsedEl = this.q('[data-role="elapsed"]');
    this.stepNow = this.q('[data-role="step-now"]');
    this.playButton = this.q('[data-testid="replay-play"]');
    this.speed = this.q('[data-testid="replay-speed"]');
    this.skip = this.q('[data-testid="replay-skip"]');
    this.dragging = false;
    this.slider.max = String(timeline.trackLength());
    this.drawMarks();
    this.wire();
  }

  /** Place `node` on the slider at the session's time `ms` (and as long as `toMs`). */
  Controls.prototype.place = function (node, ms, toMs) {
    var tl = this.timeline;
    node.style.setProperty("--at", percent(tl.share(ms)));
    if (toMs !== undefined) node.style.setProperty("--len", percent(tl.share(toMs) - tl.share(ms)));
  };

  /** A mark on the slider ({seq, ms, kind, label}): a button to go to its moment. */
  Controls.prototype.addMarker = function (marker) {
    var self = this;
    var tl = this.timeline;
    var mark = el("button", "replay-marker replay-marker-" + marker.kind);
    mark.type = "button";
    mark.setAttribute("data-testid", "replay-marker");
    mark.setAttribute("data-kind", marker.kind);
    mark.setAttribute("data-seq", String(marker.seq));
    mark.tabIndex = -1; // the keys and the buttons reach every mark; one tab stop for the slider
    // The tutor's moves are named by the page; steps and annotations by the server.
    var named = MOVES.indexOf(marker.kind) >= 0 ? this.word("kind-" + marker.kind) : marker.label;
    var label = window.MigrapassLive.format(this.word("marker"), {
      label: named || marker.kind, clock: tl.clock(marker.ms) });
    mark.setAttribute("aria-label", label);
    mark.title = label;
    this.place(mark, marker.ms);
    mark.addEventListener("click", function () { self.player.seekSeq(marker.seq, "mark"); });
    this.q('[data-role="markers"]').appendChild(mark);
  };

  Controls.prototype.drawMarks = function () {
    var self = this;
    var tl = this.timeline;
    (tl.data.markers || []).forEach(function (marker) { self.addMarker(marker); });

    var chapters = this.q('[data-role="chapters"]');
    tl.steps.forEach(function (step, i) {
      var next = tl.steps[i + 1];
      var item = el("li", "replay-chapter");
      var button = el("button", "replay-chapter-button", step.title);
      button.type = "button";
      button.tabIndex = -1;
      button.setAttribute("dir", "auto");
      button.setAttribute("data-seq", String(step.seq));
      button.title = step.title;
      button.addEventListener("click", function () { self.player.seekSeq(step.seq, "mark"); });
      self.place(item, tl.msOf(step.seq), next ? tl.msOf(next.seq) : tl.end);
      item.appendChild(button);
      chapters.appendChild(item);
    });

    var quiet = this.q('[data-role="quiet-layer"]');
    tl.quiet.forEach(function (span) {
      var stretch = el("span", "replay-quiet");
      stretch.setAttribute("data-testid", "replay-quiet");
      stretch.appendChild(el("span", "replay-quiet-label", span.label));
      stretch.title = span.label;
      self.place(stretch, span.start_ms, span.end_ms);
      quiet.appendChild(stretch);
    });
  };

  Controls.prototype.wire = function () {
    var self = this;
    var player = this.player;
    var tl = this.timeline;
    function on(testid, handler) {
      self.q('[data-testid="' + testid + '"]').addEventListener("click", handler);
    }
    on("replay-play", function () { player.toggle(); });
    on("replay-prev-event", function () { self.previousEvent(); });
    on("replay-next-event", function () { self.nextEvent(); });
    on("replay-prev-step", function () { player.seekSeq(tl.previousStep(player.seq), "step"); });
    on("replay-next-step", function () { self.nextStep(); });
    on("replay-next-card", function () { self.nextCard(); });
    on("replay-skip", function () {
      var span = tl.quietAt(player.t);
      if (span) player.seekTime(span.end_ms, "skip");
    });
    on("replay-fullscreen", function () {
      var wall = self.q(".replay-wall");
      if (document.fullscreenElement) document.exitFullscreen();
      else if (wall.requestFullscreen) wall.requestFullscreen();
    });
    this.speed.addEventListener("change", function () { player.setSpeed(Number(self.speed.value)); });

    // Dragging the slider seeks at every step of the drag: frames on their way for an
    // older position are cancelled by the newer one.
    this.slider.addEventListener("input", function () {
      self.dragging = true;
      player.seekTime(tl.fromTrack(Number(self.slider.value)), "slider");
    });
    this.slider.addEventListener("change", function () { self.dragging = false; });
    // The slider's own arrows would move by one millisecond: they step through events.
    this.slider.addEventListener("keydown", function (e) { self.key(e); });
    document.addEventListener("keydown", function (e) {
      if (e.target === self.slider || !self.forPlayer(e)) return;
      self.key(e);
    });
  };

  Controls.prototype.previousEvent = function () {
    this.player.seekSeq(this.timeline.step(this.player.seq, -1), "event");
  };
  Controls.prototype.nextEvent = function () {
    this.player.seekSeq(this.timeline.step(this.player.seq, 1), "event");
  };
  Controls.prototype.nextStep = function () {
    var seq = this.timeline.nextStep(this.player.seq);
    if (seq !== null) this.player.seekSeq(seq, "step");
  };
  Controls.prototype.nextCard = function () {
    var seq = this.timeline.nextCard(this.player.seq);
    if (seq !== null) this.player.seekSeq(seq, "card");
  };

  /** Keys are the player's unless someone is typing, or using another control. */
  Controls.prototype.forPlayer = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return false;
    var t = e.target;
    var tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return false;
    if (tag === "input" && t.type !== "range" && t.type !== "checkbox") return false;
    // Space on a button presses that button, as it should.
    return !((tag === "button" || tag === "summary" || tag === "a") && (e.key === " " || e.key === "Enter"));
  };

  Controls.prototype.key = function (e) {
    var player = this.player;
    var tl = this.timeline;
    var done = true;
    switch (e.key) {
      case " ": case "Spacebar": case "k": player.toggle(); break;
      case "ArrowLeft":
        if (e.shiftKey) player.seekSeq(tl.previousStep(player.seq), "step");
        else this.previousEvent();
        break;
      case "ArrowRight":
        if (e.shiftKey) this.nextStep();
        else this.nextEvent();
        break;
      case "PageUp": player.seekSeq(tl.previousStep(player.seq), "step"); break;
      case "PageDown": this.nextStep(); break;
      case "n": case "N": this.nextCard(); break;
      case "Home": player.seekSeq(tl.first(), "seek"); break;
      case "End": player.seekSeq(tl.last(), "seek"); break;
      default: done = false;
    }
    if (done) e.preventDefault();
  };

  /** Show where the player is: the slider, the clock, the step, play or pause, skip. */
  Controls.prototype.update = function () {
    var player = this.player;
    var tl = this.timeline;
    var fill = window.MigrapassLive.format;
    if (!this.dragging || document.activeElement !== this.slider) {
      var at = tl.toTrack(player.t);
      if (Number(this.slider.value) !== at) this.slider.value = String(at);
    }
    var clock = tl.clock(player.t);
    if (this.clockEl.textContent !== clock) this.clockEl.textContent = clock;
    var elapsed = tl.elapsed(player.t) + " / " + tl.elapsed(tl.end);
    if (this.elapsedEl.textContent !== elapsed) this.elapsedEl.textContent = elapsed;
    this.slider.setAttribute("aria-valuetext", fill(this.word("slider"), {
      clock: tl.clock(player.t, true), elapsed: tl.elapsed(player.t) }));
    this.root.setAttribute("data-seq", String(player.seq));
    var step = tl.stepAt(player.seq);
    var title = step ? step.title : "";
    if (this.stepNow.textContent !== title) this.stepNow.textContent = title;

    var playing = player.playing;
    var label = this.word(playing ? "pause" : "play");
    if (this.playButton.textContent !== label) this.playButton.textContent = label;
    this.playButton.setAttribute("aria-pressed", playing ? "true" : "false");
    this.root.classList.toggle("is-playing", playing);
    if (Number(this.speed.value) !== player.speed) this.speed.value = String(player.speed);

    var span = tl.quietAt(player.t);
    this.skip.hidden = !span;
    if (span) {
      var text = fill(this.word("skip"), { label: span.label });
      if (this.skip.textContent !== text) this.skip.textContent = text;
    }
    var current = step ? step.seq : null;
    Array.prototype.forEach.call(this.root.querySelectorAll(".replay-chapter-button"), function (b) {
      b.classList.toggle("is-current", Number(b.getAttribute("data-seq")) === current);
    });
  };

  window.MigrapassReplayControls = { Controls: Controls };
})();
