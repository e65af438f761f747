"""quadtheory.nn: quadratic layers in torch, and exact export/import of networks.

Importing this package imports torch; ``import quadtheory`` alone does not. Every public name
is re-exported here; the modules are private.
"""

from .._src.nn.conv import QuadraticConv1d as QuadraticConv1d
from .._src.nn.conv import QuadraticConv2d as QuadraticConv2d
from .._src.nn.conv import conv_params as conv_params
from .._src.nn.export import from_torch as from_torch
from .._src.nn.export import to_torch as to_torch
from .._src.nn.mlp import ConventionalMLP as ConventionalMLP
from .._src.nn.mlp import QuadraticMLP as QuadraticMLP
from .._src.nn.quadratic_linear import QuadraticLinear as QuadraticLinear
from .._src.nn.quadratic_linear import param_groups as param_groups
