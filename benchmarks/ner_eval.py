"""Evaluate the default entity recogniser on a gold (or dev) JSONL file.

Usage (from the repository root)::

    python benchmarks/ner_eval.py ../shared/eval/ner/fr-sequoia.jsonl
    python benchmarks/ner_eval.py ../shared/eval/ner/en-wikigold.jsonl
    python benchmarks/ner_eval.py ../shared/eval/ner/fr-europeana-ocr.jsonl --labels PER,LOC,ORG
    python benchmarks/ner_eval.py benchmarks/ner_dev/fr-sequoia-dev.jsonl --errors 40

Records are ``{id, lang, text, entities: [{start, end, label, text}]}``. The
command runs ``default_recogniser()`` on every record's ``text`` with its
``lang``, writes the predictions as JSONL (``--pred``, default
``benchmarks/.cache/ner-pred-<name>.jsonl``), runs the shared scorer
(``../shared/eval/ner/score.py``, exact match) when it is there, and prints
per-label precision/recall/F1, micro F1, words per second and load time.
``--errors N`` also lists N false positives and N misses (for dev data only:
the gold files are test data, never tune on them).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SCORER = REPO.parent / "shared" / "eval" / "ner" / "score.py"


def score(
    gold: list[dict], pred: dict[str, list[tuple[int, int, str]]], labels: set[str]
) -> dict[str, tuple[int, int, int]]:
    """Exact-match (tp, fp, fn) per label, ignoring predicted labels not in ``labels``."""
    counts: dict[str, list[int]] = {lab: [0, 0, 0] for lab in sorted(labels)}
    for rec in gold:
        g = {(e["start"], e["end"], e["label"]) for e in rec["entities"] if e["label"] in labels}
        p = {x for x in pred.get(rec["id"], []) if x[2] in labels}
        for x in p & g:
            counts[x[2]][0] += 1
        for x in p - g:
            counts[x[2]][1] += 1
        for x in g - p:
            counts[x[2]][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--pred", type=Path)
    ap.add_argument("--labels", help="comma-separated labels to score (default: those in gold)")
    ap.add_argument("--errors", type=int, default=0, help="show N false positives and misses")
    ap.add_argument("--no-scorer", action="store_true", help="skip the shared score.py")
    args = ap.parse_args()

    t0 = time.perf_counter()
    from reader.core.entities import default_recogniser

    rec = default_recogniser()
    load_s = time.perf_counter() - t0

    gold = [
        json.loads(line)
        for line in args.gold.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    labels = (
        set(args.labels.split(","))
        if args.labels
        else {e["label"] for r in gold for e in r["entities"]}
    )
    words = sum(len(r["text"].split()) for r in gold)
    preds: dict[str, list[tuple[int, int, str]]] = {}
    t1 = time.perf_counter()
    out = []
    for r in gold:
        ms = rec.recognise(r["text"], r.get("lang", "und"))
        preds[r["id"]] = [(m.start, m.end, m.label) for m in ms]
        out.append(
            {
                "id": r["id"],
                "entities": [
                    {"start": m.start, "end": m.end, "label": m.label, "text": m.text} for m in ms
                ],
            }
        )
    elapsed = time.perf_counter() - t1

    pred_path = args.pred or REPO / "benchmarks" / ".cache" / f"ner-pred-{args.gold.stem}.jsonl"
    pred_path.parent.mkdir(parents=True, exist_ok=True)
    pred_path.write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8"
    )

    counts = score(gold, preds, labels)
    print(
        f"{args.gold.name}: {len(gold)} records, {words} words, recogniser {rec.name} {rec.version}"
    )
    print(f"{'label':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    tot = [0, 0, 0]
    for lab, (tp, fp, fn) in counts.items():
        p, r, f = prf(tp, fp, fn)
        print(f"{lab:6} {p:6.3f} {r:6.3f} {f:6.3f} {tp + fn:6d} {tp + fp:6d}")
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    p, r, f = prf(*tot)
    print(f"{'micro':6} {p:6.3f} {r:6.3f} {f:6.3f} {tot[0] + tot[2]:6d} {tot[0] + tot[1]:6d}")
    print(f"speed: {words / elapsed:,.0f} words/s; load: {load_s:.3f} s")

    if args.errors:
        fps: Counter[str] = Counter()
        fns: Counter[str] = Counter()
        for r in gold:
            g = {(e["start"], e["end"], e["label"]) for e in r["entities"] if e["label"] in labels}
            p_ = {x for x in preds[r["id"]] if x[2] in labels}
            for s, e, lab in p_ - g:
                fps[f"{lab} {r['text'][s:e]!r}"] += 1
            for s, e, lab in g - p_:
                fns[f"{lab} {r['text'][s:e]!r}"] += 1
        print("\nfalse positives:", ", ".join(f"{k}×{v}" for k, v in fps.most_common(args.errors)))
        print("\nmisses:", ", ".join(f"{k}×{v}" for k, v in fns.most_common(args.errors)))

    if SCORER.exists() and not args.no_scorer:
        cmd = [sys.executable, str(SCORER), str(args.gold), str(pred_path)]
        if args.labels:
            cmd += ["--labels", args.labels]
        print("\n$ score.py (shared scorer)")
        subprocess.run(cmd, check=False)


if __name__ == "__main__":
    main()
