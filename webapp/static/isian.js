// Input kept when the session ended (webapp/kept_input.py): put it back into the form it was
// sent from, show the notice, and ask the server to forget it. Nothing is saved here: the
// person reads the form and presses its own button. A file of its own, since the Content
// Security Policy refuses inline scripts; the data comes in a JSON block.
(function () {
  "use strict";
  var block = document.getElementById("isian-tersimpan");
  if (!block) {
    return;
  }
  var kept = JSON.parse(block.textContent);

  function target(form) {
    var url = new URL(form.action, window.location.href);
    return url.pathname + url.search;
  }

  var form = Array.prototype.find.call(document.forms, function (f) {
    return target(f) === kept.action;
  });
  if (!form) {
    return;
  }

  var values = {};
  kept.fields.forEach(function (pair) {
    (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
  });

  var next = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    var name = el.name;
    var sent = values[name] || [];
    if (!name || name === "csrf_token" || ["password", "file", "submit", "button", "reset"].indexOf(el.type) !== -1) {
      return;
    }
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = sent.indexOf(el.value) !== -1;  // a box left unticked is not sent at all
    } else if (el.type === "select-multiple") {
      Array.prototype.forEach.call(el.options, function (option) {
        option.selected = sent.indexOf(option.value) !== -1;
      });
    } else {
      var i = next[name] || 0;
      if (i >= sent.length) {
        return;
      }
      el.value = sent[i];
      next[name] = i + 1;
    }
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
  });

  var notice = document.querySelector("[data-testid='isian-dipulihkan']");
  if (notice) {
    notice.hidden = false;
  }
  var token = form.querySelector("input[name='csrf_token']") || document.querySelector("input[name='csrf_token']");
  if (token) {
    window.fetch(block.getAttribute("data-selesai"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
      body: "csrf_token=" + encodeURIComponent(token.value)
    });
  }
}());
