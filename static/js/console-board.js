/* Migrapass Live — the console's board: each card with the tutor's buttons (hide with a
 * reason, show again, alone on the wall, adopt a rule, put in a group), each family with
 * its own (rename, remove), and the dialogs where a tutor types a reason or a name.
 *
 * MigrapassConsole.board(page) → {render}; `page` is the console's (console.js).
 * Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  Console.board = function (page) {
    var Board = window.MigrapassBoard;
    var t = page.t;
    var act = page.act;
    var mayRun = page.mayRun;
    var boardEl = page.q('[data-role="board"]');
    var noBoard = page.q('[data-role="no-board"]');
    var breakPanel = page.q('[data-role="break-panel"]');
    var boardControls = page.q('[data-role="board-controls"]');
    var cardsCount = page.q('[data-role="cards-count"]');
    var dialogs = Console.dialogs(page);

    function button(label, testId, onClick, focusKey) {
      var b = Board.el("button", "button button-small", label);
      b.type = "button";
      b.setAttribute("data-testid", testId);
      if (focusKey) b.setAttribute("data-focus-key", focusKey);
      b.disabled = !mayRun;
      b.addEventListener("click", onClick);
      return b;
    }

    function groupPick(card, board) {
      var label = Board.el("label", "group-pick");
      label.appendChild(Board.el("span", "visually-hidden", t("group")));
      var select = document.createElement("select");
      select.className = "input input-small";
      select.setAttribute("data-testid", "group-select");
      select.setAttribute("data-focus-key", "group:" + card.id);
      var none = document.createElement("option");
      none.value = "";
      none.textContent = t("no-group");
      select.appendChild(none);
      board.clusters.forEach(function (c) {
        var o = document.createElement("option");
        o.value = String(c.id);
        o.textContent = c.title;
        select.appendChild(o);
      });
      var current = card.cluster_id ? String(card.cluster_id) : "";
      select.value = current;
      // A keyboard goes through the families with the arrow keys (each step a "change"):
      // the card moves once, on Enter or when the focus leaves. A mouse or a finger
      // choosing in the list moves it at once.
      var browsing = false;
      function commit() {
        browsing = false;
        if (select.value === current) return false;
        current = select.value;
        act("group", { card_id: card.id, cluster_id: current ? Number(current) : null });
        return true;
      }
      select.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          if (commit()) event.preventDefault();
        } else if (event.key.length === 1 || /^(Arrow|Page|Home|End)/.test(event.key)) {
          browsing = true;
        }
      });
      select.addEventListener("change", function () { if (!browsing) commit(); });
      select.addEventListener("blur", commit);
      label.appendChild(select);
      return label;
    }

    function cardControls(li, card, board) {
      if (card.by_staff) li.appendChild(Board.el("p", "card-meta", t("tutor-card")));
      if (!mayRun) return;
      var row = Board.el("p", "card-controls");
      if (card.hidden) {
        row.appendChild(button(t("unhide"), "unhide-button", function () {
          act("unhide", { card_id: card.id });
        }, "unhide:" + card.id));
      } else {
        row.appendChild(button(t("hide"), "hide-button", function () {
          dialogs.hideReason(card, li);
        }, "hide:" + card.id));
      }
      // A card typed for someone without a phone, on a board whose cards start hidden:
      // the tutor shows it (and its place and date) only as that person says aloud.
      if (card.by_staff && card.hidden_first) {
        var isShown = !card.not_shown;
        row.appendChild(button(isShown ? t("keep-hidden") : t("show-for-them"), "show-for-button", function () {
          act("show", { card_id: card.id, shown: !isShown, details: false });
        }, "show:" + card.id));
        if (isShown && card.details_not_shown) {
          row.appendChild(button(t("show-details-for-them"), "show-details-for-button", function () {
            act("show", { card_id: card.id, shown: true, details: true });
          }, "show-details:" + card.id));
        }
      }
      var spotlit = page.wall().spotlight === card.id;
      if (spotlit) {
        li.classList.add("is-spotlit");
        li.insertBefore(Board.el("p", "tag tag-spotlit", t("spotlit")), li.firstChild);
        row.appendChild(button(t("back-to-board"), "spotlight-off-button", function () {
          act("spotlight", { card_id: null });
        }, "spotlight:" + card.id));
      } else if (!card.hidden && !card.not_revealed && !card.not_shown) {
        row.appendChild(button(t("spotlight"), "spotlight-button", function () {
          act("spotlight", { card_id: card.id });
        }, "spotlight:" + card.id));
      }
      if (card.board === "group_rules") {
        row.appendChild(button(card.adopted ? t("unadopt") : t("adopt"), "adopt-button", function () {
          act("adopt", { card_id: card.id, adopted: !card.adopted });
        }, "adopt:" + card.id));
      }
      if (board && board.clusters.length) row.appendChild(groupPick(card, board));
      li.appendChild(row);
    }

    function render() {
      var board = page.currentBoard();
      var item = page.stepItems[page.store.common.step_index];
      var isBreak = !!item && item.getAttribute("data-kind") === "break";
      noBoard.hidden = !!board || isBreak;
      breakPanel.hidden = !isBreak;
      boardEl.hidden = !board;
      if (boardControls) boardControls.hidden = !board;
      var shown = Board.render(boardEl, page.store, page.currentStep(), {
        cardTestId: "tutor-card",
        cardControls: function (li, card) { cardControls(li, card, board); },
        clusterControls: function (head, cluster) {
          if (!mayRun) return;
          head.appendChild(button(t("rename"), "cluster-rename", function () {
            dialogs.clusterTitle(cluster);
          }, "rename:" + cluster.id));
          head.appendChild(button(t("remove"), "cluster-remove", function () {
            act("cluster_remove", { cluster_id: cluster.id });
          }));
        },
      });
      // A private board shows no card: its count is how many answered; the anonymous
      // feedback shows how many answers came, until the tutor shows them (the console
      // reads them once the board is closed, the count still says how many are left).
      var count = shown;
      if (board && board.private) count = board.answered;
      else if (board && board.authorless && board.until_reveal) count = board.not_revealed_count;
      cardsCount.textContent = String(count);
    }

    return { render: render };
  };
})();
