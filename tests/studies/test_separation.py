"""Cluster separation: balls that hold exactly their cluster (checked here with plain
Fractions, independently of the code under test), exact proofs where no ball exists, the
fallback layer, the exhaustive certificate (and that it can fail), the CLI and its errors."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quadtheory import (
    LabelledPoints,
    QuadTheoryError,
    Separation,
    cluster_points,
    read_points,
    separate,
)
from quadtheory._src.cli.main import main
from quadtheory._src.studies.evaluate import exact_outputs
from quadtheory._src.studies.separation import (
    _convex_weights,
    ball_network,
    certify,
    radius_between,
)
from tests.strategies import networks, points

CASES = [("blobs", 2, 2, True), ("blobs", 5, 10, True), ("blobs", 3, 50, True),
         ("nested", 2, 2, False), ("nested", 4, 3, False)]


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, int, int], Separation]:
    return {(kind, c, d): separate(cluster_points(kind, c, d, points=20))
            for kind, c, d, _ in CASES}


def squared(p, q) -> Fraction:
    return sum((a - b) ** 2 for a, b in zip(p, q, strict=True))


@pytest.mark.parametrize(("kind", "clusters", "dim", "by_balls"), CASES)
def test_every_ball_holds_exactly_its_cluster(results, kind, clusters, dim, by_balls):
    sep = results[kind, clusters, dim]
    data = sep.data
    assert sep.by_balls is by_balls and sep.certificate.holds
    assert sep.certificate.level == "exhaustive"
    assert [c.cluster for c in sep.clusters] == list(data.clusters)
    for c in sep.clusters:
        if c.ball is None:
            continue
        r2 = c.ball.radius ** 2
        assert all(isinstance(v, Fraction) for v in (*c.ball.centre, c.ball.radius))
        for point, label in zip(data.points, data.labels, strict=True):
            inside = squared(point, c.ball.centre) < r2
            assert inside == (label == c.cluster), (c.cluster, point)


@pytest.mark.parametrize(("kind", "clusters", "dim", "_"), CASES)
def test_the_network_counts(results, kind, clusters, dim, _):
    sep = results[kind, clusters, dim]
    net = sep.network
    if sep.by_balls:   # one layer of C neurons, 3D + 3 dense each
        assert net.widths == (clusters,) and net.params.dense == clusters * (3 * dim + 3)
    else:              # the fallback: one hidden ball neuron per cluster, a C x C read-out
        assert net.widths == (clusters, clusters)
        assert net.params.dense == clusters * (3 * dim + 3) + clusters * (clusters + 1)


def test_a_nested_cluster_has_an_exact_proof_and_a_fallback(results):
    sep = results["nested", 2, 2]
    shell = next(c for c in sep.clusters if c.cluster == "b")
    assert shell.ball is None and shell.proof and "convex hull" in shell.proof
    assert shell.fallback.method == "outer ball minus holes"
    assert shell.fallback.holes == ("a",) and shell.fallback.weight >= 1
    data = sep.data
    own = [j for j, label in enumerate(data.labels) if label == "b"]
    core = [j for j, label in enumerate(data.labels) if label == "a"]
    # Some core point is a convex combination of shell points, exactly (checked here).
    found = False
    for q in core:
        weights = _convex_weights(data, own, q)
        if weights is None:
            continue
        assert min(weights) >= 0 and sum(weights) == 1
        assert all(sum(w * data.points[j][k] for w, j in zip(weights, own, strict=True))
                   == data.points[q][k] for k in range(data.dim))
        found = True
        break
    assert found or shell.proof.startswith("x[")


def _circle(radius: int, count: int) -> list[list[Fraction]]:
    """Rational points on a circle: (r(1 − t²)/(1 + t²), 2rt/(1 + t²)), t rational."""
    out = []
    for k in range(count):
        t = Fraction(4 * k - 2 * count, count)
        out.append([radius * (1 - t * t) / (1 + t * t), radius * 2 * t / (1 + t * t)])
    return out


def test_a_shell_around_a_shell_falls_back_to_a_cover():
    core = [[Fraction(0), Fraction(0)], [Fraction(1, 2), Fraction(0)],
            [Fraction(0), Fraction(1, 2)]]
    inner, outer = _circle(3, 12), _circle(6, 16)
    sep = separate(core + inner + outer, ["a"] * 3 + ["b"] * 12 + ["c"] * 16)
    by_name = {c.cluster: c for c in sep.clusters}
    assert by_name["a"].ball is not None
    assert by_name["b"].fallback.method == "outer ball minus holes" and by_name["b"].proof
    assert by_name["c"].fallback.method == "cover"   # its holes include b, which has no ball
    assert by_name["c"].proof and sep.certificate.holds
    assert len(by_name["c"].fallback.balls) > 1


def test_the_certificate_can_fail(results):
    sep = results["nested", 2, 2]
    broken = [replace(c, fallback=replace(c.fallback, weight=Fraction(0)))
              if c.fallback else c for c in sep.clusters]
    cert = certify(ball_network(broken, sep.data.dim), sep.data)
    assert not cert.holds and any("FAILS at" in line for line in cert.checks)


@given(st.fractions(0, 100, max_denominator=50), st.fractions(0, 100, max_denominator=50))
def test_radius_between_lands_in_the_middle_half(a, b):
    low, high = sorted((a, b))
    if low == high:
        return
    r = radius_between(low, high)
    assert r > 0 and low + (high - low) / 4 < r * r < high - (high - low) / 4


@given(st.data())
def test_batched_exact_outputs_match_network_exact(data):
    net = data.draw(networks(max_inputs=3, max_depth=2))
    xs = [data.draw(points(net)) for _ in range(3)]
    got = exact_outputs(net, xs)
    assert [[Fraction(int(v.p), int(v.q)) for v in row] for row in got] == [
        list(net.exact(x)) for x in xs]


@pytest.mark.parametrize(("args", "message"), [
    (([[0, 0], [0, 0]], ["a", "b"]), "points 0 and 1 are the same point with labels 'a' and "
                                      "'b': no classifier separates them"),
    (([[0, 0], [1, 1]], ["a", "a"]), r"labels: expected at least 2 clusters, found 1 \(a\)"),
    (([[0, 0], [1]], ["a", "b"]), "points: expected rows of coordinates"),
    (([[0, 0]], ["a", "b"]), r"labels: expected one per point \(1\), found 2"),
    (([["x", 0], [1, 1]], ["a", "b"]), r"points\[0\]\[0\]: expected an exact rational"),
])
def test_bad_points_are_refused(args, message):
    with pytest.raises(QuadTheoryError, match=message):
        separate(*args)


def test_generated_sets_are_checked():
    with pytest.raises(QuadTheoryError, match="kind: expected one of blobs, nested, found "
                                              "'rings'"):
        cluster_points("rings", 2, 2)
    with pytest.raises(QuadTheoryError, match="clusters: expected an integer >= 2, found 1"):
        cluster_points("blobs", 1, 2)


# -- files and the command line ------------------------------------------------------------------

def test_csv_round_trip_is_exact(tmp_path):
    data = cluster_points("nested", 3, 2, points=8)
    data.save(tmp_path / "points.csv", label="kind")
    back = read_points(tmp_path / "points.csv", "kind")
    assert isinstance(back, LabelledPoints)
    assert back.points == data.points and back.labels == data.labels


@pytest.mark.parametrize(("text", "label", "message"), [
    ("x,y,label\n1,2,a\n", "class", "--label 'class': not a column of .*; expected one of x, "
                                    "y, label"),
    ("x,y,label\n1,two,a\n", "label", r"points.csv:2 column 'y': expected an exact rational"),
    ("x,y,label\n1,2\n", "label", "points.csv:2: expected 3 cells, found 2"),
    ("", "label", "expected a header row"),
    ("x,y,label\n", "label", "expected rows of points under the header, found none"),
])
def test_bad_csv_files_are_refused(tmp_path, text, label, message):
    (tmp_path / "points.csv").write_text(text)
    with pytest.raises(QuadTheoryError, match=message):
        read_points(tmp_path / "points.csv", label)


def test_cli_separates_a_csv_file(tmp_path, capsys):
    cluster_points("blobs", 3, 4, points=6).save(tmp_path / "blobs.csv")
    assert main(["separate", str(tmp_path / "blobs.csv"), "--label", "label", "--no-relu",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["one_layer"] and data["network"]["widths"] == [4, 3]
    assert data["certificate"]["level"] == "exhaustive" and data["certificate"]["holds"]
    assert data["relu"] is None and data["points"] == 18


@pytest.mark.parametrize(("argv", "message"), [
    (["separate", "generated:blobs", "--label", "x"], "--label: generated:blobs has its own "
                                                      "labels"),
    (["separate", "generated:rings"], "DATA 'generated:rings': expected a CSV file or "
                                      "generated:blobs or generated:nested"),
    (["separate", "points.csv", "--dim", "3"], "--dim: applies to generated data, not to the "
                                               "file 'points.csv'"),
    (["separate", "points.csv"], "points.csv: expected --label COL"),
    (["separate", "generated:blobs", "--no-relu", "--widths", "4"],
     "--widths: sets the ReLU comparison, which --no-relu skips"),
])
def test_cli_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_cli_on_generated_sets_with_the_relu_comparison(capsys):
    """The issue's done-when: generated sets of 2-10 clusters, D = 2..50, a nested one."""
    for argv in (["generated:blobs", "--clusters", "10", "--dim", "50", "--points", "10",
                  "--widths", "0"],
                 ["generated:nested", "--clusters", "3", "--dim", "2", "--points", "20",
                  "--widths", "2,4,8,16", "--seeds", "2", "--steps", "600"]):
        assert main(["separate", *argv, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["certificate"]["holds"]
        relu = data["relu"]
        assert relu["certificate"] is None or relu["certificate"]["level"] == "exhaustive"
        if argv[0] == "generated:nested":
            assert not data["one_layer"]
            shell = next(c for c in data["clusters"] if c["cluster"] == "b")
            assert shell["ball"] is None and "convex hull" in shell["no_ball_proof"]
