#!/usr/bin/env python3
"""Fails when two Rust modules of a crate reach each other through their imports.

Each file is a node. An edge goes from a file to the file that *defines* what it names:
`use crate::a::b::Item`, `super::x`, `self::y`, a child module's path, following `pub use`
re-exports to the defining module (so `providers::ProviderError` counts as an import of
`providers/error.rs`, not of `providers/mod.rs`). Declaring a child module (`mod x;`) is not an
import. Test code (from a top-level `#[cfg(test)]` on) is left out. Circles are strongly
connected components of more than one file.

Usage: python3 scripts/check-imports.py [crate root files...]   (default: the three crates)
"""

import os
import re
import sys

ROOTS = ["src-tauri/core/src/lib.rs", "src-tauri/sandbox/src/lib.rs", "src-tauri/app/lib.rs"]

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip(source):
    """Removes test code, comments and string contents, which hold no imports."""
    cut = re.search(r"^#\[cfg\(test\)\]", source, re.M)
    if cut:
        source = source[: cut.start()]
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"//[^\n]*", "", source)
    source = re.sub(r'r#*"(?:.|\n)*?"#*', '""', source)
    source = re.sub(r'"(?:\\.|[^"\\])*"', '""', source)
    source = re.sub(r"'(?:\\.|[^'\\])'", "' '", source)
    return source


def expand(tree):
    """`a::{b, c::{d, e as f}}` -> [[a,b],[a,c,d],[a,c,e]] (aliases keep the real name)."""
    tree = tree.strip()
    brace = tree.find("{")
    if brace == -1:
        name = tree.split(" as ")[0].strip()
        return [[p for p in name.split("::") if p]] if name else []
    prefix = [p for p in tree[:brace].split("::") if p]
    inner = tree[brace + 1 : tree.rfind("}")]
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    parts.append(current)
    out = []
    for part in parts:
        for tail in expand(part):
            out.append(prefix + tail)
    return out


class Crate:
    def __init__(self, root):
        self.modules = {}  # module path tuple -> file
        self.files = {}  # file -> module path tuple
        self.children = {}  # module path -> set of child names
        self.sources = {}
        self.walk(root, ())

    def walk(self, path, module):
        self.modules[module] = path
        self.files[path] = module
        source = strip(open(path, encoding="utf-8").read())
        self.sources[path] = source
        base = os.path.dirname(path)
        name = os.path.basename(path)
        if name not in ("lib.rs", "mod.rs", "main.rs"):
            base = os.path.join(base, name[:-3])
        kids = set()
        for match in re.finditer(rf"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+({IDENT})\s*;", source, re.M):
            kid = match.group(1)
            for candidate in (os.path.join(base, kid + ".rs"), os.path.join(base, kid, "mod.rs")):
                if os.path.exists(candidate):
                    kids.add(kid)
                    self.walk(candidate, module + (kid,))
                    break
        self.children[module] = kids

    def uses(self, path):
        """Every `use` tree of the file, expanded, with whether it is a `pub use`."""
        for match in re.finditer(r"(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", self.sources[path]):
            for segments in expand(match.group(2)):
                yield bool(match.group(1)), segments

    def absolute(self, module, segments):
        """Makes a path absolute from `module`; None for paths outside the crate."""
        head = segments[0]
        if head == "crate":
            return list(segments[1:])
        if head == "self":
            return list(module) + list(segments[1:])
        if head == "super":
            up = list(module)
            rest = list(segments)
            while rest and rest[0] == "super":
                up = up[:-1]
                rest = rest[1:]
            return up + rest
        if head in self.children.get(module, ()):
            return list(module) + list(segments)
        return None

    def define_site(self, absolute, depth=0):
        """The file defining what `absolute` names, following `pub use` re-exports."""
        for cut in range(len(absolute), -1, -1):
            module = tuple(absolute[:cut])
            if module in self.modules:
                break
        rest = absolute[cut:]
        file = self.modules[module]
        if not rest or depth > 20:
            return file
        for public, segments in self.uses(file):
            if not public:
                continue
            if segments[-1] == rest[0] or segments[-1] == "*":
                target = self.absolute(module, segments if segments[-1] != "*" else segments[:-1] + [rest[0]])
                if target is not None and target != absolute:
                    return self.define_site(target + rest[1:], depth + 1)
        return file

    def edges(self, path):
        module = self.files[path]
        found = set()
        source = self.sources[path]
        paths = [segments for _, segments in self.uses(path)]
        # Paths written inline, e.g. `crate::config::Config::load(...)` or `okta::Okta::new`.
        for match in re.finditer(rf"(?<![A-Za-z0-9_:])((?:{IDENT}::)+{IDENT})", source):
            paths.append(match.group(1).split("::"))
        for segments in paths:
            absolute = self.absolute(module, segments)
            if absolute is None:
                continue
            target = self.define_site(absolute)
            if target != path:
                found.add(target)
        return found


def circles(graph):
    """Tarjan's strongly connected components with more than one node."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in graph:
        if node not in index:
            visit(node)
    return out


def main():
    if len(sys.argv) == 1:
        os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    roots = sys.argv[1:] or ROOTS
    failed = False
    total_files = total_edges = 0
    for root in roots:
        crate = Crate(root)
        graph = {path: crate.edges(path) for path in crate.files}
        total_files += len(graph)
        total_edges += sum(len(e) for e in graph.values())
        for component in circles(graph):
            failed = True
            print(f"import circle in {root}:")
            for path in component:
                reached = sorted(t for t in graph[path] if t in component)
                print(f"  {path} -> {', '.join(reached)}")
    print(f"import check: {total_files} files, {total_edges} imports, "
          f"{'circles found' if failed else 'no circles'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
