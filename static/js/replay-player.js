/* Migrapass Live — a replay's clock: where in the session the viewer is, and play.
 *
 * Timeline(data): the slider's data (GET /replays/<id>/timeline.json) with the questions
 * the controls ask of it: which event stood at a time, the next card, the step starts,
 * and the slider's own scale, on which quiet spans (nobody did anything for 30 s or
 * more) are compressed: a 20-minute silence does not take a third of the slider.
 *
 * Player(timeline, onMove): the moment shown, as a time `t` (the session's clock, ms)
 * and the event `seq` in force at t. Play keeps the real time between events divided
 * by the speed; it stops at the end. onMove(player) hears every move.
 *
 * Classic script: defines window.MigrapassReplayPlayer.
 */
(function () {
  "use strict";

  var QUIET_SHOWN_MIN_MS = 15000; // a quiet span keeps at least this much of the slider
  var QUIET_SHOWN_SHARE = 0.02; // … or this share of the session, if more

  function Timeline(data) {
    this.data = data;
    this.events = (data.events || []).slice().sort(function (a, b) { return a.seq - b.seq; });
    if (!this.events.length) this.events = [{ seq: 0, ms: data.started_ms || 0, step: "", card: false }];
    this.start = this.events[0].ms;
    this.end = Math.max(this.start, this.events[this.events.length - 1].ms);
    this.bySeq = {};
    var self = this;
    this.events.forEach(function (e, i) { self.bySeq[e.seq] = i; });
    this.steps = (data.steps || []).filter(function (s) { return typeof s.seq === "number"; })
      .sort(function (a, b) { return a.seq - b.seq; });
    this.quiet = (data.quiet || []).slice().sort(function (a, b) { return a.start_ms - b.start_ms; });
    this.utcOffset = Number(data.utc_offset_ms) || 0;
    this.pieces = this.scale();
  }

  /** The slider's pieces: [real start, real end, slider start, slider end], in order. */
  Timeline.prototype.scale = function () {
    var total = this.end - this.start;
    var shown = Math.max(QUIET_SHOWN_MIN_MS, total * QUIET_SHOWN_SHARE);
    var pieces = [];
    var real = this.start;
    var track = 0;
    this.quiet.forEach(function (span) {
      if (span.start_ms < real || span.end_ms <= span.start_ms) return;
      pieces.push([real, span.start_ms, track, track + (span.start_ms - real)]);
      track += span.start_ms - real;
      var length = Math.min(span.end_ms - span.start_ms, shown);
      pieces.push([span.start_ms, span.end_ms, track, track + length]);
      track += length;
      real = span.end_ms;
    });
    pieces.push([real, Math.max(real, this.end), track, track + Math.max(0, this.end - real)]);
    return pieces;
  };

  Timeline.prototype.trackLength = function () {
    return Math.max(1, Math.round(this.pieces[this.pieces.length - 1][3]));
  };

  function across(pieces, value, from, to) {
    for (var i = 0; i < pieces.length; i++) {
      var p = pieces[i];
      if (value <= p[from + 1] || i === pieces.length - 1) {
        var span = p[from + 1] - p[from];
        var share = span > 0 ? Math.min(1, Math.max(0, (value - p[from]) / span)) : 0;
        return p[to] + share * (p[to + 1] - p[to]);
      }
    }
    return 0;
  }

  /** Where the session's time `ms` sits on the slider, and back. */
  Timeline.prototype.toTrack = function (ms) { return Math.round(across(this.pieces, ms, 0, 2)); };
  Timeline.prototype.fromTrack = function (x) { return Math.round(across(this.pieces, x, 2, 0)); };
  /** The same as a share of the slider (0 … 1), for drawing marks on it. */
  Timeline.prototype.share = function (ms) { return this.toTrack(ms) / this.trackLength(); };

  Timeline.prototype.msOf = function (seq) {
    var i = this.bySeq[seq];
    return i === undefined ? this.start : this.events[i].ms;
  };

  /** The last event at or before `ms` (the first event before the session's start). */
  Timeline.prototype.indexAt = function (ms) {
    var lo = 0;
    var hi = this.events.length - 1;
    if (ms < this.events[0].ms) return 0;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (this.events[mid].ms <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  Timeline.prototype.seqAt = function (ms) { return this.events[this.indexAt(ms)].seq; };
  Timeline.prototype.index = function (seq) {
    var i = this.bySeq[seq];
    return i === undefined ? this.indexAt(this.msOf(seq)) : i;
  };
  Timeline.prototype.first = function () { return this.events[0].seq; };
  Timeline.prototype.last = function () { return this.events[this.events.length - 1].seq; };

  /** The event `delta` places after `seq` (before, if negative), within the session. */
  Timeline.prototype.step = function (seq, delta) {
    var i = Math.min(this.events.length - 1, Math.max(0, this.index(seq) + delta));
    return this.events[i].seq;
  };

  /** The next event after `seq` that posted a card, or null. */
  Timeline.prototype.nextCard = function (seq) {
    for (var i = this.index(seq) + 1; i < this.events.length; i++) {
      if (this.events[i].card) return this.events[i].seq;
    }
    return null;
  };

  /** The start of the next step after `seq`, or null. */
  Timeline.prototype.nextStep = function (seq) {
    for (var i = 0; i < this.steps.length; i++) if (this.steps[i].seq > seq) return this.steps[i].seq;
    return null;
  };

  /** The start of the step before the one in progress at `seq` (the session's first event
   *  from the first step). */
  Timeline.prototype.previousStep = function (seq) {
    var current = -1;
    for (var i = 0; i < this.steps.length; i++) if (this.steps[i].seq <= seq) current = i;
    if (current > 0) return this.steps[current - 1].seq;
    return this.first();
  };

  /** The step in progress at `seq` ({id, title, seq}), or null before the first. */
  Timeline.prototype.stepAt = function (seq) {
    var found = null;
    this.steps.forEach(function (s) { if (s.seq <= seq) found = s; });
    return found;
  };

  /** The quiet span the time `ms` is in (its end excluded), or null. */
  Timeline.prototype.quietAt = function (ms) {
    for (var i = 0; i < this.quiet.length; i++) {
      if (this.quiet[i].start_ms <= ms && ms < this.quiet[i].end_ms) return this.quiet[i];
    }
    return null;
  };

  function two(n) { return (n < 10 ? "0" : "") + n; }

  /** The room's clock at `ms`: "19:42" (with seconds: "19:42:05"). */
  Timeline.prototype.clock = function (ms, seconds) {
    var d = new Date(ms + this.utcOffset);
    var text = two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
    return seconds ? text + ":" + two(d.getUTCSeconds()) : text;
  };

  /** Time since the session began: "12:05", "1:02:05". */
  Timeline.prototype.elapsed = function (ms) {
    var total = Math.max(0, Math.floor((ms - this.start) / 1000));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    return (h ? h + ":" + two(m) : String(m)) + ":" + two(s);
  };

  /* ---------- the player ---------- */

  function Player(timeline, onMove) {
    this.timeline = timeline;
    this.onMove = onMove;
    this.t = timeline.start;
    this.seq = timeline.first();
    this.playing = false;
    this.speed = 1;
    this.lastTick = null;
    this.frameRequest = null;
  }

  Player.prototype.moved = function (why) { this.onMove(this, why); };

  /** To the session's time `ms` (the slider, a quiet span skipped). */
  Player.prototype.seekTime = function (ms, why) {
    var tl = this.timeline;
    this.t = Math.min(tl.end, Math.max(tl.start, ms));
    this.seq = tl.seqAt(this.t);
    this.moved(why || "seek");
  };

  /** To event `seq` itself (an event, a step, a card, a marker). */
  Player.prototype.seekSeq = function (seq, why) {
    this.seq = seq;
    this.t = this.timeline.msOf(seq);
    this.moved(why || "seek");
  };

  Player.prototype.play = function () {
    if (this.playing) return;
    if (this.t >= this.timeline.end) this.seekSeq(this.timeline.first(), "seek"); // from the start again
    this.playing = true;
    this.lastTick = null;
    this.moved("play");
    this.schedule();
  };

  Player.prototype.pause = function () {
    if (!this.playing) return;
    this.playing = false;
    if (this.frameRequest !== null) window.cancelAnimationFrame(this.frameRequest);
    this.frameRequest = null;
    this.moved("pause");
  };

  Player.prototype.toggle = function () {
    if (this.playing) this.pause();
    else this.play();
  };

  Player.prototype.setSpeed = function (speed) {
    this.speed = speed > 0 ? speed : 1;
    this.moved("speed");
  };

  Player.prototype.schedule = function () {
    var self = this;
    this.frameRequest = window.requestAnimationFrame(function (now) { self.tick(now); });
  };

  Player.prototype.tick = function (now) {
    this.frameRequest = null;
    if (!this.playing) return;
    if (this.lastTick !== null) {
      // A tab in the background gets no frames: do not jump ahead by the time it slept.
      var dt = Math.min(now - this.lastTick, 1000);
      var tl = this.timeline;
      this.t = Math.min(tl.end, this.t + dt * this.speed);
      var seq = tl.seqAt(this.t);
      if (tl.index(seq) > tl.index(this.seq)) this.seq = seq;
      if (this.t >= tl.end) {
        this.seq = tl.last();
        this.playing = false;
        this.moved("end");
        return;
      }
      this.moved("tick");
    }
    this.lastTick = now;
    this.schedule();
  };

  window.MigrapassReplayPlayer = { Timeline: Timeline, Player: Player };
})();
