/* Migrapass Live — the board every live page draws: what a session looks like now.
 *
 * render() draws one step's board for one audience, by board type, from the session's
 * store (store.js); pages add their own controls through hooks. Every visible word comes
 * from the page (#board-words data attributes), never from this file; user text goes to
 * textContent. Needs live.js (its format fills the words' placeholders).
 *
 * Classic script (no build step, old Android browsers): defines window.MigrapassBoard.
 */
(function () {
  "use strict";

  /* ---------- words and small helpers ---------- */

  var fill = window.MigrapassLive.format;
  var wordsEl = null;
  function word(key) {
    if (!wordsEl) wordsEl = document.getElementById("board-words");
    var value = wordsEl ? wordsEl.getAttribute("data-" + key) : null;
    return value === null ? key : value;
  }

  /** "{count} votes", or the page's singular wording where its language says one
   *  (French says it for 0 as well as 1). */
  function counted(key, count) {
    var wording = window.MigrapassTexts ? window.MigrapassTexts.pluralKey(key, count) : key;
    return fill(word(wording), { count: count });
  }

  /** A card's line with the pictogram of its field ("when", "where"…) before it. */
  function fieldLine(tag, className, text, field) {
    var node = el(tag, className, text);
    if (window.MigrapassIcons) window.MigrapassIcons.before(node, "field", field);
    return node;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function pollOptions(stepId) {
    var list = document.querySelector('[data-poll-options="' + stepId + '"]');
    if (!list) return [];
    return Array.prototype.map.call(list.querySelectorAll("li"), function (li) {
      return li.textContent;
    });
  }

  function formatClock(ms) {
    var negative = ms < 0;
    var total = Math.ceil(Math.abs(ms) / 1000);
    if (negative) total = Math.floor(Math.abs(ms) / 1000);
    var m = Math.floor(total / 60);
    var s = total % 60;
    return (negative ? "−" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  /** A stored date ("2015", "2015-03", "2015-03-14") as every screen shows it. */
  function showWhen(value) {
    if (!value) return value;
    var dates = window.MigrapassDates;
    return dates && typeof dates.show === "function" ? dates.show(String(value)) : value;
  }

  /** Votes on a target ("card:12", "cluster:3") of a board. */
  function votesOn(board, target) {
    return (board && board.tally && board.tally[target]) || 0;
  }

  /* ---------- one card, by board type ---------- */

  function cardBody(card) {
    var f = card.fields || {};
    var body = el("div", "card-body");
    switch (card.board) {
      case "timeline":
        body.appendChild(fieldLine("p", "card-when", showWhen(f.when), "when"));
        if (f.place) body.appendChild(fieldLine("p", "card-place", f.place, "place"));
        body.appendChild(el("p", "card-text", f.text));
        break;
      case "experiences":
        body.appendChild(el("p", "card-text", f.what));
        var where = [f.where, f.when ? showWhen(f.when) : ""].filter(Boolean).join(" · ");
        if (where) body.appendChild(fieldLine("p", "card-meta", where, f.where ? "where" : "when"));
        var tags = el("p", "card-tags");
        if (f.setting) tags.appendChild(fieldLine("span", "tag tag-" + f.setting, word("setting-" + f.setting), "setting"));
        if (f.kind) tags.appendChild(fieldLine("span", "tag tag-" + f.kind, word("kind-" + f.kind), "kind"));
        body.appendChild(tags);
        if (f.details) body.appendChild(fieldLine("p", "card-meta", f.details, "details"));
        break;
      case "competences":
        body.appendChild(el("p", "card-text", f.name));
        if (f.category) {
          var cat = el("p", "card-tags");
          cat.appendChild(fieldLine("span", "tag tag-" + f.category, word("category-" + f.category), "category"));
          body.appendChild(cat);
        }
        if (f.evidence) body.appendChild(fieldLine("p", "card-meta", fill(word("evidence"), { evidence: f.evidence }), "evidence"));
        break;
      case "action_plan":
        body.appendChild(el("p", "card-text", f.goal));
        if (f.actions && f.actions.length) {
          var list = el("ol", "card-actions");
          f.actions.forEach(function (a) {
            // Each step takes the direction of its own words (a <bdi> would hide them
            // from dir="auto"); the deadline, isolated, never runs into them.
            var li = el("li");
            li.setAttribute("dir", "auto");
            li.appendChild(el("span", "card-action", a.what));
            if (a.deadline) li.appendChild(el("bdi", "card-deadline", fill(word("by"), { date: a.deadline })));
            list.appendChild(li);
          });
          body.appendChild(list);
        }
        if (f.resources) body.appendChild(fieldLine("p", "card-meta", fill(word("resources"), { resources: f.resources }), "resources"));
        break;
      case "education":
        body.appendChild(el("p", "card-text", f.title));
        var place = [f.where, f.country, f.when ? showWhen(f.when) : ""].filter(Boolean).join(" · ");
        if (place) body.appendChild(fieldLine("p", "card-meta", place, f.where ? "where" : f.country ? "country" : "when"));
        if (f.type) {
          var kind = el("p", "card-tags");
          kind.appendChild(fieldLine("span", "tag tag-" + f.type, word("education-" + f.type), "type"));
          body.appendChild(kind);
        }
        if (f.details) body.appendChild(fieldLine("p", "card-meta", f.details, "details"));
        break;
      case "cv_lines":
        body.appendChild(el("p", "card-text", f.headline));
        if (f.about) body.appendChild(el("p", "card-meta", f.about));
        break;
      case "programme_feedback": // any answer may be all there is: each under its words
        if (f.confidence) {
          var felt = el("p", "card-tags");
          felt.appendChild(el("span", "tag tag-confidence", word("confidence-" + f.confidence)));
          body.appendChild(felt);
        }
        [["helped", f.helped], ["change", f.change]].forEach(function (pair) {
          if (!pair[1]) return;
          body.appendChild(fieldLine("p", "card-label", word(pair[0]), pair[0]));
          body.appendChild(el("p", "card-text", pair[1]));
        });
        break;
      case "self_assessment": // only ever drawn on its author's own phone
        var answers = el("dl", "card-answers");
        ["confidence", "network", "labour_market", "skills", "project"].forEach(function (q) {
          if (!f[q]) return;
          answers.appendChild(el("dt", "card-question", word("question-" + q)));
          answers.appendChild(el("dd", "card-answer answer-" + f[q], word("scale-" + f[q])));
        });
        body.appendChild(answers);
        break;
      default:
        body.appendChild(el("p", "card-text", f.text !== undefined ? f.text : card.text));
    }
    Array.prototype.forEach.call(body.querySelectorAll("p, li"), function (p) {
      p.setAttribute("dir", "auto");
    });
    return body;
  }

  function cardElement(card, board, opts) {
    var li = el("li", "board-card board-card-" + card.board);
    li.setAttribute("data-card-id", String(card.id));
    li.setAttribute("data-testid", opts.cardTestId || "board-card");
    li.appendChild(cardBody(card));
    var foot = el("p", "card-foot");
    if (card.author) foot.appendChild(el("span", "card-author", card.author));
    else if (card.anonymous) foot.appendChild(el("span", "card-author card-anonymous", word("anonymous")));
    if (card.adopted) foot.appendChild(el("span", "tag tag-adopted", word("adopted")));
    if (card.board === "group_rules" && (card.agree || card.disagree)) {
      foot.appendChild(el("span", "card-stances",
        fill(word("stances"), { agree: card.agree || 0, disagree: card.disagree || 0 })));
    }
    var votes = board && board.tally ? board.tally["card:" + card.id] : 0;
    if (votes) foot.appendChild(el("span", "card-votes", counted("votes", votes)));
    li.setAttribute("data-hidden", card.hidden ? "true" : "false");
    if (card.hidden) {
      li.classList.add("is-hidden");
      foot.appendChild(el("span", "tag tag-hidden", card.hidden_reason ?
        fill(word("hidden-reason"), { reason: card.hidden_reason }) : word("hidden")));
    }
    if (card.not_revealed) li.classList.add("is-not-revealed");
    // The consoles' marks of what a hidden-first card's author chose (the room is never
    // sent such a card, nor the place and date kept back).
    if (card.not_shown) {
      li.classList.add("is-not-shown");
      foot.appendChild(el("span", "tag tag-not-shown", word("not-shown")));
    } else if (card.details_not_shown) {
      foot.appendChild(el("span", "tag tag-details-not-shown", word("details-not-shown")));
    }
    if (foot.childNodes.length) li.appendChild(foot);
    if (opts.cardControls) opts.cardControls(li, card);
    return li;
  }

  /* ---------- one step's board ---------- */

  function render(container, store, stepId, opts) {
    opts = opts || {};
    var focusKey = document.activeElement && container.contains(document.activeElement) ?
      document.activeElement.getAttribute("data-focus-key") : null;
    while (container.firstChild) container.removeChild(container.firstChild);
    var board = store.boards[stepId];
    if (!board) return 0;
    container.setAttribute("data-board", board.board);
    var cards = store.cardsOf(stepId);
    var status = el("p", "board-status");
    status.setAttribute("data-testid", "board-status");
    if (board.until_reveal) {
      status.appendChild(el("span", "tag tag-until-reveal",
        fill(word("not-revealed"), { count: board.not_revealed_count })));
    }
    if (board.anonymous) status.appendChild(el("span", "tag", word("anonymous-on")));
    if (board.locked) status.appendChild(el("span", "tag", word("locked")));
    if (board.budget > 0 && board.board !== "poll") {
      status.appendChild(el("span", "tag tag-voting", fill(word("voting-on"), { count: board.budget })));
    }
    if (status.childNodes.length) container.appendChild(status);

    var shown = 0;
    if (board.private) {
      shown = renderPrivate(container, store, board);
    } else if (board.board === "poll") {
      shown = renderPoll(container, board, opts);
    } else if (board.board === "timeline") {
      shown = renderTimeline(container, board, cards, opts);
    } else {
      shown = renderClusters(container, board, cards, opts);
    }
    if (focusKey) {
      var again = container.querySelector('[data-focus-key="' + focusKey + '"]');
      if (again) again.focus();
    }
    return shown;
  }

  /* A private board (the self-assessment): how many answered, never what. */
  function renderPrivate(container, store, board) {
    var total = Math.max(store.common.present_count || 0, board.answered);
    var count = el("p", "answered-count", fill(word("answered"), { count: board.answered, total: total }));
    count.setAttribute("data-testid", "answered-count");
    container.appendChild(count);
    container.appendChild(el("p", "hint", word("private-board")));
    return 1;
  }

  /* opts.ranked (the result of a vote): families, and cards, by votes, most first. */
  function renderClusters(container, board, cards, opts) {
    var byCluster = {};
    var loose = [];
    var clusters = board.clusters;
    if (opts.ranked) {
      var byVotes = function (prefix) {
        return function (a, b) {
          return votesOn(board, prefix + b.id) - votesOn(board, prefix + a.id) || a.id - b.id;
        };
      };
      cards = cards.slice().sort(byVotes("card:"));
      clusters = clusters.slice().sort(byVotes("cluster:"));
    }
    cards.forEach(function (c) {
      if (c.cluster_id && board.clusters.some(function (k) { return k.id === c.cluster_id; })) {
        (byCluster[c.cluster_id] = byCluster[c.cluster_id] || []).push(c);
      } else {
        loose.push(c);
      }
    });
    clusters.forEach(function (cluster) {
      var section = el("section", "board-cluster");
      section.setAttribute("data-cluster-id", String(cluster.id));
      section.setAttribute("data-testid", "board-cluster");
      var head = el("header", "cluster-head");
      head.appendChild(el("h3", "cluster-title", cluster.title));
      var votes = board.tally["cluster:" + cluster.id] || 0;
      var count = el("span", "cluster-votes", counted("votes", votes));
      count.setAttribute("data-testid", "cluster-votes");
      if (votes || board.budget > 0) head.appendChild(count);
      if (opts.clusterControls) opts.clusterControls(head, cluster, board);
      section.appendChild(head);
      var list = el("ul", "board-cards");
      (byCluster[cluster.id] || []).forEach(function (c) { list.appendChild(cardElement(c, board, opts)); });
      section.appendChild(list);
      container.appendChild(section);
    });
    if (loose.length || !clusters.length) {
      var rest = el("ul", "board-cards board-loose");
      loose.forEach(function (c) { rest.appendChild(cardElement(c, board, opts)); });
      container.appendChild(rest);
    }
    return cards.length;
  }

  function renderTimeline(container, board, cards, opts) {
    var sorted = cards.slice().sort(function (a, b) {
      var x = (a.fields && a.fields.when) || "";
      var y = (b.fields && b.fields.when) || "";
      return x < y ? -1 : x > y ? 1 : a.id - b.id;
    });
    var line = el("ol", "timeline");
    line.setAttribute("data-testid", "timeline");
    var lastYear = null;
    sorted.forEach(function (c) {
      var year = String((c.fields && c.fields.when) || "").slice(0, 4);
      if (year !== lastYear) {
        var mark = el("li", "timeline-year", year);
        mark.setAttribute("aria-hidden", "true");
        line.appendChild(mark);
        lastYear = year;
      }
      line.appendChild(cardElement(c, board, opts));
    });
    container.appendChild(line);
    return sorted.length;
  }

  function renderPoll(container, board, opts) {
    var options = pollOptions(board.step);
    var total = 0;
    var counts = options.map(function (_, i) {
      var n = board.tally["option:" + i] || 0;
      total += n;
      return n;
    });
    var list = el("ol", "poll");
    list.setAttribute("data-testid", "poll");
    options.forEach(function (text, i) {
      var row = el("li", "poll-option");
      row.setAttribute("data-option", String(i));
      row.setAttribute("data-testid", "poll-option");
      var label = el("p", "poll-label", text);
      label.setAttribute("dir", "auto");
      row.appendChild(label);
      var bar = el("div", "poll-bar");
      var fillEl = el("div", "poll-fill");
      // The bar's length is a class (10 % steps): a strict CSP forbids style attributes.
      var pct = total ? Math.round((counts[i] / total) * 10) * 10 : 0;
      fillEl.className = "poll-fill w-" + pct;
      bar.appendChild(fillEl);
      row.appendChild(bar);
      var count = el("span", "poll-count", String(counts[i]));
      count.setAttribute("data-testid", "poll-count");
      row.appendChild(count);
      if (opts.optionControls) opts.optionControls(row, i, board);
      list.appendChild(row);
    });
    container.appendChild(list);
    var sum = el("p", "poll-total", counted("answers", total));
    container.appendChild(sum);
    return total;
  }

  window.MigrapassBoard = {
    render: render,
    cardBody: cardBody,
    cardElement: function (card, board, opts) { return cardElement(card, board, opts || {}); },
    showWhen: showWhen,
    word: word,
    fill: fill,
    el: el,
    formatClock: formatClock,
    pollOptions: pollOptions,
  };
})();
