// The main menu is a <details> element and works without this script. On a narrow screen this
// closes it on Escape or a tap elsewhere; on a wide screen it keeps it open for browsers that
// cannot show a closed <details>' content as a bar (no ::details-content).
(function () {
  "use strict";

  const menu = document.getElementById("nav-menu");
  if (!menu) return;
  const wide = window.matchMedia("(min-width: 900px)");

  function fit() {
    if (wide.matches) menu.open = true;
    else menu.removeAttribute("open");
  }

  function close(event) {
    if (wide.matches || !menu.open) return;
    if (event.type === "keydown" && event.key === "Escape") {
      menu.open = false;
      menu.querySelector("summary").focus();
    } else if (event.type === "click" && !menu.contains(event.target)) {
      menu.open = false;
    }
  }

  if (!CSS.supports("selector(::details-content)")) {
    fit();
    wide.addEventListener("change", fit);
  }
  document.addEventListener("keydown", close);
  document.addEventListener("click", close);
})();
