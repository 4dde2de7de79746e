"""Benchmark: `planner duplicates` on the labelled set (issue 19 item 3: precision ≥ 0.9, recall ≥ 0.85).

    .venv/bin/python -m benchmarks.duplicates [--fit] [--wps 2000] [--no-write]

The labelled set is tests/data/duplicates: proposals.yaml (140 proposals, a valid scenario) and
pairs.yaml (134 cross-side pairs: planted copies, paraphrases, Russian↔English translations and
near-misses, split by cluster into dev and test). Reports, at the default threshold:
precision and recall over all pairs, per split, per kind and per language; a precision/recall curve
over thresholds; the text-similarity methods compared (difflib, rapidfuzz, TF-IDF on character
n-grams, and the planner's terms with and without the glossary and cognate keys — each with the same
structure features and a logistic model fitted on the dev split); `find_duplicates` end to end on the
labelled scenario; and the time on a generated program of `--wps` work packages.
`--fit` prints the weights the planner's model gets from the dev split (copy them into
planner/review/duplicates.py). Writes benchmarks/results/duplicates.{md,csv} and duplicates_pairs.csv.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from planner.problem.validate import load_scenario
from planner.review import duplicates as dup
from planner.review import text as text_module
from planner.review.duplicates import DEFAULT_THRESHOLD, FEATURES, Index, explain_pair, features, find_duplicates

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "duplicates"
RESULTS = ROOT / "benchmarks" / "results"
TARGET_PRECISION, TARGET_RECALL = 0.9, 0.85


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    kind: str
    split: str
    lang: str  # ru-ru, en-en or ru-en


@dataclass(frozen=True)
class Counts:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def labelled() -> tuple[Index, list[Pair]]:
    """The labelled scenario's index and its pairs."""
    index = Index(load_scenario(DATA / "proposals.yaml"))
    raw = yaml.safe_load((DATA / "pairs.yaml").read_text(encoding="utf-8"))["pairs"]
    pairs = []
    for p in raw:
        cyr = [any("а" <= ch <= "я" for ch in index.profiles[x].wp.title.lower()) for x in (p["a"], p["b"])]
        lang = "ru-ru" if all(cyr) else "en-en" if not any(cyr) else "ru-en"
        pairs.append(Pair(p["a"], p["b"], bool(p["duplicate"]), p["kind"], p["split"], lang))
    return index, pairs


def counts(scores: list[float], pairs: list[Pair], threshold: float) -> Counts:
    tp = sum(1 for s, p in zip(scores, pairs, strict=True) if s >= threshold and p.duplicate)
    fp = sum(1 for s, p in zip(scores, pairs, strict=True) if s >= threshold and not p.duplicate)
    fn = sum(1 for s, p in zip(scores, pairs, strict=True) if s < threshold and p.duplicate)
    return Counts(tp, fp, fn, len(pairs) - tp - fp - fn)


