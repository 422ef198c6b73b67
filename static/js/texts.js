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

  var marks = null; // combining marks, where the browser knows Unicode's categories
  try { marks = new RegExp("\\p{M}", "gu"); } catch (e) { marks = null; }

  function length(text) {
    if (!text) return 0;
    if (segmenter) {
      var count = 0;
      var iterator = segmenter.segment(text)[Symbol.iterator]();
      while (!iterator.next().done) count++;
      return count;
    }
    return roughLength(text);
  }

  /** Without Intl.Segmenter (browsers before 2021-2024): the commonest clusters counted
   *  as one (accents, joined emoji, skin tones, flags, CR LF). Close, not exact: a form
   *  is never refused on it (the server's count decides, and says so). */
  function roughLength(text) {
    var rest = text.replace(/\r\n/g, "\n");
    rest = rest.replace(/\u200D(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S])/g, "");
    rest = rest.replace(/\uD83C[\uDFFB-\uDFFF]|[\uFE00-\uFE0F]/g, "");
    rest = rest.replace(/(?:\uD83C[\uDDE6-\uDDFF]){2}/g, "_");
    if (marks) rest = rest.replace(marks, "");
    return rest.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
  }

  /** The attribute key for `count` in the page's language: "<key>-few" for 3 in Arabic,
   *  "<key>-one" for 1, plain "<key>" for "other". The server writes one attribute per
   *  category (app/i18n.py, plural_attrs). */
  function pluralKey(key, count) {
    var category = plurals ? plurals.select(count) : (count === 1 ? "one" : "other");
    return category === "other" ? key : key + "-" + category;
  }

  /** The page's words for a count: data-<key>-<category> or data-<key>, with {count}. */
  function words(key, count) {
    var body = document.body;
    var template = body.getAttribute("data-" + pluralKey(key, count)) || body.getAttribute("data-" + key) || "";
    return template.replace("{count}", String(count));
  }

  /** A moment's hour and minute as the organisation reads its clocks (its time zone,
   *  not the device's, which a phone bought abroad may still carry). */
  function clock(ms) {
    var options = { hour: "2-digit", minute: "2-digit" };
    var zone = document.body.getAttribute("data-time-zone");
    if (zone) options.timeZone = zone;
    var lang = document.documentElement.lang || undefined;
    try {
      return new Date(ms).toLocaleTimeString(lang, options);
    } catch (e) { // an old browser without that zone: the device's clock
      return new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    }
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
    var refuse = left < 0 && segmenter !== null; // a rough count only warns
    field.setCustomValidity(refuse ? message : "");
    return !refuse;
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

  window.MigrapassTexts = {
    length: length, roughLength: roughLength, check: check, watch: watch, words: words,
    pluralKey: pluralKey, clock: clock,
  };
})();
