/* Policy reader: tooltips on tap and Escape (hover and focus work with CSS alone), search. */
(function () {
  "use strict";
  var open = null;

  function close(wrap) {
    if (wrap) { wrap.classList.remove("open"); }
    if (wrap === open) { open = null; }
  }

  function wrapOf(node) {
    return node && node.closest ? node.closest(".term-wrap") : null;
  }

  document.addEventListener("click", function (event) {
    var term = event.target.closest && event.target.closest("a.term");
    if (term) {
      // Tap or click shows the explanation; its own link leads on to the glossary.
      event.preventDefault();
      var wrap = wrapOf(term);
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
    document.querySelectorAll(".term-wrap:hover, .term-wrap.open").forEach(function (w) {
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
})();
