"""Train the learned model shipped with carebench (``qa/learned/default_model.npz``) from the real dev labels.

Reads ``../shared/reference/real/`` at run time (nothing from it is copied: the model file holds hash-bucket
weights and provenance only). Does what ``carebench qa train --labels labels_dev.csv twcs_en_dev.csv es_dev.csv
cdp_en_dev.csv`` does, and adds to the provenance the least optimistic figure there is: a model fitted on the
*development* brands only (see ``tools/real_data.py``), joined with the rules, scored on the *sealed* brands.

    python tools/train_default_model.py [--real DIR] [--out qa/learned/default_model.npz]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_data  # noqa: E402
from qa.checks import CHECKS  # noqa: E402
from qa.learned import BatchScores, fit, read_labels, save_model, training_set  # noqa: E402
from qa.learned.data import file_digest  # noqa: E402
from qa.learned.model import DEFAULT_MODEL  # noqa: E402
from qa.learned.train import TrainingSet  # noqa: E402
from qa.readers import read_messages  # noqa: E402


def subset(data: TrainingSet, keep: np.ndarray, kind: str) -> TrainingSet:
    return TrainingSet([t for t, k in zip(data.texts, keep) if k], {c: v[keep] for c, v in data.labels.items()},
                       {c: v[keep] for c, v in data.rules.items()}, data.groups[keep], kind)


def sealed_figures(data: TrainingSet, sealed: frozenset[str]) -> dict[str, dict]:
    """Rules alone and rules + a model fitted on development brands only, on the sealed brands."""
    dev = np.array([g not in sealed for g in data.groups])
    model = fit(subset(data, dev, "brand"))
    test = subset(data, ~dev, "brand")
    scores = BatchScores(model, test.texts)
    out = {}
    for check, labels in test.labels.items():
        known = labels >= 0
        y, rule = labels[known] == 1, test.rules[check][known]
        row = {}
        joint = rule.copy()
        if check in model.checks and model.checks[check].threshold < 1.0:
            joint = rule | (scores.proba[check][scores.row][known] >= model.checks[check].threshold)
        for name, pred in (("rules", rule), ("rules+model", joint)):
            tp, fp, fn = int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())
            row[name] = {"precision": round(tp / (tp + fp), 4) if tp + fp else None,
                         "recall": round(tp / (tp + fn), 4) if tp + fn else None, "positives": int(y.sum())}
        out[check] = row
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=real_data.DEFAULT_REAL)
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    args = ap.parse_args()
    labels_path = args.real / "labels_dev.csv"
    files = [args.real / name for name in real_data.SOURCES.values()]
    data, missing = training_set(read_labels(labels_path), [(read_messages(p).messages, p.name) for p in files],
                                 CHECKS)
    print(f"{len(data.texts)} labelled replies ({missing} not found), {len(set(data.groups))} {data.group_kind}s")
    sealed = real_data.sealed_brands(real_data.load(args.real))
    figures = sealed_figures(data, sealed)
    provenance = {"labels_file": labels_path.name, "labels_sha256": file_digest(labels_path),
                  "reply_files": {p.name: file_digest(p) for p in files},
                  "trained_by": "tools/train_default_model.py",
                  "sealed_brands": {"count": len(sealed), "split": real_data.SPLIT_SALT,
                                    "dev_brands_model_on_sealed": figures}}
    model = fit(data, provenance, progress=print)
    save_model(model, args.out)
    print(f"wrote {args.out}\n\n| check | positives | rules P / R | rules + model P / R | threshold |")
    print("|---|---:|---|---|---:|")
    for check, rep in model.meta["provenance"]["checks"].items():
        cv = rep.get("cross_validated")
        if cv:
            r, m = cv["rules"], cv["rules+model"]
            print(f"| {check} | {rep['positives']} | {r['precision']:.2f} / {r['recall']:.2f} | "
                  f"{m['precision']:.2f} / {m['recall']:.2f} | {rep['threshold']:.2f} |")
    print("\nsealed brands, model fitted on development brands only:\n\n| check | positives | rules P / R | rules + model P / R |")
    print("|---|---:|---|---|")
    fmt = lambda v: "–" if v is None else f"{v:.2f}"  # noqa: E731
    for check, row in figures.items():
        r, m = row["rules"], row["rules+model"]
        print(f"| {check} | {r['positives']} | {fmt(r['precision'])} / {fmt(r['recall'])} | "
              f"{fmt(m['precision'])} / {fmt(m['recall'])} |")


if __name__ == "__main__":
    main()
