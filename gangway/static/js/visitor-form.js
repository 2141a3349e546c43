// The SSO's registration forms: show only the chosen kind's section and preview a chosen photo.
// Without this script the form still works: CSS hides the other kinds' sections and the server
// reads only the chosen kind's fields; here they are also disabled, so they are neither
// checked by the browser nor sent.
(() => {
  "use strict";

  function showKind(form) {
    const chosen = form.querySelector('input[name="kind"]:checked');
    for (const section of form.querySelectorAll(".kind-section")) {
      section.disabled = !chosen || section.dataset.kind !== chosen.value;
    }
  }

  function previewPhoto(input) {
    const figure = input.closest(".photo-field")?.querySelector(".photo-preview");
    const file = input.files && input.files[0];
    if (!figure || !file) return;
    const img = figure.querySelector("img");
    if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
    img.src = URL.createObjectURL(file);
    figure.querySelector("figcaption").textContent = "Chosen: it is sent with the form.";
    figure.hidden = false;
  }

  for (const form of document.querySelectorAll(".visitor-form")) {
    showKind(form);
    form.addEventListener("change", (event) => {
      if (event.target.name === "kind") showKind(form);
      if (event.target.name === "photo") previewPhoto(event.target);
      // A document photo chosen is read at once (the button does the same without this script).
      if (event.target.name === "document_photo" && event.target.files.length) {
        form.querySelector("#fill-button")?.click();
      }
    });
  }
})();
