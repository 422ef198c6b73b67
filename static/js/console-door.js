/* Migrapass Live — the console's door and group: who waits to be let in, who is in the
 * group and present tonight, and the lists to choose a person from (writing for someone,
 * merging two names).
 *
 * MigrapassConsole.door(page) → {reset, patched, knocked, render}; `page` is the
 * console's (console.js). Classic script: adds to window.MigrapassConsole.
 */
(function () {
  "use strict";

  var Console = window.MigrapassConsole = window.MigrapassConsole || {};

  Console.door = function (page) {
    var Live = window.MigrapassLive;
    var Board = window.MigrapassBoard;
    var q = page.q;
    var t = page.t;
    var waitingList = q('[data-testid="waiting-list"]');
    var membersList = q('[data-testid="members-list"]');
    var behalfWho = q('[data-role="behalf-who"]');
    var waiting = {};
    var members = {};

    /** The door as a sync describes it (a snapshot, or the ack of a catch-up). */
    function reset(body) {
      waiting = {};
      (body.waiting || []).forEach(function (p) { waiting[p.id] = p; });
      members = {};
      (body.members || []).forEach(function (p) { members[p.id] = p; });
    }

    /** A board message may let someone in, or merge two names into one. */
    function patched(msg) {
      if (msg.admitted) {
        delete waiting[msg.admitted.id];
        members[msg.admitted.id] = msg.admitted;
      }
      if (msg.merged) {
        delete members[msg.merged.absorbed];
        delete waiting[msg.merged.absorbed];
      }
    }

    /** Someone knocked, or people were turned away: whether the door changed. */
    function knocked(msg) {
      var changed = false;
      var p = msg.participant;
      if (p && !members[p.id]) {
        waiting[p.id] = p;
        changed = true;
      }
      if (msg.declined) {
        msg.declined.forEach(function (id) { delete waiting[id]; });
        changed = true;
      }
      return changed;
    }

    function byName(map) {
      return Object.keys(map).map(function (id) { return map[id]; }).sort(function (a, b) {
        return String(a.name).localeCompare(String(b.name));
      });
    }

    function fillList(list, map, templateId, decorate) {
      var focused = document.activeElement;
      var key = focused && list.contains(focused) ? focused.getAttribute("data-focus-key") : null;
      while (list.firstChild) list.removeChild(list.firstChild);
      byName(map).forEach(function (p) {
        var li = Live.fromTemplate(templateId);
        li.querySelector(".person-name").textContent = p.name;
        decorate(li, p);
        list.appendChild(li);
      });
      if (key) {
        var again = list.querySelector('[data-focus-key="' + key + '"]');
        if (again) again.focus();
      }
    }

    function fillSelect(select, map) {
      if (!select) return;
      var chosen = select.value;
      while (select.firstChild) select.removeChild(select.firstChild);
      byName(map).forEach(function (p) {
        var option = document.createElement("option");
        option.value = String(p.id);
        option.textContent = p.name;
        select.appendChild(option);
      });
      if (chosen && map[chosen]) select.value = chosen;
    }

    function render() {
      var store = page.store;
      fillList(waitingList, waiting, "tpl-waiting", function (li, p) {
        li.setAttribute("data-participant-id", String(p.id));
        // When they knocked: two people of the same name are told apart by it too.
        if (p.since_ms) {
          li.querySelector(".person-since").textContent = window.MigrapassTexts.clock(p.since_ms);
        }
      });
      var count = Object.keys(waiting).length;
      q('[data-role="waiting-count"]').textContent = String(count);
      q('[data-role="waiting-empty"]').hidden = count > 0;
      var doorAll = q('[data-role="door-all"]');
      if (doorAll) {
        doorAll.hidden = count < 2;
        q('[data-role="admit-all-question"]').textContent = page.tCount("admit-all-question", count);
        if (count === 0) {
          q('[data-role="admit-all-confirm"]').hidden = true;
          q('[data-role="clear-door-confirm"]').hidden = true;
        }
      }
      var present = {};
      store.present.forEach(function (id) { present[id] = true; });
      fillList(membersList, members, "tpl-member", function (li, p) {
        li.setAttribute("data-participant-id", String(p.id));
        var box = li.querySelector("input");
        box.checked = !!present[p.id];
        box.setAttribute("data-focus-key", "present:" + p.id);
        li.querySelector(".person-tutor").textContent = p.tutor ? Board.fill(t("tutor-of"), { name: p.tutor }) : "";
      });
      q('[data-role="members-empty"]').hidden = Object.keys(members).length > 0;
      q('[data-role="present-count"]').textContent =
        Board.fill(t("present"), { count: store.present.length });
      if (page.mayRun) {
        fillSelect(behalfWho, members);
        fillSelect(q('[data-role="merge-kept"]'), members);
        // Only people let in can be merged: someone at the door is not the group's yet.
        fillSelect(q('[data-role="merge-absorbed"]'), members);
      }
    }

    return { reset: reset, patched: patched, knocked: knocked, render: render };
  };
})();
