/* Migrapass Live — what a screen reader hears of the room's live changes, on the phone and
 * the console: new cards on the board, someone at the door, the timer at one minute left
 * and at its end. Politely (role="status"), and in few words: the cards that arrive
 * within a few seconds are said together ("3 new cards on the board"), at most once every
 * few seconds, never one message per card nor per keystroke of others. What the page
 * shows on arrival (or after a reconnection's snapshot, the first time) is not news.
 *
 * Words come from the page root's data-i18n-* attributes (counts: one attribute per
 * plural category, app/i18n.py plural_attrs; texts.js picks one).
 *
 * MigrapassAnnounce.create(root) → {cards(ids), door(names), timer(leftMs), say(text)}.
 * Classic script: defines window.MigrapassAnnounce.
 */
(function () {
  "use strict";

  var GATHER_MS = 1500; // cards arriving together are said together
  var GAP_MS = 6000; // and the board is not spoken of more often than this
  var MINUTE_MS = 60000;

  function create(root) {
    var region = document.createElement("p");
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("data-testid", "live-announcement");
    root.appendChild(region);

    function word(key, count, values) {
      var texts = window.MigrapassTexts;
      var name = "data-i18n-" + key;
      var counted = count === undefined ? name :
        "data-i18n-" + (texts && texts.pluralKey ? texts.pluralKey(key, count) : key);
      var text = root.getAttribute(counted) || root.getAttribute(name) || "";
      values = values || {};
      if (count !== undefined) values.count = count;
      return text.replace(/\{(\w+)\}/g, function (all, k) {
        return values[k] === undefined ? all : String(values[k]);
      });
    }

    /** Said once: emptied first, so that the same words twice are heard twice. */
    function say(text) {
      if (!text) return;
      region.textContent = "";
      window.setTimeout(function () { region.textContent = text; }, 50);
    }

    /** A batch of news said after GATHER_MS, and not sooner than GAP_MS after the last. */
    function batcher(tell) {
      var waiting = [];
      var timer = null;
      var last = -Infinity;
      function flush() {
        timer = null;
        last = Date.now();
        var told = waiting;
        waiting = [];
        if (told.length) say(tell(told));
      }
      return function (items) {
        if (!items.length) return;
        waiting = waiting.concat(items);
        if (timer === null) {
          var wait = Math.max(GATHER_MS, last + GAP_MS - Date.now());
          timer = window.setTimeout(flush, wait);
        }
      };
    }

    var seen = null; // the card ids already known: null until the first board
    var newCards = batcher(function (ids) { return word("new-cards", ids.length); });

    /** The cards on the board now (the ids this person sees, not their own). */
    function cards(ids) {
      if (seen === null) {
        seen = {};
        ids.forEach(function (id) { seen[id] = true; });
        return;
      }
      var fresh = ids.filter(function (id) { return !seen[id]; });
      fresh.forEach(function (id) { seen[id] = true; });
      newCards(fresh);
    }

    var knocking = batcher(function (names) {
      return names.length === 1 ? word("waits-at-door", undefined, { name: names[0] }) :
        word("at-the-door", names.length);
    });

    /** Who just asked to come in. */
    function door(names) { knocking(names); }

    var before = null; // the time left at the last tick
    /** The time left now (null without a timer): said at one minute and at the end. */
    function timer(left) {
      if (left !== null && before !== null) {
        if (before > MINUTE_MS && left <= MINUTE_MS && left > 0) say(word("one-minute"));
        if (before > 0 && left <= 0) say(word("time-up"));
      }
      before = left;
    }

    return { cards: cards, door: door, timer: timer, say: say };
  }

  window.MigrapassAnnounce = { create: create };
})();
