#!/usr/bin/env python3
"""Checks contrib/compose and contrib/k8s files (YAML) and the ENTRYPOINT of
the Dockerfiles: every probe and healthcheck is `pxinit status --quiet`, and
every grace period the runtime gives is above pxinit's --grace (default 5).
Usage: contrib_check.py SRCDIR. Exit 0, or 1 with the reasons."""
import json
import re
import sys

import yaml

SRC = sys.argv[1]
errors = []
PXINIT_DEFAULT_GRACE = 5


def grace_of(argv):
    """pxinit's --grace in an argument list (default when absent)."""
    for i, a in enumerate(argv):
        if a == "--grace" and i + 1 < len(argv):
            return int(argv[i + 1])
        if a.startswith("--grace="):
            return int(a.split("=", 1)[1])
    return PXINIT_DEFAULT_GRACE


def check_probe(where, cmd):
    if not (isinstance(cmd, list) and len(cmd) >= 3 and cmd[0].endswith("/pxinit")
            and cmd[1:3] == ["status", "--quiet"]):
        errors.append(f"{where}: probe is not pxinit status --quiet: {cmd}")


def check_pod_spec(where, spec):
    tgp = spec.get("terminationGracePeriodSeconds")
    for c in spec["containers"]:
        w = f"{where} container {c['name']}"
        g = grace_of(c.get("args", []) + c.get("command", []))
        if not isinstance(tgp, int) or tgp <= g:
            errors.append(f"{w}: terminationGracePeriodSeconds {tgp} not above --grace {g}")
        for p in ("readinessProbe", "livenessProbe"):
            if p not in c:
                errors.append(f"{w}: no {p}")
                continue
            check_probe(f"{w} {p}", c[p]["exec"]["command"])


for name in ("pod.yaml", "deployment.yaml"):
    path = f"{SRC}/contrib/k8s/{name}"
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    if not docs:
        errors.append(f"{path}: empty")
    for d in docs:
        for k in ("apiVersion", "kind", "metadata", "spec"):
            if k not in d:
                errors.append(f"{path}: no {k}")
        if d.get("kind") == "Pod":
            check_pod_spec(path, d["spec"])
        elif d.get("kind") == "Deployment":
            t = d["spec"]["template"]
            sel = d["spec"]["selector"]["matchLabels"]
            if any(t["metadata"]["labels"].get(k) != v for k, v in sel.items()):
                errors.append(f"{path}: selector does not match the template's labels")
            check_pod_spec(path, t["spec"])
        else:
            errors.append(f"{path}: unexpected kind {d.get('kind')}")


def seconds(s):
    m = re.fullmatch(r"(\d+)(s|m)?", str(s))
    if not m:
        raise ValueError(s)
    return int(m[1]) * (60 if m[2] == "m" else 1)


def dockerfile_entrypoint(path):
    ep = None
    for line in open(path):
        if line.startswith("ENTRYPOINT "):
            ep = json.loads(line[len("ENTRYPOINT "):])
    return ep


path = f"{SRC}/contrib/compose/compose.yaml"
comp = yaml.safe_load(open(path))
svcs = comp.get("services", {})
if set(svcs) != {"web", "worker"}:
    errors.append(f"{path}: services {sorted(svcs)}, want web and worker")
for n, s in svcs.items():
    w = f"{path} service {n}"
    df = f"{SRC}/contrib/{s['build']['context'].replace('../', '')}/{s['build']['dockerfile']}"
    ep = s.get("entrypoint") or dockerfile_entrypoint(df)
    if not ep or not ep[0].endswith("/pxinit"):
        errors.append(f"{w}: init is not pxinit: {ep}")
    cmd = s.get("command", [])
    g = grace_of(ep + (cmd if isinstance(cmd, list) else []))
    if seconds(s.get("stop_grace_period", "10s")) <= g:
        errors.append(f"{w}: stop_grace_period not above --grace {g}")
    if "healthcheck" in s:
        t = s["healthcheck"]["test"]
        check_probe(f"{w} healthcheck", t[1:] if t[0] == "CMD" else t)
for df, want in (("Dockerfile.debian", ["/usr/bin/pxinit", "--systemd"]),
                 ("Dockerfile.alpine", ["/sbin/pxinit", "--"]),
                 ("Dockerfile.scratch", ["/pxinit", "--"])):
    ep = dockerfile_entrypoint(f"{SRC}/contrib/docker/{df}")
    if ep != want:
        errors.append(f"contrib/docker/{df}: ENTRYPOINT {ep}, want {want}")

for e in errors:
    print("FAIL:", e, file=sys.stderr)
sys.exit(1 if errors else 0)
