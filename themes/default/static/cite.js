// communique default theme: the "Copy citation" button of a "Cite this" box. Without this
// script the button stays hidden and the citation is plain text, selected with one click.
for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = button.parentElement.querySelector(".copy-status");
  if (!target) continue;
  const say = (message) => { if (status) status.textContent = message; };
  // Selects the citation, so that the reader can copy it by hand where the clipboard
  // cannot be written (an old browser, a page not served over HTTPS).
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = target.textContent.trim();
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      say("Copied.");
    } catch {
      select();
      let copied = false;
      try { copied = document.execCommand("copy"); } catch { copied = false; }
      say(copied ? "Copied." : "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    }
  });
}
