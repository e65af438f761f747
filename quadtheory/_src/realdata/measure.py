"""What a trained model costs and scores, measured the same way for every study.

- **latency**: the median over repeats of one forward pass (eval mode, no gradients, one
  torch thread), timed by the calling thread's CPU clock (``time.thread_time``): the wall time
  on an idle core, which other processes on a shared machine cannot inflate;
- **peak memory** of a forward pass: the most bytes torch holds at once while it runs
  (allocations minus frees, in order, from torch's profiler) on top of the model's parameters
  and buffers and the input batch;
- **classification scores**: accuracy, the confusion matrix, and the macro F1 (the mean over
  classes of ``2·precision·recall / (precision + recall)``, 0 for a class never predicted
  correctly), computed here so that no extra dependency is needed.

These measure the models of Fan et al.'s parametric-efficiency study (arXiv:2303.06316): the
paper compares parameters and accuracy; latency and memory are what a user pays at inference.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch
    from torch import nn


@contextlib.contextmanager
def one_thread(deterministic: bool = True) -> Iterator[None]:
    """Run the block with one torch thread (and deterministic algorithms), then restore both,
    so results do not depend on how many cells run side by side."""
    import torch  # torch is heavy: `import quadtheory` stays light

    threads = torch.get_num_threads()
    was = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(deterministic)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(was)


def latency(module: nn.Module, batch: torch.Tensor, repeats: int) -> float:
    """Median seconds of CPU time (this thread) for one forward pass of ``batch``, after one
    warm-up pass; the module is left in eval mode.

    >>> import torch
    >>> net = torch.nn.Linear(4, 2)
    >>> 0 <= latency(net, torch.zeros(8, 4), repeats=3) < 1
    True
    """
    import torch  # torch is heavy: `import quadtheory` stays light

    module.eval()
    times = []
    with torch.no_grad():
        module(batch)
        for _ in range(max(1, repeats)):
            start = time.thread_time()
            module(batch)
            times.append(time.thread_time() - start)
    return statistics.median(times)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    # The profiler's C++ side logs "profiler_start/stop" straight to file descriptor 2.
    saved = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def forward_peak_bytes(module: nn.Module, batch: torch.Tensor) -> int | None:
    """The most bytes torch's allocator holds at once during one forward pass of ``batch``
    (eval mode, no gradients), beyond what was allocated before it; ``None`` when this torch's
    profiler does not expose its allocation events.

    >>> import torch
    >>> net = torch.nn.Linear(1000, 1000)
    >>> forward_peak_bytes(net, torch.zeros(10, 1000)) >= 10 * 1000 * 4   # the output at least
    True
    """
    import torch  # torch is heavy: `import quadtheory` stays light
    from torch.profiler import ProfilerActivity, profile

    module.eval()
    try:
        from torch._C._profiler import _EventType

        with torch.no_grad(), _quiet_stderr(), profile(
                activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            module(batch)
        events = list(prof.profiler.kineto_results.experimental_event_tree())
    except (ImportError, AttributeError, RuntimeError):
        return None
    sizes = []
    while events:
        event = events.pop()
        if event.tag == _EventType.Allocation:
            sizes.append((event.start_time_ns, event.extra_fields.alloc_size))
        events.extend(event.children)
    held = peak = 0
    for _, size in sorted(sizes):
        held += size
        peak = max(peak, held)
    return peak


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """``C[i, j]``: how many of class ``i`` were predicted ``j``.

    >>> confusion(np.array([0, 0, 1]), np.array([0, 1, 1]), 2).tolist()
    [[1, 1], [0, 1]]
    """
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def macro_f1(matrix: np.ndarray) -> float:
    """The mean over classes of F1 = 2·TP / (2·TP + FP + FN), from a confusion matrix; a class
    neither present nor predicted is left out of the mean (as scikit-learn's macro F1 does).

    >>> round(macro_f1(np.array([[2, 1], [0, 1]])), 4)   # F1 4/5 and 2/3
    0.7333
    >>> macro_f1(np.array([[3, 0], [0, 0]]))             # class 1 never seen: class 0 alone
    1.0
    """
    true_positive = np.diag(matrix).astype(float)
    denominator = matrix.sum(axis=0) + matrix.sum(axis=1)
    seen = denominator > 0
    return float(np.mean(2 * true_positive[seen] / denominator[seen])) if seen.any() else 0.0
