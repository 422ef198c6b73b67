/* Migrapass Live — what a person typed for a date, as words, numbers and separators
 * (the reading app/dates.py's _tokens does), for static/js/dates.js.
 *
 * MigrapassDateWords.tokens(text) -> [[kind, text], …] with kind "num" | "word" | "sep"
 *   (digits of any script as 0-9, words lower case without accents or marks, any dash
 *   but "-" as "–"), or null when something else is in the text.
 * MigrapassDateWords.joinMonthWords(list, months) -> the same list with a month named in
 *   two words ("كانون الثاني") as one word, and "de"/"del" left out ("marzo de 2015").
 * MigrapassDateWords.plainNames(monthNames) -> the page's month names made as plain.
 * MigrapassDateWords.plain(text) -> lower case, no accents, marks or final dot.
 *
 * Classic script (old Android browsers): no modules, ES5.
 */
(function () {
  "use strict";

  // The zero of every run of ten decimal digits in Unicode (Python's unicodedata).
  var ZEROS = [0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66,
    0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0,
    0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0,
    0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0,
    0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50,
    0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6,
    0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0];
  var ORDINALS = { st: 1, nd: 1, rd: 1, th: 1, er: 1, re: 1, e: 1, eme: 1 }; // 1st, 1er, 2e
  // / - . , the apostrophe of "d'avril", the Arabic comma, date, decimal and thousands
  // separators; any dash but "-" becomes "–", which joins a span's start and end.
  var SEPARATORS = "/-.,'\u2019\u060c\u060d\u066b\u066c\u2013";
  var DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63";
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
  window.MigrapassDateWords = {
    tokens: tokens, joinMonthWords: joinMonthWords, plainNames: plainNames, plain: plain
  };
})();
