/* Migrapass Live — the card composer the phone and the console share: a card form's
 * values, and the card's fields they make (templates/_board.html draws the forms).
 *
 * A form's values are by input name, as typed: {text: "…", setting: "abroad",
 * "actions-0-what": "…"}. An action plan's steps are numbered rows, named as the
 * portfolio's own form names them (app/portfolio_pages/entry_form.py); they become the
 * card's list `actions: [{what, deadline}]`, the shape the server reads.
 *
 * A competence named after a suggestion keeps that suggestion's ESCO skill: the name's
 * input has a <datalist> whose options may carry data-esco (the skill's address), and
 * the form's values then hold `esco` (in a hidden "esco" input too, if the form has
 * one). A name changed away from the list has none: it is read from the name each time.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassCompose.
 */
(function () {
  "use strict";

  var ACTION_ROW = /^actions-(\d+)-(what|deadline)$/;
  // Drafts and queued cards kept on a phone before the rows took the portfolio's names.
  var OLD_ACTION_ROW = /^actions\.(\d+)\.(what|deadline)$/;

  function rowName(index, part) {
    return "actions-" + index + "-" + part;
  }

  function folded(text) {
    return String(text || "").replace(/\s+/g, " ").trim().toLowerCase();
  }

  /** The ESCO skill of the suggestion a field's value names, or "". */
  function escoOf(input) {
    var list = input.list || (input.getAttribute("list") &&
      document.getElementById(input.getAttribute("list")));
    if (!list || !input.value) return "";
    var said = folded(input.value);
    var options = list.querySelectorAll("option[data-esco]");
    for (var i = 0; i < options.length; i++) {
      if (folded(options[i].value) === said) return options[i].getAttribute("data-esco") || "";
    }
    return "";
  }

  /** The form's values by name; a radio group left unchosen is "". */
  function valuesOf(form) {
    var values = {};
    var esco = null; // null: no field of this form takes suggestions
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.name === "esco") return;
      if (input.type === "radio") {
        if (input.checked) values[input.name] = input.value;
        else if (!(input.name in values)) values[input.name] = "";
      } else {
        values[input.name] = input.value;
        if (input.hasAttribute("list")) esco = escoOf(input) || esco || "";
      }
    });
    if (esco !== null) {
      var hidden = form.elements.namedItem ? form.elements.namedItem("esco") : null;
      if (hidden && hidden.type === "hidden") hidden.value = esco;
      if (esco) values.esco = esco;
    }
    return values;
  }

  /** Put `values` in the form; a field they do not name is emptied. */
  function fill(form, values) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name) return;
      var value = Object.prototype.hasOwnProperty.call(values, input.name) ? values[input.name] : "";
      if (input.type === "radio") input.checked = input.value === value;
      else if (input.value !== value) input.value = value || "";
    });
  }

  /** The card's fields from a form's values: empty ones left out, the action rows a list
   *  of the steps that say what to do. */
  function fieldsOf(values) {
    var fields = {};
    var actions = [];
    Object.keys(values).forEach(function (name) {
      var m = ACTION_ROW.exec(name);
      if (m) {
        var i = Number(m[1]);
        actions[i] = actions[i] || { what: "", deadline: "" };
        actions[i][m[2]] = values[name];
      } else if (values[name] !== "") {
        fields[name] = values[name];
      }
    });
    var filled = actions.filter(function (a) { return a && a.what.trim(); });
    if (filled.length) fields.actions = filled;
    return fields;
  }

  /** A card's form values, to change it. */
  function valuesOfCard(card) {
    var values = {};
    var f = card.fields || {};
    Object.keys(f).forEach(function (k) {
      if (k === "actions") {
        f.actions.forEach(function (a, i) {
          values[rowName(i, "what")] = a.what;
          values[rowName(i, "deadline")] = a.deadline;
        });
      } else {
        values[k] = f[k];
      }
    });
    return values;
  }

  /** Values kept on the phone (a draft, a queued card), by today's names. */
  function renamed(values) {
    var out = {};
    Object.keys(values || {}).forEach(function (name) {
      var m = OLD_ACTION_ROW.exec(name);
      out[m ? rowName(m[1], m[2]) : name] = values[name];
    });
    return out;
  }

  window.MigrapassCompose = {
    valuesOf: valuesOf,
    fill: fill,
    fieldsOf: fieldsOf,
    valuesOfCard: valuesOfCard,
    renamed: renamed,
  };
})();
