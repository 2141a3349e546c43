// Muster list: the Print button prints the page (the CSP forbids inline handlers).
(function () {
  "use strict";
  const button = document.getElementById("print-muster");
  if (button) button.addEventListener("click", () => window.print());
})();
