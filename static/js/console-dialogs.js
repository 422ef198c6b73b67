/* Migrapass Live — the texts a tutor types on the console (why a card is hidden, a
 * family's name): in a dialog of the page, never window.prompt.
 *
 * MigrapassConsole.dialogs(page) → {hideReason(card, li), clusterTitle(cluster)};
 * `page` is the console's (console.js). Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  Console.dialogs = function (page) {
    var hideDialog = document.querySelector('[data-role="hide-dialog"]');
    var renameDialog = document.querySelector('[data-role="rename-dialog"]');
    var dialogSend = null; // what the open dialog's form sends
    var dialogReturn = []; // focus keys to go back to when it closes

    function open(dialog, value, send, focusKeys) {
      var field = dialog.querySelector("[data-max-chars]");
      var error = dialog.querySelector('[data-role="dialog-error"]');
      field.value = value || "";
      field.removeAttribute("aria-invalid");
      error.hidden = true;
      error.textContent = "";
      window.MigrapassTexts.check(field);
      dialogSend = send;
      dialogReturn = focusKeys || [];
      if (typeof dialog.showModal === "function") {
        if (!dialog.open) dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
      field.focus();
    }

    function close(dialog) {
      if (typeof dialog.close === "function") {
        if (dialog.open) dialog.close(); // its "close" event brings the focus back
      } else {
        dialog.removeAttribute("open");
        afterwards();
      }
    }

    function afterwards() {
      dialogSend = null;
      for (var i = 0; i < dialogReturn.length; i++) {
        var again = page.root.querySelector('[data-focus-key="' + dialogReturn[i] + '"]');
        if (again) {
          again.focus();
          return;
        }
      }
    }

    /** A text over its limit is never cut, nor sent: it stays whole in its field, with the
     *  counter saying how much to take out, and is asked again. */
    function wire(dialog, required) {
      if (!dialog) return;
      var form = dialog.querySelector("form");
      var field = dialog.querySelector("[data-max-chars]");
      var error = dialog.querySelector('[data-role="dialog-error"]');
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!dialogSend || page.isBusy()) return;
        var fits = window.MigrapassTexts.check(field);
        if (!fits || (required && !field.value.trim())) {
          if (!fits) field.setAttribute("aria-invalid", "true");
          field.focus();
          return;
        }
        field.removeAttribute("aria-invalid");
        dialogSend(field.value, error, function () { close(dialog); });
      });
      dialog.querySelector('[data-action="dialog-cancel"]').addEventListener("click", function () {
        close(dialog);
      });
      dialog.addEventListener("close", afterwards);
    }
    wire(hideDialog, false);
    wire(renameDialog, true);

    function hideReason(card, li) {
      if (!hideDialog) return;
      var quote = hideDialog.querySelector('[data-role="dialog-card"]');
      var text = li.querySelector(".card-text");
      quote.textContent = text ? text.textContent : "";
      quote.hidden = !quote.textContent;
      open(hideDialog, "", function (reason, error, done) {
        page.act("hide", { card_id: card.id, reason: reason }, function (ok) {
          if (ok) done();
        }, error);
      }, ["unhide:" + card.id, "hide:" + card.id]);
    }

    function clusterTitle(cluster) {
      if (!renameDialog) return;
      open(renameDialog, cluster.title, function (title, error, done) {
        page.act("cluster_rename", { cluster_id: cluster.id, title: title.trim() }, function (ok) {
          if (ok) done();
        }, error);
      }, ["rename:" + cluster.id]);
    }

    return { hideReason: hideReason, clusterTitle: clusterTitle };
  };
})();
