// The confirmation before a delete (the back office's records, a document's RAK rows, sasaran
// and indikator), bound here because the Content Security Policy refuses inline event
// handlers: a button with data-sakip-confirm asks its question first.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-sakip-confirm]");
  if (button && !window.confirm(button.getAttribute("data-sakip-confirm"))) {
    event.preventDefault();
  }
});
