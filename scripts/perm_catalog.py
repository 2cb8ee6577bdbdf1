#!/usr/bin/env python3
"""Writes a catalog of N entities owned by 100 teams, in the shapes and names loadbench walks.

    python3 scripts/perm_catalog.py N OUT_DIR

OUT_DIR/catalog-info.yaml holds every entity; OUT_DIR/manifest.json has the counts per kind.
Team team-0007 owns about 1 % of the catalog: the owner-only caller of the permission benchmark.
"""
import json
import os
import sys

WORDS = ["payments", "orders", "billing", "catalog", "search", "identity", "shipping", "inventory"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    kinds = {"Group": 100, "User": n // 10, "System": n // 20, "Domain": 10}
    kinds["API"] = n // 5
    kinds["Component"] = n - sum(kinds.values())
    docs = []
    for i in range(kinds["Group"]):
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {{name: team-{i:04d}}}\n"
                    f"spec: {{type: team, children: []}}\n")
    for i in range(kinds["User"]):
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {{name: user-{i:05d}}}\n"
                    f"spec: {{memberOf: [team-{i % 100:04d}]}}\n")
    for i in range(kinds["Domain"]):
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata: {{name: domain-{i:03d}}}\n"
                    f"spec: {{owner: team-{i % 100:04d}}}\n")
    for i in range(kinds["System"]):
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {{name: system-{i:04d}}}\n"
                    f"spec: {{owner: team-{i % 100:04d}, domain: domain-{i % 10:03d}}}\n")
    for i in range(kinds["API"]):
        w = WORDS[i % len(WORDS)]
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {{name: api-{i:05d}, "
                    f"description: {w} service api, tags: [{w}]}}\nspec: {{type: openapi, lifecycle: production, "
                    f"owner: team-{i % 100:04d}, system: system-{i % kinds['System']:04d}, definition: x}}\n")
    for i in range(kinds["Component"]):
        w = WORDS[i % len(WORDS)]
        life = ["production", "experimental", "deprecated"][i % 3]
        docs.append(f"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {{name: component-{i:05d}, "
                    f"description: the {w} service, tags: [{w}, java]}}\nspec: {{type: service, lifecycle: {life}, "
                    f"owner: team-{i % 100:04d}, system: system-{i % kinds['System']:04d}}}\n")
    with open(os.path.join(out, "catalog-info.yaml"), "w") as f:
        f.write("---\n".join(docs))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"count": n, "kinds": kinds}, f)


if __name__ == "__main__":
    main()
