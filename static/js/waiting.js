/* Migrapass Live — the phone's waiting page: at the door until the tutor lets the person
 * in (then the room opens) or turns them away (then the home page, to type a code).
 */
(function () {
  "use strict";

  var Live = window.MigrapassLive;
  var Phone = window.MigrapassPhone;
  if (!Phone || Phone.page !== "waiting" || !Live || !window.io) return;

  var reloadKey = "mp:reloaded:" + Phone.sessionId;

  function enter() {
    // Guard against a reload loop if the server and this page ever disagree.
    var now = Date.now();
    var last = 0;
    try {
      last = Number(window.sessionStorage.getItem(reloadKey)) || 0;
      window.sessionStorage.setItem(reloadKey, String(now));
    } catch (e) { /* storage may be unavailable */ }
    if (now - last < 5000) return;
    window.location.reload();
  }

  Live.connectLive("/participant", Phone.sessionId, {
    // The sync only succeeds once we are let in (we may have been let in before connecting).
    snapshot: enter,
    syncRefused: function () { /* still waiting: normal */ },
    personal: function (msg) {
      if (msg.you_are_admitted) enter();
      // Turned away from the door: back to the home page, where a code can be typed.
      if (msg.declined) window.location.assign(Live.root + "/?door=closed");
    },
    refused: Phone.showAlert,
  });
})();
