#!/usr/bin/env python3
"""Runs the reader queries of bench/search-queries.tsv against communique's search and
Pagefind on the same built site, in headless Chromium (over chromedriver's WebDriver HTTP
API, no Python packages needed), and prints right-first / nothing-found counts and the
gzipped bytes a first query downloads. See BENCHMARKS.md ("Search relevance").

    python3 bench/search-compare.py SITE_DIR [--queries FILE] [--pagefind] [--first-query-only]

SITE_DIR is a built site (`communique build --output SITE_DIR`). With --pagefind, Pagefind
is run on it first (`npx pagefind@latest --site SITE_DIR`, timed) unless SITE_DIR/pagefind
exists. Skips with a notice when Chromium, chromedriver or (for --pagefind) npx is missing.
"""

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REQUESTED = []  # the paths the server was asked for since the last query began


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves files and records every path asked for (a page's and its workers' requests)."""

    def log_message(self, *args):
        REQUESTED.append(self.path)


def serve(root):
    port = free_port()
    handler = functools.partial(Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return port


class Browser:
    def __init__(self):
        self.port = free_port()
        self.driver = subprocess.Popen([CHROMEDRIVER, f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port)).close()
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": CHROMIUM, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)["value"] if path != "/session" else json.load(response)["value"]

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script, args=()):
        return self.call("POST", f"/session/{self.session}/execute/sync", {"script": script, "args": list(args)})

    def run_async(self, script, args=()):
        return self.call("POST", f"/session/{self.session}/execute/async", {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait()


def gzipped(root, folder):
    """The gzipped size of the files under `folder` the server was asked for (each once)."""
    total = 0
    for url in sorted(set(REQUESTED)):
        path = urllib.parse.urlparse(url).path
        if not path.startswith(folder):
            continue
        file = os.path.join(root, urllib.parse.unquote(path).lstrip("/"))
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if os.path.isfile(file):
            with open(file, "rb") as f:
                total += len(gzip.compress(f.read(), 9))
    return total


def ours(browser, base, root, query):
    browser.goto(f"{base}/search/?q={urllib.parse.quote(query)}")
    for _ in range(300):
        said = browser.run("return document.querySelector('.search-status').textContent;")
        if said:
            break
        time.sleep(0.05)
    links = browser.run("return [...document.querySelectorAll('.search-result-link')].map(a => a.getAttribute('href'));")
    return links, gzipped(root, "/search-index/")


def pagefind(browser, base, root, query):
    browser.goto(f"{base}/404.html")
    links = browser.run_async("""
        const [query, done] = arguments;
        import('/pagefind/pagefind.js').then(async (pf) => {
          const search = await pf.search(query);
          const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
          done(data.map((d) => d.url));
        }).catch((e) => done(['error: ' + e]));""", [query])
    return links, gzipped(root, "/pagefind/")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--queries", default=os.path.join(REPO, "bench/search-queries.tsv"))
    parser.add_argument("--pagefind", action="store_true")
    parser.add_argument("--first-query-only", action="store_true", help="only the first-query bytes of a few queries")
    args = parser.parse_args()
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        print(f"notice: skipping: {CHROMIUM} or {CHROMEDRIVER} is missing")
        return
    if args.pagefind and not os.path.isdir(os.path.join(args.site, "pagefind")):
        if not shutil.which("npx"):
            print("notice: skipping Pagefind: npx is missing")
            args.pagefind = False
        else:
            start = time.time()
            subprocess.run(["npx", "--yes", "pagefind@latest", "--site", args.site], check=True, stdout=subprocess.DEVNULL)
            print(f"pagefind index built in {time.time() - start:.1f} s")
    rows = [line.rstrip("\n").split("\t") for line in open(args.queries, encoding="utf-8")
            if line.strip() and not line.startswith("#")]
    if args.first_query_only:
        rows = [[q, ""] for q in ["energy", "liquefied natural gas", "NATO defence spending", "zorblax trade"]]
    port = serve(args.site)
    base = f"http://127.0.0.1:{port}"
    engines = [("communique", ours)] + ([("pagefind", pagefind)] if args.pagefind else [])
    for name, engine in engines:
        right = nothing = 0
        sizes = []
        for query, expected, *_ in rows:
            browser = Browser()  # a fresh browser: nothing cached, every byte counted
            REQUESTED.clear()
            try:
                links, size = engine(browser, base, args.site, query)
            finally:
                browser.close()
            first = links[0] if links else None
            if first and first.startswith(base):
                first = first[len(base):]
            right += first == expected
            nothing += not links
            sizes.append(size)
            mark = "ok  " if first == expected else "miss"
            print(f"{name:10} {mark} {query!r:40} first {first}  ({size / 1024:.1f} KB gz)")
        print(f"{name}: {right}/{len(rows)} right first, {nothing} found nothing, first-query download "
              f"{min(sizes) / 1024:.1f}–{max(sizes) / 1024:.1f} KB gzipped (median {sorted(sizes)[len(sizes) // 2] / 1024:.1f})")


if __name__ == "__main__":
    sys.exit(main())
