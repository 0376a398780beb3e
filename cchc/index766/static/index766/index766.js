// Bộ chỉ số QĐ 766, the period chooser: typing a day in "từ ngày / đến" switches the period list to
// "Khoảng ngày", so the range typed is the one sent (the server reads ?ky= first).
document.addEventListener("input", (event) => {
  if (event.target.id !== "i7-from" && event.target.id !== "i7-to") return;
  const period = document.getElementById("i7-period");
  if (period) period.value = "";
});
