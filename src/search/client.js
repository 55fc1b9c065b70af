// communique search: the interface and the engine for the site's static search index.
//
// Served as search-index/search.js. It mounts into
//   <div id="search" data-index="/search-index/"></div>
// and fetches meta.json, terms/<key>.json and docs/<n>.json relative to data-index, each
// only when a query needs it, and each once. The index format and the rules followed here
// are in docs/SEARCH-INDEX.md ("How the script searches"); the markup and its class names
// are in the same file ("The interface"). No dependencies, and no innerHTML: text from the
// index only ever becomes text nodes.
(() => {
  "use strict";

  const PAGE = 10; // results shown at first, and added by "Show more results"
  const DEBOUNCE = 120; // milliseconds from the last keystroke to the search
  const EXCERPT = 30; // words in an excerpt
  const BEFORE = 10; // of which before the first match
  const PARTIAL = 0.8; // what a term longer than the token counts for
  const STEMMED = 0.6; // what a term that shares only the token's stem counts for

  // ---- Text: the same tokens as the index builder (src/search/mod.rs) ----

  // Diacritics off (NFKD, then no marks), then lowercase one character at a time, as Rust's
  // char::to_lowercase does (no final-sigma rule).
  function fold(text) {
    let out = "";
    for (const c of text.normalize("NFKD").replace(/\p{M}/gu, "")) out += c.toLowerCase();
    return out;
  }

  // Letters and numbers, as Rust's char::is_alphanumeric sees them.
  const SEPARATORS = /[^\p{Alphabetic}\p{N}]+/u;
  const WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu; // a word of the original text, for excerpts

  // The words of a text, without words of one character.
  const words = (text) => fold(text).split(SEPARATORS).filter((w) => [...w].length > 1);

  // A term's shard: its first two characters, [a-z0-9] as themselves, others as _<hex>_.
  const shardKey = (term) =>
    [...term].slice(0, 2).map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0).toString(16)}_`)).join("");

  // A token's stem for matching other forms of the word: a common English ending taken off
  // when at least five characters remain, so "cooperation" also finds "cooperate" and
  // "securities" finds "security". The stem is only ever a prefix of the token.
  const ENDINGS = ["ations", "ation", "itions", "ition", "ings", "ing", "ions", "ion", "ies", "ied", "ed", "es", "s", "e", "y"];
  function stem(token) {
    for (const ending of ENDINGS) {
      if (token.endsWith(ending) && [...token].length - ending.length >= 5) return token.slice(0, -ending.length);
    }
    return token;
  }

  // Delta-encoded document numbers: the first is a number, each next one a difference.
  function undelta(list) {
    let doc = 0;
    return list.map((delta) => (doc += delta));
  }

  // ---- Mounting ----

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mount(root) {
    // The page keeps the interface's place hidden until the script runs, so that without
    // JavaScript no empty space stands above the page's notice.
    root.hidden = false;
    const base = new URL(root.dataset.index.replace(/\/?$/, "/"), document.baseURI);
    const language = document.documentElement.lang || undefined;
    const number = (n) => n.toLocaleString(language);

    const form = el("form", "search-form");
    form.setAttribute("role", "search");
    const label = el("label", "search-label", "Search terms");
    label.htmlFor = "search-input";
    const input = el("input", "search-input");
    Object.assign(input, { type: "search", id: "search-input", name: "q", autocomplete: "off", spellcheck: false });
    form.append(label, input);
    const filterBox = el("details", "search-filters");
    filterBox.hidden = true;
    const inUse = el("span", "search-filters-in-use");
    const status = el("p", "search-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const list = el("ol", "search-results");
    list.hidden = true;
    const more = el("button", "search-more", "Show more results");
    more.type = "button";
    more.hidden = true;
    root.replaceChildren(form, filterBox, status, list, more);

    function say(message, error = false) {
      status.textContent = message;
      status.classList.toggle("search-error", error);
    }

    // ---- Fetching: every file once; a failed fetch may be tried again later ----

    const files = new Map();
    function load(path) {
      if (!files.has(path)) {
        const promise = fetch(new URL(path, base)).then((response) => {
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          return response.json();
        });
        promise.catch(() => files.delete(path));
        files.set(path, promise);
      }
      return files.get(path);
    }

    // ---- The index: meta.json, then term shards and document chunks on demand ----

    let meta = null; // meta.json, once loaded
    let shards = new Set();
    let stopwords = new Set();
    let filters = []; // { name, values: [{ value, docs, box, count }] }
    const tokenScores = new Map(); // token → Promise of Map(document → score)

    // Step 2: for one token, each document's best weight × idf over the terms it begins.
    function scoreToken(token) {
      if (tokenScores.has(token)) return tokenScores.get(token);
      const key = shardKey(token);
      const promise = (shards.has(key) ? load(`terms/${key}.json`) : Promise.resolve({})).then((shard) => {
        const scores = new Map();
        const root = stem(token);
        for (const term of Object.keys(shard)) {
          if (!term.startsWith(root)) continue;
          const postings = shard[term];
          const df = postings.length / 2;
          const idf = Math.log(1 + (meta.documents - df + 0.5) / (df + 0.5));
          const factor = term === token ? idf : term.startsWith(token) ? idf * PARTIAL : idf * STEMMED;
          let doc = 0;
          for (let i = 0; i < postings.length; i += 2) {
            doc += postings[i];
            const score = postings[i + 1] * factor;
            if (!(scores.get(doc) >= score)) scores.set(doc, score);
          }
        }
        return scores;
      });
      promise.catch(() => tokenScores.delete(token));
      tokenScores.set(token, promise);
      return promise;
    }

    // Step 3: the documents matching every token, with the sum of their token scores.
    async function match(tokens) {
      const maps = await Promise.all(tokens.map(scoreToken));
      maps.sort((a, b) => a.size - b.size);
      const scores = new Map();
      for (const [doc, first] of maps[0]) {
        let total = first;
        for (let i = 1; i < maps.length && total >= 0; i++) {
          const score = maps[i].get(doc);
          total = score === undefined ? -1 : total + score;
        }
        if (total >= 0) scores.set(doc, total);
      }
      return scores;
    }

    // Step 4: per filter, the set of documents its checked values allow (null: any).
    const allowedSets = () =>
      filters.map((filter) => {
        const checked = filter.values.filter((v) => v.box.checked);
        return checked.length ? new Set(checked.flatMap((v) => v.docs)) : null;
      });
    const passes = (doc, allowed, except) => allowed.every((set, i) => i === except || !set || set.has(doc));

    // Each value's count: the current results (every document when there is no query) that
    // pass the other filters, so a count says what checking the value would leave.
    function updateCounts(scores, allowed) {
      filters.forEach((filter, i) => {
        for (const value of filter.values) {
          let n = 0;
          for (const doc of value.docs) if ((!scores || scores.has(doc)) && passes(doc, allowed, i)) n++;
          value.count.textContent = `(${number(n)})`;
        }
      });
      const checked = allowed.filter(Boolean).length;
      inUse.textContent = checked ? ` (${number(checked)} in use)` : "";
    }

    function buildFilters() {
      filters = meta.filters.map((filter) => {
        const fieldset = el("fieldset", "search-filter");
        fieldset.append(el("legend", "search-filter-name", filter.name));
        const box = el("div", "search-filter-values");
        fieldset.append(box);
        filterBox.append(fieldset);
        const values = filter.values.map((v) => {
          const option = el("label", "search-filter-value");
          const check = el("input", "search-filter-checkbox");
          check.type = "checkbox";
          check.addEventListener("change", () => run(input.value));
          const count = el("span", "search-filter-count");
          option.append(check, " ", el("span", "search-filter-label", v.value), " ", count);
          box.append(option);
          return { value: v.value, docs: undelta(v.documents), box: check, count };
        });
        return { name: filter.name, values };
      });
      const names = filters.map((f) => f.name.toLowerCase());
      const summary = el("summary", "search-filters-summary", "Filter by ");
      summary.append(names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names.join(""), inUse);
      filterBox.prepend(summary);
      filterBox.hidden = filters.length === 0;
      updateCounts(null, allowedSets());
    }

    // ---- Searching and showing results ----

    let generation = 0; // bumped by every search; an older search's answers are dropped
    let results = []; // document numbers, best first
    let shown = 0;
    let shownTokens = [];

    // Step 5: about EXCERPT words around the first word that matches a token, matches marked.
    function excerpt(text, tokens, className = "search-result-excerpt") {
      const spans = [...text.matchAll(WORD)].map((m) => {
        const parts = fold(m[0]).split(SEPARATORS);
        return { start: m.index, end: m.index + m[0].length, hit: parts.some((w) => tokens.some((t) => w.startsWith(stem(t)))) };
      });
      const first = Math.max(0, spans.findIndex((s) => s.hit));
      const end = Math.min(spans.length, Math.max(0, first - BEFORE) + EXCERPT);
      const start = Math.max(0, end - EXCERPT);
      const p = el("p", className);
      let at = start === 0 ? 0 : spans[start].start;
      if (start > 0) p.append("… ");
      for (const span of spans.slice(start, end).filter((s) => s.hit)) {
        if (span.start > at) p.append(text.slice(at, span.start));
        p.append(el("mark", null, text.slice(span.start, span.end)));
        at = span.end;
      }
      p.append(text.slice(at, end === spans.length ? text.length : spans[end - 1].end));
      if (end < spans.length) p.append(" …");
      return p;
    }

    function resultItem(doc, tokens) {
      const item = el("li", "search-result");
      const heading = el("h2", "search-result-title");
      const link = el("a", "search-result-link", doc.title || doc.url);
      link.href = doc.url;
      heading.append(link);
      const line = el("p", "search-result-meta");
      line.append(el("span", "search-result-type", doc.type));
      if (doc.context) line.append(" · ", el("span", "search-result-context", doc.context));
      item.append(heading, line);
      if (doc.text) item.append(excerpt(doc.text, tokens));
      // A pledge's status and the editors' reason, apart from the statement's words.
      if (doc.status) {
        const status = excerpt(doc.status, tokens, "search-result-status");
        status.prepend(el("span", "search-result-status-label", "Status:"), " ");
        item.append(status);
      }
      return item;
    }

    // The next PAGE results, once their document chunks are in; null if a newer search began.
    async function nextItems(mine) {
      const batch = results.slice(shown, shown + PAGE);
      const numbers = [...new Set(batch.map((d) => Math.floor(d / meta.chunk)))];
      const chunks = new Map(await Promise.all(numbers.map(async (n) => [n, await load(`docs/${n}.json`)])));
      if (mine !== generation) return null;
      shown += batch.length;
      const docs = batch.map((d) => chunks.get(Math.floor(d / meta.chunk))[d % meta.chunk]).filter(Boolean);
      return docs.map((doc) => resultItem(doc, shownTokens));
    }

    const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;
    function describe(query, tokens, allowed) {
      const used = filters.filter((_, i) => allowed[i]).map((f) => f.name);
      const by = used.length ? ` filtered by ${used.join(" and ")}` : "";
      const what = tokens.length ? ` for “${query}”` : "";
      if (results.length) return `${plural(results.length, tokens.length ? "result" : "page", tokens.length ? "results" : "pages")}${what}${by}.`;
      return `No results${what}${by}.${used.length ? " Try fewer filters." : " Try other or fewer words."}`;
    }

    function failed(error) {
      const offline = location.protocol === "file:";
      say(offline
        ? "Search needs the site to be served over HTTP: it cannot load its index from a file opened directly."
        : `Search could not load its index (${error.message}). Check your connection and try again.`, true);
    }

    // Runs a query with the checked filters and shows the first results.
    async function run(raw) {
      const mine = ++generation;
      const query = raw.trim().replace(/\s+/g, " ");
      more.disabled = true; // until this search's first results are in
      try {
        await loadMeta();
        if (mine !== generation) return;
        const tokens = [...new Set(words(query).filter((w) => !stopwords.has(w)))];
        const allowed = allowedSets();
        const scores = tokens.length ? await match(tokens) : null;
        if (mine !== generation) return;
        if (scores) {
          results = [...scores.keys()].filter((d) => passes(d, allowed, -1));
          results.sort((a, b) => scores.get(b) - scores.get(a) || a - b);
        } else if (allowed.some(Boolean)) {
          results = [...Array(meta.documents).keys()].filter((d) => passes(d, allowed, -1));
        } else {
          results = [];
        }
        shown = 0;
        shownTokens = tokens;
        const items = await nextItems(mine);
        if (!items) return;
        updateCounts(scores, allowed);
        list.replaceChildren(...items);
        list.hidden = items.length === 0;
        more.hidden = shown >= results.length;
        if (tokens.length || allowed.some(Boolean)) say(describe(query, tokens, allowed));
        else say(query ? `“${query}” has only words too short or too common to search for.` : "");
      } catch (error) {
        if (mine === generation) failed(error);
      } finally {
        if (mine === generation) more.disabled = false;
      }
    }

    more.addEventListener("click", async () => {
      const mine = generation;
      more.disabled = true;
      try {
        const items = await nextItems(mine);
        if (!items) return;
        list.append(...items);
        more.hidden = shown >= results.length;
        // Keyboard and screen reader users continue at the first new result.
        if (items.length) items[0].querySelector("a").focus();
      } catch (error) {
        failed(error);
      } finally {
        if (mine === generation) more.disabled = false;
      }
    });

    // ---- Typing: search after a pause, and keep ?q= in the address ----

    let timer = 0;
    function remember(query) {
      const url = new URL(location.href);
      if (query.trim()) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      history.replaceState(history.state, "", url);
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        remember(input.value);
        run(input.value);
      }, DEBOUNCE);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      remember(input.value);
      run(input.value);
    });

    // ---- Start: load meta.json, build the filters, run ?q= ----

    let ready = null; // meta.json and the filters, once; tried again after a failure
    function loadMeta() {
      if (!ready) {
        const fetched = location.protocol === "file:" ? Promise.reject(new Error("file://")) : load("meta.json");
        ready = fetched.then((loaded) => {
          meta = loaded;
          shards = new Set(meta.shards);
          stopwords = new Set(meta.stopwords);
          buildFilters();
        });
        ready.catch(() => (ready = null));
      }
      return ready;
    }
    loadMeta().catch(failed);
    input.value = new URLSearchParams(location.search).get("q") || "";
    input.focus({ preventScroll: true });
    if (input.value.trim()) run(input.value);
  }

  function start() {
    const root = document.getElementById("search");
    if (root && root.dataset.index) mount(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
