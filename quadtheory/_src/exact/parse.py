"""Parse formula text into an exact sympy expression without running it.

``sympy.sympify`` and ``sympy.parse_expr`` evaluate their input as Python, so a formula such as
``__import__('os').system('...')`` read from a command line or a file would run. Here the text
only goes through ``ast.parse``; sympy objects are then built from a whitelist of syntax: exact
numbers, variables, ``+ - * / ** ^`` and calls of a few named functions. Anything else is
rejected with a one-line QuadTheoryError that quotes the fragment, its column and what was
expected. Limits on length, nesting, exponents and digits keep bad input cheap as well as
harmless.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
import operator
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import sympy

from ..core.limits import quoted
from ..errors import QuadTheoryError

MAX_LENGTH = 10_000
# sympy itself recurses once per level and overflows Python's stack at about 150 levels.
MAX_DEPTH = 100
MAX_EXPONENT = 10_000
MAX_DIGITS = 1_000
# sympy compares the arguments of a max or min pairwise and symbolically: 16 take a tenth of a
# second, 64 take minutes.
MAX_ARGUMENTS = 16

_TOO_BIG = 10**MAX_DIGITS
_EXAMPLE = "'x^2 + 0.5*y'"
_EXPECTED = "numbers, variables, + - * / ** ^, parentheses and calls such as sqrt(x)"
_CONSTANTS = {"pi": sympy.pi, "E": sympy.E}
_UNDEFINED = frozenset({sympy.zoo, sympy.nan, sympy.oo, -sympy.oo})

_ONE_ARGUMENT = (
    *("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh"),
    *("asin", "acos", "atan", "sign", "Abs"),
)
# chebyshevt(n, a): the Chebyshev polynomial T_n of an expression, n an integer in
# 0..MAX_CHEBYSHEV, at most MAX_CHEBYSHEV_TOTAL over every call of one formula (each call
# builds about n/2 terms: 0.08 s at n = 1000). Each term holds its own copy of ``a`` to sympy's
# tree walks, so the copies' nodes are capped too: T_1000 of T_1000 would be 10^6 nodes, and
# one more level 10^9, each walk minutes.
MAX_CHEBYSHEV = 1000
MAX_CHEBYSHEV_TOTAL = 4000
MAX_CHEBYSHEV_NODES = 50_000


def chebyshev_t(n: int, arg: sympy.Expr) -> sympy.Expr:
    """``T_n(arg)`` as a sum of powers of ``arg``, from the closed form of its coefficients
    (``n/(n−k)·C(n−k, k)·2^(n−2k−1)``, signs alternating; Mason & Handscomb 2003, §2.3.3):
    O(n) integer products, where sympy's ``chebyshevt`` recurs in O(n²).

    >>> x = sympy.Symbol("x")
    >>> chebyshev_t(4, x), chebyshev_t(0, x), chebyshev_t(3, 1 + x) == sympy.chebyshevt(3, 1 + x)
    (8*x**4 - 8*x**2 + 1, 1, True)
    """
    if n == 0:
        return sympy.Integer(1)
    terms = []
    for k in range(n // 2 + 1):
        # n/(n−k)·C(n−k, k) = C(n−k, k) + C(n−k−1, k−1) is an integer; for n = 2k the power
        # of two is 1/2, against the leading 2 of n/(n−k).
        whole = n * math.comb(n - k, k) // (n - k)
        size = whole << (n - 2 * k - 1) if n > 2 * k else whole // 2
        terms.append(sympy.Integer(-size if k % 2 else size) * arg ** (n - 2 * k))
    return sympy.Add(*terms)


# name: (sympy function, fewest arguments, most arguments or None for no limit). sympy prints
# Abs, Max and Min capitalised, so those spellings are accepted too and str(expr) parses back.
_FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], int, int | None]] = {
    **{name: (getattr(sympy, name), 1, 1) for name in _ONE_ARGUMENT},
    "abs": (sympy.Abs, 1, 1),
    "relu": (lambda arg: sympy.Max(arg, 0), 1, 1),
    **{name: (getattr(sympy, name.capitalize()), 2, None) for name in ("min", "Min", "max", "Max")},
    "chebyshevt": (chebyshev_t, 2, 2),
}
_FUNCTION_NAMES = ", ".join(sorted(name for name in _FUNCTIONS if name.islower()))

_LITERAL_KINDS = {
    str: "string",
    bytes: "bytes",
    bool: "boolean",
    complex: "complex number",
    type(None): "None",
    type(...): "ellipsis",
}
_SYNTAX_KINDS = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.NamedExpr: "assignment",
    ast.IfExp: "conditional expression",
    ast.JoinedStr: "f-string",
    ast.Starred: "starred argument",
}
_OPERATOR_TEXT = {
    ast.Not: "not",
    ast.Invert: "~",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
# sympy distributes a number over a sum only in a product of exactly two factors, so products
# group: 2*(x + y)*z is z*(2*x + 2*y) but 2*z*(x + y) stays. They are built left to right as in
# Python up to this many factors in all; beyond, where that would cost seconds (sympy re-sorts
# the growing product at every step), as one sympy.Mul: the same value, grouped as sympy does.
_LEFT_TO_RIGHT = 64
# operator: (how a chain of them combines, how each right operand enters the chain)
_CHAINS = {
    ast.Add: (operator.add, operator.pos),
    ast.Sub: (operator.add, operator.neg),
    ast.Mult: (operator.mul, operator.pos),
    ast.Div: (operator.mul, lambda divisor: sympy.Pow(divisor, -1)),
}


def parse_expression(text: str, variables: Sequence[str] | None = None) -> sympy.Expr:
    """The exact sympy expression written in ``text``, built without evaluating any Python.

    >>> parse_expression("x^2 + 0.5*y")  # ^ is a power; decimals are exact rationals
    x**2 + y/2
    >>> parse_expression("relu(x - 1e-3) + sqrt(8)*pi")
    Max(0, x - 1/1000) + 2*sqrt(2)*pi
    >>> parse_expression("chebyshevt(3, x)")   # the Chebyshev polynomial T_3
    4*x**3 - 3*x
    >>> parse_expression("x + z", variables=["x", "y"])
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: unknown variable 'z' at column 5; expected one of x, y
    >>> parse_expression("__import__('os').system('ls')")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: call of "__import__('os').system" at column 1; expected ...

    Names become plain ``sympy.Symbol``s, except ``pi`` and ``E`` unless listed in
    ``variables``; when ``variables`` is given, every other name must be one of them.
    """
    if not isinstance(text, str):
        got = quoted(text)
        raise QuadTheoryError(
            f"text: expected a formula string such as {_EXAMPLE}, got {got} ({type(text).__name__})"
        )
    names = _variable_names(variables)
    if len(text) > MAX_LENGTH:
        raise QuadTheoryError(
            f"formula {_quote(text)} has {len(text)} characters; expected at most {MAX_LENGTH}"
        )
    if not text.strip():
        raise QuadTheoryError(
            f"empty formula {_quote(text)}; expected a formula such as {_EXAMPLE}"
        )
    if "#" in text:
        # Python would silently drop everything after the '#'.
        column = text.index("#") + 1
        raise QuadTheoryError(
            f"comment {_quote(text[column - 1 :])} at column {column}; expected no '#'"
        )
    # A formula is one logical line: with newlines as spaces, columns count characters of the
    # whole text and every quoted fragment stays on one line.
    return _Builder(text.replace("\r", " ").replace("\n", " "), names).parse()


def _variable_names(variables: Sequence[str] | None) -> tuple[str, ...] | None:
    if variables is None:
        return None
    names = tuple(variables) if isinstance(variables, Iterable) else None
    if isinstance(variables, str) or names is None or not all(isinstance(n, str) for n in names):
        got = quoted(variables)
        raise QuadTheoryError(
            f"expected variables as a sequence of names like ['x', 'y'], got {got}"
        )
    for name in names:
        check_name(name, "variable")
    return names


def check_name(name: str, where: str) -> str:
    """A variable or input name as written, refused unless it is one Python would read as
    itself: an identifier in NFKC normal form (``θ`` and ``x1`` are; ``ﬁ`` reads as ``fi``).

    >>> check_name("θ", "variable")
    'θ'
    >>> check_name("ﬁ", "variable")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    quadtheory.QuadTheoryError: variable 'ﬁ': expected a name in NFKC normal form, 'fi' (...)
    """
    normal = unicodedata.normalize("NFKC", name)
    if name.isidentifier() and normal != name:
        raise QuadTheoryError(f"{where} {name!r}: expected a name in NFKC normal form, "
                              f"{normal!r} (the one spelling of a name; non-ASCII letters are "
                              f"fine)")
    return name


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quote(fragment: str) -> str:
    """``repr`` keeps a quoted fragment on one line; shortening keeps the message readable."""
    return repr(_shorten(fragment))


def _digits(number: sympy.Rational) -> float:
    return math.log10(max(abs(number.p), number.q))


def _power_digits(base: sympy.Expr, exponent: sympy.Rational) -> float:
    """About how many digits sympy writes out when it evaluates ``base**exponent``.

    sympy raises numbers, and the numeric factors of products, to integer powers eagerly;
    sums and functions it leaves alone. The estimate lets a huge power be refused before
    the seconds or gigabytes it would take to compute.
    """
    if base.is_Rational:
        return float(min(abs(exponent), 10**6)) * _digits(base)
    if base.is_Mul:
        return sum(_power_digits(factor, exponent) for factor in base.args)
    if base.is_Pow and base.exp.is_Rational:
        return _power_digits(base.base, exponent * base.exp)
    return 0.0


class _Builder:
    """Builds sympy objects from an ``ast`` tree, one handler per allowed node type."""

    def __init__(self, text: str, variables: tuple[str, ...] | None):
        self.text = text
        # Leading spaces would be an indent to Python. And ^ binds more loosely than + there,
        # so "x^2 + 1" must become "x**2 + 1" before parsing, not after; outside strings (all
        # rejected) ^ can only be that operator.
        start = len(text) - len(text.lstrip())
        self.source = text[start:].replace("^", "**")
        self.encoded = self.source.encode()
        # origin[i] is where the i-th character of the source came from in the text.
        self.origin = [
            i for i, c in enumerate(text) if i >= start for _ in range(2 if c == "^" else 1)
        ]
        self.variables = variables
        self.chebyshev_total = 0  # the degrees of the chebyshevt calls built so far

    def parse(self) -> sympy.Expr:
        try:
            # Warnings about Python semantics (escapes in strings, calling a literal) concern
            # code that will never run; the syntax they flag is rejected below anyway.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(self.source, mode="eval")
        except (SyntaxError, ValueError) as error:
            offset = getattr(error, "offset", None)
            # CPython gives offset 0 for an error at the end of the text.
            where = "" if offset is None else f" at column {self.column(offset - 1)}"
            reason = getattr(error, "msg", str(error))
            raise QuadTheoryError(
                f"cannot parse {_quote(self.text)}: {reason}{where}; "
                f"expected a formula such as {_EXAMPLE}"
            ) from None
        except (RecursionError, MemoryError):
            # CPython's parser reports some deep nestings this way rather than as SyntaxError.
            raise QuadTheoryError(
                f"cannot parse {_quote(self.text)}: nested too deeply; "
                f"expected at most {MAX_DEPTH} levels"
            ) from None
        return self.build(tree.body, 1)

    def column(self, index: int) -> int:
        """The 1-based column in the text of the source character at ``index``."""
        return (self.origin[index] if 0 <= index < len(self.origin) else len(self.text)) + 1

    def fragment(self, node: ast.AST) -> tuple[str, int]:
        """The text ``node`` was parsed from, and its column."""
        # ast counts UTF-8 bytes; people count characters.
        start = len(self.encoded[: node.col_offset].decode())
        end = len(self.encoded[: node.end_col_offset].decode())
        return self.text[self.origin[start] : self.origin[end - 1] + 1], self.column(start)

    def error(self, node: ast.AST, problem: str, expected: str) -> QuadTheoryError:
        fragment, column = self.fragment(node)
        return QuadTheoryError(
            f"{problem} {_quote(fragment)} at column {column}; expected {expected}"
        )

    def checked(self, node: ast.AST, value: sympy.Expr) -> sympy.Expr:
        if value in _UNDEFINED:
            raise self.error(node, f"undefined value {value} from", "a finite value")
        if any(abs(n.p) >= _TOO_BIG or n.q >= _TOO_BIG for n in value.atoms(sympy.Rational)):
            raise self.too_big(node)
        return value

    def too_big(self, node: ast.AST) -> QuadTheoryError:
        return self.error(
            node, f"number of more than {MAX_DIGITS} digits from", f"at most {MAX_DIGITS} digits"
        )

    def build(self, node: ast.AST, depth: int) -> sympy.Expr:
        if depth > MAX_DEPTH:
            raise self.error(
                node, f"nesting deeper than {MAX_DEPTH} levels in", "a less deep formula"
            )
        handler = _HANDLERS.get(type(node))
        if handler is None:
            kind = _SYNTAX_KINDS.get(type(node), type(node).__name__.lower())
            raise self.error(node, f"unsupported {kind}", _EXPECTED)
        return handler(self, node, depth)

    def constant(self, node: ast.Constant, depth: int) -> sympy.Expr:
        kind = _LITERAL_KINDS.get(type(node.value))
        if kind is not None:
            raise self.error(node, f"{kind} literal", "a real number such as 2, 0.5 or 1e-3")
        if isinstance(node.value, int):
            return self.checked(node, sympy.Integer(node.value))
        # The literal's own text, never the float it rounds to: "0.1" is exactly 1/10.
        _, digits, exponent = Decimal(self.fragment(node)[0]).as_tuple()
        if len(digits) + abs(exponent) > MAX_DIGITS:
            raise self.too_big(node)
        return sympy.Integer("".join(map(str, digits))) * sympy.Integer(10) ** exponent

    def name(self, node: ast.Name, depth: int) -> sympy.Expr:
        if node.id.startswith("_"):
            raise self.error(node, "private name", "a variable name that does not start with '_'")
        written = self.fragment(node)[0]
        if written != node.id:
            # Python reads identifiers in NFKC normal form ('ﬁ' is 'fi'): one spelling only.
            raise self.error(node, "name", f"it in NFKC normal form, {node.id!r} (the one "
                                           "spelling of a name; non-ASCII letters are fine)")
        if self.variables is not None and node.id in self.variables:
            return sympy.Symbol(node.id)
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        if self.variables is None:
            return sympy.Symbol(node.id)
        allowed = f"one of {', '.join(self.variables)}" if self.variables else "no variables"
        raise self.error(node, "unknown variable", allowed)

    def unary(self, node: ast.UnaryOp, depth: int) -> sympy.Expr:
        apply = _UNARY.get(type(node.op))
        if apply is None:
            operator_text = _OPERATOR_TEXT[type(node.op)]
            raise self.error(node, f"operator {operator_text!r} in", "unary - or +")
        return self.checked(node, apply(self.build(node.operand, depth + 1)))

    def binary(self, node: ast.BinOp, depth: int) -> sympy.Expr:
        if isinstance(node.op, ast.Pow):
            return self.power(node, depth)
        if type(node.op) not in _CHAINS:
            operator_text = _OPERATOR_TEXT[type(node.op)]
            raise self.error(node, f"operator {operator_text!r} in", "one of + - * / ** ^")
        combine = _CHAINS[type(node.op)][0]
        # A sum or product of n operands is one left-leaning chain of n - 1 nodes; it is
        # built in one loop so that long polynomials neither recurse nor count as nesting.
        links = []
        head: ast.expr = node
        while isinstance(head, ast.BinOp) and _CHAINS.get(type(head.op), (None,))[0] is combine:
            links.append(head)
            head = head.left
        items = [self.build(head, depth + 1)]
        for link in reversed(links):
            operand = self.build(link.right, depth + 1)
            if isinstance(link.op, ast.Div) and operand == 0:
                raise self.error(link, "division by zero in", "a nonzero divisor")
            items.append(_CHAINS[type(link.op)][1](operand))
        if combine is operator.add:
            # sympy's sums are associative, so adding neighbours pairwise gives Python's
            # result, checks every partial sum, and costs n log n rather than n**2.
            while len(items) > 1:
                pairs = [items[i : i + 2] for i in range(0, len(items), 2)]
                items = [self.checked(node, p[0] + p[1]) if len(p) == 2 else p[0] for p in pairs]
            return items[0]
        if sum(len(sympy.Mul.make_args(item)) for item in items) <= _LEFT_TO_RIGHT:
            return functools.reduce(lambda acc, item: self.checked(node, acc * item), items)
        if sum(_power_digits(item, sympy.S.One) for item in items) > MAX_DIGITS:
            raise self.too_big(node)
        return self.checked(node, sympy.Mul(*items))

    def power(self, node: ast.BinOp, depth: int) -> sympy.Expr:
        base = self.build(node.left, depth + 1)
        exponent = self.build(node.right, depth + 1)
        if exponent.is_Rational:
            if abs(exponent) > MAX_EXPONENT:
                raise self.error(node, "exponent too large in", f"|exponent| <= {MAX_EXPONENT}")
            if base == 0 and exponent < 0:
                raise self.error(node, "division by zero in", "a nonzero base for a negative power")
            if _power_digits(base, exponent) > MAX_DIGITS:
                raise self.too_big(node)
        return self.checked(node, base**exponent)

    def call(self, node: ast.Call, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.error(node.func, "call of", f"a function name, one of {_FUNCTION_NAMES}")
        if node.func.id not in _FUNCTIONS:
            raise self.error(node.func, "unknown function", f"one of {_FUNCTION_NAMES}")
        if node.keywords:
            raise self.error(node.keywords[0], "keyword argument", "positional arguments only")
        function, fewest, most = _FUNCTIONS[node.func.id]
        count = len(node.args)
        if count < fewest or (most is not None and count > most):
            bound = "exactly" if fewest == most else "at least"
            raise self.error(
                node,
                f"call with {count} argument{'s' * (count != 1)}",
                f"{bound} {fewest} argument{'s' * (fewest != 1)} for {node.func.id}",
            )
        arguments = [self.build(argument, depth + 1) for argument in node.args]
        if function is chebyshev_t:
            arguments[0] = self.chebyshev_degree(node.args[0], arguments[0])
            # The walk stops at the cap: the argument may already be a large shared tree.
            nodes = sum(1 for _ in itertools.islice(sympy.preorder_traversal(arguments[1]),
                                                    MAX_CHEBYSHEV_NODES + 1))
            if (arguments[0] // 2 + 1) * nodes > MAX_CHEBYSHEV_NODES:
                raise self.error(node, f"T_{arguments[0]} of an argument of {nodes:,}"
                                 f"{'+' * (nodes > MAX_CHEBYSHEV_NODES)} nodes in",
                                 f"at most {MAX_CHEBYSHEV_NODES:,} nodes in all, counting "
                                 f"each of its {arguments[0] // 2 + 1} terms' copy of the argument")
        if function in (sympy.Max, sympy.Min):
            # max(max(a, b), c) is max(a, b, c) to sympy.
            merged = {b for a in arguments for b in (a.args if isinstance(a, function) else [a])}
            if len(merged) > MAX_ARGUMENTS:
                raise self.error(
                    node,
                    f"{node.func.id} of {len(merged)} arguments in",
                    f"at most {MAX_ARGUMENTS}, counting those of nested {node.func.id} calls",
                )
        return self.checked(node, function(*arguments))

    def chebyshev_degree(self, node: ast.expr, value: sympy.Expr) -> int:
        """The degree ``n`` of a ``chebyshevt(n, a)``: an integer in 0..MAX_CHEBYSHEV, with
        every call's together at most MAX_CHEBYSHEV_TOTAL (bounded time for any text)."""
        if not isinstance(value, sympy.Integer) or not 0 <= value <= MAX_CHEBYSHEV:
            raise self.error(node, "Chebyshev degree",
                             f"an integer from 0 to {MAX_CHEBYSHEV}, such as chebyshevt(5, x)")
        self.chebyshev_total += int(value)
        if self.chebyshev_total > MAX_CHEBYSHEV_TOTAL:
            raise self.error(node, f"Chebyshev degrees adding up to {self.chebyshev_total} by",
                             f"at most {MAX_CHEBYSHEV_TOTAL} over the whole formula")
        return int(value)


_HANDLERS: dict[type, Callable[[_Builder, ast.AST, int], sympy.Expr]] = {
    ast.Constant: _Builder.constant,
    ast.Name: _Builder.name,
    ast.UnaryOp: _Builder.unary,
    ast.BinOp: _Builder.binary,
    ast.Call: _Builder.call,
}
