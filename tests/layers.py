#!/usr/bin/env python3
"""The layer rule of doc/DESIGN.md, checked on the includes of src/.

A file in src/FOLDER/ includes only headers of its own folder or of a folder
below it in LAYERS; src/main.c (the composition root) includes anything.
No two modules (a .c and its .h) import each other through any path.
Exit 1 with one line per breach, naming the file and the include."""
import os
import re
import sys

# Bottom first. Keep in step with doc/DESIGN.md ("Layers").
LAYERS = ["base", "wire", "config", "unit", "core", "exec", "output", "run",
          "control", "client"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    src = os.path.join(os.environ.get("srcdir", "."), "src")
    rank = {name: i for i, name in enumerate(LAYERS)}
    errors = []
    graph = {}  # module ("folder/stem") -> modules it includes
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
            module = f"{folder}/{name[:-2]}"
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
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
                target = inc[:-2]
                if target != module:
                    graph.setdefault(module, set()).add(target)
    errors += circles(graph)
    for e in errors:
        print(e)
    if errors:
        print(f"layers: {len(errors)} breach(es) of the layer rule (doc/DESIGN.md)")
        return 1
    print(f"layers: {len(graph)} modules, in layer order, no import circle")
    return 0


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
