"""quadtheory: the theory of quadratic neural networks, made checkable.

Exact constructions, certified parameter counts and bounds for quadratic (Fan et al.) and
conventional networks. Every public name is re-exported here; the modules are private.
"""

from ._approximation import verify_approximation as verify_approximation
from ._bounds import ReluLowerBound as ReluLowerBound
from ._bounds import bounds as bounds
from ._bounds import min_dense_params as min_dense_params
from ._bounds import radial_bounds as radial_bounds
from ._certificate import Certificate as Certificate
from ._closed_forms import Counts as Counts
from ._closed_forms import dense_polynomial_counts as dense_polynomial_counts
from ._closed_forms import monomial_counts as monomial_counts
from ._compare import Comparison as Comparison
from ._compare import compare as compare
from ._compare import plot_comparison as plot_comparison
from ._compose import all_quadratic as all_quadratic
from ._compose import parallel as parallel
from ._compose import readout as readout
from ._compose import sequential as sequential
from ._compose import split_identity as split_identity
from ._construct import construct as construct
from ._counts import ParamCounts as ParamCounts
from ._errors import QuadTheoryError as QuadTheoryError
from ._intervals import Interval as Interval
from ._io import from_json as from_json
from ._io import load as load
from ._io import save as save
from ._io import to_json as to_json
from ._layers import ConventionalLayer as ConventionalLayer
from ._layers import QuadraticLayer as QuadraticLayer
from ._layers import as_quadratic as as_quadratic
from ._layers import conventional_layer as conventional_layer
from ._layers import quadratic_layer as quadratic_layer
from ._matrix import Matrix as Matrix
from ._network import Network as Network
from ._parse import parse_expression as parse_expression
from ._pieces import PiecewiseAffine as PiecewiseAffine
from ._pieces import SupError as SupError
from ._pieces import linear_pieces as linear_pieces
from ._pieces import pieces as pieces
from ._pieces import sup_error as sup_error
from ._polynomial import network_polynomials as network_polynomials
from ._polyring import PolynomialRing as PolynomialRing
from ._radial import radial as radial
from ._relu_family import relu_construct as relu_construct
from ._relu_family import relu_radial as relu_radial
from ._verify import verify as verify
from ._yarotsky import sawtooth as sawtooth
from ._yarotsky import yarotsky_square as yarotsky_square

__version__ = "0.1.0"
