"""quadtheory: the theory of quadratic neural networks, made checkable.

Exact constructions, certified parameter counts and bounds for quadratic (Fan et al.) and
conventional networks. Every public name is re-exported here; the modules are private.
"""

from ._certificate import Certificate as Certificate
from ._compose import all_quadratic as all_quadratic
from ._compose import parallel as parallel
from ._compose import readout as readout
from ._compose import sequential as sequential
from ._compose import split_identity as split_identity
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
from ._polynomial import network_polynomials as network_polynomials
from ._polyring import PolynomialRing as PolynomialRing
from ._verify import verify as verify

__version__ = "0.1.0"
