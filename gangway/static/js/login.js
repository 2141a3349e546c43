// Login page: a tablet logged out for idleness still hears the scanner. scanner.js keeps a burst
// out of the username and password fields and stops its Enter submitting the form (five such
// "logins" would lock the account); here the watch is told why nothing happened.
(function () {
  "use strict";

  document.addEventListener("gangway:scanned", () => {
    const note = document.getElementById("login-scanned");
    if (!note) return;
    // A burst broken by a pause may have given its first part back to a field as typing: the
    // form goes back to how it came (the re-login name kept), so no code is left in the password.
    note.closest("form")?.reset();
    note.hidden = true; // shown again on the next frame: a second scan is announced again
    requestAnimationFrame(() => {
      note.hidden = false;
    });
  });
})();
