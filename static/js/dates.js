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
 * language (French, English, Spanish, Arabic), e.g.
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

  // What was typed, as words, numbers and separators: static/js/date-words.js.
  var Words = window.MigrapassDateWords;
  var tokens = Words.tokens;
  var joinMonthWords = Words.joinMonthWords;
  var plainNames = Words.plainNames;

  // The most telling refusal first: a span's parts are tried several ways.
  var REFUSALS = ["end_before_start", "impossible_date", "future_date", "date_before_1900",
    "two_digit_year", "bad_date"];
  var NOT_A_DATE = { bad_date: true, two_digit_year: true };
  var FROM = { from: 1, de: 1, du: 1, d: 1 }; // from 2012 to 2016, de mars 2012 à 2016
  var TO = { to: 1, till: 1, until: 1, a: 1, au: 1 };
  var STORED = /^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/;

  function Refused(code) { this.code = code; }

  function refuse(code) { throw new Refused(code); }

  function startsWith(text, start) { return text.slice(0, start.length) === start; }



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
