"""The bearing CNNs: analytic dense counts against torch's, the paper's two models pinned,
the parameter-matched pair, shapes; and the measurements (metrics, latency, memory)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import QuadTheoryError
from quadtheory._src.realdata.measure import (
    confusion,
    forward_peak_bytes,
    latency,
    macro_f1,
    one_thread,
)
from quadtheory._src.realdata.models import (
    QCNN,
    WDCNN,
    Architecture,
    feature_length,
    matched,
    model_bytes,
    parameter_count,
    scaled,
)

TABLE = [(family, width, window, classes)
         for family in ("quadratic", "conventional") for width in (1, 3, 16, 35)
         for window, classes in ((1024, 2), (2048, 10), (4096, 4))]


@pytest.mark.parametrize(("family", "width", "window", "classes"), TABLE)
def test_analytic_count_is_torch_numel(family, width, window, classes):
    arch = scaled(family, width)
    module = arch.build(window, classes)
    assert parameter_count(module) == arch.params(window, classes)
    if width <= 3:   # the shapes do not depend on the width: a narrow forward pass suffices
        assert module.eval()(torch.zeros(2, 1, window)).shape == (2, classes)


def test_the_papers_two_models():
    """The issue expects about 16.3k and 66.8k; these are the exact dense counts."""
    assert QCNN.params() == 16_262 and WDCNN.params() == 66_790
    assert QCNN.channels == (16,) * 6 and QCNN.hidden == 20
    assert WDCNN.channels == (16, 32, 64, 64, 64, 64) and WDCNN.hidden == 100
    # The classifiers: 48 -> 20 -> 10 and 192 -> 100 -> 10, as in the paper's code.
    assert [m.in_features for m in QCNN.build() if isinstance(m, torch.nn.Linear)] == [48, 20]
    assert [m.in_features for m in WDCNN.build() if isinstance(m, torch.nn.Linear)] == [192, 100]


@pytest.mark.parametrize(("family", "target"), [
    ("conventional", 16_262), ("quadratic", 66_790), ("conventional", 5_000),
    ("quadratic", 3_000), ("conventional", 200_000)])
def test_matched_is_within_half_a_step_of_the_target(family, target):
    arch = matched(family, target)
    step = arch.channels[-1] * feature_length() + 1 + 10
    assert arch.family == family
    assert abs(arch.params() - target) <= step / 2 or arch.hidden == 1
    assert parameter_count(arch.build()) == arch.params()


def test_feature_length_and_its_error():
    assert [feature_length(w) for w in (1024, 2048, 4096)] == [1, 3, 7]
    with pytest.raises(QuadTheoryError, match="window: 512 samples is too short"):
        feature_length(512)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"family": "cubic"}, "family: expected one of quadratic, conventional, found 'cubic'"),
    ({"channels": (16,) * 5}, "expected six positive channel counts"),
    ({"hidden": 0}, "positive hidden width"),
])
def test_architecture_errors(kwargs, match):
    fields = {"name": "x", "family": "quadratic", "channels": (4,) * 6, "hidden": 3, **kwargs}
    with pytest.raises(QuadTheoryError, match=match):
        Architecture(**fields)


def test_model_bytes_counts_parameters_and_buffers():
    module = QCNN.build()
    buffers = sum(b.numel() * b.element_size() for b in module.buffers())
    assert model_bytes(module) == 4 * QCNN.params() + buffers


@given(labels=st.lists(st.integers(0, 3), min_size=1, max_size=40), data=st.data())
def test_macro_f1_against_its_definition(labels, data):
    predicted = data.draw(st.lists(st.integers(0, 3), min_size=len(labels),
                                   max_size=len(labels)))
    y, p = np.array(labels), np.array(predicted)
    matrix = confusion(y, p, 4)
    assert matrix.sum() == len(y) and np.trace(matrix) == np.sum(y == p)
    scores = []
    for c in range(4):
        tp, fp, fn = np.sum((p == c) & (y == c)), np.sum((p == c) & (y != c)), \
            np.sum((p != c) & (y == c))
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    assert macro_f1(matrix) == pytest.approx(np.mean(scores))


@pytest.mark.parametrize(("matrix", "f1"), [
    ([[5, 0], [0, 5]], 1.0), ([[0, 5], [5, 0]], 0.0), ([[0, 0], [0, 0]], 0.0),
    ([[3, 0, 0], [0, 0, 0], [1, 0, 0]], (6 / 7 + 0) / 2)])
def test_macro_f1_table(matrix, f1):
    assert macro_f1(np.array(matrix)) == pytest.approx(f1)


def test_latency_and_peak_memory_are_measured():
    net = torch.nn.Sequential(torch.nn.Linear(256, 512), torch.nn.ReLU(),
                              torch.nn.Linear(512, 4))
    batch = torch.zeros(64, 256)
    with one_thread():
        assert torch.get_num_threads() == 1 and torch.are_deterministic_algorithms_enabled()
        seconds = latency(net, batch, repeats=3)
        peak = forward_peak_bytes(net, batch)
    assert 0 < seconds < 1
    assert peak is None or peak >= 64 * 512 * 4          # the hidden activations at least
