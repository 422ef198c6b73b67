/* Migrapass Live — dates as people type them, on every page (the rules of app/dates.py).
 *
 * MigrapassDates.parse(text, monthNames[, thisYear])
 *   One date: {ok: true, value} with value "YYYY", "YYYY-MM" or "YYYY-MM-DD" (date only,
 *   no time zone: never a Date object), or {ok: false, error} with error one of
 *   "bad_date", "two_digit_year", "impossible_date", "future_date", "date_before_1900".
 * MigrapassDates.parseSpan(text, monthNames[, thisYear])
 *   One date or a span of two: "2012–2016" -> "2012/2016", "03/2012 - 2016" ->
 *   "2012-03/2016"; one more error, "end_before_start".
 * MigrapassDates.spanOrText(text, monthNames[, thisYear])
 *   An experience's "when": a date or a span in stored form, or else the text as typed
 *   ("3 years", "since 2021"); {ok: false} only for a wrong date (31/02/2015, 2016–2012).
 * MigrapassDates.show(value)
 *   As written by hand, the same in every language: 2015, 03/2015, 14/03/2015,
 *   2012 – 2016; any other text as it is.
 * MigrapassDates.monthNames(element)
 *   The month names a page gives, read from element's (default <body>)
 *   data-month-names attribute.
 *
 * data-month-names: JSON, a list of 12 lists (January first) of the names a month may be
 * typed with, lower case, as app.dates.month_names() gives them for every interface
 * language (fr and en), e.g.
 *   [["janvier","janv.","january","jan"],["février","févr.","february","feb"], …]
 * Accents and a final dot are optional when typed; three letters or more that begin one
 * month's name only are that month ("sept", "fevr"). In a template (single quotes: the
 * JSON holds double quotes):  data-month-names='{{ month_names|tojson }}'
 *
 * Accepted: ISO order (2015-03-14), day first (14/03/2015, 03/2015, 3/2015) with / - .
 * or spaces, the digits of any script (٢٠١٥, ۲۰۱۵, full-width), month names, a year.
 * Years from the server's first year to its years ahead of now, as the page gives them
 * (data-first-year and data-years-ahead, on the element that carries them: app/dates.py's
 * MIN_YEAR and YEARS_AHEAD); thisYear: the device's year by default; the server decides
 * with its own. Error codes get their words from the page, never here.
 *
 * Classic script (old Android browsers): no modules, ES5.
 */
