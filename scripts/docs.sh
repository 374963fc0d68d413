#!/usr/bin/env bash
# `make docs` (part of `make test`): the book and the API docs.
#
#   1. The book: docs/ built by the pinned mdbook (target/tools, from `make deps`) into
#      target/book. Only `mdbook build`: the pages' code blocks are not run (Rust blocks
#      are `rust,ignore`); the examples and tests each page names are what prove it.
#   2. Its links, and the README's: every relative link must reach a file, and every
#      `#anchor` into a page a heading of the built HTML.
#   3. The paths the book and the README name in backticks (`src/...`, `tests/...`,
#      `scripts/...`, ...) must exist, so a page follows the files it cites when they
#      move. Placeholders (`<version>`, `*`) and build outputs (`target/`, `dist/`) are
#      not checked.
#   4. The API docs: `cargo doc --no-deps` with RUSTDOCFLAGS=-D warnings (a broken
#      intra-doc link fails) into target/doc.
set -euo pipefail

ROOT=${ZOOMLIVE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$ROOT"
MDBOOK=target/tools/bin/mdbook

if ! [ -x "$MDBOOK" ]; then
  echo "docs: $MDBOOK is missing; run 'make deps' (or: bash scripts/deps.sh docs)" >&2
  exit 2
fi

echo "docs: the book (docs/) into target/book"
"$MDBOOK" build docs

echo "docs: links and paths named by the book and the README"
python3 - <<'EOF'
import html.parser
import os
import re
import sys

ROOT_DIRS = ("src/", "tests/", "scripts/", "benches/", "examples/", "include/", "python/",
             "fuzz/", "mk/", "docs/", ".ci/")
LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")


class Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def ids_of(page):
    """The anchors of a book page, as mdbook rendered them."""
    built = os.path.join("target/book", os.path.relpath(page, "docs/src"))[:-3] + ".html"
    parser = Ids()
    with open(built, encoding="utf-8") as f:
        parser.feed(f.read())
    return parser.ids


def prose(text):
    """The text outside fenced code blocks, with line numbers."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


pages = ["README.md"]
for folder, _, files in os.walk("docs/src"):
    pages += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".md")]

problems = []
for page in pages:
    with open(page, encoding="utf-8") as f:
        text = f.read()
    for number, line in prose(text):
        where = f"{page}:{number}"
        for target in LINK.findall(line):
            if re.match(r"^[a-z]+:", target):
                continue  # a URL
            path, _, anchor = target.partition("#")
            file = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if not os.path.exists(file):
                problems.append(f"{where}: a link to {target}, which does not exist")
            elif anchor and file.startswith("docs/src/") and file.endswith(".md"):
                if anchor not in ids_of(file):
                    problems.append(f"{where}: a link to {target}: no such heading")
        for code in CODE.findall(line):
            for word in code.split():
                word = word.rstrip(".,;:)")
                if not word.startswith(ROOT_DIRS) or re.search(r"[<>*{}]|\.\.\.", word):
                    continue
                if not os.path.exists(word):
                    problems.append(f"{where}: names {word}, which does not exist")

for p in problems:
    print(p)
if problems:
    print("docs: fix the links and paths above (a file moved? name where it is now)",
          file=sys.stderr)
    sys.exit(1)
print(f"docs: {len(pages)} pages, every link and named path found")
EOF

echo "docs: the API docs (cargo doc, rustdoc warnings are errors) into target/doc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --features cli,python
echo "docs: the book is target/book/index.html, the API docs target/doc/zoomlive/index.html"
