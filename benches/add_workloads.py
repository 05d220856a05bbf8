#!/usr/bin/env python3
"""Adds workload templates to a generated cluster (a `kubectl get -o json`-shaped List): per
namespace `ns-N` of it, Deployments and ReplicaSets `app-0`, `app-1`, … whose pod templates run
as `sa-0`, `sa-3`, … — the shape a live cluster's controllers add beside its pods.

usage: add_workloads.py IN.json OUT.json [PER_KIND_PER_NAMESPACE (default 2)]
"""
import json
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    with open(src) as f:
        doc = json.load(f)
    namespaces = [i["metadata"]["name"] for i in doc["items"] if i.get("kind") == "Namespace"]
    extra = []
    for ns in namespaces:
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
