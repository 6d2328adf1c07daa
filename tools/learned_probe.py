"""Measure feature and fitting variants of the learned layer before changing it (a dev script; tests never run it).

For each variant of the model's input, per check: the rules alone and rules + model under nested
leave-brands-out folds on all labelled brands (each outer fold's threshold chosen inside its training folds,
as ``qa.learned.train`` reports), and a model fitted and thresholded on the *development* brands only, joined
with the rules and scored on the *sealed* brands (``tools/real_data.py``). Sealed brands are only ever counted:
no reply text of any brand is printed.

``--rank`` prints instead how well the model ranks what the rules miss, the part the join can gain: among the
rules' negatives, out-of-fold (by brand) average precision and the true / false positives added at
thresholds 0.3 .. 0.9, then the same for a development-fitted model on the sealed brands; and how many rule
hits a low probability would veto (right / wrong). ``--choose`` swaps how a threshold is chosen, ``--C`` the
regularisation, ``--residual`` fits on the rules' negatives only.

A variant turns a reply's context into the text that is hashed (``VARIANTS``: the reply with brand names,
hosts, e-mails and phone numbers masked; with its links' page kinds, the customer's words, the last sentence's
words, the reply's shape or the rules' verdicts as extra tokens) or into the feature matrix itself
(``MATRICES``: character n-grams beside the words).

    python tools/learned_probe.py [--real DIR] [--variants base,mask,...] [--checks deflection,...] [--rank]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_data  # noqa: E402
from qa.checks import CHECKS  # noqa: E402
from qa.learned import train  # noqa: E402
from qa.learned.features import vectorise  # noqa: E402

RESIDUAL = False
CHECKS_FITTED = ("deflection", "dm_request", "not_our_team", "compensation")


def _pr(pred: np.ndarray, y: np.ndarray) -> str:
    tp, fp, fn = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum()), int((~pred & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return f"{p:.3f} / {r:.3f} (tp {tp} fp {fp} fn {fn})"


WEIGHTING = "none"


def weights(x, groups: np.ndarray) -> np.ndarray | None:  # noqa: ANN001
    """Sample weights of a training part (mean 1), so that a brand's macros do not outvote other brands:
    ``dedupe`` gives a reply 1 / (replies with the same hashed words), ``brand`` 1 / sqrt(its brand's replies)."""
    if WEIGHTING == "none":
        return None
    if WEIGHTING == "dedupe":
        keys = [hash((x.indices[a:b].tobytes(), x.data[a:b].tobytes())) for a, b in zip(x.indptr[:-1], x.indptr[1:])]
    else:
        keys = list(groups)
    _, inverse, counts = np.unique(np.asarray(keys), return_inverse=True, return_counts=True)
    w = 1.0 / (counts[inverse] if WEIGHTING == "dedupe" else np.sqrt(counts[inverse]))
    return w / w.mean()


AUGMENT: dict[str, tuple] = {}  # check -> (matrix, labels) of generated replies added to every fit
CURRENT = {"check": ""}  # the check being measured (which generated labels to add)


def fitted(x, y, groups):  # noqa: ANN001, ANN201
    """A classifier fitted on a training part (and the generated replies of ``--augment``, if any)."""
    check = CURRENT["check"]
    if check in AUGMENT:
        import scipy.sparse as sp
        xa, ya = AUGMENT[check]
        x, y, groups = sp.vstack([x, xa]).tocsr(), np.concatenate([y, ya]), np.concatenate([groups, ["gen"] * len(ya)])
    return train._classifier().fit(x, y, sample_weight=weights(x, groups))


def oof(x, y, groups, splits: int) -> np.ndarray:  # noqa: ANN001
    """``train._oof`` with :func:`weights`."""
    out = np.zeros(len(y))
    for tr, te in train.GroupKFold(n_splits=splits).split(x, y, groups):
        if len(set(y[tr])) >= 2:
            out[te] = fitted(x[tr], y[tr], groups[tr]).predict_proba(x[te])[:, 1]
    return out


def nested(x, y, rule, groups, target) -> dict:  # noqa: ANN001
    """``train._nested`` with :func:`weights`: rules alone and rules + model, thresholds chosen inside."""
    joint = np.zeros(len(y), dtype=bool)
    for tr, te in train.GroupKFold(n_splits=min(5, len(set(groups)))).split(x, y, groups):
        t = train.choose_threshold(oof(x[tr], y[tr], groups[tr], 4), rule[tr], y[tr], target)
        proba = fitted(x[tr], y[tr], groups[tr]).predict_proba(x[te])[:, 1]
        joint[te] = rule[te] | (proba >= t)
    out = {}
    for name, pred in (("rules", rule), ("rules+model", joint)):
        tp, fp, fn = train._confusion(pred, y)
        p, r, _ = train._scores(tp, fp, fn)
        out[name] = {"precision": p, "recall": r, "tp": tp, "fp": fp, "fn": fn}
    return out


def sealed_run(x, y, rule, groups, sealed, target) -> tuple[np.ndarray, float]:  # noqa: ANN001
    """Rules + a model fitted and thresholded on development brands, on the sealed ones."""
    dev = ~sealed
    inner = min(5, len(set(groups[dev])))
    t = train.choose_threshold(oof(x[dev], y[dev], groups[dev], inner), rule[dev], y[dev], target)
    proba = fitted(x[dev], y[dev], groups[dev]).predict_proba(x[sealed])[:, 1]
    return rule[sealed] | (proba >= t), t


def _beyond(proba: np.ndarray, y: np.ndarray, rule: np.ndarray) -> str:
    """How well the model ranks the positives the rules miss: average precision among the rules' negatives,
    and true / false positives it adds at a few thresholds."""
    from sklearn.metrics import average_precision_score
    neg = ~rule
    yn, pn = y[neg], proba[neg]
    ap = average_precision_score(yn, pn) if yn.any() else float("nan")
    at = " ".join(f"{t}:{int(((pn >= t) & (yn == 1)).sum())}/{int(((pn >= t) & (yn == 0)).sum())}"
                  for t in (0.3, 0.5, 0.7, 0.9))
    yp, pp = y[rule], proba[rule]
    veto = " ".join(f"{t}:{int(((pp < t) & (yp == 1)).sum())}/{int(((pp < t) & (yp == 0)).sum())}"
                    for t in (0.05, 0.1, 0.2))
    return (f"missed {int(yn.sum())} AP {ap:.3f} +tp/fp {at} | rule hits below tp/fp {veto} "
            f"(rule fp {int((yp == 0).sum())})")


def choose_gain(proba: np.ndarray, rule: np.ndarray, y: np.ndarray, target: float) -> float:
    """The lowest threshold whose joint precision stays at target + margin *and* whose added verdicts are right
    at least as often as wrong (each true positive it adds costs at most one false positive)."""
    best_t, best = train.OFF, 0
    base_tp, base_fp, _ = train._confusion(rule, y)
    for t in train.THRESHOLDS[::-1]:
        tp, fp, fn = train._confusion(rule | (proba >= t), y)
        p, _, _ = train._scores(tp, fp, fn)
        gain = (tp - base_tp) - (fp - base_fp)
        if p >= target + train.MARGIN and tp > base_tp and gain > best:
            best_t, best = float(t), gain
    return best_t


def choose_f1(proba: np.ndarray, rule: np.ndarray, y: np.ndarray, target: float) -> float:
    """The threshold of the best joint F1 whose precision stays at target + margin; OFF when none beats rules."""
    tp, fp, fn = train._confusion(rule, y)
    best_t, best = train.OFF, train._scores(tp, fp, fn)[2]
    for t in train.THRESHOLDS[::-1]:
        tp, fp, fn = train._confusion(rule | (proba >= t), y)
        p, _, f = train._scores(tp, fp, fn)
        if p >= target + train.MARGIN and f > best + 1e-9:
            best_t, best = float(t), f
    return best_t


CHOOSERS = {"recall": train.choose_threshold, "gain": choose_gain, "f1": choose_f1}


def rank(name: str, x, rows, rules, sealed_mask, checks) -> None:  # noqa: ANN001
    """Out-of-fold (by brand) ranking beyond the rules, all brands; and a development-fitted model's on sealed."""
    groups_all = np.array([r.brand for r in rows])
    for check in checks:
        CURRENT["check"] = check
        lab = np.array([r.label[check] for r in rows])
        known = lab != ""
        y = (lab[known] == "1").astype(int)
        rule, groups, xk, sealed = rules[check][known], groups_all[known], x[known], sealed_mask[known]
        if RESIDUAL:  # fitted on the rules' negatives only: the model learns what the rules miss
            neg = ~rule
            ranks = np.zeros(len(y))
            ranks[neg] = oof(xk[neg], y[neg], groups[neg], 5)
            fit_on = ~sealed & neg
        else:
            ranks = oof(xk, y, groups, 5)
            fit_on = ~sealed
        proba = fitted(xk[fit_on], y[fit_on], groups[fit_on]).predict_proba(xk[sealed])[:, 1]
        print(f"{name:14s} {check:13s} oof {_beyond(ranks, y, rule)} | sealed {_beyond(proba, y[sealed], rule[sealed])}",
              flush=True)


def evaluate(name: str, x, rows, rules, sealed_mask, checks) -> None:  # noqa: ANN001
    """Nested leave-brands-out figures on all brands, and a development-fitted model on the sealed ones."""
    groups_all = np.array([r.brand for r in rows])
    for check in checks:
        CURRENT["check"] = check
        lab = np.array([r.label[check] for r in rows])
        known = lab != ""
        y = (lab[known] == "1").astype(int)
        rule = rules[check][known]
        groups = groups_all[known]
        target = train.TARGET_PRECISION.get(check, train.DEFAULT_TARGET)
        xk = x[known]
        cv = nested(xk, y, rule, groups, target)
        m = cv["rules+model"]
        sealed = sealed_mask[known]
        pred, t = sealed_run(xk, y, rule, groups, sealed, target)
        r = cv["rules"]
        print(f"{name:14s} {check:13s} nested rules {r['precision']:.3f} / {r['recall']:.3f}, rules+model "
              f"{m['precision']:.3f} / {m['recall']:.3f} (tp {m['tp']} fp {m['fp']} fn {m['fn']}) | sealed t={t:.2f} "
              f"{_pr(pred, y[sealed])}, rules alone {_pr(rule[sealed], y[sealed])}", flush=True)


# ---------------------------------------------------------------------------------------------- variants ----

VARIANTS = {"base": lambda ctx: ctx.text}
_AFFIX = re.compile(r"^(?:team|ask|hey|hi)|(?:support|supportes|care|cares|help|helps|service|team|es|uk|us|mx|ar|co|cl)$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w/])\+?\d[\d .()-]{6,}\d(?![\w/])")
_GENERIC_HOST = frozenset("www com net org co uk es mx help support care community forum forums contact "
                          "ideas feedback m mobile app apps go t ly bit goo gl io info".split())


def brand_core(brand: str) -> str:
    """A brand handle without its care-team affixes: ``AppleSupport`` -> ``apple``, ``TeamYouTube`` -> ``youtube``."""
    core = brand.lower()
    for _ in range(3):
        core = _AFFIX.sub("", core)
    return core if len(core) >= 3 else brand.lower()


def mask(ctx) -> str:  # noqa: ANN001
    """Brand-specific spans as placeholders: e-mails, phone numbers, the brand's name, a link's own host labels."""
    from qa.checks.links import links
    text = ctx.text
    out, last = [], 0
    for link in links(text):
        labels = [lab if lab in _GENERIC_HOST else "zhost" for lab in link.labels]
        out += [text[last:link.start], " urlx ", " ".join(labels), " ", " ".join(link.segments), " "]
        last = link.end
    text = "".join(out) + text[last:]
    text = _EMAIL.sub(" zemail ", text)
    text = _PHONE.sub(" zphone ", text)
    core = brand_core(ctx.brand) if ctx.brand else ""
    if core:
        text = re.sub(rf"(?i)\w*{re.escape(core)}\w*", " zbrand ", text)
    return text


def kinds(ctx) -> str:  # noqa: ANN001
    """Each link's page kind (``qa/checks/link_pages.py``) as a token, and whether it is a referral."""
    from qa.checks.link_pages import kind_of
    from qa.checks.links import links
    toks = []
    for link in links(ctx.text):
        k = kind_of(link)
        toks.append("zkind" + re.sub(r"\W", "", k.name) if k else "zkindnone")
        if k and k.referral:
            toks.append("zkindreferral")
    return " ".join(toks)


def cust(ctx) -> str:  # noqa: ANN001
    """The customer's posts before the reply, each word prefixed ``c_`` (LABELING decides with the thread)."""
    words = re.findall(r"(?u)\b\w+\b", re.sub(r"@\w+", " ", ctx.customer_text.lower()))
    return " ".join("c_" + w for w in words)


def last(ctx) -> str:  # noqa: ANN001
    """The last sentence's words, prefixed: a referral usually closes a reply."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", ctx.text.strip()) if re.search(r"\w", p)]
    words = re.findall(r"(?u)\b\w+\b", parts[-1].lower()) if parts else []
    return " ".join("l_" + w for w in words)


def shape(ctx) -> str:  # noqa: ANN001
    """A reply's shape as tokens: length bucket, links and where they sit, a question."""
    from qa.checks.links import links
    text = ctx.text.strip()
    found = links(text)
    words = len(re.findall(r"\w+", text))
    toks = [f"zlen{min(words // 8, 6)}"]
    if found:
        toks.append("zlink")
        if len(text) - found[-1].end < 3:
            toks.append("zlinkend")
        if any(link.host == "t.co" for link in found):
            toks.append("zshortlink")
    if "?" in text:
        toks.append("zquestion")
    return " ".join(toks)


def rule_tokens(ctx) -> str:  # noqa: ANN001
    """Each labelled check's rule verdict as a token."""
    return " ".join(f"zrule{c}" for c in ("deflection", "dm_request", "not_our_team", "compensation")
                    if CHECKS[c].run(ctx).verdict is True)


VARIANTS.update({
    "rules": lambda ctx: ctx.text + " . " + rule_tokens(ctx),
    "maskrules": lambda ctx: mask(ctx) + " . " + rule_tokens(ctx),
    "maskruleskind": lambda ctx: mask(ctx) + " . " + rule_tokens(ctx) + " . " + kinds(ctx),
    "shape": lambda ctx: ctx.text + " . " + shape(ctx),
    "lastshape": lambda ctx: ctx.text + " . " + last(ctx) + " . " + shape(ctx),
    "mask": mask,
    "kind": lambda ctx: ctx.text + " . " + kinds(ctx),
    "maskkind": lambda ctx: mask(ctx) + " . " + kinds(ctx),
    "cust": lambda ctx: ctx.text + " . " + cust(ctx),
    "maskcust": lambda ctx: mask(ctx) + " . " + cust(ctx),
    "last": lambda ctx: ctx.text + " . " + last(ctx),
    "all": lambda ctx: mask(ctx) + " . " + kinds(ctx) + " . " + cust(ctx),
})


def chars(rows) -> "sp.csr_matrix":  # noqa: ANN001, F821
    """Word 1-2-grams beside character 3-5-grams within words, hashed apart, rows L2-normalised."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    from qa.learned.features import normalise
    grams = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=1 << 18, alternate_sign=False,
                              norm="l2")
    texts = [r.ctx.text for r in rows]
    return normalize(sp.hstack([vectorise(texts), grams.transform([normalise(t) for t in texts])]).tocsr())


MATRICES = {"char": chars}


def matrix(name: str, rows):  # noqa: ANN001, ANN201
    if name in MATRICES:
        return MATRICES[name](rows)
    return vectorise([VARIANTS[name](r.ctx) for r in rows])


def augment(path: Path, name: str, checks: list[str]) -> None:
    """Generated replies (``carebench qa generate``; labels beside them) as extra training rows, never scored."""
    import pandas as pd

    from qa.learned.contexts import reply_contexts
    from qa.readers import read_messages

    contexts = reply_contexts(read_messages(path).messages)
    labels = pd.read_csv(path.with_suffix(".labels.csv"), dtype=str).set_index("reply_id")
    keep = [c for c in contexts if c.reply_id in labels.index]
    rows = [real_data.Labelled("gen", {}, c, 0) for c in keep]
    xa = matrix(name, rows)
    for check in checks:
        AUGMENT[check] = (xa, np.array([labels.at[c.reply_id, check] == "True" for c in keep], dtype=int))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=real_data.DEFAULT_REAL)
    ap.add_argument("--variants", default="base")
    ap.add_argument("--checks", default=",".join(CHECKS_FITTED))
    ap.add_argument("--C", type=float, default=None)
    ap.add_argument("--choose", default="recall", choices=sorted(CHOOSERS))
    ap.add_argument("--augment", type=Path, help="generated replies (qa generate) added to every training part")
    ap.add_argument("--weight", default="none", choices=("none", "dedupe", "brand"))
    ap.add_argument("--residual", action="store_true", help="fit on the rules' negatives only")
    ap.add_argument("--rank", action="store_true", help="ranking beyond the rules instead of thresholded figures")
    args = ap.parse_args()
    global RESIDUAL, WEIGHTING
    WEIGHTING = args.weight
    train.choose_threshold = CHOOSERS[args.choose]
    RESIDUAL = args.residual
    if args.C is not None:
        train.C = args.C
    rows = real_data.load(args.real)
    sealed_set = real_data.sealed_brands(rows)
    sealed = np.array([r.brand in sealed_set for r in rows])
    checks = args.checks.split(",")
    rules = {c: np.array([CHECKS[c].run(r.ctx).verdict is True for r in rows]) for c in checks}
    for name in args.variants.split(","):
        start = time.perf_counter()
        x = matrix(name, rows)
        if args.augment:
            augment(args.augment, name, checks)
        (rank if args.rank else evaluate)(name, x, rows, rules, sealed, checks)
        print(f"{name}: {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
