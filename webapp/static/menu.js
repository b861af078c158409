// On a phone the header's links, language and account fold behind one "Menu" button
// (sakip.css, .menu-siap), so the bar takes one row instead of three. Without this script
// nothing folds: the bar wraps as before and every link stays reachable.
(function () {
  function siapkan() {
    var tombol = document.querySelector(".navbar .menu-lipat");
    if (!tombol) {
      return;
    }
    var bar = tombol.closest(".navbar");
    tombol.hidden = false;
    bar.classList.add("menu-siap");
    tombol.addEventListener("click", function () {
      var buka = bar.classList.toggle("menu-terbuka");
      tombol.setAttribute("aria-expanded", buka ? "true" : "false");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", siapkan);
  } else {
    siapkan();
  }
})();
