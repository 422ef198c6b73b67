/* Migrapass Live — pictograms drawn by the pages' scripts.
 *
 * The page carries every drawing once (app/pictograms.py, sprite) with the tables of
 * which goes with a board, a field or an action. MigrapassIcons.of("field", "when")
 * gives an <svg> that uses it, or null where the page has none: an icon is always
 * beside its words, never alone, so a missing one loses nothing.
 *
 * Classic script (old Android browsers).
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var tables = null;

  function table(kind) {
    if (tables === null) {
      var sprite = document.querySelector(".icon-sprite");
      try {
        tables = sprite ? JSON.parse(sprite.getAttribute("data-icons") || "{}") : {};
      } catch (e) { tables = {}; }
    }
    return tables[kind] || {};
  }

  /** An inline <svg> using the drawing `name` (hidden from screen readers). */
  function draw(name) {
    if (!name || !document.getElementById("icon-" + name)) return null;
    var svg = document.createElementNS(SVG, "svg");
    var attrs = {
      "class": "icon", viewBox: "0 0 24 24", width: "24", height: "24", fill: "none",
      stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round",
      "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false", "data-icon": name
    };
    Object.keys(attrs).forEach(function (key) { svg.setAttribute(key, attrs[key]); });
    var use = document.createElementNS(SVG, "use");
    use.setAttribute("href", "#icon-" + name);
    svg.appendChild(use);
    return svg;
  }

  /** The drawing of a board ("board"), a card field ("field") or an action ("action"). */
  function of(kind, name) {
    return draw(table(kind)[name]);
  }

  /** Put the icon of `name` at the start of `node` (if there is one); gives `node`. */
  function before(node, kind, name) {
    var icon = of(kind, name);
    if (icon) {
      node.insertBefore(icon, node.firstChild);
      node.classList.add("with-icon");
    }
    return node;
  }

  window.MigrapassIcons = { draw: draw, of: of, before: before };
})();
