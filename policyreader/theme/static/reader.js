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

  // Later occurrences carry a light tooltip; give it the definition (and this article's note)
  // of the first one.
  function complete(wrap) {
    var tip = wrap && wrap.querySelector(".tip");
    if (!tip || tip.querySelector(".def")) { return; }
    var term = wrap.querySelector("a.term").getAttribute("data-term");
    var first = document.querySelector('a.term.primary[data-term="' + term + '"] + .tip');
    if (!first) { return; }
    [".def", ".ctx"].forEach(function (part) {
      var source = first.querySelector(part);
      if (source) { tip.insertBefore(source.cloneNode(true), tip.querySelector("a")); }
    });
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

  /* ---- Glossary filter: characters (either script), pinyin with or without tones and
     spaces, English. Marks and spaces are dropped on both sides; v stands for ü. ---- */
  var filterBox = document.querySelector(".glossary-filter");
  if (filterBox) {
    var filterInput = filterBox.querySelector("input");
    var filterCount = filterBox.querySelector(".filter-count");
    var items = Array.prototype.slice.call(document.querySelectorAll(".entries li[data-k]"));
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[\s'\u2019\-·]+/g, "").replace(/v/g, "u");
    };
    var keys = items.map(function (li) { return fold(li.textContent + " " + li.getAttribute("data-k")); });
    var applyFilter = function () {
      var q = fold(filterInput.value), shown = 0;
      items.forEach(function (li, i) {
        var hit = !q || keys[i].indexOf(q) >= 0;
        li.hidden = !hit;
        if (hit) { shown++; }
      });
      document.querySelectorAll(".glossary-page section.category").forEach(function (section) {
        section.hidden = !section.querySelector(".entries li:not([hidden])");
      });
      filterCount.textContent = q ? shown + " / " + items.length : "";
    };
    filterInput.addEventListener("input", applyFilter);
    filterBox.hidden = false;
    if (filterInput.value) { applyFilter(); }
  }

  /* ---- Search: the index is a plain script, loaded on the first query (works from file://).
     Text is normalised and tokenized exactly as policyreader/search.py does. ---- */
  var form = document.querySelector(".search-form");
  if (!form) { return; }
  var input = form.querySelector("input");
  var results = document.getElementById("results");
  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + CJK + "]+|[a-z0-9]+(?:[.%][a-z0-9]+)*", "g");
  var IS_CJK = new RegExp("^[" + CJK + "]");
  var table = null;

  function load(done) {
    if (window.POLICY_READER_INDEX) { return done(window.POLICY_READER_INDEX); }
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () { done(window.POLICY_READER_INDEX); };
    document.head.appendChild(script);
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

  function postings(index, token) {
    if (!index.postings) {
      index.postings = index.words;
      index.bigrams.forEach(function (group) {
        for (var i = 0; i < group[1].length; i += 2) { index.postings[group[1].substr(i, 2)] = group[0]; }
      });
    }
    var list = index.postings[token], ids = [], at = 0;
    if (!list) { return []; }
    if (list === "*") { return null; }   // in most articles: filters nothing
    list.split(",").forEach(function (gap) { at += parseInt(gap, 36); ids.push(at); });
    return ids;
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

  function search(index, query) {
    var q = normalise(query.trim()), parts = q.split(/\s+/).filter(Boolean);
    if (!parts.length) { results.innerHTML = ""; return; }
    var filter = null, extra = [], all = false;   // filter null: nothing narrowed the articles yet
    tokens(q).forEach(function (token) {
      if (!IS_CJK.test(token) || token.length > 1) {
        var ids = postings(index, token), set = {};
        if (ids === null) { return; }
        ids.forEach(function (id) { set[id] = true; });
        filter = filter === null ? ids : filter.filter(function (id) { return set[id]; });
      }
    });
    var terms = index.terms.filter(function (t) { return t[5].indexOf(q) >= 0; });
    terms.forEach(function (t) {
      var ids = postings(index, "t:" + t[0]);
      if (ids === null) { all = true; } else { extra = extra.concat(ids); }
    });
    var candidates = filter === null || all ? index.docs.map(function (_, i) { return i; }) : filter.concat(extra);
    var seen = {}, byDoc = [], docs = {};
    candidates.forEach(function (doc) {
      if (seen[doc]) { return; }
      seen[doc] = true;
      for (var id = index.docs[doc][2]; id < index.docs[doc][3]; id++) {
        var para = index.paras[id], norm = normalise(para[1]);
        if (parts.every(function (part) { return norm.indexOf(part) >= 0; })) {
          if (!docs[doc]) { docs[doc] = []; byDoc.push(doc); }
          docs[doc].push([para, norm]);
        }
      }
    });
    var html = "";
    terms.forEach(function (t) {
      html += '<li class="result-term"><a href="' + index.termdir + t[0] + '.html">' + escapeHtml(t[1]) + "</a> " +
        '<span lang="zh-Latn-pinyin">' + escapeHtml(t[2]) + "</span> <span lang=\"en\">" + escapeHtml(t[3]) + "</span><br>" + escapeHtml(t[4]) + "</li>";
    });
    var count = 0;
    byDoc.sort(function (a, b) { return docs[b].length - docs[a].length || a - b; }).forEach(function (doc) {
      var d = index.docs[doc], hits = docs[doc];
      count += hits.length;
      html += '<li><a class="result-title" href="' + d[0] + '">' + escapeHtml(d[1]) + "</a><ul>";
      hits.slice(0, 5).forEach(function (hit) {
        html += '<li><a href="' + d[0] + "#" + hit[0][0] + '">¶' + hit[0][0].slice(1) + "</a> " + snippet(hit[0][1], hit[1], parts) + "</li>";
      });
      html += "</ul></li>";
    });
    var summary = (count ? form.getAttribute("data-found") : form.getAttribute("data-none"))
      .replace("{n}", count).replace("{m}", byDoc.length).replace("{t}", terms.length);
    results.innerHTML = '<p class="result-count">' + escapeHtml(summary) + '</p><ol class="results">' + html + "</ol>";
  }

  function run() {
    var query = input.value;
    load(function (index) {
      if (!table) {
        table = {};
        for (var i = 0; i + 1 < index.table.length; i += 2) { table[index.table[i]] = index.table[i + 1]; }
      }
      search(index, query);
    });
  }

  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  var initial = /[?&]q=([^&#]*)/.exec(location.search);
  if (initial) { input.value = decodeURIComponent(initial[1].replace(/\+/g, " ")); run(); }
})();
