/* Migrapass Live — a card form that says itself what is wrong, next to the field.
 *
 * new MigrapassFields.Checker(root): root carries the page's words (data-i18n-required,
 * data-i18n-choose, data-i18n-bad-date and one data-i18n-<code> per date refusal of
 * MigrapassDates, "_" written "-") and the month names (data-month-names, read by
 * MigrapassDates.monthNames). A form checked by it has `novalidate`: the browser's own
 * bubbles never speak, each problem is said under its field (aria-invalid,
 * aria-describedby), the first wrong field takes the focus.
 *
 * Date fields are text fields with data-date: "date" (one date, as MigrapassDates.parse
 * reads it) or "span" (a date, a span of two, or words: MigrapassDates.spanOrText). A
 * date field may have a month-and-year picker (data-role month-toggle / month-input)
 * that writes the chosen month into it, as the screens show dates (03/2015).
 *
 * Classic script (old Android browsers): defines window.MigrapassFields.
 */
(function () {
  "use strict";

  var MONTH = /^\d{4}-\d{2}$/;

  function Checker(root) {
    this.root = root;
    this.dates = window.MigrapassDates || null; // without it the server reads the dates alone
    this.monthNames = this.dates ? this.dates.monthNames(root) : [];
  }

  Checker.prototype.words = function (key) {
    return this.root.getAttribute("data-i18n-" + key) || "";
  };

  Checker.prototype.dateFields = function (form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-date][name]"));
  };

  /** A date field's text → {ok, value} in stored form ("2015", "2015-03", "2015-03-14";
   *  for a "span" field also "2012/2016", or the words as typed), or {ok: false, error}. */
  Checker.prototype.readDate = function (field, text) {
    if (!this.dates) return { ok: true, value: text.trim() }; // the server reads it then
    if (field.getAttribute("data-date") === "span") return this.dates.spanOrText(text, this.monthNames);
    return this.dates.parse(text, this.monthNames);
  };

  /** A stored date as the person reads it (03/2015), to change it in the form. */
  Checker.prototype.shownDate = function (value) {
    return this.dates && value ? this.dates.show(value) : value;
  };

  /** "impossible_date" → the page's data-i18n-impossible-date; unknown codes → bad-date. */
  Checker.prototype.dateWords = function (error) {
    return this.words(String(error || "").replace(/_/g, "-")) || this.words("bad-date");
  };

  function radiosOf(form, field) {
    return Array.prototype.slice.call(
      form.querySelectorAll('input[type=radio][name="' + field.name + '"]'));
  }

  /** The page's words for what is wrong with one field, or "". A text over its length
   *  says so in its own counter beside it (texts.js): true then, with no more words. */
  Checker.prototype.problemOf = function (form, field) {
    if (field.type === "radio") {
      var group = radiosOf(form, field);
      var required = group.some(function (r) { return r.required; });
      var chosen = group.some(function (r) { return r.checked; });
      return required && !chosen ? this.words("choose") : "";
    }
    var value = field.value || "";
    if (!value.trim()) return field.required ? this.words("required") : "";
    if (field.hasAttribute("data-date")) {
      var date = this.readDate(field, value);
      if (!date.ok) return this.dateWords(date.error);
    }
    return field.validity && field.validity.customError ? true : "";
  };

  /** The element that says what is wrong with a field: after it, or after its group. */
  function problemBox(form, field) {
    var id = field.type === "radio" ?
      "problem-" + form.getAttribute("data-compose-board") + "-" + field.name :
      field.id + "-problem";
    var box = document.getElementById(id);
    if (box) return box;
    box = document.createElement("p");
    box.className = "field-error";
    box.id = id;
    box.hidden = true;
    box.setAttribute("data-testid", "field-problem-" + field.name);
    if (field.type === "radio") {
      var fieldset = field.parentNode;
      while (fieldset.tagName !== "FIELDSET" && fieldset !== form) fieldset = fieldset.parentNode;
      fieldset.appendChild(box);
    } else {
      field.parentNode.insertBefore(box, field.nextSibling);
    }
    return box;
  }

  function describedBy(field, id, on) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) ids.push(id);
    if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  /** Say `problem` (words, true for "said elsewhere", or "" for nothing) at the field. */
  Checker.prototype.show = function (form, field, problem) {
    var targets = field.type === "radio" ? radiosOf(form, field) : [field];
    var words = typeof problem === "string" ? problem : "";
    var box = problemBox(form, field);
    if (box.textContent !== words) box.textContent = words;
    box.hidden = !words;
    targets.forEach(function (target) {
      if (problem) target.setAttribute("aria-invalid", "true");
      else target.removeAttribute("aria-invalid");
      describedBy(target, box.id, !!words);
    });
  };

  /** Check every field; say what is wrong next to each; focus the first wrong one. */
  Checker.prototype.check = function (form) {
    var self = this;
    var first = null;
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || seen[field.name]) return;
      seen[field.name] = true;
      var problem = self.problemOf(form, field);
      self.show(form, field, problem);
      if (problem && !first) first = field;
    });
    if (first) first.focus();
    return !first;
  };

  /** As the person types, a problem said goes away once it is solved; a date is
   *  checked when the person leaves it (changed), not at every key. */
  Checker.prototype.recheck = function (form, field, changed) {
    if (!field || !field.name) return;
    var shown = field.getAttribute("aria-invalid") === "true";
    if (!shown && !(changed && field.hasAttribute("data-date"))) return;
    var problem = this.problemOf(form, field);
    if (!problem || changed) this.show(form, field, problem);
  };

  Checker.prototype.clear = function (form) {
    var self = this;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.getAttribute("aria-invalid") === "true") self.show(form, field, "");
    });
  };

  /* ---------- the month-and-year picker beside a date field ---------- */

  /** Wire the form's pickers; `picked(form)` follows each month written into a field. */
  Checker.prototype.monthPickers = function (form, picked) {
    var self = this;
    Array.prototype.forEach.call(form.querySelectorAll('[data-role="month-toggle"]'), function (toggle) {
      var box = document.getElementById(toggle.getAttribute("aria-controls"));
      var picker = box.querySelector('[data-role="month-input"]');
      var field = document.getElementById(picker.getAttribute("data-date-for"));
      toggle.addEventListener("click", function () {
        var opening = box.hidden;
        box.hidden = !opening;
        toggle.setAttribute("aria-expanded", opening ? "true" : "false");
        if (!opening) return;
        var date = field.value.trim() ? self.readDate(field, field.value) : { ok: false };
        picker.value = date.ok && /^\d{4}-\d{2}/.test(date.value) ? date.value.slice(0, 7) : "";
        picker.focus();
        try {
          if (picker.showPicker) picker.showPicker(); // one tap opens the phone's picker
        } catch (e) { /* not allowed here: the field is shown, a tap opens it */ }
      });
      picker.addEventListener("change", function () {
        if (!MONTH.test(picker.value)) return;
        field.value = self.shownDate(picker.value);
        if (picked) picked(form);
        self.show(form, field, self.problemOf(form, field));
        box.hidden = true;
        toggle.setAttribute("aria-expanded", "false");
        field.focus();
      });
    });
  };

  Checker.prototype.closeMonthPickers = function (form) {
    Array.prototype.forEach.call(form.querySelectorAll('[data-role="month-toggle"]'), function (toggle) {
      document.getElementById(toggle.getAttribute("aria-controls")).hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    });
  };

  window.MigrapassFields = { Checker: Checker };
})();
