// A list's filters (templates/_macros.html saringan_form): a choice left at "all" is not
// sent, so the address keeps only what narrows the list (?tahun=2024, not ?jenis=&status=&tahun=2024).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("saringan")) return;
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name && field.tagName === "SELECT" && !field.value) field.disabled = true;
  });
});
// Back to the page from the browser's cache: every choice usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.saringan select").forEach(function (field) { field.disabled = false; });
});
