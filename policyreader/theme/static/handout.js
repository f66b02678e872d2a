/* Handouts: remember the trainer's choice in the address (?notes=all) and offer a print button.
   The choice itself works with CSS alone. */
(function () {
  "use strict";
  var form = document.querySelector(".handout-controls");
  if (!form) { return; }
  var wanted = /[?&]notes=(first|all|text)\b/.exec(location.search);
  if (wanted) { document.getElementById("notes-" + wanted[1]).checked = true; }
  form.addEventListener("change", function (event) {
    if (event.target.name !== "notes") { return; }
    try {
      history.replaceState(null, "", location.pathname + "?notes=" + event.target.value + location.hash);
    } catch (e) { /* some browsers refuse this from file://; the choice still applies */ }
  });
  var button = form.querySelector(".print-button");
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
}());
