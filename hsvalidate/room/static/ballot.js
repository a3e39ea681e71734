// The ballot, a little nicer with JavaScript: the form is sent with fetch, the
// acknowledgement is shown only once the server says the vote is on disk, and a lost
// network keeps the form as it is, saying the vote is not saved yet.  Without this
// file the form posts and the server redirects (the page works the same).
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var status = document.getElementById("status");
  var button = document.getElementById("save");

  function say(text, kind) {
    status.textContent = text;
    status.className = "status" + (kind ? " " + kind : "");
    status.scrollIntoView({ block: "center" });
  }

  function markUnanswered() {
    var sets = form.querySelectorAll("fieldset");
    for (var i = 0; i < sets.length; i += 1) {
      var answered = sets[i].querySelector("input:checked") !== null;
      sets[i].className = answered ? "" : "missing";
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    button.disabled = true;
    say(form.getAttribute("data-saving"), "");
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      // A refusal from the room's guards (too many requests, too large) is a plain sentence.
      return response.text().then(function (text) {
        try { return JSON.parse(text); } catch (ignored) {
          return { ok: false, error: text.slice(0, 300) };
        }
      });
    }).then(function (answer) {
      if (answer.ok) {
        say(form.getAttribute("data-saved"), "ok");
        window.location.assign(answer.next);
      } else {
        button.disabled = false;
        markUnanswered();
        say(answer.error || form.getAttribute("data-offline"), "bad");
      }
    }, function () {
      button.disabled = false;
      say(form.getAttribute("data-offline"), "bad");
    });
  });
}());
