/* Migrapass Live — the phone's drafts: what was typed in a card form survives a reload,
 * per person, session and step (localStorage; the page works without it).
 *
 * new MigrapassDrafts.Drafts(participantId, sessionId, presets): presets(stepId) gives
 * what a new card of that step starts with; a draft that only holds them is no draft.
 * A draft is {values, editing}: the form's values (MigrapassCompose), and the id of the
 * card being changed, or null for a new one.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassDrafts.
 */
(function () {
  "use strict";

  function Drafts(participantId, sessionId, presets) {
    this.prefix = "mp:draft:" + participantId + ":" + sessionId + ":";
    this.presets = presets;
  }

  Drafts.prototype.load = function (stepId) {
    try {
      var parsed = JSON.parse(window.localStorage.getItem(this.prefix + stepId) || "null");
      if (parsed && typeof parsed === "object" && parsed.values) {
        parsed.values = window.MigrapassCompose.renamed(parsed.values);
        return parsed;
      }
    } catch (e) { /* ignore */ }
    return { values: {}, editing: null };
  };

  Drafts.prototype.save = function (stepId, draft) {
    try {
      var empty = !draft.editing && this.isBlank(stepId, draft.values);
      if (empty) window.localStorage.removeItem(this.prefix + stepId);
      else window.localStorage.setItem(this.prefix + stepId, JSON.stringify(draft));
    } catch (e) { /* storage full or disabled: the text stays in the page */ }
  };

  Drafts.prototype.clear = function (stepId) {
    this.save(stepId, { values: {}, editing: null });
  };

  /** The values with the step's presets where nothing was chosen. */
  Drafts.prototype.withPresets = function (stepId, values) {
    var out = {};
    var given = this.presets(stepId);
    Object.keys(values).forEach(function (k) { out[k] = values[k]; });
    Object.keys(given).forEach(function (k) { if (!out[k]) out[k] = given[k]; });
    return out;
  };

  /** Nothing typed: every value empty, or as the step presets it. */
  Drafts.prototype.isBlank = function (stepId, values) {
    var given = this.presets(stepId);
    return Object.keys(values).every(function (k) { return !values[k] || values[k] === given[k]; });
  };

  window.MigrapassDrafts = { Drafts: Drafts };
})();
