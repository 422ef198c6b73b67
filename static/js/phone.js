/* Migrapass Live — what the phone's two pages share: the waiting page (waiting.js) and
 * the room (room.js) each find their page, its session and its alert line here.
 * Words come from data-i18n-* attributes and <template> elements rendered by the server.
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassPhone.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-phone]");
  if (!root) return;
  var alertBox = document.querySelector('[data-testid="phone-alert"]');

  function showAlert(message) {
    if (!alertBox) return;
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  window.MigrapassPhone = {
    root: root,
    page: root.getAttribute("data-phone"),
    sessionId: parseInt(root.getAttribute("data-session-id"), 10),
    showAlert: showAlert,
  };
})();
