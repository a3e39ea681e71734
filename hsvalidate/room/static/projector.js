/* hsvalidate projector: live count every 2 s, and the facilitator's keys.
   Without this file the page still works: it reloads every 5 s and has buttons. */
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) { return; }
  var received = document.getElementById("received");

  function press(id) {
    var button = document.getElementById(id);
    if (button && !button.disabled && button.form) { button.form.submit(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown") { press("next"); }
    else if (key === "ArrowLeft" || key === "PageUp") { press("prev"); }
    else if (key === "r" || key === "R") { press("reveal"); }
    else if (key === "h" || key === "H") { press("hide"); }
    else if (key === "c" || key === "C") { press("criterion"); }
    else { return; }
    event.preventDefault();
  });

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/projector/state", true);
    request.setRequestHeader("Accept", "application/json");
    request.timeout = 1800;
    request.onload = function () {
      if (request.status !== 200) { return; }
      var state;
      try { state = JSON.parse(request.responseText); } catch (e) { return; }
      var count = state.received + " / " + state.present;
      var revealed = screen.getAttribute("data-revealed") === "true";
      // Another device pressed a key, or a ballot changed a chart on show: redraw it.
      var moved = String(state.round || "") !== screen.getAttribute("data-round") ||
        String(state.index) !== screen.getAttribute("data-index") ||
        String(state.revealed) !== screen.getAttribute("data-revealed") ||
        (revealed && String(state.criterion || "") !== screen.getAttribute("data-criterion")) ||
        (revealed && received && received.textContent !== count);
      if (moved) { window.location.reload(); return; }
      if (received) { received.textContent = count; }
    };
    request.send();
  }
  window.setInterval(poll, 2000);
}());
