"""A large differential campaign: podmodel against the real v1.35.4 API-server code.

Generates ``--count`` objects with the schema walk of ``tests/support/schema_walk.py`` (seeded:
the same ``--seed`` gives the same objects), sends them to ``../shared/oracle/k8s-oracle`` in
pipelined batches, compares decoding, validation errors (field, type, text, in order), warnings
and defaults, and prints the agreement per area (the top-level spec field, container field or
metadata field touched) with the first few disagreements of each area. A disagreement is
*explained* when every differing item matches a row of the ``KNOWN`` table of
``tests/apiserver/test_against_apiserver.py`` (deliberate, documented differences); the examples
shown are the unexplained ones (all of them with ``--raw``)::

    python tools/oracle_campaign.py --count 100000 --seed 1
    python tools/oracle_campaign.py --count 20000 --seed 2 --area spec.affinity --show 10
    python tools/oracle_campaign.py --count 50000 --seed 3 --fields 2-4   # several fields each

PodTemplates and ReplicationControllers are decoded as their kinds and checked by
``podmodel.apiserver.workloads.validate_workload`` (see ``schema_walk.compare``).
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

import tests.conftest  # noqa: F401  (imported first: it imports the oracle client)
from tests.apiserver.test_against_apiserver import explained
from tests.support.oracle import ORACLE, Oracle
from tests.support.schema_walk import SchemaWalk, as_kind, compare

BATCH = 2000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=3, help="disagreements shown per area")
    parser.add_argument("--area", default="", help="only show areas starting with this")
    parser.add_argument(
        "--kinds", default="Pod:8,PodTemplate:1,ReplicationController:1", help="kind:weight,..."
    )
    parser.add_argument(
        "--fields", default="", help="fields set per object, as N or LOW-HIGH (default: 1 to 3)"
    )
    parser.add_argument("--oracle", default=str(ORACLE))
    parser.add_argument("--raw", action="store_true", help="show explained disagreements too")
    args = parser.parse_args(argv)
    kinds, weights = zip(
        *((k, int(w)) for k, w in (p.split(":") for p in args.kinds.split(","))), strict=False
    )
    low, _, high = args.fields.partition("-")
    span = (int(low), int(high or low)) if low else None
    rng = random.Random(args.seed)
    walk = SchemaWalk()
    oracle = Oracle(path=pathlib.Path(args.oracle))
    total: collections.Counter[str] = collections.Counter()
    bad: collections.Counter[str] = collections.Counter()
    unexp: collections.Counter[str] = collections.Counter()
    aspects: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    examples: dict[str, list[str]] = collections.defaultdict(list)
    start = time.monotonic()
    done = agreed = unexplained = 0
    while done < args.count:
        n = min(BATCH, args.count - done)
        objs = []
        for _ in range(n):
            pod, areas = walk.pod(rng, rng.randint(*span) if span else None)
            objs.append((as_kind(pod, rng.choices(kinds, weights)[0]), areas))
        answers = oracle.check_many([o for o, _ in objs])
        for (obj, areas), answer in zip(objs, answers, strict=False):
            diff = compare(obj, answer)
            agreed += not diff
            shown = diff if args.raw else {k: d for k, d in diff.items() if not explained(d)}
            unexplained += any(not explained(d) for d in diff.values())
            for area in areas:
                total[area] += 1
                if diff:
                    bad[area] += 1
                    unexp[area] += any(not explained(d) for d in diff.values())
                    for aspect in diff:
                        aspects[area][aspect] += 1
                    if shown and len(examples[area]) < args.show:
                        import json

                        line = "; ".join(f"{k}: {v.summary}" for k, v in shown.items())
                        examples[area].append(f"{line}\n        object: {json.dumps(obj)[:600]}")
        done += n
    oracle.close()
    elapsed = time.monotonic() - start
    print(
        f"{done} objects, seed {args.seed}, {elapsed:.1f}s: "
        f"{'fields ' + args.fields + ', ' if args.fields else ''}{agreed} agree ({100 * agreed / max(done, 1):.2f}%), "
        f"{done - agreed - unexplained} explained by KNOWN, {unexplained} unexplained"
    )
    print(f"{'area':45} {'objects':>8} {'agree':>7} {'unexpl':>6}  disagreements by aspect")
    for area in sorted(total, key=lambda a: (-unexp[a], -bad[a], a)):
        pct = 100 * (total[area] - bad[area]) / total[area]
        detail = ", ".join(f"{k} {v}" for k, v in aspects[area].most_common())
        print(f"{area:45} {total[area]:8} {pct:6.1f}% {unexp[area]:6}  {detail}")
    for area in sorted(examples, key=lambda a: (-unexp[a], -bad[a])):
        if not area.startswith(args.area):
            continue
        print(f"\n== {area} ({bad[area]} disagreements, {unexp[area]} unexplained)")
        for ex in examples[area]:
            print("  - " + ex)
    return 0 if unexplained == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
