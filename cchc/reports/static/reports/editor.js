// Chèn số liệu: a click on a figure of the picker inserts its [name] at the cursor of the section's text
// and fires "input", so the section's autosave (HTMX) saves it like typed text.
document.addEventListener("click", function (event) {
  var item = event.target.closest(".picker-item");
  if (!item) return;
  var section = item.closest(".report-section");
  var area = section && section.querySelector("textarea[name=text]");
  if (!area) return;
  var token = item.getAttribute("data-token");
  var start = area.selectionStart != null ? area.selectionStart : area.value.length;
  var end = area.selectionEnd != null ? area.selectionEnd : start;
  area.value = area.value.slice(0, start) + token + area.value.slice(end);
  area.focus();
  area.selectionStart = area.selectionEnd = start + token.length;
  area.dispatchEvent(new Event("input", { bubbles: true }));
  var details = item.closest("details");
  if (details) details.open = false;
});
