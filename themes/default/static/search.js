// communique default theme: start Pagefind's search interface on the search page, and run
// the query a visitor typed into the header's search box (?q=...).
window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("search");
  if (!element || !window.PagefindUI) return;
  const ui = new window.PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
  const input = element.querySelector("input");
  if (input) input.focus();
});