(function () {
  "use strict";

  // The most telling refusal first: a span's parts are tried several ways.
  var REFUSALS = ["end_before_start", "impossible_date", "future_date", "date_before_1900",
    "two_digit_year", "bad_date"];
  var NOT_A_DATE = { bad_date: true, two_digit_year: true };
  // The zero of every run of ten decimal digits in Unicode (Python's unicodedata).
  var ZEROS = [0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66,
    0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0,
    0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0,
    0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0,
    0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50,
    0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6,
    0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0];
  var ORDINALS = { st: 1, nd: 1, rd: 1, th: 1, er: 1, re: 1, e: 1, eme: 1 }; // 1st, 1er, 2e
  var FROM = { from: 1, de: 1, du: 1, d: 1 }; // from 2012 to 2016, de mars 2012 à 2016
  var TO = { to: 1, till: 1, until: 1, a: 1, au: 1 };
  // / - . , the apostrophe of "d'avril", the Arabic comma, date, decimal and thousands
  // separators; any dash but "-" becomes "–", which joins a span's start and end.
  var SEPARATORS = "/-.,'\u2019\u060c\u060d\u066b\u066c\u2013";
  var DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63";
  var STORED = /^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/;

  var formatChars = null;
  var letter = null;
  // Every combining mark, as app/dates.py takes off (Arabic's hamza and vowels included).
  var marks = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]/g;
  try {
    formatChars = new RegExp("\\p{Cf}", "gu");
    letter = new RegExp("^\\p{L}$", "u");
    marks = new RegExp("\\p{Mn}", "gu");
  } catch (e) { // older browsers: the common invisible characters; cased letters
    formatChars = /[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
    letter = null;
  }

  function isLetter(ch) {
    if (letter) return letter.test(ch);
    return (ch >= "a" && ch <= "z") || ch.toLowerCase() !== ch.toUpperCase();
  }

  function normal(text, form) {
    return text.normalize ? text.normalize(form) : text;
  }

  /** Lower case, without accents, format characters or a final dot: "Févr." -> "fevr". */
  function plain(text) {
    var folded = normal(normal(text, "NFKC").replace(formatChars, "").toLowerCase(), "NFD");
    folded = folded.replace(marks, "");
    return folded.replace(/^\s+|\s+$/g, "").replace(/\.+$/, "");
  }

  /** The text's characters, a pair of surrogates as one. */
  function characters(text) {
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        out.push(text.charAt(i) + text.charAt(i + 1));
        i++;
      } else {
        out.push(text.charAt(i));
      }
    }
    return out;
  }

  function codePoint(ch) {
    if (ch.length === 2) {
      return (ch.charCodeAt(0) - 0xd800) * 0x400 + (ch.charCodeAt(1) - 0xdc00) + 0x10000;
    }
    return ch.charCodeAt(0);
  }

  function digitOf(ch) {
    var code = codePoint(ch);
    for (var i = 0; i < ZEROS.length; i++) {
      if (code >= ZEROS[i] && code < ZEROS[i] + 10) return code - ZEROS[i];
    }
    return -1;
  }

  /** [kind, text] with kind "num" | "word" | "sep", or null when something else is there. */
  function tokens(text) {
    var chars = characters(normal(text, "NFKC"));
    var folded = "";
    for (var i = 0; i < chars.length; i++) {
      var digit = digitOf(chars[i]);
      if (digit >= 0) folded += String(digit);
      else if (DASHES.indexOf(chars[i]) >= 0) folded += "\u2013";
      else folded += chars[i];
    }
    chars = characters(plain(folded));
    var out = [];
    var at = 0;
    while (at < chars.length) {
      var ch = chars[at];
      var run = ch;
      if (ch >= "0" && ch <= "9") {
        while (++at < chars.length && chars[at] >= "0" && chars[at] <= "9") run += chars[at];
        out.push(["num", run]);
      } else if (/\s/.test(ch)) {
        while (++at < chars.length && /\s/.test(chars[at])) run += chars[at];
        out.push(["sep", " "]);
      } else if (isLetter(ch)) {
        while (++at < chars.length && isLetter(chars[at])) run += chars[at];
        var last = out.length ? out[out.length - 1] : null;
        if (!(last && last[0] === "num" && ORDINALS.hasOwnProperty(run))) out.push(["word", run]);
      } else if (SEPARATORS.indexOf(ch) >= 0) {
        out.push(["sep", ch]);
        at++;
      } else {
        return null;
      }
    }
    return out;
  }

  var FILLERS = { de: 1, del: 1 }; // "marzo de 2015", "enero del 2016"

  /** A month named in two words ("كانون الثاني") as one word, and fillers left out,
   *  as app/dates.py does. */
  function joinMonthWords(list, months) {
    if (!list) return list;
    var out = [];
    for (var at = 0; at < list.length; at++) {
      var token = list[at];
      if (token[0] === "word" && at + 2 < list.length && list[at + 1][0] === "sep" &&
          list[at + 1][1] === " " && list[at + 2][0] === "word") {
        var both = token[1] + " " + list[at + 2][1];
        for (var m = 0; m < 12 && months[m].indexOf(both) < 0; m++) { /* search */ }
        if (m < 12) {
          out.push(["word", both]);
          at += 2;
          continue;
        }
      }
      if (token[0] === "word" && FILLERS.hasOwnProperty(token[1]) && out.length && at + 1 < list.length) {
        if (list[at + 1][0] === "sep") at++;
        continue;
      }
      out.push(token);
    }
    return out;
  }

  function Refused(code) { this.code = code; }

  function refuse(code) { throw new Refused(code); }

  function startsWith(text, start) { return text.slice(0, start.length) === start; }

  /** The names as plain as a typed word is made. */
  function plainNames(monthNames) {
    var months = [];
    for (var m = 0; m < 12; m++) {
      var names = (monthNames && monthNames[m]) || [];
      var list = [];
      for (var i = 0; i < names.length; i++) list.push(plain(String(names[i])));
      months.push(list);
    }
    return months;
  }

  /** A month by its name, or by three letters or more beginning one month's names only. */
  function monthOf(word, months) {
    var m;
    for (m = 0; m < 12; m++) if (months[m].indexOf(word) >= 0) return m + 1;
    if (word.length < 3) return null;
    var found = null;
    for (m = 0; m < 12; m++) {
      for (var i = 0; i < months[m].length; i++) {
        if (startsWith(months[m][i], word)) {
          if (found !== null && found !== m + 1) return null;
          found = m + 1;
        }
      }
    }
    return found;
  }

  /** The page's number in `attribute` (NaN without it: then only the server checks). */
  function pageYears(attribute) {
    var source = document.querySelector("[" + attribute + "]");
    return parseInt(source ? source.getAttribute(attribute) : "", 10);
  }

  function yearOf(digits, lastYear) {
    if (digits.length <= 2) refuse("two_digit_year");
    if (digits.length !== 4) refuse("bad_date");
    var year = parseInt(digits, 10);
    if (year < pageYears("data-first-year")) refuse("date_before_1900");
    if (year > lastYear) refuse("future_date");
    return year;
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // Which item is the year, the month, the day, for each order people write in
  // (y: four digits, n: other digits, m: a month's name); -1: none.
  var ORDERS = {
    y: [0, -1, -1], n: [0, -1, -1], yy: [0, 1, -1], yn: [0, 1, -1], ny: [1, 0, -1],
    nn: [1, 0, -1], yyy: [0, 1, 2], ynn: [0, 1, 2], nny: [2, 1, 0], nnn: [2, 1, 0],
    my: [1, 0, -1], mn: [1, 0, -1], ym: [0, 1, -1], nmy: [2, 1, 0], nmn: [2, 1, 0],
    mny: [2, 0, 1], ymn: [0, 1, 2]
  };

  /** One date from its tokens (separators ignored), in stored form. */
  function one(list, months, lastYear) {
    var shape = "";
    var values = [];
    for (var i = 0; i < list.length; i++) {
      if (list[i][0] === "word") {
        var month = monthOf(list[i][1], months);
        if (month === null) refuse("bad_date");
        shape += "m";
        values.push(String(month));
      } else if (list[i][0] === "num") {
        shape += list[i][1].length === 4 ? "y" : "n";
        values.push(list[i][1]);
      }
    }
    if (!ORDERS.hasOwnProperty(shape)) refuse("bad_date");
    var order = ORDERS[shape];
    var year = yearOf(values[order[0]], lastYear);
    if (order[1] < 0) return pad(year, 4);
    if (values[order[1]].length > 2) refuse("bad_date");
    var monthNumber = parseInt(values[order[1]], 10);
    if (monthNumber < 1 || monthNumber > 12) refuse("impossible_date");
    if (order[2] < 0) return pad(year, 4) + "-" + pad(monthNumber, 2);
    if (values[order[2]].length > 2) refuse("bad_date");
    var day = parseInt(values[order[2]], 10);
    var length = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate(); // days in the month
    if (day < 1 || day > length) refuse("impossible_date");
    return pad(year, 4) + "-" + pad(monthNumber, 2) + "-" + pad(day, 2);
  }

  function lastYearOf(thisYear) {
    return (typeof thisYear === "number" ? thisYear : new Date().getFullYear()) + pageYears("data-years-ahead");
  }

  function attempt(fn) {
    try {
      return { ok: true, value: fn() };
    } catch (e) {
      if (e instanceof Refused) return { ok: false, error: e.code };
      throw e;
    }
  }

  function parse(text, monthNames, thisYear) {
    return attempt(function () {
      var months = plainNames(monthNames);
      var list = typeof text === "string" ? joinMonthWords(tokens(text), months) : null;
      if (!list || !list.length) refuse("bad_date");
      return one(list, months, lastYearOf(thisYear));
    });
  }

  /** How surely the token at `at` joins a start and an end: 3 for a dash, a spaced
   *  hyphen or a word (to, à, au), 2 for a slash, 1 for a bare hyphen, 0 never. */
  function priority(list, at) {
    var kind = list[at][0];
    var value = list[at][1];
    if (kind === "word") return TO.hasOwnProperty(value) ? 3 : 0;
    if (kind !== "sep") return 0;
    if (value === "\u2013") return 3;
    if (value === "-") {
      var before = at > 0 && list[at - 1][0] === "sep" && list[at - 1][1] === " ";
      var after = at + 1 < list.length && list[at + 1][0] === "sep" && list[at + 1][1] === " ";
      return before || after ? 3 : 1;
    }
    return value === "/" ? 2 : 0;
  }

  function firstWordDropped(list) {
    var at = 0;
    while (at < list.length && list[at][0] === "sep") at++;
    if (at < list.length && list[at][0] === "word" && FROM.hasOwnProperty(list[at][1])) at++;
    return list.slice(at);
  }

  /** The end of a span; "2012–16" ends in 2016 (the start's century, or the next). */
  function endOf(list, start, months, lastYear) {
    var items = [];
    for (var i = 0; i < list.length; i++) if (list[i][0] !== "sep") items.push(list[i]);
    if (items.length === 1 && items[0][0] === "num" && items[0][1].length === 2) {
      var year = parseInt(start.slice(0, 2) + items[0][1], 10);
      if (year < parseInt(start.slice(0, 4), 10)) year += 100;
      return one([["num", String(year)]], months, lastYear);
    }
    return one(list, months, lastYear);
  }

  /** Whether `end` is not before `start`, each read at the precision both have. */
  function inOrder(start, end) {
    var a = start.split("-");
    var b = end.split("-");
    var n = Math.min(a.length, b.length);
    return a.slice(0, n).join("-") <= b.slice(0, n).join("-");
  }

  function span(text, months, lastYear) {
    var list = typeof text === "string" ? joinMonthWords(tokens(text), months) : null;
    if (!list || !list.length) refuse("bad_date");
    var ends = [];
    for (var k = 0; k < list.length; k++) {
      if (!(list[k][0] === "sep" && list[k][1] === " ")) ends.push(list[k]);
    }
    // "2021 –": since 2021, not 2021 alone
    if (priority(ends, 0) || priority(ends, ends.length - 1)) refuse("bad_date");
    var refusals = {};
    try {
      return one(list, months, lastYear);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      refusals[e.code] = true;
    }
    for (var level = 3; level >= 1; level--) {
      var found = {};
      var count = 0;
      var value = null;
      for (var at = 0; at < list.length; at++) {
        if (priority(list, at) !== level) continue;
        var start;
        var end;
        try {
          start = one(firstWordDropped(list.slice(0, at)), months, lastYear);
          end = endOf(list.slice(at + 1), start, months, lastYear);
        } catch (e) {
          if (!(e instanceof Refused)) throw e;
          refusals[e.code] = true;
          continue;
        }
        if (!inOrder(start, end)) {
          refusals.end_before_start = true;
          continue;
        }
        value = start + "/" + end;
        if (!found[value]) count++;
        found[value] = true;
      }
      if (count === 1) return value;
      if (count > 1) refuse("bad_date"); // 2012-03-2016: to March 2016, or from March 2012?
    }
    for (var i = 0; i < REFUSALS.length; i++) if (refusals[REFUSALS[i]]) refuse(REFUSALS[i]);
    refuse("bad_date");
  }

  function parseSpan(text, monthNames, thisYear) {
    return attempt(function () {
      return span(text, plainNames(monthNames), lastYearOf(thisYear));
    });
  }

  function spanOrText(text, monthNames, thisYear) {
    var result = parseSpan(text, monthNames, thisYear);
    if (!result.ok && NOT_A_DATE[result.error]) return { ok: true, value: text };
    return result;
  }

  function shownPart(value) {
    return value.split("-").reverse().join("/");
  }

  function show(value) {
    var text = String(value === null || value === undefined ? "" : value).replace(/^\s+|\s+$/g, "");
    var parts = text.split("/");
    if (parts.length > 2) return text;
    for (var i = 0; i < parts.length; i++) if (!STORED.test(parts[i])) return text;
    return parts.length === 2 ? shownPart(parts[0]) + " \u2013 " + shownPart(parts[1]) : shownPart(text);
  }

  function monthNames(element) {
    var source = element || document.body;
    try {
      var names = JSON.parse((source && source.getAttribute("data-month-names")) || "[]");
      return names instanceof Array ? names : [];
    } catch (e) {
      return [];
    }
  }

  window.MigrapassDates = {
    parse: parse, parseSpan: parseSpan, spanOrText: spanOrText, show: show,
    monthNames: monthNames
  };
})();
