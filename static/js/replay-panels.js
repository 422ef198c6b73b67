/* Migrapass Live — what a replay shows beside the wall, at the moment shown: the step's
 * guide and prompt, the timer as it stood, the tutor's notes so far, the annotations
 * near the moment (with their replies and a form to add one), the focus question's
 * answer, and for a reviewer the texts that name someone.
 *
 * Panels(root, timeline, player, word, seek): panels.frame(frame, store) when a frame
 * is drawn, panels.moment() whenever the moment moves, panels.loadAnnotations().
 * Writes are same-origin JSON with the page's CSRF token (meta csrf-token).
 *
 * Classic script: defines window.MigrapassReplayPanels. Needs live.js, board.js.
 */
(function () {
  "use strict";

  var NEAR_MS = 60000; // an annotation this close to the moment shown is "near" it

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function role(node, name) { return node.querySelector('[data-role="' + name + '"]'); }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /** POST `body` as JSON; cb(error message or null, answer). */
  function post(url, body, fallback, cb) {
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) cb(null, answer);
        else cb(answer.message || answer.error || fallback, answer);
      });
    }).catch(function () { cb(fallback, null); });
  }

  function Panels(root, timeline, player, word) {
    this.root = root;
    this.timeline = timeline;
    this.player = player;
    this.word = word;
    this.q = function (selector) { return root.querySelector(selector); };
    this.annotations = [];
    this.lastFrame = null;
    this.timerEl = this.q('[data-testid="replay-timer"]');
    this.notesEl = this.q('[data-testid="replay-notes"]');
    this.listEl = this.q('[data-role="annotations"]');
    this.noneEl = this.q('[data-role="no-annotations"]');
    this.shownKey = null;
    this.wireForms();
  }

  Panels.prototype.fill = function (key, values) {
    return window.MigrapassLive.format(this.word(key), values);
  };

  Panels.prototype.status = function (form, text) {
    var el = role(form, "status");
    if (el) el.textContent = text;
  };

  /* ---------- the frame: step, notes, flagged ---------- */

  Panels.prototype.frame = function (frame) {
    this.lastFrame = frame;
    var stepId = frame.step_id;
    var any = false;
    Array.prototype.forEach.call(this.root.querySelectorAll(".replay-step-text"), function (s) {
      s.hidden = s.getAttribute("data-step-id") !== stepId;
      any = any || !s.hidden;
    });
    var noStep = this.q('[data-role="no-step"]');
    if (noStep) noStep.hidden = any;
    this.drawNotes(frame.notes || []);
    this.drawFlagged(frame.flagged || []);
  };

  Panels.prototype.drawNotes = function (notes) {
    var self = this;
    var key = notes.map(function (n) { return n.id + ":" + n.text; }).join("|");
    if (key === this.notesKey) return;
    this.notesKey = key;
    clear(this.notesEl);
    if (!notes.length) {
      var none = document.createElement("li");
      none.className = "empty";
      none.textContent = this.word("no-notes");
      this.notesEl.appendChild(none);
    }
    notes.forEach(function (note) {
      var li = window.MigrapassLive.fromTemplate("replay-note-item");
      role(li, "time").textContent = self.timeline.clock(note.ts_ms);
      role(li, "text").textContent = note.text;
      self.notesEl.appendChild(li);
    });
  };

  Panels.prototype.drawFlagged = function (flagged) {
    var self = this;
    var list = this.q('[data-role="flagged"]');
    if (!list) return;
    this.flaggedNotes = {};
    clear(list);
    flagged.forEach(function (item) {
      var li = window.MigrapassLive.fromTemplate("replay-flagged-item");
      var isNote = item.note_id !== undefined;
      if (isNote) self.flaggedNotes[item.seq] = true;
      role(li, "text").textContent = self.word(isNote ? "flagged-note" : "flagged-card");
      role(li, "goto").addEventListener("click", function () { self.player.seekSeq(item.seq, "mark"); });
      list.appendChild(li);
    });
  };

  /* ---------- the moment: timer, annotations near it, forms' seq ---------- */

  Panels.prototype.moment = function (store) {
    var player = this.player;
    this.drawTimer(store);
    Array.prototype.forEach.call(this.root.querySelectorAll('input[data-role="seq"]'), function (input) {
      input.value = String(player.seq);
    });
    var redact = this.q('[data-role="redact-form"]');
    if (redact) {
      var event = this.timeline.events[this.timeline.index(player.seq)];
      redact.hidden = !((event && event.card) || (this.flaggedNotes && this.flaggedNotes[player.seq]));
    }
    var at = this.q('[data-role="annotate-at"]');
    if (at) {
      var text = this.fill("at", { clock: this.timeline.clock(player.t, true) });
      if (at.textContent !== text) at.textContent = text;
    }
    this.drawAnnotations();
  };

  Panels.prototype.drawTimer = function (store) {
    var left = store.common.status === "open" ? store.timeLeft() : null;
    var timer = store.common.timer || {};
    var text;
    if (left === null) text = this.word("timer-none");
    else if (left <= 0) text = this.word("timer-over");
    else {
      var paused = timer.ends_ms === null && timer.remaining_ms !== null;
      text = this.fill(paused ? "timer-paused" : "timer-left", {
        time: window.MigrapassBoard.formatClock(left) });
    }
    if (this.timerEl.textContent !== text) this.timerEl.textContent = text;
  };

  /* ---------- annotations ---------- */

  Panels.prototype.loadAnnotations = function () {
    var self = this;
    window.fetch(this.root.getAttribute("data-annotations-url"), {
      credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { annotations: [] }; })
      .then(function (body) {
        self.annotations = body.annotations || [];
        self.shownKey = null;
        self.drawAnnotations();
      })
      .catch(function () { /* the list stays as it was; the next load tries again */ });
  };

  Panels.prototype.near = function () {
    var tl = this.timeline;
    var t = this.player.t;
    var seq = this.player.seq;
    return this.annotations.filter(function (a) {
      return !a.parent_id && (a.seq === seq || Math.abs(tl.msOf(a.seq) - t) <= NEAR_MS);
    });
  };

  Panels.prototype.drawAnnotations = function () {
    var self = this;
    var near = this.near();
    var key = near.map(function (a) { return a.id; }).join(",") + "@" + this.annotations.length +
              "#" + this.player.seq;
    if (key === this.shownKey) return;
    // A reply being written is not thrown away by the moment moving on.
    var typing = this.listEl.contains(document.activeElement) ||
                 this.listEl.querySelector("details[open]") !== null;
    if (typing && this.shownKey !== null && this.shownKey.split("@")[0] === key.split("@")[0]) return;
    this.shownKey = key;
    clear(this.listEl);
    this.noneEl.hidden = near.length > 0;
    near.forEach(function (a) { self.listEl.appendChild(self.annotationItem(a)); });
  };

  Panels.prototype.annotationItem = function (a) {
    var self = this;
    var tl = this.timeline;
    var li = window.MigrapassLive.fromTemplate("replay-annotation-item");
    li.setAttribute("data-id", String(a.id));
    li.setAttribute("data-kind", a.kind);
    li.classList.toggle("is-here", a.seq === this.player.seq);
    role(li, "kind").textContent = a.kind_label || a.kind;
    role(li, "author").textContent = a.author || "";
    var go = role(li, "goto");
    go.textContent = this.fill("at", { clock: tl.clock(tl.msOf(a.seq)) });
    go.addEventListener("click", function () { self.player.seekSeq(a.seq, "mark"); });
    role(li, "private").hidden = !a.private;
    role(li, "body").textContent = a.body;
    var replies = role(li, "replies");
    this.annotations.forEach(function (r) {
      if (r.parent_id !== a.id) return;
      var item = window.MigrapassLive.fromTemplate("replay-reply-item");
      role(item, "author").textContent = r.author || "";
      role(item, "body").textContent = r.body;
      replies.appendChild(item);
    });
    var form = role(li, "reply-form");
    var area = form.querySelector("textarea");
    area.id = "reply-" + a.id;
    role(form, "reply-label").setAttribute("for", area.id);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.send(form, { seq: a.seq, kind: "reply", body: area.value, parent_id: a.id, private: false });
    });
    return li;
  };

  Panels.prototype.send = function (form, body) {
    var self = this;
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true; // one send at a time; the rest of the page stays usable
    this.status(form, "");
    post(this.root.getAttribute("data-annotate-url"), body, this.word("not-saved"), function (err, note) {
      button.disabled = false;
      if (err) {
        self.status(form, err);
        return;
      }
      form.reset();
      self.status(form, self.word("saved"));
      self.annotations.push(note);
      self.shownKey = null;
      var details = form.closest("details");
      if (details) details.open = false;
      self.drawAnnotations();
      if (!body.parent_id) self.root.dispatchEvent(new CustomEvent("replay:annotated", { detail: note }));
    });
  };

  Panels.prototype.wireForms = function () {
    var self = this;
    var form = this.q('[data-role="annotation-form"]');
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var priv = form.querySelector('[name="private"]');
        self.send(form, {
          seq: self.player.seq,
          kind: form.querySelector('[name="kind"]').value,
          body: form.querySelector('[name="body"]').value,
          private: !!(priv && priv.checked),
        });
      });
    }
    var focus = this.q('[data-role="focus-form"]');
    if (focus) {
      focus.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = focus.querySelector('button[type="submit"]');
        button.disabled = true;
        self.status(focus, "");
        var answer = focus.querySelector('[name="answer"]').value;
        post(self.root.getAttribute("data-focus-url"), { answer: answer }, self.word("not-saved"),
          function (err) {
            button.disabled = false;
            self.status(focus, err || self.word("saved"));
          });
      });
    }
  };

  window.MigrapassReplayPanels = { Panels: Panels };
})();
