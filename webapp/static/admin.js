// Back office: the confirmation before a delete, bound here because the Content Security
// Policy refuses inline event handlers (templates/admin/model/row_actions.html).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-sakip-confirm]");
  if (button && !window.confirm(button.getAttribute("data-sakip-confirm"))) {
    event.preventDefault();
  }
});
