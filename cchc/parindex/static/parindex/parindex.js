// Chỉ số CCHC: a refused autosave (409 someone else saved first, 422 an invalid value) still returns the card
// with the newest data and the message; swap it in instead of leaving the stale card on screen.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const target = event.detail.target;
  if ([400, 409, 422].includes(status) && target && target.closest(".pi-task, .pi-line")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
