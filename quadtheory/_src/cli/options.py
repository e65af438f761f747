"""The command line's options: one spelling, one parser and one help text each, for every
command.

A command declares the options it takes with the ``add_*`` functions here; what they mean is
then the same everywhere:

- ``--vars x,y``, ``--domain LO:HI | x=LO:HI,y=LO:HI | all`` (every spelling of
  :mod:`quadtheory._src.core.domain`), ``--dim D``, ``--center c1,...``, ``--radius R``;
- ``--eps E [E ...]``; lists of numbers (``--eps``, ``--depth``/``--depths``, ``--widths``,
  ``--seeds``, ``--dims``...) accept commas, spaces, or both: ``--depth 1,2 3``;
- ``--family quadratic|relu|both`` (``conventional`` is ``relu``);
- ``--json [FILE]``, ``--plot [FILE]``, ``--latex [FILE]``: without FILE to stdout (a plot to
  the command's default file), with FILE written there;
- ``--jobs N`` or ``--scheduler ADDR`` (a Dask cluster), ``--out DIR``, ``--quick``.

Targets: ``radial:G`` (G in r) names ``f(x) = G(‖x − c‖)`` wherever a target is taken, with
``--dim``. An option a command cannot use with the given target is an error, never ignored
(:func:`refuse`).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core import limits
from ..core.files import atomic_write, writable
from ..core.numbers import positive_rational
from ..errors import QuadTheoryError

RADIAL = "radial:"
STDOUT = "-"  # the const of --json/--latex without FILE
FAMILY_CHOICES = ("quadratic", "relu", "both")
ALIASES = {"conventional": "relu"}


def split_list(values: str | Sequence[str] | None, option: str = "list") -> list[str] | None:
    """The items of a list option given as ``a,b c`` (commas, spaces, or both); an empty item
    (``a,,b``) is an error naming the option.

    >>> split_list(["1e-2,1e-4", "1e-6"]), split_list(" x, y z"), split_list(None)
    (['1e-2', '1e-4', '1e-6'], ['x', 'y', 'z'], None)
    """
    if values is None:
        return None
    text = values if isinstance(values, str) else " ".join(values)
    items = re.split(r"\s*,\s*|\s+", text.strip())
    if not all(items):
        raise QuadTheoryError(f"{option} {text!r}: expected items separated by commas or "
                              "spaces, such as x,y,z")
    return items


def int_list(values: str | Sequence[str] | None, option: str, *, low: int = 1
             ) -> list[int] | None:
    """A list option of integers ``>= low``; a bad item is a one-line error naming the option.

    >>> int_list(["1,2", "4"], "--depth")
    [1, 2, 4]
    >>> int_list("1,x", "--widths")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --widths '1,x': expected integers >= 1 separated by commas or ...
    """
    items = split_list(values, option)
    if items is None:
        return None
    shown = values if isinstance(values, str) else " ".join(values)
    if not items or not all(re.fullmatch(r"[+-]?\d{1,9}", item) and int(item) >= low
                            for item in items):
        raise QuadTheoryError(f"{option} {shown!r}: expected integers >= {low} separated by "
                              "commas or spaces, such as 1,2,4")
    return [int(item) for item in items]


def seeds(values: str | Sequence[str] | None, option: str = "--seeds") -> list[int] | None:
    """``--seeds N`` (one number: N seeds, 0..N-1) or ``--seeds 0,3,7`` (those seeds).

    >>> seeds("3"), seeds(["0,5", "7"])
    ([0, 1, 2], [0, 5, 7])
    """
    items = int_list(values, option, low=0)
    if items is None:
        return None
    if len(items) == 1:
        if items[0] < 1:
            raise QuadTheoryError(f"{option} {items[0]}: expected a number of seeds >= 1 or a "
                                  "list of seeds such as 0,1,2")
        return list(range(items[0]))
    return list(dict.fromkeys(items))


def family(value: str) -> str:
    """``--family``: quadratic, relu (alias conventional) or both.

    >>> family("conventional"), family("both")
    ('relu', 'both')
    """
    name = ALIASES.get(value.strip(), value.strip())
    if name not in FAMILY_CHOICES:
        raise QuadTheoryError(f"--family {value!r}: expected one of "
                              f"{', '.join(FAMILY_CHOICES)} (conventional is relu)")
    return name


def families(value: str) -> list[str]:
    """The families ``--family`` names, as a list: both is quadratic and relu."""
    name = family(value)
    return ["quadratic", "relu"] if name == "both" else [name]


def refuse(args: argparse.Namespace, options: dict[str, str], why: str) -> None:
    """An error naming the first given option of ``options`` (dest -> flag) that the command
    cannot use here, with the reason: options are never silently ignored."""
    given = [flag for dest, flag in options.items() if getattr(args, dest, None) is not None]
    if given:
        raise QuadTheoryError(f"{given[0]}: {why}")


# -- registering options ---------------------------------------------------------------------

def add_vars(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vars", metavar="x,y,z",
                        help="the inputs, in order (default: the variables of EXPR, sorted)")


def add_domain(parser: argparse.ArgumentParser, *, bounded: bool = False) -> None:
    parser.add_argument(
        "--domain", metavar="LO:HI | x=LO:HI,... " + ("" if bounded else "| all"),
        help="exact bounds for every input (default -1:1) or per input (others -1:1)"
             + ("" if bounded else ", or 'all' for R^n") + " (also [LO,HI],[LO,HI] in order"
             + ")")


def add_ball(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument("--dim", metavar="D", type=int, required=required,
                        help="radial:G: the dimension D of f(x) = G(‖x − c‖)")
    parser.add_argument("--center", metavar="c1,...,cD",
                        help="radial:G: the centre (default the origin)")
    parser.add_argument("--radius", metavar="R",
                        help="radial:G: the radius of the ball (default 1)")


def add_eps(parser: argparse.ArgumentParser, *, several: bool = False, required: bool = False,
            help: str = "the certified sup error wanted") -> None:
    if several:
        parser.add_argument("--eps", metavar="E", nargs="+", required=required,
                            help=help + " (several: commas or spaces)")
    else:
        parser.add_argument("--eps", metavar="E", required=required, help=help)
    parser.add_argument("--allow-tiny-eps", action="store_true",
                        help=f"allow --eps below {float(limits.MIN_EPS):g} (time and memory grow "
                             "without bound as eps shrinks)")


def add_family(parser: argparse.ArgumentParser, default: str = "quadratic",
               help: str = "quadratic (exact), relu (conventional, needs --eps) or both") -> None:
    parser.add_argument("--family", default=default, metavar="F",
                        help=f"{help} (default {default})")


def add_json(parser: argparse.ArgumentParser, what: str = "the result as one JSON object"
             ) -> None:
    parser.add_argument("--json", nargs="?", const=STDOUT, metavar="FILE",
                        help=f"{what}: printed, or written to FILE")


def add_latex(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--latex", nargs="?", const=STDOUT, metavar="FILE",
                        help="the network's equations layer by layer (LaTeX): printed, or "
                             "written to FILE")


def add_plot(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--plot", nargs="?", const=default, metavar="FILE",
                        help=f"draw the figure to FILE (default {default}; .png, .pdf, .svg)")


def add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="independent cells run in N processes (same results; default 1)")


def add_scheduler(parser: argparse.ArgumentParser) -> None:
    """``--scheduler ADDR``: the cells run on an existing Dask cluster (with ``--jobs``,
    one of the two)."""
    parser.add_argument("--scheduler", metavar="ADDR",
                        help="run the cells on the Dask cluster whose scheduler is at ADDR "
                             "(tcp://HOST:8786; default $DASK_SCHEDULER_ADDRESS when --jobs is "
                             "not given; see docs/sweeps.md)")


def add_out(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument("--out", metavar="DIR",
                        help=f"output folder (default {default}); rerunning resumes")


# -- reading targets ------------------------------------------------------------------------------

def radial_profile(target: str) -> str | None:
    """``G`` of a ``radial:G`` target, or None for any other target.

    >>> radial_profile("radial:exp(-r^2)"), radial_profile("x*y")
    ('exp(-r^2)', None)
    """
    return target[len(RADIAL):] if target.startswith(RADIAL) else None


def check_region_options(args: argparse.Namespace, target: str) -> str | None:
    """Refuse the region options that do not apply to ``target``; the radial profile G of a
    ``radial:G`` target (which then needs ``--dim``), or None."""
    g = radial_profile(target)
    if g is None:
        refuse(args, {"dim": "--dim", "center": "--center", "radius": "--radius"},
               f"applies to radial:G targets, not to {target!r} (a box: use --domain)")
        return None
    refuse(args, {"domain": "--domain", "vars": "--vars"},
           f"{target} holds on a ball (--dim, --center, --radius), not on a box")
    if getattr(args, "dim", None) is None:
        raise QuadTheoryError(f"{target}: a radial target needs --dim D")
    return g


# -- the resource model ----------------------------------------------------------------------

# dest -> (flag, cap) of the integer options; a list option's every item is capped.
_INT_CAPS = {"dim": ("--dim", limits.MAX_DIM), "dims": ("--dims", limits.MAX_DIM),
             "ambient": ("--ambient", limits.MAX_DIM),
             "widths": ("--widths", limits.MAX_WIDTH), "steps": ("--steps", limits.MAX_STEPS),
             "epochs": ("--epochs", limits.MAX_STEPS), "points": ("--points", limits.MAX_POINTS),
             "clusters": ("--clusters", limits.MAX_POINTS),
             "smoothness": ("--smoothness", limits.MAX_DEGREE)}


_SEED_COUNTS = ("crosscheck", "separate", "study")  # commands reading --seeds N as N seeds


def _integers(value: object) -> list[int]:
    """The integer items of an option value (an int, or a list spelled with commas or spaces);
    items that are not integers are left to the command, which names them."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, str | list | tuple):
        text = value if isinstance(value, str) else " ".join(str(item) for item in value)
        return [int(item) for item in re.split(r"[\s,]+", text.strip())
                if re.fullmatch(r"[+-]?[0-9]{1,30}", item)]
    return []


