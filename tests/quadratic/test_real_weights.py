"""benchmarks/real_weights.py: T_11 in 7 quadratic neurons with weights in a quintic field,
and no rational network of that shape."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from benchmarks import real_weights as study


@pytest.mark.slow
def test_t11_in_seven_neurons_needs_irrational_weights():
    d1, d2 = study.condition(study.V5), study.condition(study.Z5)
    quintics = study.quintics(d1, d2)
    assert sorted(sympy.degree(f, study.B) for f in quintics) == [5, 5]
    points = np.cos(np.pi * (np.arange(2000) + 0.5) / 2000)
    for f in quintics:
        assert len(sympy.factor_list(f)[1]) == 1          # irreducible: no rational b
        a_in_b, layer3, holds = study.exact_in_field(f, d1, d2)
        assert holds                                      # exact, in Q(b)
        # The identity fails with b perturbed: the check can fail.
        root = sympy.Poly(f, study.B).real_roots()[0]
        a, b, weights = study.float_weights(a_in_b, layer3, root)
        got = study.float_network(a, b, weights, points)
        assert np.abs(got - np.cos(11 * np.arccos(points))).max() < 1e-9
        off = study.float_network(a, b + 1e-3, weights, points)
        assert np.abs(off - np.cos(11 * np.arccos(points))).max() > 1e-6
