/* Migrapass Live — a replay's frames: the wall at one moment, fetched over HTTP.
 *
 * Frames(urlTemplate, onFrame): frames.show(seq, ahead) asks for the frame of event
 * `seq` (and, while playing, of the events `ahead` of it). A frame already fetched
 * comes from the cache (the last 200 kept); one on its way is not asked for twice; any
 * fetch neither for `seq` nor `ahead` is cancelled (a newer seek wins). onFrame(frame)
 * hears each frame that arrives, wanted or not; onState("loading" | "ready" |
 * "failed") hears whether the wanted one is late: "loading" only once a frame has kept
 * the page waiting LOADING_AFTER_MS, so an instant seek never flashes.
 *
 * Classic script: defines window.MigrapassReplayFrames.
 */
(function () {
  "use strict";

  var CACHE_SIZE = 200;
  var LOADING_AFTER_MS = 100; // the page shows it is loading within 150 ms
  var MAX_AHEAD = 4; // frames fetched ahead of the wanted one while playing

  function Frames(urlTemplate, onFrame, onState) {
    this.urlTemplate = urlTemplate;
    this.onFrame = onFrame;
    this.onState = onState || function () {};
    this.cache = new Map(); // seq → frame, oldest first
    this.pending = {}; // seq → AbortController
    this.wanted = null;
    this.loadingTimer = null;
  }

  Frames.prototype.cached = function (seq) {
    if (!this.cache.has(seq)) return null;
    var frame = this.cache.get(seq);
    this.cache.delete(seq); // most recently used last
    this.cache.set(seq, frame);
    return frame;
  };

  Frames.prototype.keep = function (frame) {
    this.cache.delete(frame.seq);
    this.cache.set(frame.seq, frame);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value);
  };

  /** Show event `seq`'s frame as soon as it is here; fetch those `ahead` meanwhile. */
  Frames.prototype.show = function (seq, ahead) {
    var self = this;
    this.wanted = seq;
    var wanted = {};
    wanted[seq] = true;
    var next = (ahead || []).slice(0, MAX_AHEAD);
    next.forEach(function (s) { wanted[s] = true; });
    // A newer seek cancels what the older one was waiting for.
    Object.keys(this.pending).forEach(function (key) {
      if (!wanted[key]) {
        self.pending[key].abort();
        delete self.pending[key];
      }
    });
    var frame = this.cached(seq);
    this.waiting(frame === null);
    if (frame !== null) this.onFrame(frame);
    else this.fetch(seq);
    next.forEach(function (s) { if (!self.cache.has(s)) self.fetch(s); });
  };

  Frames.prototype.waiting = function (late) {
    var self = this;
    window.clearTimeout(this.loadingTimer);
    this.loadingTimer = null;
    if (!late) {
      this.onState("ready");
      return;
    }
    this.loadingTimer = window.setTimeout(function () {
      self.loadingTimer = null;
      self.onState("loading");
    }, LOADING_AFTER_MS);
  };

  Frames.prototype.fetch = function (seq) {
    var self = this;
    if (this.pending[seq]) return;
    var controller = new AbortController();
    this.pending[seq] = controller;
    var url = this.urlTemplate.replace("{seq}", String(seq));
    window.fetch(url, { credentials: "same-origin", signal: controller.signal,
                        headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (frame) {
        if (self.pending[seq] === controller) delete self.pending[seq];
        self.keep(frame);
        if (frame.seq === self.wanted) self.waiting(false);
        self.onFrame(frame);
      })
      .catch(function (err) {
        if (self.pending[seq] === controller) delete self.pending[seq];
        if (err && err.name === "AbortError") return;
        if (seq === self.wanted) {
          window.clearTimeout(self.loadingTimer);
          self.onState("failed");
        }
      });
  };

  window.MigrapassReplayFrames = { Frames: Frames };
})();
