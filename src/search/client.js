// communique search: the interface and the engine for the site's static search index.
//
// Served as search-index/search.js. It mounts into
//   <div id="search" data-index="/search-index/"></div>
// and fetches meta.json, terms/<key>.json, docs/<n>.json and (when the filters are opened)
// filters.json relative to data-index, each only when needed, and each once. The index
// format and the rules followed here are in docs/SEARCH-INDEX.md ("How the script
// searches"); the markup and its class names are in the same file ("The interface"). No
// dependencies, no eval, no innerHTML: text from the index only ever becomes text nodes.
(() => {
  "use strict";

  const PAGE = 10; // results shown at first, and added by "Show more results"
  const DEBOUNCE = 120; // milliseconds from the last keystroke to the search
  const EXCERPT = 30; // words in an excerpt
  const PREFIX = 0.5; // what a longer word that starts with the last query word counts for
  const TYPO = 0.7; // what a word one edit away counts for
  const TYPO_LENGTH = 5; // the shortest query word whose typos are forgiven
  const SHORTER = 0.8; // what the stem of a shorter word that begins the query word counts for
  const ENDING = 3; // the most characters such a stem may lack
  const PHRASE_CHECKS = 60; // candidates whose text is read to check a quoted phrase

  // ---- Text: the same words as the index builder (src/search/terms.rs) ----

  // Diacritics off (NFKD, then no marks), then lowercase one character at a time, as Rust's
  // char::to_lowercase does (no final-sigma rule).
  function fold(text) {
    let out = "";
    for (const c of text.normalize("NFKD").replace(/\p{M}/gu, "")) out += c.toLowerCase();
    return out;
  }

  // Runs of letters and numbers (Rust's char::is_alphanumeric), each with the separator after it.
  const RUN = /([\p{Alphabetic}\p{N}]+)([^\p{Alphabetic}\p{N}]*)/gu;
  const HYPHENS = new Set(["-", "\u2010", "\u2011"]);

  // The words of a folded text: initials joined (u.s. → us), words of one character
  // dropped, each marked when a hyphen alone joins it to the next run.
  function words(text) {
    const runs = [...fold(text).matchAll(RUN)].map((m) => [m[1], m[2]]);
    const out = [];
    for (let i = 0; i < runs.length; i++) {
      let [word, separator] = runs[i];
      if ([...word].length === 1) {
        while (separator === "." && i + 1 < runs.length && [...runs[i + 1][0]].length === 1) {
          i += 1;
          word += runs[i][0];
          separator = runs[i][1];
        }
      }
      if ([...word].length < 2) continue;
      out.push({ text: word, hyphen: HYPHENS.has(separator) && i + 1 < runs.length });
    }
    return out;
  }

  // A term's shard: its first two characters, [a-z0-9] as themselves, others as _<hex>_.
  const shardKey = (term) =>
    [...term].slice(0, 2).map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0).toString(16)}_`)).join("");

  // Delta-encoded document numbers: the first is a number, each next one a difference.
  function undelta(list) {
    let doc = 0;
    return list.map((delta) => (doc += delta));
  }

  // Whether two words are at most one edit apart: a letter changed, added, removed, or two
  // neighbours swapped (Damerau–Levenshtein, optimal string alignment).
  function oneEdit(a, b) {
    a = [...a];
    b = [...b];
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length && i === b.length) return false; // equal
    const rest = (x, y) => x.slice(i + (a.length >= b.length ? 1 : 0)).join("") === y.slice(i + (b.length >= a.length ? 1 : 0)).join("");
    if (rest(a, b)) return true; // changed, added or removed
    return a.length === b.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2).join("") === b.slice(i + 2).join("");
  }

  // The quoted phrases of a query (a missing closing quote closes at the end).
  function phrasesOf(query) {
    const found = [];
    for (const m of query.matchAll(/["“”„]([^"“”„]*)(?:["“”„]|$)/gu)) found.push(m[1]);
    return found;
  }

  // ---- Mounting ----

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mount(root) {
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
    let shardNames = new Set();
    let stopwords = new Set(); // words that are stop words in every language of the site
    const loaded = new Map(); // shard key → its contents, once fetched
    const EMPTY = { forms: {}, terms: {} };

    async function shard(key) {
      if (!shardNames.has(key)) return EMPTY;
      const contents = await load(`terms/${key}.json`);
      loaded.set(key, contents);
      return contents;
    }
    const stemsOf = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
    // The stems of a word of a document's text, as far as the shards fetched so far know.
    function stemOfText(word) {
      const contents = loaded.get(shardKey(word));
      return contents ? stemsOf(contents.forms[word]).concat(word) : [word];
    }
    // The stems a word has in the index, if it is a word the index has seen.
    function known(contents, word) {
      const stems = stemsOf(contents.forms[word]);
      if (stems.length) return stems;
      return Object.hasOwn(contents.terms, word) ? [word] : [];
    }
    const idf = (df) => Math.log(1 + (meta.documents - df + 0.5) / (df + 0.5));

    // What a query word searches for: its stems as the index has them ("exact"); if the
    // index has not seen it, the stems of the longer words it begins when it is the last word
    // ("prefix", the reader may still be typing); the longest stem of the index that begins
    // it and lacks at most ENDING characters, which finds "smuggl" for "smugglers" ("stem");
    // or the stems of the commonest word one edit away ("typo", with that word).
    // Nothing otherwise.
    async function resolve(word, last) {
      const contents = await shard(shardKey(word));
      let stems = known(contents, word);
      if (stems.length) return { typed: word, word, stems, how: "exact", factor: 1 };
      const candidates = Object.keys(contents.forms).concat(Object.keys(contents.terms));
      if (last) {
        stems = [...new Set(candidates.filter((c) => c.startsWith(word)).flatMap((c) => known(contents, c)))];
        if (stems.length) return { typed: word, word, stems, how: "prefix", factor: PREFIX };
      }
      const length = [...word].length;
      const shorter = Object.keys(contents.terms)
        .filter((t) => word.startsWith(t) && [...t].length >= Math.max(4, length - ENDING))
        .sort((a, b) => b.length - a.length)[0];
      if (shorter) return { typed: word, word, stems: [shorter], how: "stem", factor: SHORTER };
      if (length >= TYPO_LENGTH) {
        let best = null;
        for (const candidate of new Set(candidates)) {
          if (!oneEdit(word, candidate)) continue;
          const candidateStems = known(contents, candidate);
          const df = (await Promise.all(candidateStems.map(postings))).reduce((n, p) => n + p.length, 0);
          if (!best || df > best.df || (df === best.df && candidate < best.word)) best = { word: candidate, stems: candidateStems, df };
        }
        if (best) return { typed: word, word: best.word, stems: best.stems, how: "typo", factor: TYPO };
      }
      return { typed: word, word, stems: [], how: "none", factor: 0 };
    }

    // A stem's postings, delta-encoded pairs of document and weight.
    async function postings(stem) {
      return (await shard(shardKey(stem))).terms[stem] || [];
    }

    // Each document's score for one resolved word: its best weight × idf × factor over the
    // word's stems.
    async function scoreOf(token) {
      const scores = new Map();
      for (const stem of token.stems) {
        const list = await postings(stem);
        const factor = idf(list.length / 2) * token.factor;
        let doc = 0;
        for (let i = 0; i < list.length; i += 2) {
          doc += list[i];
          const score = list[i + 1] * factor;
          if (!(scores.get(doc) >= score)) scores.set(doc, score);
        }
      }
      return scores;
    }

    // The query's words, hyphenated ones joined where the index knows the joined word
    // ("co-production" → "coproduction"), stop words left out.
    async function queryWords(query) {
      const found = words(query);
      const out = [];
      for (let i = 0; i < found.length; i++) {
        let j = i;
        while (found[j].hyphen && j + 1 < found.length) j++;
        if (j > i) {
          const joined = found.slice(i, j + 1).map((w) => w.text).join("");
          if (known(await shard(shardKey(joined)), joined).length) {
            out.push(joined);
            i = j;
            continue;
          }
        }
        if (!stopwords.has(found[i].text)) out.push(found[i].text);
      }
      return [...new Set(out)];
    }

    // ---- Filters: filters.json, fetched when the reader opens them or the URL names one ----

    let filters = []; // { name, key, values: [{ value, docs, box, count }] }
    let filtersReady = null;
    const wanted = new Map(); // filter key → values the URL asks for, until filters load

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

    function buildSummary() {
      const names = meta.filters.map((name) => name.toLowerCase());
      const summary = el("summary", "search-filters-summary", "Filter by ");
      summary.append(names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : names.join(""), inUse);
      filterBox.replaceChildren(summary);
      filterBox.hidden = names.length === 0;
    }

    function loadFilters() {
      if (!filtersReady) {
        filtersReady = load("filters.json").then((loadedFilters) => {
          filters = loadedFilters.map((filter) => {
            const key = filter.name.toLowerCase();
            const fieldset = el("fieldset", "search-filter");
            fieldset.append(el("legend", "search-filter-name", filter.name));
            const box = el("div", "search-filter-values");
            fieldset.append(box);
            filterBox.append(fieldset);
            const values = filter.values.map((v) => {
              const option = el("label", "search-filter-value");
              const check = el("input", "search-filter-checkbox");
              check.type = "checkbox";
              check.checked = (wanted.get(key) || []).includes(v.value);
              check.addEventListener("change", () => {
                remember(true);
                run(input.value);
              });
              const count = el("span", "search-filter-count");
              option.append(check, " ", el("span", "search-filter-label", v.value), " ", count);
              box.append(option);
              return { value: v.value, docs: undelta(v.documents), box: check, count };
            });
            return { name: filter.name, key, values };
          });
          wanted.clear();
          updateCounts(lastScores, allowedSets());
        });
        filtersReady.catch(() => (filtersReady = null));
      }
      return filtersReady;
    }
    filterBox.addEventListener("toggle", () => {
      if (filterBox.open) loadFilters().catch(failed);
    });

    // ---- Searching and showing results ----

    let generation = 0; // bumped by every search; an older search's answers are dropped
    let results = []; // document numbers, best first
    let lastScores = null;
    let shown = 0;
    let hits = new Set(); // stems whose words are marked in excerpts
    const chunkOf = async (d) => (await load(`docs/${Math.floor(d / meta.chunk)}.json`))[d % meta.chunk];

    // The words of a document's text, each with its stems, stop words left out.
    function stemmedWords(text) {
      return words(text).filter((w) => !stopwords.has(w.text)).map((w) => stemOfText(w.text));
    }

    // Whether a text has the phrase's words in a row (stop words aside).
    function hasPhrase(text, phrase) {
      const textStems = stemmedWords(text);
      for (let i = 0; i + phrase.length <= textStems.length; i++) {
        if (phrase.every((stems, j) => textStems[i + j].some((s) => stems.has(s)))) return true;
      }
      return false;
    }

    // About EXCERPT words from the part of the text with the most matched words, marked.
    function excerpt(text) {
      const spans = [...text.matchAll(/[\p{Alphabetic}\p{N}\p{M}]+/gu)].map((m) => {
        const hit = words(m[0]).some((w) => stemOfText(w.text).some((s) => hits.has(s)));
        return { start: m.index, end: m.index + m[0].length, hit, key: hit ? fold(m[0]) : null };
      });
      let best = 0;
      let bestCount = -1;
      for (let start = 0; start < Math.max(1, spans.length - EXCERPT + 1); start += 5) {
        const distinct = new Set(spans.slice(start, start + EXCERPT).filter((s) => s.hit).map((s) => s.key));
        if (distinct.size > bestCount) {
          best = start;
          bestCount = distinct.size;
        }
      }
      // Start a little before the first match of the window, for context.
      const firstHit = spans.slice(best, best + EXCERPT).findIndex((s) => s.hit);
      const start = Math.max(0, Math.min(best + Math.max(0, firstHit - 8), spans.length - EXCERPT));
      const end = Math.min(spans.length, start + EXCERPT);
      const p = el("p", "search-result-excerpt");
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

    function resultItem(doc) {
      const item = el("li", "search-result");
      const heading = el("h2", "search-result-title");
      const link = el("a", "search-result-link", doc.title || doc.url);
      link.href = doc.url;
      heading.append(link);
      const line = el("p", "search-result-meta");
      line.append(el("span", "search-result-type", doc.type));
      if (doc.context) line.append(" · ", el("span", "search-result-context", doc.context));
      item.append(heading, line);
      if (doc.text) item.append(excerpt(doc.text));
      if (doc.reason) item.append(el("p", "search-result-reason", doc.reason));
      return item;
    }

    // The next PAGE results, once their document chunks are in; null if a newer search began.
    async function nextItems(mine) {
      const batch = results.slice(shown, shown + PAGE);
      const docs = await Promise.all(batch.map(chunkOf));
      if (mine !== generation) return null;
      shown += batch.length;
      return docs.filter(Boolean).map(resultItem);
    }

    const plural = (n, one, many) => `${number(n)} ${n === 1 ? one : many}`;
    const quoted = (list) => `“${list.join(" ")}”`;

    // The status line: how many results, for what, and what was searched instead of what.
    function describe(query, tokens, dropped, partial, allowed) {
      const used = filters.filter((_, i) => allowed[i]).map((f) => f.name);
      const by = used.length ? ` filtered by ${used.join(" and ")}` : "";
      if (!tokens.length && !dropped.length) return `${plural(results.length, "page", "pages")}${by}.`;
      const searched = tokens.map((t) => t.word);
      const changed = tokens.some((t) => t.how === "typo") || dropped.length;
      const count = plural(results.length, "result", "results");
      let message;
      if (!results.length) message = `No results for “${query}”${by}.`;
      else if (!changed) message = `${count} for “${query}”${by}.`;
      else if (dropped.length) message = `No results for ${quoted(dropped)}; showing ${count} for ${quoted(searched)}${by}.`;
      else message = `Showing ${count} for ${quoted(searched)}${by} (you typed “${query}”).`;
      if (partial && results.length) message += " No page has all the words: pages with the most of them come first.";
      if (!results.length) message += used.length ? " Try fewer filters." : " Try other or fewer words.";
      return message;
    }

    function failed(error) {
      const offline = location.protocol === "file:";
      say(offline
        ? "Search needs the site to be served over HTTP: it cannot load its index from a file opened directly."
        : `Search could not load its index (${error.message}). Check your connection and try again.`, true);
    }

    // The documents matching the query's words, with their scores: all the words if some
    // page has them all, otherwise the most of them (partial).
    async function match(tokens) {
      const maps = await Promise.all(tokens.map(scoreOf));
      const scores = new Map();
      const matched = new Map();
      for (const map of maps) {
        for (const [doc, score] of map) {
          scores.set(doc, (scores.get(doc) || 0) + score);
          matched.set(doc, (matched.get(doc) || 0) + 1);
        }
      }
      const most = Math.max(0, ...matched.values());
      const partial = most < tokens.length;
      for (const [doc, n] of matched) {
        if (n < most) scores.delete(doc);
      }
      return { scores, partial };
    }

    // Runs a query with the checked filters and shows the first results.
    async function run(raw) {
      const mine = ++generation;
      const query = raw.trim().replace(/\s+/g, " ");
      more.disabled = true; // until this search's first results are in
      try {
        await loadMeta();
        if (wanted.size) await loadFilters();
        if (mine !== generation) return;
        const found = await queryWords(query);
        // The reader may still be typing the last word, unless a space or a quote follows it.
        const last = /[\p{Alphabetic}\p{N}]$/u.test(raw);
        const resolved = await Promise.all(found.map((w, i) => resolve(w, last && i === found.length - 1)));
        const tokens = resolved.filter((t) => t.stems.length);
        const dropped = resolved.filter((t) => !t.stems.length).map((t) => t.word);
        const allowed = allowedSets();
        const { scores, partial } = tokens.length ? await match(tokens) : { scores: null, partial: false };
        if (mine !== generation) return;
        hits = new Set(tokens.flatMap((t) => t.stems));
        if (scores) {
          results = [...scores.keys()].filter((d) => passes(d, allowed, -1));
          results.sort((a, b) => scores.get(b) - scores.get(a) || a - b);
          // Quoted phrases: keep the candidates whose text has the words in a row.
          const phrases = [];
          for (const text of phrasesOf(query)) {
            const phraseWords = await queryWords(text);
            const stems = phraseWords.map((w) => new Set(resolved.filter((r) => r.typed === w).flatMap((r) => r.stems)));
            if (stems.length > 1 && stems.every((s) => s.size)) phrases.push(stems);
          }
          if (phrases.length) {
            const checked = results.slice(0, PHRASE_CHECKS);
            const docs = await Promise.all(checked.map(chunkOf));
            results = checked.filter((d, i) => docs[i] && phrases.every((p) => hasPhrase(`${docs[i].title} ${docs[i].text} ${docs[i].reason || ""}`, p)));
          }
        } else if (allowed.some(Boolean)) {
          results = [...Array(meta.documents).keys()].filter((d) => passes(d, allowed, -1));
        } else {
          results = [];
        }
        if (mine !== generation) return;
        shown = 0;
        lastScores = scores;
        const items = await nextItems(mine);
        if (!items) return;
        updateCounts(scores, allowed);
        list.replaceChildren(...items);
        list.hidden = items.length === 0;
        more.hidden = shown >= results.length;
        if (tokens.length || dropped.length || allowed.some(Boolean)) say(describe(query, tokens, dropped, partial, allowed));
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

    // ---- The address: ?q= and one parameter per checked filter value ----

    let typing = false; // while typing, the address follows the box without new history
    function remember(push) {
      const url = new URL(location.href);
      for (const key of [...url.searchParams.keys()]) url.searchParams.delete(key);
      if (input.value.trim()) url.searchParams.set("q", input.value);
      const asked = filters.length ? null : wanted;
      for (const filter of filters) {
        for (const v of filter.values) if (v.box.checked) url.searchParams.append(filter.key, v.value);
      }
      if (asked) for (const [key, values] of asked) for (const v of values) url.searchParams.append(key, v);
      if (url.href === location.href) return;
      if (push) history.pushState(null, "", url);
      else history.replaceState(history.state, "", url);
    }

    // Sets the box and the filters from the address, and searches.
    function restore() {
      const params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      wanted.clear();
      for (const name of meta ? meta.filters : []) {
        const key = name.toLowerCase();
        if (params.has(key)) wanted.set(key, params.getAll(key));
      }
      for (const filter of filters) {
        for (const v of filter.values) v.box.checked = (wanted.get(filter.key) || []).includes(v.value);
      }
      if (filters.length) wanted.clear();
      if (input.value.trim() || filters.some((f) => f.values.some((v) => v.box.checked)) || wanted.size) run(input.value);
      else run("");
    }

    let timer = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        remember(!typing);
        typing = true;
        run(input.value);
      }, DEBOUNCE);
    });
    input.addEventListener("blur", () => (typing = false));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      remember(!typing);
      typing = false;
      run(input.value);
    });
    window.addEventListener("popstate", () => {
      typing = false;
      loadMeta().then(restore, failed);
    });

    // ---- Start: load meta.json, then run what the address asks for ----

    let ready = null; // meta.json, once; tried again after a failure
    function loadMeta() {
      if (!ready) {
        const fetched = location.protocol === "file:" ? Promise.reject(new Error("file://")) : load("meta.json");
        ready = fetched.then((loadedMeta) => {
          meta = loadedMeta;
          shardNames = new Set(meta.shards);
          const lists = Object.values(meta.stopwords).map((l) => new Set(l));
          stopwords = new Set(lists.length ? [...lists[0]].filter((w) => lists.every((l) => l.has(w))) : []);
          buildSummary();
        });
        ready.catch(() => (ready = null));
      }
      return ready;
    }
    input.value = new URLSearchParams(location.search).get("q") || "";
    input.focus({ preventScroll: true });
    loadMeta().then(restore, failed);
  }

  function start() {
    const root = document.getElementById("search");
    if (!root || !root.dataset.index) return;
    // The page keeps the interface's place hidden, and shows a notice in its stead, until
    // the script runs: without JavaScript (or opened as a file, where the script cannot
    // load) the notice is all there is, with no empty box above it.
    root.hidden = false;
    const fallback = document.getElementById("search-fallback");
    if (fallback) fallback.hidden = true;
    mount(root);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
