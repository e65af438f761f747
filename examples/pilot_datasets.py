"""The pilot on tables anyone has offline: scikit-learn's diabetes (regression), breast cancer
and wine (classification), and a synthetic table with a known interaction, y = x1·x2 + noise,
where quadratic neurons should pay (Fan et al., arXiv:2303.06316).

Each table is written to ``OUT/<name>.csv`` (so that ``quadtheory pilot OUT/<name>.csv --target
target`` reruns it from the command line) and piloted into ``OUT/<name>/``; the verdicts are
printed at the end. Needs scikit-learn for the three datasets (``pip install
"quadtheory[examples]"``); without it only the synthetic table runs.

Usage: ``python examples/pilot_datasets.py [--quick] [--out DIR] [--jobs N] [--only NAME,...]``
(default settings: about 2 minutes per table on one core; ``--quick``: a few seconds each).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

import quadtheory as qt


def interaction_table(rows: int = 400, noise: float = 0.01, seed: int = 0) -> dict[str, np.ndarray]:
    """x1, x2, x3 uniform on [-1, 1]; y = x1·x2 + noise·N(0, 1); x3 is a distractor."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(rows, 3))
    target = x[:, 0] * x[:, 1] + noise * rng.standard_normal(rows)
    return {"x1": x[:, 0], "x2": x[:, 1], "x3": x[:, 2], "target": target}


def sklearn_tables() -> dict[str, dict[str, np.ndarray]]:
    try:
        from sklearn import datasets
    except ImportError:
        print("scikit-learn is not installed: only the synthetic table runs "
              '(pip install "quadtheory[examples]")', file=sys.stderr)
        return {}
    tables = {}
    for name, load in (("diabetes", datasets.load_diabetes),
                       ("breast_cancer", datasets.load_breast_cancer),
                       ("wine", datasets.load_wine)):
        bunch = load()
        columns = {str(c).replace(" ", "_"): bunch.data[:, k]
                   for k, c in enumerate(bunch.feature_names)}
        tables[name] = {**columns, "target": bunch.target}
    return tables


def write_csv(table: dict[str, np.ndarray], path: Path) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(table))
        writer.writerows(zip(*(column.tolist() for column in table.values())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="budgets 100,1000; one seed")
    parser.add_argument("--out", default="pilot-examples", help="output folder")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--only", help="comma-separated table names")
    args = parser.parse_args()
    tables = {"interaction": interaction_table(), **sklearn_tables()}
    if args.only:
        tables = {k: v for k, v in tables.items() if k in args.only.split(",")}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    verdicts = {}
    for name, table in tables.items():
        write_csv(table, out / f"{name}.csv")
        report = qt.pilot(out / f"{name}.csv", "target", quick=args.quick, jobs=args.jobs,
                          out=out / name)
        verdicts[name] = report.verdict
        print(f"{name}: {report.decision['outcome']} (summary: {out / name / 'summary.md'})")
    for name, verdict in verdicts.items():
        print(f"\n## {name}\n{verdict}")


if __name__ == "__main__":
    main()
