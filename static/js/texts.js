/* Migrapass Live — text as people type it, on every page.
 *
 * MigrapassTexts.length(text) counts what a person sees as characters (grapheme
 * clusters, with Intl.Segmenter; code points on browsers without it), as the server does
 * (app/texts.py). Every field with data-max-chars gets a counter once it nears its limit,
 * and a form is not sent while a field is over it: what was typed or pasted stays whole,
 * with a message saying how much to take out. Nothing here ever cuts a text.
 *
 * Classic script (old Android browsers). Words come from the page: data-chars-* on <body>.
 */
(function () {
  "use strict";

  var segmenter = null;
  try {
    if (window.Intl && typeof window.Intl.Segmenter === "function") {
      segmenter = new window.Intl.Segmenter(undefined, { granularity: "grapheme" });
    }
  } catch (e) { segmenter = null; }
  var plurals = null;
  try {
    plurals = new window.Intl.PluralRules(document.documentElement.lang || undefined);
  } catch (e) { plurals = null; }

  function length(text) {
    if (!text) return 0;
    if (segmenter) {
      var count = 0;
      var iterator = segmenter.segment(text)[Symbol.iterator]();
      while (!iterator.next().done) count++;
      return count;
    }
    return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
  }

  /** Whether the page's language says `count` in the singular (French: 0 and 1). */
  function isOne(count) {
    return plurals ? plurals.select(count) === "one" : count === 1;
  }

  /** The page's words for a count: data-<key>-one or data-<key>, with {count}. */
  function words(key, count) {
    var body = document.body;
    var one = isOne(count);
    var template = (one && body.getAttribute("data-" + key + "-one")) || body.getAttribute("data-" + key) || "";
    return template.replace("{count}", String(count));
  }

  function counterOf(field) {
    var id = field.id ? field.id + "-count" : "";
    var existing = id ? document.getElementById(id) : null;
    if (existing) return existing;
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    if (id) counter.id = id;
    counter.hidden = true;
    field.parentNode.insertBefore(counter, field.nextSibling);
    return counter;
  }

  /** Show the count near the limit; refuse the form while over it. */
  function check(field) {
    var limit = Number(field.getAttribute("data-max-chars"));
    if (!limit) return true;
    var used = length(field.value);
    var left = limit - used;
    var counter = counterOf(field);
    var near = left <= Math.max(10, Math.round(limit * 0.15));
    counter.hidden = !near;
    counter.classList.toggle("is-over", left < 0);
    var message = left < 0 ? words("chars-over", -left) : words("chars-left", left);
    if (near) counter.textContent = message;
    field.setCustomValidity(left < 0 ? message : "");
    return left >= 0;
  }

  function watch(root) {
    var fields = (root || document).querySelectorAll("[data-max-chars]");
    for (var i = 0; i < fields.length; i++) check(fields[i]);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-max-chars")) check(field);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { watch(); });
  } else {
    watch();
  }

  window.MigrapassTexts = { length: length, check: check, watch: watch, words: words, isOne: isOne };
})();
