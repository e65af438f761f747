"""Forward+backward step time of ``QuadraticLinear`` against its baselines, same run.

(a) ``nn.Linear(in, 3·out)``: exactly the same number of parameters, ``out·(3·in + 3)``, and
    the same multiply-adds per sample; this is the limit (aim: within 1.25x).
(b) the straightforward three-matmul form ``(x@Wr+br)*(x@Wg+bg) + (x*x)@Wb + c``
    (aim: never slower).
(c) for the record, the stacked form: ``w_r`` and ``w_g`` concatenated into one ``(2·out, in)``
    weight, one matmul for both, then split (the design ``QuadraticLinear`` does not use).

A step is ``y = layer(x); y.backward(dy)`` with fresh gradients. Variants are timed in turn,
round after round, and each reports its fastest round, so a busy machine slows all of them
alike. On CPU the default is one thread timed by its own CPU clock (``time.thread_time``):
other processes on a shared machine then cannot inflate the numbers. Run:
``python benchmarks/bench_quadratic_linear.py [--device cuda] [--threads N] [--quick]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from quadtheory.nn import QuadraticLinear

SIZES = ((64, 32, 32), (256, 64, 64), (256, 256, 256), (1024, 256, 256), (1024, 512, 512),
         (4096, 1024, 1024))
QUICK_SIZES = ((64, 32, 32), (1024, 256, 256))


class ThreeMatmul(nn.Module):
    """Baseline (b): the quadratic neuron written as three separate matmuls."""

    def __init__(self, n_in: int, n_out: int, **factory: object) -> None:
        super().__init__()
        self.w_r, self.w_g, self.w_b = (nn.Parameter(torch.randn(n_in, n_out, **factory) * 0.1)
                                        for _ in range(3))
        self.b_r, self.b_g, self.c = (nn.Parameter(torch.randn(n_out, **factory) * 0.1)
                                      for _ in range(3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return ((x @ self.w_r + self.b_r) * (x @ self.w_g + self.b_g)
                + (x * x) @ self.w_b + self.c)


class Stacked(QuadraticLinear):
    """Variant (c): one matmul against ``cat(w_r, w_g)``, split into r and g."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        r, g = F.linear(x, torch.cat((self.w_r, self.w_g)),
                        torch.cat((self.b_r, self.b_g))).chunk(2, dim=-1)
        return r * g + F.linear(x * x, self.w_b, self.c)


def _step(module: nn.Module, x: torch.Tensor, dy: torch.Tensor) -> Callable[[], None]:
    def step() -> None:
        for p in (x, *module.parameters()):
            p.grad = None
        module(x).backward(dy)
    return step


def time_steps(steps: dict[str, Callable[[], None]], device: torch.device, rounds: int,
               min_round_s: float, clock: Callable[[], float]) -> dict[str, float]:
    """Fastest round's seconds per step of each variant, timing them in turn."""
    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    calls = {}
    for name, step in steps.items():  # warm up, and size each round to about min_round_s
        step()
        sync()
        start, n = clock(), 0
        while clock() - start < min_round_s:
            step()
            n += 1
        sync()
        calls[name] = max(n, 1)
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(rounds):
        for name, step in steps.items():
            sync()
            start = clock()
            for _ in range(calls[name]):
                step()
            sync()
            best[name] = min(best[name], (clock() - start) / calls[name])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    parser.add_argument("--threads", type=int, default=1, help="CPU threads (default 1)")
    parser.add_argument("--quick", action="store_true", help="two sizes, short rounds")
    args = parser.parse_args()
    device, dtype = torch.device(args.device), getattr(torch, args.dtype)
    torch.set_num_threads(args.threads)
    factory = {"device": device, "dtype": dtype}
    sizes, rounds, min_round_s = (QUICK_SIZES, 3, 0.05) if args.quick else (SIZES, 7, 0.2)
    cpu_clock = device.type == "cpu" and args.threads == 1
    clock = time.thread_time if cpu_clock else time.perf_counter
    where = (torch.cuda.get_device_name(device) if device.type == "cuda"
             else f"{args.threads} thread(s)")
    print(f"device {device} ({where}), {args.dtype}, torch {torch.__version__}; forward+backward "
          f"step, fastest of {rounds} rounds, {'thread CPU time' if cpu_clock else 'wall time'}")
    print(f"{'batch':>6} {'in':>5} {'out':>5} {'params':>8}  {'quadratic':>10} {'linear(a)':>10} "
          f"{'3-matmul(b)':>11} {'stacked(c)':>10}  {'q/(a)':>6} {'q/(b)':>6} {'q/(c)':>6}")
    for batch, n_in, n_out in sizes:
        torch.manual_seed(0)
        modules = {"q": QuadraticLinear(n_in, n_out, init="random", **factory),
                   "a": nn.Linear(n_in, 3 * n_out, **factory),
                   "b": ThreeMatmul(n_in, n_out, **factory),
                   "c": Stacked(n_in, n_out, init="random", **factory)}
        params = {sum(p.numel() for p in m.parameters()) for m in modules.values()}
        assert params == {n_out * (3 * n_in + 3)}, params
        x = torch.randn(batch, n_in, **factory, requires_grad=True)  # a hidden layer's input
        dy, dy3 = torch.randn(batch, n_out, **factory), torch.randn(batch, 3 * n_out, **factory)
        s = time_steps({name: _step(m, x, dy3 if name == "a" else dy)
                        for name, m in modules.items()}, device, rounds, min_round_s, clock)
        print(f"{batch:>6} {n_in:>5} {n_out:>5} {params.pop():>8}  {s['q'] * 1e3:>8.3f}ms "
              f"{s['a'] * 1e3:>8.3f}ms {s['b'] * 1e3:>9.3f}ms {s['c'] * 1e3:>8.3f}ms  "
              f"{s['q'] / s['a']:>6.2f} {s['q'] / s['b']:>6.2f} {s['q'] / s['c']:>6.2f}")


if __name__ == "__main__":
    main()
