"""A sweep's results files: ``results.json`` (what a rerun resumes from) and ``results.csv``,
rewritten whole after every cell, atomically, so that an interrupted sweep loses nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.files import atomic_write
from ..errors import QuadTheoryError
from .cells import Setup

CSV_COLUMNS = ("key", "kind", "family", "init", "depth", "width", "seed", "widths", "params",
               "neurons", "steps", "train_rmse", "test_rmse", "test_rmse_start",
               "train_accuracy", "test_accuracy", "sup_error", "sup_error_method",
               "bound_pieces", "bound_pieces_needed", "violations", "diverged", "seconds")


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in records:
        bound = r.get("bound") or {}
        writer.writerow({**r, "widths": "-".join(map(str, r["widths"])),
                         "bound_pieces": bound.get("pieces"),
                         "bound_pieces_needed": bound.get("pieces_needed"),
                         "violations": "; ".join(bound.get("violations", []))})
    return out.getvalue()


def save_results(out: Path, setup: Setup, records: dict[str, dict[str, Any]]) -> None:
    ordered = [records[k] for k in sorted(records)]
    atomic_write(out / "results.json", json.dumps(
        {"format": "quadtheory-crosscheck", "version": 1, "setup": setup.as_dict(),
         "cells": ordered}, indent=1, allow_nan=False) + "\n")
    atomic_write(out / "results.csv", to_csv(ordered))


def load_results(out: Path, setup: Setup) -> dict[str, dict[str, Any]]:
    path = out / "results.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
        found, cells_ = data["setup"], data["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise QuadTheoryError(f"{path}: cannot resume from it ({error}); expected the "
                              "results of an earlier cross-check, or another output folder "
                              "(out, --out)") from None
    if found != setup.as_dict():
        changed = [f"{k} {found.get(k)!r} (now {v!r})" for k, v in setup.as_dict().items()
                   if found.get(k) != v]
        raise QuadTheoryError(f"{path}: holds a cross-check with other settings: "
                              f"{', '.join(changed)}; use another output folder (out, --out) "
                              "or remove it")
    return {r["key"]: r for r in cells_}
