/* Migrapass Live — where the console's focus goes when the control that had it goes away:
 * disabled while the server answers, hidden once done (the step jumped to, a box that
 * closed, a family removed). A tutor on the keyboard is never left on the page's body:
 * the focus comes back to the control, or goes to what stands for it, or to the heading
 * of the panel it was in.
 *
 * MigrapassConsole.focus(root) → {mark(), keep(marked, fallback), heading(el)}.
 * Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  function lost() {
    var now = document.activeElement;
    return !now || now === document.body || now === document.documentElement;
  }

  function usable(el) {
    return !!el && document.documentElement.contains(el) && !el.disabled &&
      !el.closest("[hidden]") && el.getClientRects().length > 0;
  }

  /** A heading the focus can be put on by script, outside the Tab order. */
  function heading(el) {
    if (!el) return null;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    return el;
  }

  Console.focus = function (root) {
    /** Where the focus is now (and the panel around it), to come back to after an action. */
    function mark() {
      var el = document.activeElement;
      if (!el || !root.contains(el)) return null;
      return { el: el, panel: el.closest("dialog, article, section") };
    }

    /** After an action, if the focus was dropped: back on its control, else on
     *  `fallback()`, else on its panel's heading. */
    function keep(marked, fallback) {
      if (!marked || !lost()) return;
      var next = usable(marked.el) ? marked.el : fallback ? fallback() : null;
      if (!usable(next) && marked.panel && usable(marked.panel)) {
        next = heading(marked.panel.querySelector("h2, h3"));
      }
      if (next) next.focus();
    }

    return { mark: mark, keep: keep, heading: heading };
  };
})();
