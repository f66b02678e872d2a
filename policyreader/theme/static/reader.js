/* Policy reader: tooltips on tap and Escape (hover and focus work with CSS alone), search. */
(function () {
  "use strict";
  var open = null;

  function close(wrap) {
    if (wrap) { wrap.classList.remove("open"); }
    if (wrap === open) { open = null; }
  }

  function wrapOf(node) {
    return node && node.closest ? node.closest(".tw") : null;
  }

  // Later occurrences carry a light tooltip; give it the definition of the first one.
  function complete(wrap) {
    var tip = wrap && wrap.querySelector(".tip");
    if (!tip || tip.querySelector(".def")) { return; }
    var term = wrap.querySelector("a.term").getAttribute("data-term");
    var source = document.querySelector('a.term.primary[data-term="' + term + '"] + .tip .def');
    if (source) { tip.insertBefore(source.cloneNode(true), tip.querySelector("a")); }
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) { complete(wrapOf(event.target)); });
  });

  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest("a.term");
    if (term) {
      // Tap or click shows the explanation; its own link leads on to the glossary.
      event.preventDefault();
      var wrap = wrapOf(term);
      complete(wrap);
      if (open && open !== wrap) { close(open); }
      wrap.classList.remove("dismissed");
      if (wrap.classList.toggle("open")) { open = wrap; } else { close(wrap); }
      return;
    }
    if (open && !open.contains(event.target)) { close(open); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var wrap = wrapOf(document.activeElement) || open;
    document.querySelectorAll(".tw:hover, .tw.open").forEach(function (w) {
      w.classList.add("dismissed");
      close(w);
    });
    if (wrap) { wrap.classList.add("dismissed"); close(wrap); }
  });

  // A dismissed tooltip may open again once the pointer or focus has left it.
  function rearm(event) {
    var wrap = wrapOf(event.target);
    if (wrap && !wrap.contains(event.relatedTarget)) { wrap.classList.remove("dismissed"); }
  }
  document.addEventListener("mouseout", rearm);
  document.addEventListener("focusout", rearm);

  /* ---- Search. The index is split into small script files (policyreader/site/search.py), so
     a query loads only what it needs, from file:// too: search/meta.js first, then the postings
     file of each token, then the text of the articles it shows, ten at a time, newest first.
     Text is normalised and tokenized exactly as search.py does. ---- */
  var form = document.querySelector(".search-form");
  if (!form) { return; }
  var input = form.querySelector("input");
  var results = document.getElementById("results");
  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + CJK + "]+|[a-z0-9]+(?:[.%][a-z0-9]+)*", "g");
  var IS_CJK = new RegExp("^[" + CJK + "]");
  var PAGE = 10;   // articles checked (their text loaded) per page of results
  var base = form.getAttribute("data-index").replace(/meta\.js$/, "");
  var table = null, meta = null, waiting = {};

  function registry() { return window.PR_SEARCH || (window.PR_SEARCH = {}); }

  // Load index files by name ("meta", "p/12", "t/345", "d/3"), each once; then done().
  function need(names, done) {
    var left = 0;
    function one() { if (--left === 0) { done(); } }
    names.forEach(function (name) {
      if (registry()[name] !== undefined) { return; }
      left++;
      if (waiting[name]) { waiting[name].push(one); return; }
      waiting[name] = [one];
      var script = document.createElement("script");
      script.src = (name.slice(0, 2) === "p/" && meta ? meta.up + "search/" : base) + name + ".js";
      script.onload = script.onerror = function () {
        var calls = waiting[name];
        delete waiting[name];
        if (registry()[name] === undefined) { registry()[name] = null; }   // missing: nothing there
        calls.forEach(function (call) { call(); });
      };
      document.head.appendChild(script);
    });
    if (left === 0) { done(); }
  }

  // FNV-1a over UTF-16 code units, as search.py's bucket_of.
  function bucketOf(key, count) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0; }
    return hash & (count - 1);
  }

  // A token's articles, from "3,a,1" (base-36 gaps) or "~OFFSET~BASE64" (a bit mask).
  function decode(text) {
    var ids = [], i, bit;
    if (text.charAt(0) === "~") {
      var parts = text.split("~"), offset = parseInt(parts[1], 36), bytes = atob(parts[2]);
      for (i = 0; i < bytes.length; i++) {
        var byte = bytes.charCodeAt(i);
        for (bit = 0; byte; bit++, byte >>= 1) { if (byte & 1) { ids.push((offset + i) * 8 + bit); } }
      }
      return ids;
    }
    var at = 0;
    text.split(",").forEach(function (gap) { at += parseInt(gap, 36); ids.push(at); });
    return ids;
  }

  function postings(token) {
    var file = registry()["p/" + bucketOf(token, meta.postings)];
    var text = file && file[token];
    return text ? decode(text) : [];
  }

  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { out += table[text[i]] || text[i]; }
    return out.toLowerCase();
  }

  function tokens(text) {
    var found = {}, runs = text.match(RUN) || [];
    runs.forEach(function (run) {
      if (IS_CJK.test(run)) {
        for (var i = 0; i < Math.max(1, run.length - 1); i++) { found[run.substr(i, 2)] = true; }
      } else { found[run] = true; }
    });
    return Object.keys(found);
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  function snippet(text, normalised, parts) {
    var first = normalised.indexOf(parts[0]), start = Math.max(0, first - 30);
    var end = Math.min(text.length, first + parts[0].length + 50), marks = [];
    parts.forEach(function (part) {
      for (var at = normalised.indexOf(part, start); at >= 0 && at < end; at = normalised.indexOf(part, at + part.length)) {
        marks.push([at, Math.min(end, at + part.length)]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var html = start > 0 ? "…" : "", at = start;
    marks.forEach(function (m) {
      if (m[0] < at) { return; }
      html += escapeHtml(text.slice(at, m[0])) + "<mark>" + escapeHtml(text.slice(m[0], m[1])) + "</mark>";
      at = m[1];
    });
    return html + escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
  }

  // What a query asks for: its words, the terms it names, the postings files they need.
  function plan(query) {
    var q = normalise(query.trim()), parts = q.split(/\s+/).filter(Boolean);
    var keys = tokens(q).filter(function (t) { return !IS_CJK.test(t) || t.length > 1; });
    var terms = parts.length ? meta.terms.filter(function (t) { return t[5].indexOf(q) >= 0; }) : [];
    keys = keys.concat(terms.map(function (t) { return "t:" + t[0]; }));
    var files = {};
    keys.forEach(function (key) { files["p/" + bucketOf(key, meta.postings)] = true; });
    terms.forEach(function (t) { files["d/" + bucketOf(t[0], meta.definitions)] = true; });
    return { q: q, parts: parts, terms: terms, files: Object.keys(files) };
  }

  // The articles that may hold the query, newest first (the text then decides).
  function candidates(p) {
    var filter = null;   // null: no token narrowed the articles
    tokens(p.q).forEach(function (token) {
      if (IS_CJK.test(token) && token.length < 2) { return; }
      var ids = postings(token), set = {};
      ids.forEach(function (id) { set[id] = true; });
      filter = filter === null ? ids : filter.filter(function (id) { return set[id]; });
    });
    var chosen = {};
    (filter === null ? [] : filter).forEach(function (id) { chosen[id] = true; });
    p.terms.forEach(function (t) { postings("t:" + t[0]).forEach(function (id) { chosen[id] = true; }); });
    var out = [];
    for (var i = 0; i < meta.n; i++) {
      var id = parseInt(meta.order.substr(i * meta.width, meta.width), 36);
      if (filter === null || chosen[id]) { out.push(id); }
    }
    return out;
  }

  var current = null;   // the query being shown: its plan, candidates, how far they were checked

  function show() {
    var p = current, html = "";
    p.terms.forEach(function (t) {
      var defs = registry()["d/" + bucketOf(t[0], meta.definitions)] || {};
      html += '<li class="result-term"><a href="' + meta.glossary + "#" + t[0] + '">' + escapeHtml(t[1]) + "</a> " +
        '<span lang="zh-Latn-pinyin">' + escapeHtml(t[2]) + "</span> <span lang=\"en\">" + escapeHtml(t[3]) + "</span><br>" +
        escapeHtml(defs[t[0]] || "") + "</li>";
    });
    var count = 0;
    p.found.forEach(function (doc) {
      count += doc.hits.length;
      html += '<li><a class="result-title" href="' + doc.url + '">' + escapeHtml(doc.title) + "</a><ul>";
      doc.hits.slice(0, 5).forEach(function (hit) {
        html += '<li><a href="' + doc.url + "#" + hit[0][0] + '">¶' + hit[0][0].slice(1) + "</a> " + snippet(hit[0][1], hit[1], p.parts) + "</li>";
      });
      html += "</ul></li>";
    });
    var summary = (count ? form.getAttribute("data-found") : form.getAttribute("data-none"))
      .replace("{n}", count).replace("{m}", p.found.length).replace("{t}", p.terms.length);
    var more = "";
    if (p.checked < p.ids.length) {
      more = '<p><button type="button" class="search-more">' + escapeHtml(form.getAttribute("data-more")
        .replace("{k}", Math.min(PAGE, p.ids.length - p.checked)).replace("{left}", p.ids.length - p.checked)) + "</button></p>";
    }
    results.innerHTML = '<p class="result-count">' + escapeHtml(summary) + '</p><ol class="results">' + html + "</ol>" + more;
    var button = results.querySelector(".search-more");
    if (button) { button.addEventListener("click", function () { next(p); }); }
  }

  // Check the next page of candidates against their text; then show what was found so far.
  function next(p) {
    var batch = p.ids.slice(p.checked, p.checked + PAGE);
    need(batch.map(function (id) { return "t/" + id; }), function () {
      if (current !== p) { return; }
      batch.forEach(function (id) {
        var doc = registry()["t/" + id];
        if (!doc) { return; }
        var hits = [];
        doc[2].forEach(function (para) {
          var norm = normalise(para[1]);
          if (p.parts.every(function (part) { return norm.indexOf(part) >= 0; })) { hits.push([para, norm]); }
        });
        if (hits.length) { p.found.push({ url: doc[0], title: doc[1], hits: hits }); }
      });
      p.checked += batch.length;
      show();
    });
  }

  function run() {
    var query = input.value;
    need(["meta"], function () {
      meta = registry().meta;
      if (!table) {
        table = {};
        for (var i = 0; i + 1 < meta.table.length; i += 2) { table[meta.table[i]] = meta.table[i + 1]; }
      }
      var p = plan(query);
      current = p;
      if (!p.parts.length) { results.innerHTML = ""; return; }
      need(p.files, function () {
        if (current !== p) { return; }
        p.ids = candidates(p);
        p.checked = 0;
        p.found = [];
        next(p);
      });
    });
  }

  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  var initial = /[?&]q=([^&#]*)/.exec(location.search);
  if (initial) { input.value = decodeURIComponent(initial[1].replace(/\+/g, " ")); run(); }
})();
