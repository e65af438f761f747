"""quadtheory.nn: quadratic layers in torch, and exact export/import of networks.

Importing this package imports torch; ``import quadtheory`` alone does not. Every public name
is re-exported here; the modules are private.
"""

from ._export import from_torch as from_torch
from ._export import to_torch as to_torch
from ._mlp import ConventionalMLP as ConventionalMLP
from ._mlp import QuadraticMLP as QuadraticMLP
from ._quadratic_linear import QuadraticLinear as QuadraticLinear
from ._quadratic_linear import param_groups as param_groups
