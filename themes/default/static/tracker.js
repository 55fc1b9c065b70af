// communique default theme: the tracker's list of every pledge, filtered by the page's URL
// query (?status=in-progress&topic=energy&country=italy&program=nato), which the report
// card's counts link to. Changing a filter writes it to the URL, so a filtered view can be
// shared, and back and forward step through filters. Without this script the list shows
// every pledge and says that the query is ignored.
(() => {
  const KEYS = ["status", "topic", "country", "program"];
  const form = document.querySelector("form.list-filters");
  const list = document.querySelector(".tracker-list");
  if (!form || !list) return;
  const rows = [...list.children];
  const shown = form.querySelector(".list-shown");
  const note = document.querySelector(".list-note");

  // The filters a query asks for, keeping only values the list offers.
  const read = (search) => {
    const query = new URLSearchParams(search);
    const filters = {};
    for (const key of KEYS) {
      const value = query.get(key) || "";
      const offered = [...form.elements[key].options].some((o) => o.value === value);
      filters[key] = offered ? value : "";
    }
    return filters;
  };

  const matches = (row, filters) =>
    KEYS.every((key) => !filters[key] || (row.dataset[key] || "").split(" ").includes(filters[key]));

  const show = (filters) => {
    let count = 0;
    for (const key of KEYS) form.elements[key].value = filters[key];
    for (const row of rows) {
      row.hidden = !matches(row, filters);
      if (!row.hidden) count += 1;
    }
    const chosen = KEYS.filter((key) => filters[key]).map((key) => {
      const select = form.elements[key];
      return select.options[select.selectedIndex].text;
    });
    shown.textContent = chosen.length
      ? `${count} of ${rows.length} pledges: ${chosen.join(", ")}.`
      : `All ${rows.length} pledges.`;
  };

  form.addEventListener("change", () => {
    const filters = {};
    const query = new URLSearchParams();
    for (const key of KEYS) {
      filters[key] = form.elements[key].value;
      if (filters[key]) query.set(key, filters[key]);
    }
    const search = query.toString();
    history.pushState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
    show(filters);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => show(read(location.search)));

  form.hidden = false;
  if (note) note.hidden = true;
  show(read(location.search));
})();
