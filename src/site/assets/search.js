/* stackgate catalog search: reads ?q=, matches the index that search-index.js defines
 * (window.STACKGATE_SEARCH), ranks name and title matches first, and renders results with
 * DOM APIs only (never innerHTML), so indexed text can never become markup. */
(function () {
  "use strict";

  var MAX_SHOWN = 100;
  var FILTERS = { kind: "k", owner: "o", tag: "g" };

  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var summary = document.getElementById("summary");
  if (!input || !list || !summary) { return; }

  var raw = window.STACKGATE_SEARCH;
  var items = Array.isArray(raw) ? raw.map(prepare) : null;

  function lower(s) { return (s || "").toString().toLowerCase(); }

  function prepare(item) {
    return {
      item: item,
      k: lower(item.k),
      n: lower(item.n),
      t: lower(item.t),
      d: lower(item.d),
      o: lower(item.o),
      g: (item.g || []).map(lower)
    };
  }

  function tokens(query) {
    return lower(query).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function hasTag(p, t, exact) {
    for (var i = 0; i < p.g.length; i++) {
      if (exact ? p.g[i] === t : p.g[i].indexOf(t) !== -1) { return true; }
    }
    return false;
  }

  // 0 when a token does not match; otherwise higher for name and title matches.
  function score(p, toks) {
    var total = 0;
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      var colon = t.indexOf(":");
      var field = colon > 0 ? FILTERS[t.slice(0, colon)] : undefined;
      if (field) {
        var want = t.slice(colon + 1);
        if (!want) { continue; }
        var ok = field === "g" ? hasTag(p, want, false) : p[field].indexOf(want) !== -1;
        if (!ok) { return 0; }
        total += 1;
        continue;
      }
      var s = 0;
      if (p.n === t || p.t === t) { s = 100; }
      else if (p.n.indexOf(t) === 0 || p.t.indexOf(t) === 0) { s = 60; }
      else if (p.n.indexOf(t) !== -1 || p.t.indexOf(t) !== -1) { s = 40; }
      else if (hasTag(p, t, true)) { s = 25; }
      else if (hasTag(p, t, false)) { s = 15; }
      else if (p.o.indexOf(t) !== -1) { s = 10; }
      else if (p.k.indexOf(t) !== -1) { s = 8; }
      else if (p.d.indexOf(t) !== -1) { s = 5; }
      if (s === 0) { return 0; }
      total += s;
    }
    return total;
  }

  // Only page paths from the index, never a URL with a scheme.
  function safeHref(url) {
    url = (url || "").toString();
    return /^[a-z][a-z0-9+.\-]*:/i.test(url) ? "#" : url;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function render(query) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!items) {
      summary.textContent = "The search index did not load.";
      return;
    }
    var toks = tokens(query);
    if (toks.length === 0) {
      summary.textContent = "Type to search " + items.length + " entities, stacks and projects.";
      return;
    }
    var hits = [];
    for (var i = 0; i < items.length; i++) {
      var s = score(items[i], toks);
      if (s > 0) { hits.push({ s: s, p: items[i], i: i }); }
    }
    hits.sort(function (a, b) {
      if (b.s !== a.s) { return b.s - a.s; }
      if (a.p.n !== b.p.n) { return a.p.n < b.p.n ? -1 : 1; }
      return a.i - b.i;
    });
    if (hits.length === 0) {
      summary.textContent = "No results for \u201c" + query.trim() + "\u201d.";
      return;
    }
    summary.textContent = hits.length > MAX_SHOWN
      ? "Showing the first " + MAX_SHOWN + " of " + hits.length + " results for \u201c" + query.trim() + "\u201d."
      : hits.length + " result" + (hits.length === 1 ? "" : "s") + " for \u201c" + query.trim() + "\u201d.";
    var fragment = document.createDocumentFragment();
    hits.slice(0, MAX_SHOWN).forEach(function (hit) {
      var item = hit.p.item;
      var li = el("li");
      var a = el("a", "search-result", item.t || item.n);
      // Entities in the default namespace leave their page out of the index.
      // So do projects whose path needs no escaping in their anchor.
      var url = item.u || (item.k === "project"
        ? "instances.html#project-" + (item.t || item.n)
        : lower(item.k) + "/default/" + item.n + ".html");
      a.setAttribute("href", safeHref(url));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "badge kind", item.k));
      if (item.d) { li.appendChild(el("p", "desc", item.d)); }
      var meta = [];
      if (item.t && item.t !== item.n) { meta.push(item.n); }
      if (item.o) { meta.push("owner " + item.o); }
      if (item.g && item.g.length) { meta.push(item.g.join(", ")); }
      if (meta.length) { li.appendChild(el("p", "sub", meta.join(" \u00b7 "))); }
      fragment.appendChild(li);
    });
    list.appendChild(fragment);
  }

  function queryFromLocation() {
    try {
      return new URLSearchParams(window.location.search).get("q") || "";
    } catch (e) {
      return "";
    }
  }

  var initial = queryFromLocation();
  input.value = initial;
  render(initial);

  input.addEventListener("input", function () {
    render(input.value);
    // Keep the address shareable; some browsers refuse this on file://.
    try {
      var url = input.value ? "?q=" + encodeURIComponent(input.value) : window.location.pathname;
      window.history.replaceState(null, "", url);
    } catch (e) { /* ignored */ }
  });
})();
