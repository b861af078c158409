// Bound here because the Content Security Policy refuses inline event handlers.
//
// A button with data-sakip-confirm asks its question first: the deletes (the back office's
// records, a document's RAK rows, sasaran and indikator) and the workflow steps that cannot
// be taken back (Ajukan, Tanda tangani, Setujui).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-sakip-confirm]");
  if (button && !window.confirm(button.getAttribute("data-sakip-confirm"))) {
    event.preventDefault();
  }
});

// A form with data-sakip-sekali is sent once: the second click of a double-click (or a
// press while the next page loads) would send the same step again. Only a form actually
// being sent is held, so a question answered "Batal" above leaves its button as it was.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-sakip-sekali")) {
    return;
  }
  if (form.hasAttribute("data-sakip-terkirim")) {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-sakip-terkirim", "");
  form.querySelectorAll("button").forEach(function (button) {
    button.disabled = true;
  });
});

// Back to a page kept by the browser (the back button): its forms may be sent again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-sakip-terkirim]").forEach(function (form) {
    form.removeAttribute("data-sakip-terkirim");
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = false;
    });
  });
});
