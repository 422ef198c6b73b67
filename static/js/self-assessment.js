/* Migrapass Live — the self-assessment's "Listen" buttons: each reads its question aloud
 * with the browser's own speech (speechSynthesis), in the page's language. Where the
 * browser cannot speak, the buttons stay hidden. The form itself is a card form like any
 * other (room.js sends it through the outbox).
 *
 * Classic script (no build step, old Android browsers).
 */
(function () {
  "use strict";

  var speech = window.speechSynthesis;
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function") return;

  function say(text, lang) {
    speech.cancel(); // one question at a time: a second tap starts it again
    var utterance = new window.SpeechSynthesisUtterance(text);
    if (lang) utterance.lang = lang;
    speech.speak(utterance);
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-role="listen"]'), function (button) {
    var question = button.closest("fieldset");
    var text = question && question.querySelector('[data-role="question-text"]');
    if (!text) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var lang = (text.closest("[lang]") || document.documentElement).getAttribute("lang");
      say(text.textContent.trim(), lang);
    });
  });
})();
