/**
 * A form that signs someone out or takes their password away asks first: its
 * data-confirm holds the question, in the reader's language. Without scripts, the
 * button acts at once (and the page says what it did).
 */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
