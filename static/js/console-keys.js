/* Migrapass Live — the console's single keys (N, P, T, +, R, Page Up and Down, [ and ]):
 * each does what its button does, while the focus is not in a text box nor in a dialog.
 *
 * MigrapassConsole.keys(shortcuts): key → what it does (false lets the key do its own).
 * Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  Console.keys = function (shortcuts) {
    document.addEventListener("keydown", function (event) {
      // On a French keyboard [ and ] are typed with AltGr (Ctrl+Alt): those two keep working.
      var bracket = event.key === "[" || event.key === "]";
      if (event.metaKey || (!bracket && (event.ctrlKey || event.altKey))) return;
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
      if (document.querySelector("dialog[open]")) return; // a dialog's keys are its own
      if (!Object.prototype.hasOwnProperty.call(shortcuts, event.key)) return;
      if (shortcuts[event.key]() === false) return;
      event.preventDefault();
    });
  };
})();
