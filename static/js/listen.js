/* Migrapass Live — read a prompt or a card aloud, on the phone itself.
 *
 * A "listen" button reads the element just before it with the browser's own speech
 * synthesis (the Web Speech API: the voices of the phone, no outside service), in the
 * language of the text: the button's data-listen, or, for a card someone typed, Arabic
 * when it is written in Arabic letters, otherwise the reader's language for their own
 * cards and the workshop's for the others'. Pressed
 * again, it stops. Where the browser cannot speak, the buttons stay hidden.
 *
 * MigrapassListen.add(container, target, own) puts a button (a copy of the page's
 * <template id="listen-template">) after `target`, for cards the page draws.
 *
 * Classic script (old Android browsers).
 */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  var able = !!(synth && typeof window.SpeechSynthesisUtterance === "function");
  var speaking = null; // the button whose text is being read

  function textOf(node) {
    if (!node) return "";
    return (node.innerText || node.textContent || "").replace(/\s+/g, " ").trim();
  }

  /** Arabic letters say Arabic; anything else is read in the given language. */
  function languageOf(text, fallback) {
    return /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]/.test(text) ? "ar" : fallback;
  }

  function voiceFor(lang) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var prefix = lang.toLowerCase().split("-")[0];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === prefix) return voices[i];
    }
    return null;
  }

  function stopped(button) {
    button.setAttribute("aria-pressed", "false");
    if (speaking === button) speaking = null;
  }

  function speak(button, text, lang) {
    synth.cancel();
    if (speaking) stopped(speaking);
    if (!text) return;
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    var voice = voiceFor(lang);
    if (voice) utterance.voice = voice;
    utterance.onend = utterance.onerror = function () { stopped(button); };
    speaking = button;
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  }

  /** A card's language when its letters do not say: the reader's own for their cards
   *  (data-listen-own), the room's for the others' (the workshop's language). */
  function fallbackOf(button) {
    if (button.hasAttribute("data-listen-own")) return document.documentElement.lang;
    var room = document.querySelector("[data-meeting-lang]");
    return room ? room.getAttribute("data-meeting-lang") : document.documentElement.lang;
  }

  function wire(button, target, lang) {
    button.hidden = !able;
    if (!able || button.getAttribute("data-listen-wired")) return;
    button.setAttribute("data-listen-wired", "true");
    button.addEventListener("click", function () {
      if (speaking === button) {
        synth.cancel();
        stopped(button);
        return;
      }
      var node = target || button.previousElementSibling;
      var text = textOf(node);
      speak(button, text, lang || button.getAttribute("data-listen") || languageOf(text, fallbackOf(button)));
    });
  }

  /** A listen button for `target` (a card's text), put at the end of `container`;
   *  `own`: the reader wrote it. */
  function add(container, target, own) {
    var template = document.getElementById("listen-template");
    if (!able || !template || !template.content) return null;
    var button = template.content.firstElementChild.cloneNode(true);
    button.classList.add("card-listen");
    button.setAttribute("data-testid", "card-listen");
    if (own) button.setAttribute("data-listen-own", "");
    container.appendChild(button);
    wire(button, target, "");
    return button;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-listen]"), function (button) {
      if (button.closest("template")) return;
      wire(button, null, button.getAttribute("data-listen"));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  window.MigrapassListen = { able: able, add: add, languageOf: languageOf };
})();
