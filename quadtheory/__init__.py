"""quadtheory: the theory of quadratic neural networks, made checkable.

Exact constructions, certified parameter counts and bounds for quadratic (Fan et al.) and
conventional networks. Every public name is re-exported here; the modules are private.
"""

from . import exercises as exercises
from ._src.bounds.compare import Comparison as Comparison
from ._src.bounds.compare import compare as compare
from ._src.bounds.lower import ReluLowerBound as ReluLowerBound
from ._src.bounds.lower import bounds as bounds
from ._src.bounds.lower import min_dense_params as min_dense_params
from ._src.bounds.lower import radial_bounds as radial_bounds
from ._src.conventional.family import relu_construct as relu_construct
from ._src.conventional.family import relu_radial as relu_radial
from ._src.conventional.pieces import Pieces as Pieces
from ._src.conventional.pieces import PiecewiseAffine as PiecewiseAffine
from ._src.conventional.pieces import SupError as SupError
from ._src.conventional.pieces import linear_pieces as linear_pieces
from ._src.conventional.pieces import pieces as pieces
from ._src.conventional.pieces import sup_error as sup_error
from ._src.conventional.yarotsky import sawtooth as sawtooth
from ._src.conventional.yarotsky import yarotsky_square as yarotsky_square
from ._src.core.compose import all_quadratic as all_quadratic
from ._src.core.compose import parallel as parallel
from ._src.core.compose import readout as readout
from ._src.core.compose import sequential as sequential
from ._src.core.compose import split_identity as split_identity
from ._src.core.counts import ParamCounts as ParamCounts
from ._src.core.io import from_json as from_json
from ._src.core.io import load as load
from ._src.core.io import save as save
from ._src.core.io import to_json as to_json
from ._src.core.layers import ConventionalLayer as ConventionalLayer
from ._src.core.layers import QuadraticLayer as QuadraticLayer
from ._src.core.layers import as_quadratic as as_quadratic
from ._src.core.layers import conventional_layer as conventional_layer
from ._src.core.layers import quadratic_layer as quadratic_layer
from ._src.core.matrix import Matrix as Matrix
from ._src.core.network import Network as Network
from ._src.crosscheck.cells import BoundCheck as BoundCheck
from ._src.crosscheck.cells import bound_check as bound_check
from ._src.crosscheck.report import CrosscheckReport as CrosscheckReport
from ._src.crosscheck.sweep import crosscheck as crosscheck
from ._src.errors import FloatPrecisionWarning as FloatPrecisionWarning
from ._src.errors import InternalError as InternalError
from ._src.errors import QuadTheoryError as QuadTheoryError
from ._src.exact.approximation import verify_approximation as verify_approximation
from ._src.exact.certificate import Certificate as Certificate
from ._src.exact.construction import Construction as Construction
from ._src.exact.intervals import Interval as Interval
from ._src.exact.parse import parse_expression as parse_expression
from ._src.exact.polynomial import network_polynomials as network_polynomials
from ._src.exact.polyring import PolynomialRing as PolynomialRing
from ._src.exact.verify import verify as verify
from ._src.quadratic.closed_forms import Counts as Counts
from ._src.quadratic.closed_forms import (
    dense_polynomial_counts as dense_polynomial_counts,
)
from ._src.quadratic.closed_forms import monomial_counts as monomial_counts
from ._src.quadratic.construct import construct as construct
from ._src.quadratic.radial import radial as radial
from ._src.quadratic.structure import (
    chebyshev_index_plan_exists as chebyshev_index_plan_exists,
)
from ._src.realdata.bearing import bearing as bearing
from ._src.realdata.bearing_report import BearingReport as BearingReport
from ._src.realdata.pilot import pilot as pilot
from ._src.realdata.pilot_report import PilotReport as PilotReport
from ._src.render.latex import to_latex as to_latex
from ._src.render.plots import plot_comparison as plot_comparison
from ._src.render.plots import plot_rates as plot_rates
from ._src.render.reports import construction_report as construction_report
from ._src.render.reports import rates_report as rates_report
from ._src.studies.clusters import LabelledPoints as LabelledPoints
from ._src.studies.clusters import cluster_points as cluster_points
from ._src.studies.clusters import read_points as read_points
from ._src.studies.relu import ReluSeparation as ReluSeparation
from ._src.studies.report import StudyReport as StudyReport
from ._src.studies.separation import Separation as Separation
from ._src.studies.separation import separate as separate
from ._src.studies.study import study as study
from ._src.studies.targets import BarronTarget as BarronTarget
from ._src.studies.targets import barron_target as barron_target
from ._src.theorems.counts import TaylorCounts as TaylorCounts
from ._src.theorems.counts import taylor_counts as taylor_counts
from ._src.theorems.manifold import manifold_construct as manifold_construct
from ._src.theorems.rates import Rates as Rates
from ._src.theorems.rates import taylor_rates as taylor_rates
from ._src.theorems.taylor import taylor_construct as taylor_construct
from ._src.version import __version__ as __version__
