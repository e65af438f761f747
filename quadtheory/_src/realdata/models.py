"""The bearing experiment's 1-D CNNs: the QCNN (quadratic) and the WDCNN (conventional).

Fan et al., "One Neuron Saved Is One Neuron Earned" (arXiv:2303.06316), compare, for bearing
fault diagnosis, a quadratic CNN (QCNN) against the conventional WDCNN (Zhang et al. 2017)
with about a quarter of its parameters. Both follow the code of the paper's
``bearing_experiment/Model`` (github asdvfghg/quadratic_efficiency): six convolution blocks
(convolution, batch norm, ReLU, max-pool by 2) — the first a wide kernel of 64 taps, stride 8,
padding 28; then five of 3 taps, stride 1, padding 1 (the last 0) — and a classifier
``flatten → Linear → ReLU → Dropout(0.5) → Linear``. The QCNN's convolutions are quadratic
(:class:`~quadtheory.nn.QuadraticConv1d`), 16 channels each, hidden 20; the WDCNN's are
``nn.Conv1d`` with 16/32/64/64/64/64 channels, hidden 100.

Two deviations from that code, both so that the numbers mean what they say: the models return
logits (the paper's return a softmax, which its ``CrossEntropyLoss`` softmaxes again; the
predicted class, the argmax, is the same), and every parameter trains (the paper's QCNN
optimizer groups leave the batch norms' scales and shifts out).

:func:`matched` gives the parameter-matched pair: the other family's architecture, its channels
and hidden width scaled together, with the dense count nearest a given one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.limits import one_of
from ..errors import QuadTheoryError

if TYPE_CHECKING:
    from torch import nn

WINDOW = 2048
CLASSES = 10
FIRST = {"kernel_size": 64, "stride": 8, "padding": 28}   # the wide first kernel
PADDINGS = (1, 1, 1, 1, 0)                                # the five 3-tap convolutions
FAMILIES = ("quadratic", "conventional")


def feature_length(window: int = WINDOW) -> int:
    """The length of the last block's output for an input ``window`` (each block: its
    convolution, then max-pool by 2).

    >>> feature_length(2048)      # 2048 -> 256 -> 128 -> 64 -> 32 -> 16 -> 8 -> 6 -> 3
    3
    """
    length = (window + 2 * FIRST["padding"] - FIRST["kernel_size"]) // FIRST["stride"] + 1
    length //= 2
    for padding in PADDINGS:
        length = (length + 2 * padding - 3 + 1) // 2
    if length < 1:
        raise QuadTheoryError(f"window: {window} samples is too short for the CNN's six "
                              "blocks; expected at least 1024")
    return length


@dataclass(frozen=True)
class Architecture:
    """A six-block 1-D CNN: ``family`` of its convolutions, their ``channels`` (six), the
    classifier's ``hidden`` width.

    >>> QCNN.params(), WDCNN.params()
    (16262, 66790)
    """

    name: str
    family: str
    channels: tuple[int, ...]
    hidden: int

    def __post_init__(self) -> None:
        one_of(self.family, "family", FAMILIES)
        if len(self.channels) != 1 + len(PADDINGS) or min(self.channels) < 1 or self.hidden < 1:
            raise QuadTheoryError(f"{self.name}: expected six positive channel counts and a "
                                  f"positive hidden width, found {self.channels}, {self.hidden}")

    def params(self, window: int = WINDOW, classes: int = CLASSES) -> int:
        """The dense count (every weight and bias, batch norms' scales and shifts included;
        their running statistics are buffers, not parameters), from the architecture alone."""
        from quadtheory.nn import conv_params  # torch is heavy: `import quadtheory` stays light

        quadratic = self.family == "quadratic"
        ins = (1, *self.channels[:-1])
        convs = conv_params(1, self.channels[0], FIRST["kernel_size"], quadratic=quadratic)
        convs += sum(conv_params(n_in, n_out, 3, quadratic=quadratic)
                     for n_in, n_out in zip(ins[1:], self.channels[1:], strict=True))
        norms = 2 * sum(self.channels)
        features = self.channels[-1] * feature_length(window)
        return convs + norms + (features + 1) * self.hidden + (self.hidden + 1) * classes

    def build(self, window: int = WINDOW, classes: int = CLASSES) -> nn.Sequential:
        """A fresh module (float32, ReLinear init for quadratic convolutions); seed torch first.

        >>> import torch
        >>> net = QCNN.build()
        >>> sum(p.numel() for p in net.parameters()) == QCNN.params()
        True
        >>> net.eval()(torch.zeros(2, 1, 2048)).shape
        torch.Size([2, 10])
        """
        from torch import nn  # torch is heavy: `import quadtheory` stays light

        from quadtheory.nn import QuadraticConv1d

        length = feature_length(window)
        layers: list[nn.Module] = []
        ins = (1, *self.channels[:-1])
        shapes = [FIRST, *({"kernel_size": 3, "stride": 1, "padding": p} for p in PADDINGS)]
        for n_in, n_out, shape in zip(ins, self.channels, shapes, strict=True):
            conv = (QuadraticConv1d(n_in, n_out, **shape) if self.family == "quadratic"
                    else nn.Conv1d(n_in, n_out, **shape))
            layers += [conv, nn.BatchNorm1d(n_out), nn.ReLU(), nn.MaxPool1d(2, 2)]
        layers += [nn.Flatten(), nn.Linear(self.channels[-1] * length, self.hidden), nn.ReLU(),
                   nn.Dropout(0.5), nn.Linear(self.hidden, classes)]
        return nn.Sequential(*layers)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "family": self.family, "channels": list(self.channels),
                "hidden": self.hidden, "params": self.params()}


QCNN = Architecture("QCNN", "quadratic", (16,) * 6, 20)
WDCNN = Architecture("WDCNN", "conventional", (16, 32, 64, 64, 64, 64), 100)
BASE = {"quadratic": QCNN, "conventional": WDCNN}


def scaled(family: str, width: int, name: str | None = None) -> Architecture:
    """The family's architecture with its first block at ``width`` channels: every channel
    count and the hidden width scaled by ``width / 16`` (rounded, at least 1).

    >>> scaled("conventional", 8).channels, scaled("conventional", 8).hidden
    ((8, 16, 32, 32, 32, 32), 50)
    """
    base = BASE[family]
    factor = width / base.channels[0]
    return Architecture(name or f"{base.name}-w{width}", family,
                        tuple(max(1, round(c * factor)) for c in base.channels),
                        max(1, round(base.hidden * factor)))


def matched(family: str, target: int, name: str | None = None,
            window: int = WINDOW, classes: int = CLASSES) -> Architecture:
    """The family's architecture whose dense count is nearest ``target``: the scaled width
    (:func:`scaled`) nearest in count, then the hidden width that brings the count nearest
    (the classifier's count moves in steps of ``features + 1 + classes``: 107 here).

    >>> small = matched("conventional", QCNN.params(), "WDCNN-small")
    >>> small.channels, small.hidden, small.params()
    ((8, 16, 32, 32, 32, 32), 39, 16287)
    """
    candidates = [scaled(family, w) for w in range(1, 257)]
    best = min(candidates, key=lambda a: (abs(a.params(window, classes) - target), a.channels))
    # params is affine in hidden: solve for the nearest, then check its neighbours.
    without = Architecture("", family, best.channels, 1).params(window, classes)
    step = best.channels[-1] * feature_length(window) + 1 + classes
    guess = max(1, round((target - without) / step) + 1)
    hidden = min({max(1, guess + d) for d in (-1, 0, 1)},
                 key=lambda h: abs(without + (h - 1) * step - target))
    return Architecture(name or f"{BASE[family].name}-{target}", family, best.channels,
                        hidden)


def parameter_count(module: nn.Module) -> int:
    """The dense count torch holds: every parameter's ``numel``.

    >>> parameter_count(WDCNN.build()) == WDCNN.params()
    True
    """
    return sum(p.numel() for p in module.parameters())


def model_bytes(module: nn.Module) -> int:
    """Bytes of the parameters and buffers (batch norms' running statistics)."""
    return sum(t.numel() * t.element_size() for t in (*module.parameters(), *module.buffers()))

