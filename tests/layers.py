#!/usr/bin/env python3
"""The layer rule of doc/DESIGN.md, checked on the includes of src/.

A file in src/FOLDER/ includes only headers of its own folder or of a folder
below it in LAYERS; src/main.c (the composition root) includes anything.
No source file reaches itself again through what it imports: a.c imports
b.c when a.c includes a header declaring a function that b.c defines and
uses that function (so a header shared by several files, or a header
holding only types, neither hides nor makes a circle).
No source file is longer than MAX_LINES: one that is asks to be split along
a seam it already has.
Exit 1 with one line per breach, naming the file and the include."""
import os
import re
import sys

# Bottom first. Keep in step with doc/DESIGN.md ("Layers").
LAYERS = ["base", "wire", "config", "unit", "core", "exec", "output", "run",
          "control", "client"]
MAX_LINES = 600
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    src = os.path.join(os.environ.get("srcdir", "."), "src")
    rank = {name: i for i, name in enumerate(LAYERS)}
    errors = []
    texts = {}  # "folder/name.c|h" -> its text, comments and strings left in
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path) or folder.startswith("."):
            continue
        if folder not in rank:
            errors.append(f"src/{folder}/: a folder outside the layer list")
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith((".c", ".h")):
                continue
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            texts[f"{folder}/{name}"] = text
            if text.count("\n") > MAX_LINES:
                errors.append(f"src/{folder}/{name}: {text.count(chr(10))} lines, "
                              f"more than {MAX_LINES}")
            for inc in INCLUDE.findall(text):
                if "/" not in inc:
                    if inc not in ("config.h",):
                        errors.append(f"src/{folder}/{name}: includes \"{inc}\" "
                                      "without its folder")
                    continue
                target_folder = inc.split("/")[0]
                if target_folder not in rank:
                    errors.append(f"src/{folder}/{name}: includes \"{inc}\" "
                                  "from no layer")
                    continue
                if rank[target_folder] > rank[folder]:
                    errors.append(f"src/{folder}/{name}: includes \"{inc}\", "
                                  f"a layer above {folder}/")
    errors += circles(call_graph(texts))
    for e in errors:
        print(e)
    if errors:
        print(f"layers: {len(errors)} breach(es) of the layer rule (doc/DESIGN.md)")
        return 1
    print(f"layers: {len(texts)} files, in layer order, no import circle")
    return 0


DEFINITION = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(\w+)\s*\([^;{]*$", re.M)
CODE_ONLY = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)
DECLARED = re.compile(r"\b([a-z_]\w*)\s*\(")


def call_graph(texts):
    """c file -> the c files whose functions it uses through its includes."""
    defined_in = {}
    for f, text in texts.items():
        if f.endswith(".c"):
            for name in DEFINITION.findall(text):
                defined_in.setdefault(name, f)
    graph = {}
    for f, text in texts.items():
        if not f.endswith(".c"):
            continue
        used = set(re.findall(r"\b\w+\b", CODE_ONLY.sub(" ", text)))
        for inc in INCLUDE.findall(text):
            header = texts.get(inc)
            if header is None:
                continue
            for name in set(DECLARED.findall(header)):
                owner = defined_in.get(name)
                if owner and owner != f and name in used:
                    graph.setdefault(f, set()).add(owner)
    return graph


def circles(graph):
    """One line per strongly connected set of more than one module."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                out.append("import circle: " + " -> ".join(sorted(scc)))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