def check_limits(args: argparse.Namespace) -> None:
    """Refuse, before any work, the option values beyond the resource model
    (:mod:`quadtheory._src.core.limits`): eps under 1e-15 (unless ``--allow-tiny-eps``) or
    over 1e15, dimensions, depths, widths, seeds, steps, and ``--jobs`` over twice the cores.

    >>> check_limits(argparse.Namespace(eps="1e-20", allow_tiny_eps=False))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: --eps 1e-20 is under the limit 1e-15 (...--allow-tiny-eps lifts it)
    >>> check_limits(argparse.Namespace(eps=["1e-3", "1e-20"], allow_tiny_eps=True, dim=3))
    """
    eps = getattr(args, "eps", None)
    if eps is not None:
        for item in split_list(eps, "--eps") or []:
            number = positive_rational(item, "eps")
            if not getattr(args, "allow_tiny_eps", False):
                limits.check(number, limits.MIN_EPS, "--eps", raise_with="--allow-tiny-eps",
                             at_least=True)
            limits.check(number, limits.MAX_EPS, "--eps")
    for dest, (flag, cap) in _INT_CAPS.items():
        for number in _integers(getattr(args, dest, None)):
            limits.check(number, cap, flag)
    if getattr(args, "depth", None) is not None:
        cap = limits.MAX_DEPTH if args.command == "bounds" else limits.MAX_TRAIN_DEPTH
        for number in _integers(args.depth):
            limits.check(number, cap, "--depth")
    given = _integers(getattr(args, "seeds", None))
    if len(given) == 1 and getattr(args, "command", None) in _SEED_COUNTS:
        limits.check(given[0], limits.MAX_SEEDS, "--seeds (a number of seeds)")
    limits.check(len(given), limits.MAX_SEEDS, "--seeds: the number of seeds")
    for number in given:
        limits.check(number, limits.MAX_SEED, "--seeds: a seed")
    jobs = getattr(args, "jobs", None)
    if isinstance(jobs, int):
        limits.check(jobs, limits.max_jobs(), "--jobs (at most twice the cores)")


