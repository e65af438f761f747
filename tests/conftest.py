"""Test configuration: hypothesis profiles, and the notebook readers' pytest-xdist group.

- ``default``: the inner loop (``python -m pytest -m "not slow"``), random examples.
- ``ci``: the same example counts, derandomized so a CI run is reproducible (loaded when the
  ``CI`` environment variable is set).
- ``thorough``: ten times the examples, for a long run before a release:
  ``python -m pytest --hypothesis-profile thorough`` (or ``QUADTHEORY_EXAMPLES=10``, any
  factor, with either profile).

A test that sets its own count writes ``@settings(max_examples=examples(N))``
(``tests.strategies.examples``): N in the default profiles, scaled with the loaded one.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.strategies import DEFAULT_EXAMPLES, EXAMPLES_FACTOR

settings.register_profile(
    "default", deadline=None, max_examples=max(1, round(DEFAULT_EXAMPLES * EXAMPLES_FACTOR)),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "ci", parent=settings.get_profile("default"), derandomize=True, print_blob=True)
settings.register_profile(
    "thorough", parent=settings.get_profile("default"),
    max_examples=max(1, round(10 * DEFAULT_EXAMPLES * EXAMPLES_FACTOR)))
settings.load_profile("ci" if os.environ.get("CI") else "default")


# Tests that read the executed notebooks (tests/notebook_runs.py executes each once per
# session) share one worker under pytest-xdist's --dist loadgroup: in two workers every
# notebook would run twice.
_NOTEBOOK_READERS = {"test_notebooks.py", "test_figures.py", "test_site.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in _NOTEBOOK_READERS:
            item.add_marker(pytest.mark.xdist_group("notebooks"))