def evaluate(threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """The planner's scores on every labelled pair and the counts at `threshold`, overall and by group."""
    index, pairs = labelled()
    scores = [explain_pair(index, p.a, p.b)[0] for p in pairs]
    groups: dict[str, Counts] = {"all": counts(scores, pairs, threshold)}
    for key in ("split", "kind", "lang"):
        for value in sorted({getattr(p, key) for p in pairs}):
            chosen = [(s, p) for s, p in zip(scores, pairs, strict=True) if getattr(p, key) == value]
            groups[f"{key}={value}"] = counts([s for s, _ in chosen], [p for _, p in chosen], threshold)
    return {"pairs": pairs, "scores": scores, "groups": groups}


# ---------------------------------------------------------------- methods compared


TextFeatures = Callable[[Index, str, str], dict[str, float]]


def _structure(index: Index, a: str, b: str) -> dict[str, float]:
    v = features(index, index.profiles[a], index.profiles[b])
    return {k: v[k] for k in ("competencies", "effort", "program")}


def _titles(index: Index, a: str) -> tuple[str, str]:
    wp = index.profiles[a].wp
    title = dup.PROPOSER_TAG.sub(" ", wp.title).lower()
    return title, " ".join([title, wp.description.lower(), " ".join(wp.keywords).lower()])


def _difflib(index: Index, a: str, b: str) -> dict[str, float]:
    (ta, fa), (tb, fb) = _titles(index, a), _titles(index, b)
    return {
        "title": difflib.SequenceMatcher(None, ta, tb).ratio(),
        "text": difflib.SequenceMatcher(None, fa, fb).ratio(),
        **_structure(index, a, b),
    }


def _rapidfuzz(index: Index, a: str, b: str) -> dict[str, float]:
    from rapidfuzz import fuzz

    (ta, fa), (tb, fb) = _titles(index, a), _titles(index, b)
    return {
        "title": fuzz.token_set_ratio(ta, tb) / 100,
        "text": fuzz.token_set_ratio(fa, fb) / 100,
        **_structure(index, a, b),
    }


def _tfidf_factory(index: Index) -> TextFeatures:
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids = list(index.profiles)
    texts = {x: _titles(index, x) for x in ids}
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vec.fit([texts[x][1] for x in ids])
    title_m = vec.transform([texts[x][0] for x in ids])
    full_m = vec.transform([texts[x][1] for x in ids])
    row = {x: k for k, x in enumerate(ids)}

    def tfidf(index: Index, a: str, b: str) -> dict[str, float]:
        i, j = row[a], row[b]
        return {
            "title": float(title_m[i].multiply(title_m[j]).sum()),
            "text": float(full_m[i].multiply(full_m[j]).sum()),
            **_structure(index, a, b),
        }

    return tfidf


def _planner(index: Index, a: str, b: str) -> dict[str, float]:
    return features(index, index.profiles[a], index.profiles[b])


@contextmanager
def _text_without(glossary: bool, cognates: bool) -> Iterator[None]:
    """The planner's terms with the glossary and/or the cognate keys switched off (for the comparison)."""
    saved = text_module.concept_of, text_module.cognate
    if not glossary:
        setattr(text_module, "concept_of", lambda word, stem, russian: None)  # noqa: B010  (mypy: no assigning to a function)
    if not cognates:
        setattr(text_module, "cognate", lambda word: None)  # noqa: B010
    text_module.term.cache_clear()
    try:
        yield
    finally:
        setattr(text_module, "concept_of", saved[0])  # noqa: B010
        setattr(text_module, "cognate", saved[1])  # noqa: B010
        text_module.term.cache_clear()


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty on the weights (not the bias)."""
    w = np.zeros(x.shape[1])
    penalty = l2 * np.diag(np.r_[0.0, np.ones(x.shape[1] - 1)])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        w = w - np.linalg.solve(hessian, gradient)
    return w


def compare_methods(index: Index, pairs: list[Pair]) -> list[dict[str, Any]]:
    """Each text-similarity method with the same structure features: fitted on dev, measured at 0.5."""
    methods: list[tuple[str, Callable[[], TextFeatures], tuple[bool, bool]]] = [
        ("difflib (standard library)", lambda: _difflib, (True, True)),
        ("rapidfuzz token_set_ratio", lambda: _rapidfuzz, (True, True)),
        ("scikit-learn TF-IDF, char 3–5-grams", lambda: _tfidf_factory(index), (True, True)),
        ("stems only (Snowball)", lambda: _planner, (False, False)),
        ("stems + cognate keys", lambda: _planner, (False, True)),
        ("stems + glossary", lambda: _planner, (True, False)),
        ("stems + glossary + cognate keys (planner)", lambda: _planner, (True, True)),
    ]
    rows = []
    for name, make, (glossary, cognates) in methods:
        with _text_without(glossary, cognates):
            started = time.perf_counter()
            method_index = Index(index.scenario)
            method = make()
            values = [method(method_index, p.a, p.b) for p in pairs]
            seconds = time.perf_counter() - started
        names = sorted(values[0])
        x = np.array([[1.0] + [v[n] for n in names] for v in values])
        y = np.array([float(p.duplicate) for p in pairs])
        dev = np.array([p.split == "dev" for p in pairs])
        w = fit(x[dev], y[dev])
        scores = list(1 / (1 + np.exp(-x @ w)))
        row: dict[str, Any] = {"method": name, "seconds": round(seconds, 3)}
        for split in ("dev", "test", "all"):
            chosen = [k for k, p in enumerate(pairs) if split == "all" or p.split == split]
            c = counts([scores[k] for k in chosen], [pairs[k] for k in chosen], 0.5)
            row[f"{split}_precision"], row[f"{split}_recall"] = round(c.precision, 3), round(c.recall, 3)
        ru_en = [k for k, p in enumerate(pairs) if p.lang == "ru-en" and p.duplicate]
        row["ru_en_recall"] = round(sum(scores[k] >= 0.5 for k in ru_en) / len(ru_en), 3)
        ru_en_said = [k for k, p in enumerate(pairs) if p.lang == "ru-en" and scores[k] >= 0.5]
        row["ru_en_precision"] = round(sum(pairs[k].duplicate for k in ru_en_said) / max(1, len(ru_en_said)), 3)
        rows.append(row)
    return rows


def fitted_weights() -> dict[str, float]:
    """The planner model's weights fitted on the dev split (what WEIGHTS in planner/review/duplicates.py holds)."""
    index, pairs = labelled()
    dev = [p for p in pairs if p.split == "dev"]
    values = [features(index, index.profiles[p.a], index.profiles[p.b]) for p in dev]
    x = np.array([[1.0] + [v[n] for n in FEATURES] for v in values])
    w = fit(x, np.array([float(p.duplicate) for p in dev]))
    return {"bias": round(float(w[0]), 2), **{n: round(float(c), 2) for n, c in zip(FEATURES, w[1:], strict=True)}}


# ---------------------------------------------------------------- scale and end to end


def end_to_end(threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """`find_duplicates` on the labelled scenario: labelled pairs found and missed, unlabelled pairs reported."""
    index, pairs = labelled()
    started = time.perf_counter()
    found = find_duplicates(index.scenario, threshold)
    seconds = time.perf_counter() - started
    reported = {frozenset((d.a, d.b)) for d in found}
    labels = {frozenset((p.a, p.b)): p.duplicate for p in pairs}
    return {
        "seconds": seconds,
        "reported": len(found),
        "true": sum(1 for r in reported if labels.get(r) is True),
        "false": sum(1 for r in reported if labels.get(r) is False),
        "unlabelled": sorted(tuple(sorted(r)) for r in reported if r not in labels),
        "missed": sum(1 for k, v in labels.items() if v and k not in reported),
    }


def scale(wps: int, seed: int = 1) -> dict[str, Any]:
    """Time `find_duplicates` on a generated program of `wps` work packages (as `planner generate` makes it)."""
    from planner.importers.synthetic import generate

    institutions = max(10, wps // 20)
    s = generate(wps=wps, institutions=institutions, seed=seed).scenario
    candidates = len(Index(s).candidates())
    started, cpu = time.perf_counter(), time.process_time()
    found = find_duplicates(s)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    n = len(s.work_packages)
    return {
        "wps": n,
        "pairs": n * (n - 1) // 2,
        "candidates": candidates,
        "found": len(found),
        "seconds": seconds,
        "cpu_s": cpu_s,
        "load_avg": os.getloadavg()[0],
    }


def stemmer_speed(index: Index) -> dict[str, float]:
    """Seconds to stem every word of the labelled set 20 times: snowballstemmer (pure Python) and PyStemmer (C)."""
    words = [w for p in index.profiles.values() for w in text_module.words(" ".join([p.wp.title, p.wp.description]))]

    def timed(ru: Any, en: Any) -> float:
        started = time.perf_counter()
        for _ in range(20):
            for w in words:
                (ru if any("а" <= c <= "я" for c in w) else en).stemWord(w)
        return time.perf_counter() - started

    import snowballstemmer

    out = {"snowballstemmer": timed(snowballstemmer.stemmer("russian"), snowballstemmer.stemmer("english"))}
    try:
        import Stemmer

        out["PyStemmer"] = timed(Stemmer.Stemmer("russian"), Stemmer.Stemmer("english"))
    except ImportError:
        pass
    out["words"] = len(words) * 20
    return out


# ---------------------------------------------------------------- output


def _curve(scores: list[float], pairs: list[Pair]) -> list[dict[str, Any]]:
    rows = []
    for k in range(1, 20):
        t = k / 20
        c = counts(scores, pairs, t)
        rows.append({"threshold": t, **c.__dict__, "precision": round(c.precision, 3), "recall": round(c.recall, 3)})
    return rows


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "?"


def _markdown(
    result: dict[str, Any],
    curve: list[dict[str, Any]],
    methods: list[dict[str, Any]],
    e2e: dict[str, Any],
    big: dict[str, Any] | None,
    stems: dict[str, float],
) -> str:
    g: dict[str, Counts] = result["groups"]
    lines = [
        "# Duplicate proposals: precision and recall on the labelled set",
        "",
        f"Written by `benchmarks/duplicates.py` on {datetime.now(UTC):%Y-%m-%d} at commit {_commit()}. "
        f"Labelled set: tests/data/duplicates ({len(result['pairs'])} pairs, "
        f"{sum(p.duplicate for p in result['pairs'])} the same work). Default threshold {DEFAULT_THRESHOLD}.",
        "",
        "| pairs | n | TP | FP | FN | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, c in g.items():
        n = c.tp + c.fp + c.fn + c.tn
        recall = f"{c.recall:.3f}" if c.tp + c.fn else "–"
        precision = f"{c.precision:.3f}" if c.tp + c.fp else "–"
        lines.append(f"| {key} | {n} | {c.tp} | {c.fp} | {c.fn} | {precision} | {recall} |")
    lines += [
        "",
        "Near-misses have no recall: they are different work. Their row counts how many the planner "
        "wrongly reports (FP).",
        "",
        "## Precision and recall by threshold (all pairs)",
        "",
        "| threshold | precision | recall | TP | FP | FN |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['tp']} | {r['fp']} | {r['fn']} |"
            for r in curve
        ),
        "",
        "## Text-similarity methods compared",
        "",
        "Each method's text features (title; title with description and keywords) with the same structure "
        "features (competencies, effort, program), a logistic model fitted on the dev split, measured at 0.5. "
        "Time: computing the features of all pairs.",
        "",
        "| method | dev P | dev R | test P | test R | all P | all R | RU↔EN P | RU↔EN R | time, s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {m['method']} | {m['dev_precision']:.3f} | {m['dev_recall']:.3f} | {m['test_precision']:.3f} | "
            f"{m['test_recall']:.3f} | {m['all_precision']:.3f} | {m['all_recall']:.3f} | {m['ru_en_precision']:.3f} | "
            f"{m['ru_en_recall']:.3f} | "
            f"{m['seconds']:.3f} |"
            for m in methods
        ),
        "",
        f"Stemming {stems['words']:,} words: snowballstemmer {stems['snowballstemmer']:.3f} s"
        + (f", PyStemmer {stems['PyStemmer']:.3f} s" if "PyStemmer" in stems else "")
        + " (the same Snowball stems; words are stemmed once and cached).",
        "",
        "## End to end",
        "",
        f"`find_duplicates` on the labelled scenario (140 proposals): {e2e['seconds']:.2f} s, "
        f"{e2e['reported']} pairs reported: {e2e['true']} labelled the same work, {e2e['false']} labelled different, "
        f"{len(e2e['unlabelled'])} not labelled ({', '.join('–'.join(u) for u in e2e['unlabelled']) or 'none'}); "
        f"{e2e['missed']} labelled duplicates missed.",
    ]
    if big is not None:
        lines += [
            "",
            f"Generated program (`planner generate --wps {big['wps']}`): {big['pairs']:,} pairs, "
            f"{big['candidates']:,} scored after blocking, {big['found']} reported, {big['seconds']:.2f} s wall, {big['cpu_s']:.2f} s CPU "
            f"(load average {big['load_avg']:.1f} on 2 cores: the machine is shared).",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on the dev split and stop")
    parser.add_argument("--wps", type=int, default=2000, help="size of the generated program timed (0: skip)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results")
    args = parser.parse_args()
    if args.fit:
        print(fitted_weights())
        return
    result = evaluate()
    for key, c in result["groups"].items():
        print(f"{key:24s} TP {c.tp:3d} FP {c.fp:3d} FN {c.fn:3d}  precision {c.precision:.3f}  recall {c.recall:.3f}")
    curve = _curve(result["scores"], result["pairs"])
    index, pairs = labelled()
    methods = compare_methods(index, pairs)
    for m in methods:
        print(m)
    stems = stemmer_speed(index)
    e2e = end_to_end()
    print("end to end:", e2e)
    big = scale(args.wps) if args.wps else None
    print("scale:", big)
    if args.no_write:
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "duplicates.md").write_text(_markdown(result, curve, methods, e2e, big, stems), encoding="utf-8")
    with (RESULTS / "duplicates.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(curve[0]))
        w.writeheader()
        w.writerows(curve)
    with (RESULTS / "duplicates_pairs.csv").open("w", newline="", encoding="utf-8") as f:
        w2 = csv.writer(f)
        w2.writerow(["a", "b", "kind", "split", "lang", "duplicate", "score"])
        for p, s in zip(result["pairs"], result["scores"], strict=True):
            w2.writerow([p.a, p.b, p.kind, p.split, p.lang, p.duplicate, f"{s:.4f}"])
    print(f"wrote {RESULTS / 'duplicates.md'}")


if __name__ == "__main__":
    main()
