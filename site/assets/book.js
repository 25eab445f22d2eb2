// The chapter pages' script: search over the edition's index (loaded by
// search-index.js as window.strataSearchIndex), and exercise answers
// opened for printing. No libraries, nothing from the network.
(function () {
  "use strict";

  function terms(query) {
    return query.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  // Entries whose heading, chapter title or text hold every term, the
  // ones matching in headings first.
  function search(index, query) {
    var words = terms(query);
    if (words.length === 0) return [];
    var hits = [];
    index.forEach(function (entry, order) {
      var head = (entry.c + " " + entry.h).toLowerCase();
      var text = entry.t.toLowerCase();
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var inHead = head.indexOf(words[i]) >= 0;
        if (!inHead && text.indexOf(words[i]) < 0) return;
        score += inHead ? 10 : 1;
      }
      hits.push({ entry: entry, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return hits.slice(0, 50).map(function (h) { return h.entry; });
  }

  function snippet(text, word) {
    var at = text.toLowerCase().indexOf(word);
    if (at < 0) return text.slice(0, 160);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, at + 100) + (at + 100 < text.length ? "…" : "");
  }

  // Appends `text` to `parent`, marking each occurrence of `word`.
  function appendMarked(parent, text, word) {
    var lower = text.toLowerCase();
    var from = 0;
    var at;
    while (word && (at = lower.indexOf(word, from)) >= 0) {
      parent.appendChild(document.createTextNode(text.slice(from, at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(at, at + word.length);
      parent.appendChild(mark);
      from = at + word.length;
    }
    parent.appendChild(document.createTextNode(text.slice(from)));
  }

  function show(list, index, query) {
    list.textContent = "";
    var words = terms(query);
    search(index, query).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.h && entry.h !== entry.c ? entry.c + " — " + entry.h : entry.c;
      item.appendChild(link);
      var text = document.createElement("span");
      text.className = "snippet";
      appendMarked(text, snippet(entry.t, words[0]), words[0]);
      item.appendChild(text);
      list.appendChild(item);
    });
    if (words.length > 0 && list.children.length === 0) {
      var none = document.createElement("li");
      none.className = "no-results";
      none.textContent = "—";
      list.appendChild(none);
    }
  }

  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var index = window.strataSearchIndex;
  if (input && list && Array.isArray(index)) {
    var update = function () { show(list, index, input.value); };
    input.addEventListener("input", update);
    var asked = new URLSearchParams(location.search).get("q");
    if (asked) {
      input.value = asked;
      update();
    }
  }

  // Printing shows the exercises' answers; they fold again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
