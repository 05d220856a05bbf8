#!/usr/bin/env python3
"""Adds workload templates to a generated cluster (a `kubectl get -o json`-shaped List): per
namespace `ns-N` of it, Deployments and ReplicaSets `app-0`, `app-1`, … whose pod templates run
as `sa-0`, `sa-3`, … — the shape a live cluster's controllers add beside its pods.

usage: add_workloads.py IN.json OUT.json [PER_KIND_PER_NAMESPACE (default 2)] [--pods N]

`--pods N` also adds N running pods per namespace, shaped as `gen_cluster.py --pods N` writes
them (running as `sa-0` … `sa-24` in turn, on nodes `node-0` … `node-499`).
"""
import json
import sys


def main():
    args = sys.argv[1:]
    pods = 0
    if "--pods" in args:
        at = args.index("--pods")
        pods = int(args[at + 1])
        del args[at:at + 2]
    src, dst = args[0], args[1]
    per = int(args[2]) if len(args) > 2 else 2
    with open(src) as f:
        doc = json.load(f)
    namespaces = [i["metadata"]["name"] for i in doc["items"] if i.get("kind") == "Namespace"]
    extra = []
    for n, ns in enumerate(namespaces):
        for p in range(pods):
            app = f"app-{p % 10}"
            extra.append({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": f"{app}-{p}", "namespace": ns, "labels": {"app": app}},
                "spec": {"serviceAccountName": f"sa-{p % 25}", "nodeName": f"node-{(n * 7 + p) % 500}",
                         "containers": [{"name": "main", "image": f"registry.example/{app}:1.{p % 9}"}]},
                "status": {"phase": "Running"}})
        for k in range(per):
            for kind in ("Deployment", "ReplicaSet"):
                labels = {"app": f"app-{k}"}
                extra.append({
                    "apiVersion": "apps/v1", "kind": kind,
                    "metadata": {"name": f"app-{k}", "namespace": ns},
                    "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                             "template": {"metadata": {"labels": labels},
                                          "spec": {"serviceAccountName": f"sa-{k * 3}",
                                                   "containers": [{"name": "main", "image": "registry.example/app:1"}]}}}})
    doc["items"] += extra
    with open(dst + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    import os
    os.replace(dst + ".tmp", dst)


if __name__ == "__main__":
    main()
