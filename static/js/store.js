/* Migrapass Live — the session as the server last described it, on every live page.
 *
 * Store keeps a snapshot, then one patch per event ({cards, removed, boards} plus the
 * common fields), and for a phone its own cards and votes. board.js draws from it.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassStore.
 */
(function () {
  "use strict";

  function Store() {
    this.common = { status: "open", step_index: -1, step_id: null, open_board: null,
                    joining_locked: false, timer: { ends_ms: null, remaining_ms: null } };
    this.cards = {};
    this.boards = {};
    this.own = {};
    this.ownVotes = {};
    // Personal messages may arrive twice or late (a catch-up replays them): each own
    // card and each step's votes keep the seq they are as of, and older news is ignored.
    this.ownSeq = {};
    this.ownVotesSeq = {};
    this.personalFloor = -1;
    this.present = [];
    this.notes = [];
    this.clockOffset = 0; // server time minus local time
  }

  Store.prototype.setCommon = function (msg) {
    var keys = ["seq", "status", "step_index", "step_id", "open_board", "joining_locked", "timer",
                "wall", "present_count"];
    for (var i = 0; i < keys.length; i++) {
      if (msg[keys[i]] !== undefined) this.common[keys[i]] = msg[keys[i]];
    }
    if (typeof msg.now_ms === "number") this.clockOffset = msg.now_ms - Date.now();
  };

  Store.prototype.snapshot = function (body) {
    this.setCommon(body);
    this.cards = {};
    this.boards = {};
    var self = this;
    (body.cards || []).forEach(function (c) { self.cards[c.id] = c; });
    (body.boards || []).forEach(function (b) { self.boards[b.step] = b; });
    if (body.own) {
      this.own = {};
      this.ownSeq = {};
      this.personalFloor = body.seq;
      body.own.forEach(function (c) { self.own[c.id] = c; });
    }
    if (body.own_votes) {
      this.ownVotes = {};
      this.ownVotesSeq = {};
      body.own_votes.forEach(function (m) { self.ownVotes[m.step] = m; });
    }
    if (body.present) this.present = body.present;
    if (body.notes) this.notes = body.notes;
  };

  Store.prototype.patch = function (msg) {
    var self = this;
    this.setCommon(msg);
    (msg.cards || []).forEach(function (c) { self.cards[c.id] = c; });
    (msg.removed || []).forEach(function (id) { delete self.cards[id]; });
    (msg.boards || []).forEach(function (b) { self.boards[b.step] = b; });
    if (msg.present) this.present = msg.present;
    if (msg.notes) this.notes = this.notes.concat(msg.notes);
  };

  Store.prototype.personal = function (msg) {
    var self = this;
    var seq = typeof msg.seq === "number" ? msg.seq : Infinity;
    if (seq <= this.personalFloor) return;
    function newer(seen, key) {
      if (seen[key] > seq) return false;
      seen[key] = seq;
      return true;
    }
    (msg.own || []).forEach(function (c) { if (newer(self.ownSeq, c.id)) self.own[c.id] = c; });
    (msg.own_removed || []).forEach(function (id) { if (newer(self.ownSeq, id)) delete self.own[id]; });
    (msg.own_votes || []).forEach(function (m) { if (newer(self.ownVotesSeq, m.step)) self.ownVotes[m.step] = m; });
  };

  Store.prototype.cardsOf = function (stepId) {
    var out = [];
    for (var id in this.cards) {
      if (Object.prototype.hasOwnProperty.call(this.cards, id) && this.cards[id].step === stepId) {
        out.push(this.cards[id]);
      }
    }
    out.sort(function (a, b) { return a.id - b.id; });
    return out;
  };

  Store.prototype.ownOf = function (stepId) {
    var out = [];
    for (var id in this.own) {
      if (Object.prototype.hasOwnProperty.call(this.own, id) &&
          (!stepId || this.own[id].step === stepId)) out.push(this.own[id]);
    }
    out.sort(function (a, b) { return a.id - b.id; });
    return out;
  };

  Store.prototype.votesLeft = function (stepId) {
    var board = this.boards[stepId];
    if (!board) return 0;
    var used = 0;
    var counted = (this.ownVotes[stepId] || {}).votes || {};
    for (var t in counted) {
      if (Object.prototype.hasOwnProperty.call(counted, t)) used += counted[t];
    }
    return Math.max(0, board.budget - used);
  };

  /** Milliseconds left on the timer now (negative once it is over), or null. */
  Store.prototype.timeLeft = function () {
    var t = this.common.timer || {};
    if (typeof t.ends_ms === "number") return t.ends_ms - (Date.now() + this.clockOffset);
    if (typeof t.remaining_ms === "number") return t.remaining_ms;
    return null;
  };

  window.MigrapassStore = { Store: Store };
})();
