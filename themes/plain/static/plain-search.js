// The plain theme's search: Pagefind's interface, nothing more.
window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("search");
  if (element && window.PagefindUI) new window.PagefindUI({ element: "#search", bundlePath: element.dataset.bundle });
});
