"""The ``quadtheory`` command line: one private module per subcommand, loaded lazily.

A command ``NAME`` lives in ``quadtheory/_src/cli/NAME.py`` (the tour in ``cli/tour/``) and
provides ``add_parser(subparsers)`` (register the subparser, ``set_defaults(func=run)``) and
``run(args) -> int``. Adding a command means adding its module and its name to
:data:`COMMANDS`; nothing else changes here.

Every user error exits 2 with one line on stderr, ``quadtheory: error: <message>``, and no
traceback: a :class:`~quadtheory.QuadTheoryError` raised by a command, and every argparse
error (unknown command, bad or missing option), for the subcommands too.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..errors import InternalError, QuadTheoryError
from ..version import __version__
from . import options

PROG = "quadtheory"
# command -> its module under quadtheory._src.cli
COMMANDS = {"info": "info", "eval": "eval", "construct": "construct", "radial": "radial",
            "bounds": "bounds", "compare": "compare", "crosscheck": "crosscheck",
            "prove": "prove", "tour": "tour.command", "notebooks": "notebooks",
            "bearing": "bearing", "pilot": "pilot", "separate": "separate", "study": "study"}
USAGE_ERROR = 2
INTERNAL_ERROR = 1


def error_line(message: object) -> str:
    """The one stderr line of a user error; a multi-line message is joined onto one line.

    >>> error_line("net.json: no such file")
    'quadtheory: error: net.json: no such file'
    >>> error_line("first\\nsecond")
    'quadtheory: error: first second'
    """
    return f"{PROG}: error: " + " ".join(str(message).split("\n")).strip()


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (no usage dump) and exit 2.

    The line names the subcommand and where its help is, instead of printing the usage.
    """

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        where = f"{command}: " if command else ""
        hint = f" (see '{self.prog} --help')"
        self.exit(USAGE_ERROR, error_line(f"{where}{message}{hint}") + "\n")


def build_parser() -> ArgumentParser:
    """The parser with every command of :data:`COMMANDS` registered.

    >>> sorted(build_parser().parse_args(["info", "net.json"]).__dict__)
    ['command', 'file', 'func', 'json', 'subparsers']
    """
    parser = ArgumentParser(
        prog=PROG,
        description="The theory of quadratic neural networks, made checkable: exact networks, "
                    "certified parameter counts.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       parser_class=ArgumentParser)
    for module in COMMANDS.values():
        importlib.import_module(f"quadtheory._src.cli.{module}").add_parser(subparsers)
    parser.set_defaults(subparsers=subparsers.choices)
    return parser


@functools.cache
def _parser() -> ArgumentParser:
    # Built once per process: building takes about 7 ms (every command's options), and parsing
    # leaves the parser as it was, so callers of main in one process (notebooks, the tour,
    # tests) share it.
    return build_parser()


# Options whose value may start with "-" (a negative bound or coordinate): argparse would read
# "--domain -1:1" as two options, so the value is attached: "--domain=-1:1".
_SIGNED_VALUES = ("--domain", "--center", "--at")


def _attach_values(argv: Sequence[str]) -> list[str]:
    """``["--domain", "-1:1"]`` as ``["--domain=-1:1"]``; everything else unchanged.

    >>> _attach_values(["construct", "x", "--domain", "-1:1", "--vars", "x"])
    ['construct', 'x', '--domain=-1:1', '--vars', 'x']
    """
    out: list[str] = []
    args = list(argv)
    k = 0
    while k < len(args):
        if args[k] in _SIGNED_VALUES and k + 1 < len(args) and args[k + 1].startswith("-") \
                and not args[k + 1].startswith("--"):
            out.append(f"{args[k]}={args[k + 1]}")
            k += 2
        else:
            out.append(args[k])
            k += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 a check failed or an internal
    error, 2 user error).

    With no command it prints the help to stdout and returns 0.

    >>> main(["eval", "missing.json", "--at", "x=1"])
    2
    """
    parser = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        options.check_digits(argv)
    except QuadTheoryError as error:
        print(error_line(error), file=sys.stderr)
        return USAGE_ERROR
    try:
        args, extra = parser.parse_known_args(_attach_values(argv))
        if extra:  # named by the subcommand's parser, which points at its own --help
            (args.subparsers.get(args.command) or parser).error(
                f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as stop:  # --help, --version, or a usage error already reported
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    if args.command is None:
        parser.print_help()
        return 0
    try:
        options.check_limits(args)
        options.check_outputs(args)
        return args.func(args)
    except QuadTheoryError as error:
        print(error_line(error), file=sys.stderr)
        return USAGE_ERROR
    except InternalError as error:
        print(error_line(f"internal error: {error} (a bug in quadtheory: please report it, "
                         "with the command that raised it)"), file=sys.stderr)
        return INTERNAL_ERROR
    except KeyboardInterrupt:
        print(error_line("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
