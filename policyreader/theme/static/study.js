/* Study kit: tabs, flashcards, quiz and fill-in scoring. The score stays in this browser only
   (localStorage, which works from file:// too); nothing is sent anywhere. */
(function () {
  "use strict";
  var root = document.querySelector(".study");
  if (!root) { return; }
  var KEY = root.getAttribute("data-storage");
  var state;
  try { state = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { state = {}; }
  ["quiz", "fill", "known"].forEach(function (k) { if (typeof state[k] !== "object" || !state[k]) { state[k] = {}; } });
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: keep it in memory */ }
  }
  function all(selector, within) { return Array.prototype.slice.call((within || root).querySelectorAll(selector)); }
  root.classList.add("js");

  /* Answers are compared as policyreader/site/study.py's normalise_answer does. */
  var IGNORED = /[\s"'\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b\u3008\u3009()\uff08\uff09\u00b7\u30fb]/g;
  function normalise(text) { return (text.normalize ? text.normalize("NFKC") : text).replace(IGNORED, ""); }

  /* ---- tabs ---- */
  var parts = all(".study-part");
  var tabs = all(".study-tabs button");
  function show(name) {
    parts.forEach(function (p) { p.hidden = p.id !== name; });
    tabs.forEach(function (b) { b.setAttribute("aria-selected", String(b.getAttribute("data-tab") === name)); });
  }
  root.querySelector(".study-tabs").hidden = false;
  tabs.forEach(function (b) {
    b.addEventListener("click", function () {
      var name = b.getAttribute("data-tab");
      show(name);
      state.tab = name; save();
      try { history.replaceState(null, "", "#" + name); } catch (e) { /* file:// in some browsers */ }
    });
  });
  var wanted = location.hash.slice(1);
  show(tabs.some(function (b) { return b.getAttribute("data-tab") === wanted; }) ? wanted : (state.tab || "cards"));
  all(".print-button").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

  /* ---- flashcards ---- */
  var cards = all(".card");
  var controls = root.querySelector(".card-controls");
  var count = root.querySelector(".card-count");
  var knownButton = root.querySelector(".card-known");
  var onlyUnknown = root.querySelector(".card-unknown");
  var current = 0;
  function deck() {
    return cards.filter(function (c) { return !onlyUnknown.checked || !state.known[c.getAttribute("data-id")]; });
  }
  function drawCard() {
    var list = deck();
    cards.forEach(function (c) { c.classList.remove("current", "flipped"); c.classList.toggle("known", !!state.known[c.getAttribute("data-id")]); });
    var known = cards.filter(function (c) { return state.known[c.getAttribute("data-id")]; }).length;
    if (!list.length) { count.textContent = count.getAttribute("data-done") || "✓"; return; }
    current = (current + list.length) % list.length;
    var card = list[current];
    card.classList.add("current");
    var id = card.getAttribute("data-id");
    knownButton.setAttribute("aria-pressed", String(!!state.known[id]));
    count.textContent = (current + 1) + " / " + list.length + "　✓ " + known;
  }
  if (cards.length) {
    controls.hidden = false;
    root.querySelector(".card-prev").addEventListener("click", function () { current -= 1; drawCard(); });
    root.querySelector(".card-next").addEventListener("click", function () { current += 1; drawCard(); });
    root.querySelector(".card-flip").addEventListener("click", function () { root.querySelector(".card.current").classList.toggle("flipped"); });
    cards.forEach(function (c) { c.addEventListener("click", function () { c.classList.toggle("flipped"); }); });
    knownButton.addEventListener("click", function () {
      var card = root.querySelector(".card.current");
      if (!card) { return; }
      var id = card.getAttribute("data-id");
      if (state.known[id]) { delete state.known[id]; } else { state.known[id] = 1; }
      save(); drawCard();
    });
    root.querySelector(".card-reverse").addEventListener("change", function (e) { root.classList.toggle("reverse", e.target.checked); drawCard(); });
    onlyUnknown.addEventListener("change", function () { current = 0; drawCard(); });
    drawCard();
  }

  /* ---- scores ---- */
  function score(section, kind, right) {
    var items = all(kind === "quiz" ? ".q" : ".b", section);
    var done = 0, good = 0;
    items.forEach(function (li) {
      var answer = state[kind][li.getAttribute("data-id")];
      if (answer === undefined) { return; }
      done += 1;
      if (right(li, answer)) { good += 1; }
    });
    var bar = section.querySelector(".scorebar");
    bar.hidden = false;
    var out = bar.querySelector(".score");
    out.textContent = out.getAttribute("data-template").replace("{done}", done).replace("{total}", items.length).replace("{right}", good);
  }
  all(".reset").forEach(function (b) {
    b.addEventListener("click", function () {
      state[b.getAttribute("data-kind")] = {};
      save();
      location.reload();
    });
  });

  /* ---- quiz: the first answer counts ---- */
  var quiz = root.querySelector("#quiz");
  function quizRight(li, answer) { return answer === li.getAttribute("data-id"); }
  function markQuestion(li) {
    var id = li.getAttribute("data-id");
    var chosen = state.quiz[id];
    if (chosen === undefined) { return; }
    all(".option", li).forEach(function (o) {
      var oid = o.getAttribute("data-id");
      o.disabled = true;
      o.classList.toggle("right", oid === id);
      o.classList.toggle("wrong", oid === chosen && oid !== id);
    });
    var feedback = li.querySelector(".feedback");
    var ok = chosen === id;
    feedback.textContent = feedback.getAttribute(ok ? "data-right" : "data-wrong");
    feedback.className = "feedback " + (ok ? "right" : "wrong");
  }
  if (quiz) {
    all(".q", quiz).forEach(function (li) {
      all(".option", li).forEach(function (o) {
        o.addEventListener("click", function () {
          var id = li.getAttribute("data-id");
          if (state.quiz[id] !== undefined) { return; }
          state.quiz[id] = o.getAttribute("data-id");
          save(); markQuestion(li); score(quiz, "quiz", quizRight);
        });
      });
      markQuestion(li);
    });
    score(quiz, "quiz", quizRight);
  }

  /* ---- fill-in: either script is right ---- */
  var fill = root.querySelector("#fill");
  function fillRight(li, answer) { return li.getAttribute("data-accept").split("|").indexOf(normalise(answer)) >= 0; }
  function markBlank(li) {
    var answer = state.fill[li.getAttribute("data-id")];
    if (answer === undefined) { return; }
    var ok = fillRight(li, answer);
    var input = li.querySelector(".blank-input");
    input.value = answer;
    li.classList.toggle("right", ok);
    li.classList.toggle("wrong", !ok);
    var feedback = li.querySelector(".feedback");
    feedback.textContent = feedback.getAttribute(ok ? "data-right" : "data-wrong");
    feedback.className = "feedback " + (ok ? "right" : "wrong");
  }
  if (fill) {
    all(".b", fill).forEach(function (li) {
      var input = li.querySelector(".blank-input");
      function check() {
        if (!input.value.trim()) { input.focus(); return; }
        state.fill[li.getAttribute("data-id")] = input.value.trim();
        save(); markBlank(li); score(fill, "fill", fillRight);
      }
      li.querySelector(".check").addEventListener("click", check);
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); check(); } });
      markBlank(li);
    });
    score(fill, "fill", fillRight);
  }
}());
