"""Exercises of notebook 07, real data: how the pilot sizes a quadratic MLP to a parameter
budget and what its linear reference on pairwise features costs, and the rule by which the
bearing experiment calls a measured difference (Fan et al. 2023, arXiv:2303.06316, whose
real-world claim both put numbers on).

The checkers compare with the pilot's own sizing (:func:`.budget.widths_for`,
:func:`.budget.mlp_params`, :func:`.budget.linear_params`) and the bearing report's own
verdict (:func:`.bearing_report.compare`), never with a stored number. No training runs here.
"""

from __future__ import annotations

from ..core.limits import quoted
from ..errors import QuadTheoryError
from ..realdata.bearing_report import compare
from ..realdata.budget import linear_params, mlp_params, widths_for
from .exercise import Exercise, Outcome, integer, matches

# 07.1: the interaction table of the notebook (x1, x2, x3 -> y) at the pilot's budget 100.
INPUTS, BUDGET = 3, 100
# 07.2: a table with 10 feature columns (as scikit-learn's diabetes has).
FEATURES = 10
# 07.3: two models' test accuracies, (mean, std) over 3 seeds (the docs' sample bearing run).
QUADRATIC = {"model": "QCNN", "params": 16262, "accuracy": (0.9395, 0.0186), "seeds": 3}
CONVENTIONAL = {"model": "WDCNN-small", "params": 16287, "accuracy": (0.9171, 0.0272),
                "seeds": 3}
OUTCOMES = ("better", "even", "worse")


def _quadratic_mlp(answer: object) -> Outcome:
    count = integer(answer, "a number of parameters")
    widths = widths_for("quadratic", INPUTS, 1, BUDGET)
    return matches(count, mlp_params("quadratic", widths),
                   f'mlp_params("quadratic", widths_for("quadratic", {INPUTS}, 1, {BUDGET}))')


def _pairwise(answer: object) -> Outcome:
    count = integer(answer, "a number of parameters")
    return matches(count, linear_params(FEATURES, 1),
                   f"linear_params({FEATURES}, 1)")


def _verdict(answer: object) -> Outcome:
    if not isinstance(answer, str) or answer.strip().lower() not in OUTCOMES:
        raise QuadTheoryError(f"expected one of {', '.join(map(repr, OUTCOMES))}, found "
                              f"{quoted(answer)}")
    return matches(answer.strip().lower(), compare(QUADRATIC, CONVENTIONAL)["outcome"],
                   "the bearing report's rule (compare)")


EXERCISES = (
    Exercise("07.1", f"dense parameters of the quadratic MLP the pilot trains at budget "
             f"{BUDGET} on a table of {INPUTS} features and one target",
             "one hidden layer of width w: 3·(w·(3 + 1) + 1·(w + 1)) dense params; the pilot "
             "takes the w whose count is nearest the budget (the smaller on a tie)",
             _quadratic_mlp),
    Exercise("07.2", f"dense parameters of the pilot's linear model on pairwise features for "
             f"a table of {FEATURES} feature columns and one target",
             "the features are the n inputs and every product x_i·x_j with i <= j (squares "
             "included), plus one bias",
             _pairwise),
    Exercise("07.3", "QCNN 93.95 ± 1.86% against WDCNN-small 91.71 ± 2.72% (mean ± std over "
             "3 seeds): 'better', 'even' or 'worse' for the quadratic model?",
             "a difference counts only when it exceeds the larger standard deviation over "
             "seeds",
             _verdict),
)