def check_digits(argv: Sequence[str]) -> None:
    """Refuse a number of more than :data:`~quadtheory._src.core.limits.MAX_CLI_DIGITS` digits
    anywhere on the command line (it would be parsed, multiplied and printed in full).

    >>> check_digits(["eval", "net.json", "--at", "x=" + "9" * 2000])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: argument 'x=99999...': a number of 2000 digits; ... at most 1000
    """
    for argument in argv:
        longest = max((len(run) for run in re.findall(r"[0-9]+", argument)), default=0)
        if longest > limits.MAX_CLI_DIGITS:
            raise QuadTheoryError(f"argument {argument[:7] + '...'!r}: a number of {longest} "
                                  f"digits; numbers on the command line have at most "
                                  f"{limits.MAX_CLI_DIGITS}")


# -- writing results ------------------------------------------------------------------------------

def check_outputs(args: argparse.Namespace) -> None:
    """Refuse an output file that cannot be written (a device, a folder, a missing folder)
    before any work is done: ``--json FILE``, ``--latex FILE``, ``--plot FILE``."""
    if getattr(args, "out", None) == "":
        raise QuadTheoryError("--out '': expected a folder name (an empty one would write into "
                              "the current folder)")
    for option in ("json", "latex", "plot"):
        value = getattr(args, option, None)
        if isinstance(value, str) and value != STDOUT:
            writable(value, f"--{option}")


def emit(text: str, destination: str | None) -> str | None:
    """Print ``text`` (destination ``-``) or write it to the file ``destination``; the note
    to print after writing, or None.

    >>> emit('{"a": 1}', "-")
    {"a": 1}
    """
    if destination is None:
        return None
    if destination == STDOUT:
        print(text)
        return None
    atomic_write(Path(destination), text if text.endswith("\n") else text + "\n")
    return f"wrote {destination}"


def emit_json(data: Any, destination: str | None) -> str | None:
    """:func:`emit` of JSON data."""
    return emit(json.dumps(data), destination)
