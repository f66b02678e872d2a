/* Policy reader: one card for term explanations, the reader's settings, finding one's way,
   search. Without it, terms still open on hover and focus (CSS) and every link works. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement, KEY = "policy-reader";
  root.classList.add("js");

  function $(selector, scope) { return (scope || doc).querySelector(selector); }
  function $$(selector, scope) { return Array.prototype.slice.call((scope || doc).querySelectorAll(selector)); }
  function attr(el, name, value) { if (value === null) { el.removeAttribute(name); } else { el.setAttribute(name, value); } }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(v, hi)); }
  function headerBottom() { var h = $(".site-header"); return h ? Math.max(0, h.getBoundingClientRect().bottom) : 0; }
  function wide() { return root.clientWidth >= 640; }

  /* ---- Settings: marks, pinyin, font size; kept in localStorage (also from file://) ---- */
  var settings = {};
  try { settings = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { settings = {}; }
  var terms = $$("a.term");

  function marked(term) {
    var mode = settings.marks || "section";
    return mode === "every" || (mode === "section" && term.classList.contains("fs"));
  }

  // Pinyin over the whole term, as pinyin is written (syllables of a word together).
  function ruby(term) {
    var text = term.textContent, py = $("#note-" + term.getAttribute("data-term") + " .note-pinyin") || term.parentNode.querySelector(".tip .py");
    var r = doc.createElement("ruby"), rt = doc.createElement("rt");
    r.appendChild(doc.createTextNode(text));
    rt.textContent = term.getAttribute("data-py") || (py ? py.textContent : "");
    rt.setAttribute("aria-hidden", "true");
    r.appendChild(rt);
    term.setAttribute("data-text", text);
    term.textContent = "";
    term.appendChild(r);
  }

  function apply() {
    attr(root, "data-marks", settings.marks && settings.marks !== "section" ? settings.marks : null);
    attr(root, "data-pinyin", settings.pinyin ? "on" : null);
    attr(root, "data-size", settings.size && settings.size !== "m" ? settings.size : null);
    terms.forEach(function (term) {
      var on = marked(term);
      term.tabIndex = on ? 0 : -1;   // one Tab stop per marked term, none for the rest
      var has = term.hasAttribute("data-text");
      if (on && settings.pinyin && !has) { ruby(term); }
      if (has && !(on && settings.pinyin)) { term.textContent = term.getAttribute("data-text"); term.removeAttribute("data-text"); }
    });
    $$(".settings input").forEach(function (input) {
      var value = input.name === "pinyin" ? (settings.pinyin ? "on" : "") : (settings[input.name] || (input.name === "marks" ? "section" : "m"));
      input.checked = input.value === value;
    });
  }

  var panel = $("#settings"), toggle = $(".settings-toggle");
  function showSettings(show) {
    panel.hidden = !show;
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
  }
  if (panel && toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () { showSettings(panel.hidden); });
    panel.addEventListener("change", function (event) {
      var input = event.target;
      if (input.name === "pinyin") { settings.pinyin = input.checked; } else { settings[input.name] = input.value; }
      try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch (e) { /* private mode: this page only */ }
      close();
      apply();
    });
  }
  apply();

  /* ---- The card: one explanation at a time ---- */
  var article = $("article.article"), card = null, current = null, pinned = false, hideTimer = null, dismissed = null;
  function label(name, fallback) { return (article && article.getAttribute("data-" + name)) || fallback; }

  function makeCard() {
    card = doc.createElement("div");
    card.className = "card";
    card.id = "card";
    card.hidden = true;
    card.setAttribute("role", "dialog");
    ($("main") || doc.body).appendChild(card);
    card.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("pointerleave", function (event) { if (event.pointerType === "mouse" && !pinned) { hideSoon(); } });
    card.addEventListener("click", function (event) {
      if (event.target.closest(".card-close")) { close(true); }
      var copy = event.target.closest("button.copy");
      if (copy) { copyText(card.querySelector(".cite-text"), copy); }
    });
  }

  function closeButton() {
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "card-close";
    button.setAttribute("aria-label", label("close", "×"));
    button.textContent = "×";
    return button;
  }

  // The card says what the term list says of the term (its page, pinyin, English, definition,
  // this article's note); a page without the list shows the occurrence's own explanation.
  function fillTerm(term) {
    var tip = term.parentNode.querySelector(".tip"), box = doc.createElement("div");
    var note = doc.getElementById("note-" + term.getAttribute("data-term"));
    if (note) {
      var name = doc.createElement("b"), link = $(".note-term", note).cloneNode(true);
      name.textContent = link.textContent;
      box.appendChild(name);
      [["note-pinyin", "span", "py"], ["note-english", "i", "en"], ["note-def", "span", "def"], ["note-ctx", "span", "ctx"]].forEach(function (part) {
        var from = $("." + part[0], note);
        if (!from) { return; }
        var el = doc.createElement(part[1]);
        el.className = part[2];
        el.textContent = from.textContent;
        if (from.lang) { el.lang = from.lang; }
        box.appendChild(doc.createTextNode(" "));
        box.appendChild(el);
      });
      link.className = "";
      link.textContent = label("to-entry", "→");
      box.appendChild(link);
    } else { box.innerHTML = tip ? tip.innerHTML : ""; }
    $$("a", box).forEach(function (a) { a.tabIndex = -1; });
    card.innerHTML = "";
    card.appendChild(box);
    var button = closeButton();
    button.tabIndex = -1;   // Escape closes it from the keyboard; the term keeps the Tab stop
    card.appendChild(button);
    card.setAttribute("aria-label", term.getAttribute("data-text") || term.textContent);
  }

  function fillCite(pnum) {
    var n = pnum.getAttribute("data-n");
    card.innerHTML = "";
    var title = doc.createElement("b");
    title.textContent = label("cite-label", "") + " ¶" + n;
    var text = doc.createElement("span");
    text.className = "cite-text";
    text.textContent = label("cite", "").replace("{n}", n);
    var copy = doc.createElement("button");
    copy.type = "button";
    copy.className = "copy";
    copy.textContent = label("copy", "Copy");
    card.appendChild(title);
    card.appendChild(text);
    card.appendChild(copy);
    card.appendChild(closeButton());
    card.setAttribute("aria-label", title.textContent);
  }

  function copyText(source, button) {
    var text = source.textContent;
    function done() { button.textContent = label("copied", "OK"); }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { select(source); });
    } else { select(source); }
  }

  function select(node) {
    var range = doc.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Beside the paragraph when there is room (it then covers none of it), else below or above
  // the paragraph, else under or over the term's line; always inside the viewport. A phone
  // gets a sheet at the bottom, and the page moves so the term stays in sight above it.
  function place(anchor) {
    var vw = root.clientWidth, vh = window.innerHeight, gap = 8, top0 = headerBottom();
    var sheet = !wide();
    card.classList.toggle("sheet", sheet);
    card.style.left = card.style.top = card.style.width = card.style.maxHeight = "";
    if (sheet) {
      var r = anchor.getBoundingClientRect(), limit = vh - card.offsetHeight - gap;
      if (r.bottom > limit) { window.scrollBy(0, r.bottom - limit); } else if (r.top < top0 + gap) { window.scrollBy(0, r.top - top0 - gap); }
      return;
    }
    var para = anchor.closest("p, li, blockquote, figcaption, dd, h1, h2, h3, h4") || anchor;
    var p = para.getBoundingClientRect(), lines = anchor.getClientRects(), t = lines.length ? lines[0] : anchor.getBoundingClientRect();
    var width = Math.min(320, vw - 2 * gap), right = vw - p.right - 2 * gap, left = p.left - 2 * gap, x = null, y;
    if (right >= 240) { width = Math.min(width, right); x = p.right + gap; } else if (left >= 240) { width = Math.min(width, left); x = p.left - gap - width; }
    card.style.width = width + "px";
    card.style.maxHeight = (vh - top0 - 2 * gap) + "px";
    var h = card.offsetHeight;
    if (x !== null) {
      y = t.top - 6;
      if (y + h > vh - gap) { y = t.bottom + 6 - h; }   // no room below: flip above
    } else {
      x = clamp(t.left - 24, gap, vw - width - gap);
      if (p.bottom + gap + h <= vh - gap) { y = p.bottom + gap; } else if (p.top - gap - h >= top0 + gap) { y = p.top - gap - h; } else if (t.bottom + gap + h <= vh - gap) { y = t.bottom + gap; } else { y = t.top - gap - h; }
    }
    card.style.left = Math.round(x) + "px";
    card.style.top = Math.round(clamp(y, top0 + gap, vh - h - gap)) + "px";
  }

  function open(anchor, how) {
    clearTimeout(hideTimer);
    if (!card) { makeCard(); }
    if (current !== anchor || how === "cite") {
      if (current) { current.removeAttribute("aria-expanded"); }
      if (anchor.classList.contains("pnum")) { fillCite(anchor); } else { fillTerm(anchor); }
      current = anchor;
    }
    pinned = how === "tap" || how === "cite";
    card.hidden = false;
    if (anchor.classList.contains("term")) { anchor.setAttribute("aria-expanded", "true"); }
    place(anchor);
    toTop();
  }

  function close(refocus) {
    clearTimeout(hideTimer);
    if (!card || card.hidden) { return; }
    var was = current;
    card.hidden = true;
    if (was) { was.removeAttribute("aria-expanded"); }
    current = null;
    pinned = false;
    if (refocus && was && card.contains(doc.activeElement)) { was.focus(); }
    toTop();
  }

  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(function () { close(); }, 400); }

  function termOf(node) {
    var term = node && node.closest ? node.closest("a.term") : null;
    return term && marked(term) ? term : null;
  }

  doc.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") { return; }
    var term = termOf(event.target);
    if (term && !(pinned && current === term)) { open(term, "hover"); }
  });
  doc.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse" || pinned || !current) { return; }
    var term = termOf(event.target);
    if (term === current && !(event.relatedTarget && (term.contains(event.relatedTarget) || (card && card.contains(event.relatedTarget))))) { hideSoon(); }
  });
  doc.addEventListener("focusin", function (event) {
    var term = termOf(event.target);
    if (term && term !== dismissed && term.matches(":focus-visible")) { open(term, "focus"); }
  });
  doc.addEventListener("focusout", function (event) {
    var term = termOf(event.target);
    if (term === dismissed) { dismissed = null; }
    if (term && term === current && !pinned && !(card && card.contains(event.relatedTarget))) { close(); }
  });

  doc.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.term") : null;
    if (link) {
      // A pointer's click or tap opens the explanation (a second one closes it); Enter on a
      // focused term, whose explanation is already open, follows it to the glossary.
      if (event.detail === 0 && marked(link)) { return; }
      event.preventDefault();
      if (!marked(link)) { return; }
      if (current === link && pinned && !card.hidden) { close(); } else { open(link, "tap"); }
      return;
    }
    var pnum = event.target.closest ? event.target.closest("a.pnum") : null;
    if (pnum && article) {
      // The permalink still works (address and highlight); the card offers the citation.
      var keyboard = event.detail === 0;
      setTimeout(function () {
        open(pnum, "cite");
        if (keyboard) { card.querySelector("button.copy").focus(); }
      }, 0);
      return;
    }
    if (card && !card.hidden && !card.contains(event.target)) { close(); }
    if (panel && !panel.hidden && !panel.contains(event.target) && event.target !== toggle) { showSettings(false); }
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    if (panel && !panel.hidden) { showSettings(false); toggle.focus(); }
    if (current && doc.activeElement === current) { dismissed = current; }
    close(true);
  });

  var ticking = false;
  function onScroll() {
    if (ticking) { return; }
    ticking = true;
    requestAnimationFrame(function () {
      ticking = false;
      toTop();
      if (!card || card.hidden || !current || !wide()) { return; }
      var r = current.getBoundingClientRect();
      if (r.bottom < headerBottom() || r.top > window.innerHeight) { close(); } else { place(current); }
    });
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll);

  /* ---- Finding one's way ---- */
  var up = $(".to-top");
  function toTop() {
    if (up) { up.hidden = window.scrollY < window.innerHeight * 1.5 || !!(card && !card.hidden && card.classList.contains("sheet")); }
  }
  toTop();

  // The term list: collapsed on a phone, opened when a link leads into it.
  var list = $("#terms-list"), termsBox = $("#terms");
  if (list && termsBox && article) {
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "terms-toggle";
    button.setAttribute("aria-controls", "terms-list");
    var setOpen = function (show) {
      termsBox.classList.toggle("collapsed", !show);
      button.setAttribute("aria-expanded", show ? "true" : "false");
      button.textContent = label(show ? "terms-close" : "terms-open", "");
    };
    button.addEventListener("click", function () { setOpen(termsBox.classList.contains("collapsed")); });
    $("h2", termsBox).insertAdjacentElement("afterend", button);
    var fromHash = function () { return /^#(terms|note-)/.test(location.hash); };
    setOpen(wide() || fromHash());
    window.addEventListener("hashchange", function () { if (fromHash()) { setOpen(true); } });
    window.addEventListener("beforeprint", function () { setOpen(true); });
  }

  // The script switch keeps the reader's place: the paragraph being read (or the anchor the
  // page was opened at), and the search query.
  function place_of_reading() {
    if (window.scrollY < 10 || !article) { return location.hash; }
    // The first paragraph with more than its last two lines in sight under the header.
    var top = headerBottom() + 48, paras = $$(".article p[id^='p'], .article li[id^='p']");
    for (var i = 0; i < paras.length; i++) {
      if (/^p\d+$/.test(paras[i].id) && paras[i].getBoundingClientRect().bottom > top) { return "#" + paras[i].id; }
    }
    return location.hash;
  }
  function keepPlace(event) {
    var link = event.target.closest ? event.target.closest(".lang-switch a") : null;
    if (!link) { return; }
    var base = link.getAttribute("href").replace(/[?#].*$/, ""), q = $("#q");
    var search = q && q.value.trim() ? "?q=" + encodeURIComponent(q.value.trim()) : location.search;
    link.setAttribute("href", base + search + place_of_reading());
  }
  ["pointerdown", "focusin", "click"].forEach(function (type) { doc.addEventListener(type, keepPlace, true); });

  // 上一篇 / 下一篇 land here, on the list of the article's month: go on to the neighbour; past
  // either end of the list, to the next month's (#hop-last, #hop-first: its end next to this).
  var hop = /^#(before|after|hop)-(.+)$/.exec(location.hash);
  if (hop && root.classList.contains("hop")) {
    var list = $("ol.article-list"), item = null, next = null, month = null;
    if (hop[1] === "hop" && list) {
      next = hop[2] === "last" ? list.lastElementChild : list.firstElementChild;
    } else {
      item = doc.getElementById("before-" + hop[2]);
      next = item && (hop[1] === "before" ? item.previousElementSibling : item.nextElementSibling);
      month = item && !next && list && list.getAttribute(hop[1] === "before" ? "data-newer" : "data-older");
    }
    var target = next && $("h2 a", next);
    if (target) { location.replace(target.href); } else if (month) {
      location.replace(month + (hop[1] === "before" ? "#hop-last" : "#hop-first"));
    } else {
      root.classList.remove("hop");
      var note = $("#hop-note");
      if (note && item) { note.textContent = note.getAttribute(hop[1] === "before" ? "data-first" : "data-last"); note.hidden = false; }
    }
  }

  /* ---- Glossary filter: characters (either script), pinyin with or without tones and
     spaces, English. Marks and spaces are dropped on both sides; v stands for ü. ---- */
  var filterBox = $(".glossary-filter");
  if (filterBox) {
    var filterInput = $("input", filterBox), filterCount = $(".filter-count", filterBox);
    var items = $$(".entries li[data-k]");
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
      $$(".glossary-page section.category").forEach(function (section) {
        section.hidden = !section.querySelector(".entries li:not([hidden])");
      });
      filterCount.textContent = q ? shown + " / " + items.length : "";
    };
    filterInput.addEventListener("input", applyFilter);
    filterBox.hidden = false;
    if (filterInput.value) { applyFilter(); }
  }

  /* ---- Search. The index is split into small script files (policyreader/site/search.py), so
     a query loads only what it needs, from file:// too: search/meta.js first, then the postings
     file of each token and the definitions of the terms it shows, then the text of the
     articles, ten at a time, newest first. Text is normalised and tokenized exactly as search.py
     does. ---- */
  var form = $(".search-form");
  if (!form) { return; }
  var input = $("input", form), results = doc.getElementById("results");
  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + CJK + "]+|[a-z0-9]+(?:[.%][a-z0-9]+)*", "g");
  var IS_CJK = new RegExp("^[" + CJK + "]");
  var PAGE = 10;   // articles whose text one page of results checks
  var base = form.getAttribute("data-index").replace(/meta\.js$/, "");
  var table = null, meta = null, waiting = {}, current = null;

  function registry() { return window.PR_SEARCH || (window.PR_SEARCH = {}); }

  // Load index files by name ("meta", "p/12", "t/345", "d/3"), each once, then call done().
  function need(names, done) {
    var left = 1;
    function one() { if (--left === 0) { done(); } }
    names.forEach(function (name) {
      if (registry()[name] !== undefined) { return; }
      left++;
      if (waiting[name]) { waiting[name].push(one); return; }
      waiting[name] = [one];
      var script = doc.createElement("script");
      script.src = (name.slice(0, 2) === "p/" ? meta.up + "search/" : base) + name + ".js";
      script.onload = script.onerror = function () {
        var calls = waiting[name];
        delete waiting[name];
        if (registry()[name] === undefined) { registry()[name] = null; }   // missing: nothing there
        calls.forEach(function (call) { call(); });
      };
      doc.head.appendChild(script);
    });
    one();
  }

  // FNV-1a over UTF-16 code units, as search.py's bucket_of.
  function bucketOf(key, count) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0; }
    return hash & (count - 1);
  }

  // A token's articles, from "3,a,1" (base-36 gaps) or "~OFFSET~BASE64" (a bit mask).
  function decode(text) {
    var ids = [], i, bit, at = 0;
    if (text.charAt(0) === "~") {
      var parts = text.split("~"), offset = parseInt(parts[1], 36), bytes = atob(parts[2]);
      for (i = 0; i < bytes.length; i++) {
        for (bit = 0, at = bytes.charCodeAt(i); at; bit++, at >>= 1) { if (at & 1) { ids.push((offset + i) * 8 + bit); } }
      }
      return ids;
    }
    text.split(",").forEach(function (gap) { at += parseInt(gap, 36); ids.push(at); });
    return ids;
  }

  function postings(token) {
    var file = registry()["p/" + bucketOf(token, meta.postings)];
    return file && file[token] ? decode(file[token]) : [];
  }

  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) { out += table[text[i]] || text[i]; }
    return out.toLowerCase();
  }

  // Latin letters without tone marks or tone numbers: fùkuàng, fu4kuang4 and fukuang meet.
  function bare(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/ü/g, "u").replace(/v/g, "u").replace(/[^a-z]/g, "");
  }

  function tokens(text) {
    var found = {}, runs = text.match(RUN) || [];
    runs.forEach(function (run) {
      if (IS_CJK.test(run)) {
        for (var i = 0; i < Math.max(1, run.length - 1); i++) { found[run.substr(i, 2)] = true; }
      } else { found[run] = true; }
    });
    return Object.keys(found).filter(function (t) { return !IS_CJK.test(t) || t.length > 1; });
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

  // How well a glossary term answers the query (0: not at all): by its written forms (also a
  // part of one), its pinyin with or without tones, typed whole or begun, or its English.
  function termScore(t, q, key) {
    var forms = t.forms, i;
    for (i = 0; i < forms.length; i++) { if (forms[i] === q) { return 5; } }
    for (i = 0; i < forms.length; i++) { if (forms[i].indexOf(q) >= 0) { return 4; } }
    if (key.length >= 2) {
      if (!t.syllables) { t.syllables = t[2].split(/\s+/).map(bare).filter(Boolean); }
      var s = t.syllables;
      for (var start = 0; start < s.length; start++) {
        var rest = key, j = start;
        while (rest && j < s.length) {
          if (rest.indexOf(s[j]) === 0) { rest = rest.slice(s[j].length); j++; } else if (s[j].indexOf(rest) === 0) { rest = ""; } else { break; }
        }
        if (!rest) { return start === 0 ? (j === s.length ? 3.5 : 3) : 2; }
      }
    }
    var english = " " + t[3].toLowerCase().replace(/[^a-z0-9]+/g, " ");
    var words = q.replace(/[^a-z0-9]+/g, " ").trim();
    if (words.length >= 2 && english.indexOf(" " + words) >= 0) { return english.trim() === words ? 3.5 : 2.5; }
    return 0;
  }

  // What a query asks for: its words, the terms it names (a paragraph answers the words, or for
  // pinyin, English or a part of a term, names a term found), and the index files they need.
  function plan(query) {
    var q = normalise(query.trim()), parts = q.split(/\s+/).filter(Boolean), key = bare(q);
    var terms = !parts.length ? [] : meta.terms.map(function (t) { return [termScore(t, q, /[a-z]/.test(q) ? key : ""), t]; })
      .filter(function (s) { return s[0] > 0; })
      .sort(function (a, b) { return b[0] - a[0]; }).slice(0, 12).map(function (s) { return s[1]; });
    var alternatives = [parts];
    terms.forEach(function (t) { t.forms.forEach(function (form) { if (form.indexOf(q) < 0) { alternatives.push([form]); } }); });
    var files = {};
    tokens(q).concat(terms.map(function (t) { return "t:" + t[0]; })).forEach(function (token) {
      files["p/" + bucketOf(token, meta.postings)] = true;
    });
    terms.forEach(function (t) { files["d/" + bucketOf(t[0], meta.definitions)] = true; });
    return { q: q, parts: parts, terms: terms, alternatives: alternatives, files: Object.keys(files) };
  }

  // The articles that may answer, newest first (their text decides): those holding every token
  // of the query, and those where a term found is marked.
  function candidates(p) {
    var filter = null;   // null: no token narrowed the articles
    tokens(p.q).forEach(function (token) {
      var ids = postings(token), set = {};
      ids.forEach(function (id) { set[id] = true; });
      filter = filter === null ? ids : filter.filter(function (id) { return set[id]; });
    });
    var chosen = {};
    (filter || []).forEach(function (id) { chosen[id] = true; });
    p.terms.forEach(function (t) { postings("t:" + t[0]).forEach(function (id) { chosen[id] = true; }); });
    var out = [];
    for (var i = 0; i < meta.n; i++) {
      var id = parseInt(meta.order.substr(i * meta.width, meta.width), 36);
      if (filter === null || chosen[id]) { out.push(id); }
    }
    return out;
  }

  function show(p) {
    var html = "", count = 0;
    p.terms.forEach(function (t) {
      var defs = registry()["d/" + bucketOf(t[0], meta.definitions)] || {};
      html += '<li class="result-term"><a href="' + meta.termdir + t[0] + '.html">' + escapeHtml(t[1]) + "</a> " +
        '<span lang="zh-Latn-pinyin">' + escapeHtml(t[2]) + '</span> <span lang="en">' + escapeHtml(t[3]) + '</span><span class="def">' + escapeHtml(defs[t[0]] || "") + "</span></li>";
    });
    p.found.forEach(function (d) {
      count += d.hits.length;
      html += '<li><a class="result-title" href="' + d.url + '">' + escapeHtml(d.title) + "</a><ul>";
      d.hits.slice(0, 5).forEach(function (hit) {
        html += '<li><a href="' + d.url + "#" + hit[0][0] + '">¶' + hit[0][0].slice(1) + "</a> " + snippet(hit[0][1], hit[1], hit[2]) + "</li>";
      });
      html += "</ul></li>";
    });
    var summary = (count || p.terms.length ? form.getAttribute("data-found") : form.getAttribute("data-none"))
      .replace("{n}", count).replace("{m}", p.found.length).replace("{t}", p.terms.length);
    var more = p.checked < p.ids.length ? '<p><button type="button" class="search-more">' + escapeHtml(form.getAttribute("data-more")
      .replace("{k}", Math.min(PAGE, p.ids.length - p.checked)).replace("{left}", p.ids.length - p.checked)) + "</button></p>" : "";
    results.innerHTML = '<p class="result-count">' + escapeHtml(summary) + '</p><ol class="results">' + html + "</ol>" + more;
    var button = $(".search-more", results);
    if (button) { button.addEventListener("click", function () { next(p); }); }
  }

  // Check the next page of candidates against their text, then show what was found so far.
  function next(p) {
    var batch = p.ids.slice(p.checked, p.checked + PAGE);
    need(batch.map(function (id) { return "t/" + id; }), function () {
      if (current !== p) { return; }
      batch.forEach(function (id) {
        var d = registry()["t/" + id], hits = [];
        (d ? d[2] : []).forEach(function (para) {
          var norm = normalise(para[1]);
          for (var a = 0; a < p.alternatives.length; a++) {
            if (p.alternatives[a].every(function (part) { return norm.indexOf(part) >= 0; })) {
              hits.push([para, norm, p.alternatives[a]]);
              break;
            }
          }
        });
        if (hits.length) { p.found.push({ url: d[0], title: d[1], hits: hits }); }
      });
      p.checked += batch.length;
      show(p);
    });
  }

  function run() {
    var query = input.value;
    need(["meta"], function () {
      meta = registry().meta;
      if (!table) {
        table = {};
        for (var i = 0; i + 1 < meta.table.length; i += 2) { table[meta.table[i]] = meta.table[i + 1]; }
        // A term's normal forms: its shown form's (worked out here) and the others the file lists.
        meta.terms.forEach(function (t) { t.forms = [normalise(t[1])].concat(t[4]).sort(); });
      }
      var p = current = plan(query);
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
