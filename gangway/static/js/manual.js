// Manual ID check pages: a scanner's burst typed nothing (scanner.js swallowed it); offer it as a
// scan instead. The watch decides: "Check it as a scan" posts it to the scan page's endpoint.
(function () {
  "use strict";

  const offer = () => document.getElementById("manual-scanned");

  function hide(form) {
    form.hidden = true;
    form.elements.code.value = "";
  }

  document.addEventListener("gangway:scanned", (event) => {
    const form = offer();
    if (!form) return;
    // The focus stays where the watch was typing: the offer only appears, it takes nothing.
    form.elements.code.value = event.detail.text;
    form.querySelector(".scan-offer-code").textContent = event.detail.text;
    form.hidden = false;
  });

  document.addEventListener("click", (event) => {
    const dismiss = event.target.closest("[data-dismiss]");
    if (dismiss && offer()?.contains(dismiss)) hide(offer());
  });

  // Checked on this page (htmx): the code is in the request already; the offer is done.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target === offer()) setTimeout(() => hide(offer()), 0);
  });
})();
