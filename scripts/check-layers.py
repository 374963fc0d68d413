#!/usr/bin/env python3
"""The house stays layered: no import circle under src/, and imports point down.

Reads every `.rs` file under a crate's `src/`, finds the paths it names
(`use crate::...`, `super::...`, `self::...`, also inline in code, with `{...}` groups
expanded and `pub use` re-exports followed to where an item really lives), and
checks, at every folder level, that the graph between a folder's children (files,
and sub-folders taken whole) has no circle; and that no import points up the layers
of LAYERS below. `mod x;` declarations are the tree itself, not imports.

    scripts/check-layers.py [SRC]      (default: src)  exit 1 on a circle or an upward import
    scripts/check-layers.py --self-test   proves it catches both, on trees it writes
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections import defaultdict

# Rank of each top-level part of the library crate: an import may point to a part of
# the same or a lower rank, never a higher one. faces -> API -> auth / exchange -> net
# -> model / error / secret. A new top-level module must be given a rank here.
LAYERS = {
    "capi": 5, "com": 5, "python": 5, "emulator": 5,
    "builder": 4, "client": 4, "config": 4, "batch": 4, "doctor": 4,
    "auth": 3, "exchange": 3,
    "net": 2,
    "model": 1, "error": 1, "secret": 1, "text": 1, "trace": 1,
}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH_RE = re.compile(rf"\b(crate|super|self)((?:\s*::\s*{IDENT})+)")
USE_RE = re.compile(r"\b(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);")
MOD_DECL_RE = re.compile(rf"(?<!\w)(?:pub(?:\([^)]*\))?\s+)?mod\s+({IDENT})\s*;")


def strip_code(text: str) -> str:
    """The text with comments, string and char literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif (m := re.compile(r'b?r(#*)"').match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = '"' + m.group(1)
            j = text.find(end, m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", text[i : j + 1]))
            i = j + 1
        elif c == "'" and (m := re.compile(r"'(?:[^'\\\n]|\\u\{[0-9a-fA-F]+\}|\\.)'").match(text, i)):
            out.append(" " * (m.end() - i))
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e'] (`as` names dropped)."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    if "{" not in tree:
        return [tree]
    head, rest = tree.split("{", 1)
    body = rest[: rest.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in filter(None, parts):
        for e in expand_use(p):
            out.append(head[:-2] if e == "self" else head + e)
    return out


class Crate:
    """One crate root's module tree (file modules only) and its re-exports."""

    def __init__(self, root_file: str):
        self.files: dict[tuple, str] = {}  # module path -> file
        self.reexports: dict[tuple, dict[str, tuple]] = defaultdict(dict)
        self._walk((), root_file)

    def _walk(self, module: tuple, path: str) -> None:
        self.files[module] = path
        text = strip_code(open(path, encoding="utf-8").read())
        base = os.path.dirname(path)
        if not (path.endswith(("mod.rs", "lib.rs", "main.rs"))):
            base = os.path.join(base, os.path.basename(path)[:-3])
        for name in MOD_DECL_RE.findall(text):
            for cand in (os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")):
                if os.path.exists(cand):
                    self._walk(module + (name,), cand)
                    break
        for m in USE_RE.finditer(text):
            if not re.match(r"\s*pub", text[m.start() : m.start() + 4]):
                continue
            for item in expand_use(m.group(1)):
                segs = item.split("::")
                alias = re.search(rf"\bas\s+({IDENT})", m.group(1))
                name = segs[-1]
                target = self.absolute(module, segs)
                if target is not None and name != "*":
                    self.reexports[module][name] = target
                if alias and len(expand_use(m.group(1))) == 1:
                    self.reexports[module][alias.group(1)] = target

    def absolute(self, module: tuple, segs: list[str]) -> tuple | None:
        """The absolute path of `segs` used in `module`, or None (an outside crate)."""
        if not segs:
            return None
        cur, rest = list(module), segs
        if segs[0] == "crate":
            cur, rest = [], segs[1:]
        elif segs[0] in ("super", "self"):
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    cur = cur[:-1]
                rest = rest[1:]
        elif tuple(module + (segs[0],)) in self.files:
            rest = segs  # a child module named without self::
        else:
            return None
        return tuple(cur) + tuple(rest)

    def resolve(self, path: tuple, seen: int = 0) -> tuple:
        """The file module that `path` names or holds the item it names."""
        cur: tuple = ()
        for i, seg in enumerate(path):
            if cur + (seg,) in self.files:
                cur = cur + (seg,)
            elif seg in self.reexports.get(cur, {}) and seen < 16:
                return self.resolve(self.reexports[cur][seg] + tuple(path[i + 1 :]), seen + 1)
            else:
                break
        return cur


def inline_module_at(text: str) -> list[tuple[int, int, tuple]]:
    """Spans (start, end, names) of inline `mod x { ... }` blocks, for `super::`."""
    spans, stack, depth = [], [], 0
    pending = None
    for m in re.finditer(rf"\bmod\s+({IDENT})\s*\{{|[{{}}]", text):
        tok = m.group(0)
        if tok.startswith("mod"):
            depth += 1
            stack.append((m.group(1), m.start(), depth))
        elif tok == "{":
            depth += 1
        else:
            if stack and stack[-1][2] == depth:
                name, start, _ = stack.pop()
                spans.append((start, m.end(), tuple(s[0] for s in stack) + (name,)))
            depth -= 1
    del pending
    return spans


def edges_of(crate: Crate) -> dict[tuple, set[tuple]]:
    graph: dict[tuple, set[tuple]] = defaultdict(set)
    for module, path in crate.files.items():
        text = strip_code(open(path, encoding="utf-8").read())
        text = MOD_DECL_RE.sub(lambda m: " " * len(m.group(0)), text)
        spans = inline_module_at(text)
        found: list[tuple[int, list[str]]] = []
        for m in USE_RE.finditer(text):
            for item in expand_use(m.group(1)):
                found.append((m.start(), item.split("::")))
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
        for m in PATH_RE.finditer(text):
            found.append((m.start(), [m.group(1)] + re.sub(r"\s", "", m.group(2)).split("::")[1:]))
        for pos, segs in found:
            inner = ()
            for start, end, names in spans:
                if start <= pos < end and len(names) > len(inner):
                    inner = names
            here = module + inner
            target = crate.absolute(here, segs)
            if target is None:
                continue
            to = crate.resolve(target)
            if to != module:
                graph[module].add(to)
    return graph


def cycles_at_every_level(graph: dict[tuple, set[tuple]], modules) -> list[str]:
    """Circles among the children of each folder (sub-folders taken whole)."""
    problems = []
    parents = {m[:k] for m in modules for k in range(len(m))}
    for parent in sorted(parents):
        sub: dict[tuple, set[tuple]] = defaultdict(set)
        for a, tos in graph.items():
            for b in tos:
                if a[: len(parent)] != parent or b[: len(parent)] != parent:
                    continue
                if len(a) <= len(parent) or len(b) <= len(parent):
                    continue  # the folder's own mod.rs re-exporting its children
                ca, cb = a[: len(parent) + 1], b[: len(parent) + 1]
                if ca != cb:
                    sub[ca].add(cb)
        for comp in strongly_connected(sub):
            if len(comp) > 1:
                names = sorted("::".join(c) for c in comp)
                problems.append(f"import circle in {'::'.join(parent) or 'crate'}: " + " <-> ".join(names))
    return problems


def strongly_connected(graph):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    nodes = set(graph) | {b for v in graph.values() for b in v}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def upward_imports(graph, files) -> list[str]:
    problems = []
    for a, tos in sorted(graph.items()):
        if not a:
            continue
        for b in sorted(tos):
            if not b:
                continue
            ra, rb = LAYERS.get(a[0]), LAYERS.get(b[0])
            if ra is None or rb is None:
                missing = a[0] if ra is None else b[0]
                problems.append(f"{files[a]}: module `{missing}` has no layer in scripts/check-layers.py")
            elif rb > ra:
                problems.append(
                    f"{files[a]} imports crate::{'::'.join(b)}: up the layers ({a[0]} is below {b[0]})"
                )
    return sorted(set(problems))


def check(src: str) -> list[str]:
    problems = []
    roots = [("lib", os.path.join(src, "lib.rs"), True)]
    bindir = os.path.join(src, "bin")
    if os.path.isdir(bindir):
        for name in sorted(os.listdir(bindir)):
            main = os.path.join(bindir, name, "main.rs")
            single = os.path.join(bindir, name)
            if os.path.isfile(main):
                roots.append((f"bin {name}", main, False))
            elif name.endswith(".rs"):
                roots.append((f"bin {name}", single, False))
    for label, root, layered in roots:
        if not os.path.exists(root):
            continue
        crate = Crate(root)
        graph = edges_of(crate)
        for p in cycles_at_every_level(graph, crate.files):
            problems.append(f"[{label}] {p}")
        if layered:
            problems += [f"[{label}] {p}" for p in upward_imports(graph, crate.files)]
    return problems


def self_test() -> int:
    """Writes small trees with and without a circle and checks the verdicts."""
    cases = {
        "clean": ({"lib.rs": "mod client; mod net; mod error;\npub use client::Client;",
                   "client.rs": "use crate::net::tcp::dial; use crate::error::Error;",
                   "net/mod.rs": "pub(crate) mod tcp;\npub(crate) mod tls;\npub use tcp::dial;",
                   "net/tcp.rs": "use super::tls::wrap; pub fn dial() {}",
                   "net/tls.rs": "use crate::error::Error; pub fn wrap() {}\n#[cfg(test)]\nmod tests { use super::*; use super::super::super::error::Error; }",
                   "error.rs": "pub struct Error; const S: &str = \"crate::client\"; // crate::client"},
                  []),
        "file circle": ({"lib.rs": "mod net; mod error;",
                         "net/mod.rs": "mod tcp; mod tls;",
                         "net/tcp.rs": "use super::tls::wrap;",
                         "net/tls.rs": "fn f() { crate::net::tcp::dial() }",
                         "error.rs": ""},
                        ["import circle in net: net::tcp <-> net::tls"]),
        "folder circle": ({"lib.rs": "mod auth; mod exchange; mod error;",
                           "auth/mod.rs": "mod source;",
                           "auth/source.rs": "use crate::exchange::{deadline::Deadline, outcome};",
                           "exchange/mod.rs": "mod deadline; mod outcome;",
                           "exchange/deadline.rs": "",
                           "exchange/outcome.rs": "use crate::auth::source::Token;",
                           "error.rs": ""},
                          ["import circle in crate: auth <-> exchange"]),
        "through a re-export": ({"lib.rs": "mod client; mod builder; mod error;\npub use client::Client;\npub use builder::Builder;",
                                 "client.rs": "use crate::Builder;",
                                 "builder.rs": "use crate::{Client, error::Error};",
                                 "error.rs": ""},
                                ["import circle in crate: builder <-> client"]),
        "upward": ({"lib.rs": "mod net; mod client; mod error;",
                    "net/mod.rs": "fn f() -> crate::client::Client { todo!() }",
                    "client.rs": "use crate::net;",
                    "error.rs": ""},
                   ["up the layers (net is below client)", "import circle in crate: client <-> net"]),
    }
    failed = 0
    for name, (files, expected) in cases.items():
        with tempfile.TemporaryDirectory() as d:
            for rel, body in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
                with open(os.path.join(d, rel), "w") as f:
                    f.write(body)
            got = check(d)
            ok = len(got) == len(expected) and all(any(e in g for g in got) for e in expected)
            print(f"self-test {name}: {'ok' if ok else 'FAILED'}")
            if not ok:
                failed += 1
                print(f"  expected {expected}\n  got      {got}")
    return 1 if failed else 0


def main() -> int:
    args = sys.argv[1:]
    if args == ["--self-test"]:
        return self_test()
    src = args[0] if args else "src"
    problems = check(src)
    for p in problems:
        print(f"check-layers: {p}")
    if problems:
        return 1
    count = sum(1 for _, _, fs in os.walk(src) for f in fs if f.endswith(".rs"))
    print(f"check-layers: {count} files under {src}: no import circle, every import points down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
