// communique default theme: press "/" anywhere to search. Nothing on the site needs this
// script to be read; it only adds the shortcut.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const input = document.querySelector(".search-input") || document.getElementById("site-search-input");
  if (!input) return;
  event.preventDefault();
  input.focus();
});
