"""The formula parser: exact results, pinned rejections, and never running the text."""

from __future__ import annotations

import re
import time

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from quadtheory._src.errors import QuadTheoryError
from quadtheory._src.exact.parse import (
    MAX_ARGUMENTS,
    MAX_CHEBYSHEV,
    MAX_CHEBYSHEV_NODES,
    MAX_CHEBYSHEV_TOTAL,
    MAX_DEPTH,
    MAX_LENGTH,
    parse_expression,
)

x, y, z, w = sympy.symbols("x y z w")
R = sympy.Rational

ACCEPTED = [
    ("x", x),
    ("  x  ", x),
    ("0", 0),
    ("42", 42),
    ("0.1", R(1, 10)),
    ("1e-3", R(1, 1000)),
    ("2.5E+2", 250),
    (".5", R(1, 2)),
    ("1_000.25", R(4001, 4)),
    ("0x1F", 31),
    ("x^2 + 0.5*y", x**2 + y / 2),
    ("x^y^z", x ** (y**z)),
    ("-x^2", -(x**2)),
    ("2^-1", R(1, 2)),
    ("x**0.5", sympy.sqrt(x)),
    ("-x", -x),
    ("+x", x),
    ("--x", x),
    ("x - y - z", x - y - z),
    ("x / y / z", x / y / z),
    ("2*(x + y)*z", 2 * (x + y) * z),
    ("2*z*(x + y)", 2 * z * (x + y)),
    ("2*x*(x + y)/3", 2 * x * (x + y) / 3),
    ("(x + y)/2", (x + y) / 2),
    ("sqrt(8)", 2 * sympy.sqrt(2)),
    ("exp(log(x))", x),
    ("sin(cos(tan(x)))", sympy.sin(sympy.cos(sympy.tan(x)))),
    ("tanh(x) + sinh(x) + cosh(x)", sympy.tanh(x) + sympy.sinh(x) + sympy.cosh(x)),
    ("asin(x) + acos(x) + atan(x)", sympy.asin(x) + sympy.acos(x) + sympy.atan(x)),
    ("abs(x) + Abs(y)", sympy.Abs(x) + sympy.Abs(y)),
    ("sign(x)", sympy.sign(x)),
    ("max(x, y, 1)", sympy.Max(x, y, 1)),
    ("min(x, y) + Min(x, 0) + Max(y, 0)", sympy.Min(x, y) + sympy.Min(x, 0) + sympy.Max(y, 0)),
    ("relu(x - 1)", sympy.Max(x - 1, 0)),
    ("relu(relu(x))", sympy.Max(x, 0)),
    ("pi*E", sympy.pi * sympy.E),
    ("sin(pi/6)", R(1, 2)),
    ("x\n+ y", x + y),
    ("αβ", sympy.Symbol("αβ")),
    ("chebyshevt(4, x)", 8 * x**4 - 8 * x**2 + 1),
    ("chebyshevt(0, x) + chebyshevt(1, y)", 1 + y),
    ("chebyshevt(2.0, x - y)", 2 * (x - y) ** 2 - 1),   # 2.0 is exactly 2
    ("chebyshevt(3, chebyshevt(2, x))", sympy.chebyshevt(3, 2 * x**2 - 1)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted(text, expected):
    assert parse_expression(text) == expected


def test_decimals_are_exact_not_floats():
    parsed = parse_expression("0.1 + 0.2 - 0.3")
    assert parsed == 0
    assert not parse_expression("0.1*x").atoms(sympy.Float)


def test_symbols_equal_plain_user_symbols():
    assert parse_expression("x*y").free_symbols == {x, y}


def test_constants_yield_to_listed_variables():
    assert parse_expression("pi + E", variables=["x"]) == sympy.pi + sympy.E
    pi, e = sympy.symbols("pi E")
    assert parse_expression("pi + E", variables=["pi", "E"]) == pi + e


def _message(problem: str, fragment: str, column: int, expected: str) -> str:
    return f"{problem} {fragment!r} at column {column}; expected {expected}"


SYNTAX = "numbers, variables, + - * / ** ^, parentheses and calls such as sqrt(x)"
FUNCTIONS = (
    "abs, acos, asin, atan, chebyshevt, cos, cosh, exp, log, max, min, relu, sign, sin, sinh, "
    "sqrt, tan, tanh"
)
NUMBER = "a real number such as 2, 0.5 or 1e-3"

REJECTED = [
    ("x + os.system", _message("unsupported attribute access", "os.system", 5, SYNTAX)),
    ("().__class__", _message("unsupported attribute access", "().__class__", 1, SYNTAX)),
    ("x[0]", _message("unsupported subscript", "x[0]", 1, SYNTAX)),
    ("lambda: 1", _message("unsupported lambda", "lambda: 1", 1, SYNTAX)),
    ("(lambda: 1)()", _message("call of", "lambda: 1", 2, f"a function name, one of {FUNCTIONS}")),
    ("[t for t in x]", _message("unsupported comprehension", "[t for t in x]", 1, SYNTAX)),
    ("sum(t for t in x)", _message("unknown function", "sum", 1, f"one of {FUNCTIONS}")),
    ("log(x, base=2)", _message("keyword argument", "base=2", 8, "positional arguments only")),
    ("sin(**k)", _message("keyword argument", "**k", 5, "positional arguments only")),
    ("sin(*x)", _message("unsupported starred argument", "*x", 5, SYNTAX)),
    ("'abc'", _message("string literal", "'abc'", 1, NUMBER)),
    ("x + b'abc'", _message("bytes literal", "b'abc'", 5, NUMBER)),
    ("f'{x}'", _message("unsupported f-string", "f'{x}'", 1, SYNTAX)),
    ("True", _message("boolean literal", "True", 1, NUMBER)),
    ("None", _message("None literal", "None", 1, NUMBER)),
    ("1j", _message("complex number literal", "1j", 1, NUMBER)),
    ("x if y else z", _message("unsupported conditional expression", "x if y else z", 1, SYNTAX)),
    ("x < y", _message("unsupported comparison", "x < y", 1, SYNTAX)),
    ("x and y", _message("unsupported boolean operator", "x and y", 1, SYNTAX)),
    ("(y := 2)", _message("unsupported assignment", "y := 2", 2, SYNTAX)),
    ("(x, y)", _message("unsupported tuple", "(x, y)", 1, SYNTAX)),
    ("open('f')", _message("unknown function", "open", 1, f"one of {FUNCTIONS}")),
    ("eval('1')", _message("unknown function", "eval", 1, f"one of {FUNCTIONS}")),
    ("1(2)", _message("call of", "1", 1, f"a function name, one of {FUNCTIONS}")),
    (
        "__import__",
        _message("private name", "__import__", 1, "a variable name that does not start with '_'"),
    ),
    ("x + _y", _message("private name", "_y", 5, "a variable name that does not start with '_'")),
    ("x % 2", _message("operator '%' in", "x % 2", 1, "one of + - * / ** ^")),
    ("x // 2", _message("operator '//' in", "x // 2", 1, "one of + - * / ** ^")),
    ("x @ y", _message("operator '@' in", "x @ y", 1, "one of + - * / ** ^")),
    ("~x", _message("operator '~' in", "~x", 1, "unary - or +")),
    ("not x", _message("operator 'not' in", "not x", 1, "unary - or +")),
    ("sin(x, y)", _message("call with 2 arguments", "sin(x, y)", 1, "exactly 1 argument for sin")),
    ("max(x)", _message("call with 1 argument", "max(x)", 1, "at least 2 arguments for max")),
    ("relu()", _message("call with 0 arguments", "relu()", 1, "exactly 1 argument for relu")),
    ("1/0", _message("division by zero in", "1/0", 1, "a nonzero divisor")),
    ("x + 2*y/(x - x)", _message("division by zero in", "2*y/(x - x)", 5, "a nonzero divisor")),
    ("0^-1", _message("division by zero in", "0^-1", 1, "a nonzero base for a negative power")),
    ("log(0)", _message("undefined value zoo from", "log(0)", 1, "a finite value")),
    ("tan(pi/2)", _message("undefined value zoo from", "tan(pi/2)", 1, "a finite value")),
    ("x^100001", _message("exponent too large in", "x^100001", 1, "|exponent| <= 10000")),
    ("x**-10001", _message("exponent too large in", "x**-10001", 1, "|exponent| <= 10000")),
    (
        "2^4000",
        _message("number of more than 1000 digits from", "2^4000", 1, "at most 1000 digits"),
    ),
    (
        "(sqrt(3)*x)**10000",
        _message(
            "number of more than 1000 digits from", "(sqrt(3)*x)**10000", 1, "at most 1000 digits"
        ),
    ),
    (
        "1e1001",
        _message("number of more than 1000 digits from", "1e1001", 1, "at most 1000 digits"),
    ),
    ("αβ + γ.real", _message("unsupported attribute access", "γ.real", 6, SYNTAX)),
    (
        "-" * (MAX_DEPTH + 5) + "x",
        _message(
            f"nesting deeper than {MAX_DEPTH} levels in",
            "-----x",
            MAX_DEPTH + 1,
            "a less deep formula",
        ),
    ),
    (
        "x + ",
        "cannot parse 'x + ': invalid syntax at column 5; expected a formula such as 'x^2 + 0.5*y'",
    ),
    (
        "x ^^ 2",
        "cannot parse 'x ^^ 2': invalid syntax at column 4; expected a formula such as "
        "'x^2 + 0.5*y'",
    ),
    (
        "(x",
        "cannot parse '(x': '(' was never closed at column 1; expected a formula such as "
        "'x^2 + 0.5*y'",
    ),
    ("", "empty formula ''; expected a formula such as 'x^2 + 0.5*y'"),
    (" \n\t", "empty formula ' \\n\\t'; expected a formula such as 'x^2 + 0.5*y'"),
    ("x # y", "comment '# y' at column 3; expected no '#'"),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_rejected(text, message):
    with pytest.raises(QuadTheoryError, match=f"^{re.escape(message)}$"):
        parse_expression(text)


@pytest.mark.parametrize(
    "template",
    [
        "__import__('os').system('touch {path}')",
        "open('{path}', 'w')",
        "exec(\"open('{path}', 'w')\")",
        "eval(\"__import__('os').system('touch {path}')\")",
        "x + [c for c in ().__class__.__base__.__subclasses__()][0]('{path}')",
        "(lambda: __import__('pathlib').Path('{path}').touch())()",
    ],
)
def test_code_in_the_text_is_never_run(template, tmp_path):
    target = tmp_path / "pwned"
    with pytest.raises(QuadTheoryError):
        parse_expression(template.format(path=target))
    assert not target.exists()


def test_unknown_variable_is_named_with_the_allowed_ones():
    with pytest.raises(
        QuadTheoryError, match=r"^unknown variable 'z' at column 5; expected one of x, y$"
    ):
        parse_expression("x + z", variables=["x", "y"])
    with pytest.raises(QuadTheoryError, match="unknown variable 'x' at column 1; expected no var"):
        parse_expression("x", variables=[])


def test_too_long_text_is_rejected_before_parsing():
    text = "x+" * (MAX_LENGTH // 2) + "x"
    with pytest.raises(
        QuadTheoryError, match=f"has {len(text)} characters; expected at most {MAX_LENGTH}"
    ):
        parse_expression(text)


@pytest.mark.parametrize(
    "text", ["-" * 5000 + "x", "x**" * 3000 + "x", "(" * 300 + "x" + ")" * 300]
)
def test_nesting_beyond_the_python_parser_is_rejected(text):
    # Python's own parser or the depth limit, whichever comes first on this interpreter.
    with pytest.raises(QuadTheoryError, match=r"^cannot parse '.*': .*nested|^nesting deeper"):
        parse_expression(text)


@pytest.mark.parametrize(
    ("value", "shown"), [(3.5, "3.5 (float)"), (None, "None (NoneType)"), (["x"], "['x'] (list)")]
)
def test_non_strings_are_rejected(value, shown):
    with pytest.raises(
        QuadTheoryError,
        match=re.escape(f"expected a formula string such as 'x^2 + 0.5*y', got {shown}"),
    ):
        parse_expression(value)


@pytest.mark.parametrize("variables", ["xy", [1], 3])
def test_variables_must_be_names(variables):
    with pytest.raises(QuadTheoryError, match="expected variables as a sequence of names"):
        parse_expression("x", variables=variables)


def test_max_and_min_arguments_are_limited_counting_nested_calls():
    names = sympy.symbols(f"x0:{MAX_ARGUMENTS + 1}")
    text = f"max({', '.join(map(str, names[:-1]))})"
    assert parse_expression(text) == sympy.Max(*names[:-1])
    # relu(x) is Max(x, 0): nine relus merge into a max of ten arguments.
    relus = ", ".join(f"relu({name})" for name in names[:9])
    assert parse_expression(f"max({relus})") == sympy.Max(0, *names[:9])
    with pytest.raises(
        QuadTheoryError,
        match=rf"^Min of {MAX_ARGUMENTS + 1} arguments in 'Min\(Min\(x0, x1\), .*' at column 1; "
        rf"expected at most {MAX_ARGUMENTS}, counting those of nested Min calls$",
    ):
        parse_expression(f"Min(Min(x0, x1), {', '.join(map(str, names[2:]))})")


@given(st.integers(0, 160), st.fractions(-3, 3, max_denominator=50))
def test_chebyshevt_is_sympys_chebyshev_polynomial(n, t):
    parsed = parse_expression(f"chebyshevt({n}, x)")
    assert sympy.expand(parsed - sympy.chebyshevt(n, x)) == 0
    point = sympy.Rational(t.numerator, t.denominator)
    assert parse_expression(f"chebyshevt({n}, {point})") == sympy.chebyshevt(n, point)


CHEBYSHEV_DEGREE = f"an integer from 0 to {MAX_CHEBYSHEV}, such as chebyshevt(5, x)"


@pytest.mark.parametrize(("text", "message"), [
    ("chebyshevt(1/2, x)", _message("Chebyshev degree", "1/2", 12, CHEBYSHEV_DEGREE)),
    ("chebyshevt(x, 2)", _message("Chebyshev degree", "x", 12, CHEBYSHEV_DEGREE)),
    ("chebyshevt(-1, x)", _message("Chebyshev degree", "-1", 12, CHEBYSHEV_DEGREE)),
    (f"chebyshevt({MAX_CHEBYSHEV + 1}, x)",
     _message("Chebyshev degree", str(MAX_CHEBYSHEV + 1), 12, CHEBYSHEV_DEGREE)),
    ("chebyshevt(5)", _message("call with 1 argument", "chebyshevt(5)", 1,
                               "exactly 2 arguments for chebyshevt")),
    ("chebyshevt(5, x, y)", _message("call with 3 arguments", "chebyshevt(5, x, y)", 1,
                                     "exactly 2 arguments for chebyshevt")),
    (" + ".join([f"chebyshevt({MAX_CHEBYSHEV}, x)"] * 4) + " + chebyshevt(2, x)",
     _message(f"Chebyshev degrees adding up to {MAX_CHEBYSHEV_TOTAL + 2} by", "2", 100,
              f"at most {MAX_CHEBYSHEV_TOTAL} over the whole formula")),
    # Every term of T_n holds the argument: T_1000 of T_1000 would be a tree of 10^6 nodes.
    ("chebyshevt(1000, chebyshevt(1000, x))", _message(
        "T_1000 of an argument of 2,502 nodes in", "chebyshevt(1000, chebyshevt(1000, x))", 1,
        f"at most {MAX_CHEBYSHEV_NODES:,} nodes in all, counting each of its 501 terms' copy "
        "of the argument")),
])
def test_chebyshevt_is_bounded(text, message):
    with pytest.raises(QuadTheoryError, match=f"^{re.escape(message)}$"):
        parse_expression(text)


def test_nested_chebyshevt_stays_fast():
    # Three levels of T_1000 would be 10^9 nodes to sympy's walks; refused in well under 2 s.
    start = time.process_time()
    with pytest.raises(QuadTheoryError, match="nodes in all"):
        parse_expression("chebyshevt(1000, chebyshevt(1000, chebyshevt(1000, x)))")
    assert time.process_time() - start < 10   # 0.3 s on an idle machine; a guard


def test_long_sums_and_products_are_flat_not_nested():
    names = sympy.symbols("v0:300")
    assert parse_expression(" + ".join(map(str, names))) == sympy.Add(*names)
    assert parse_expression("*".join(map(str, names))) == sympy.Mul(*names)
    # Beyond 64 factors a product with a sum is one sympy.Mul: the same value.
    long = parse_expression("2*(x + y)*" + "*".join(map(str, names)))
    assert sympy.expand(long - 2 * (x + y) * sympy.Mul(*names)) == 0


# Every error message is one line.
@pytest.mark.parametrize(
    "text", [text for text, _ in REJECTED] + ["x +\n", "(x\n+ y", "x +\r", "'a\nb'"]
)
def test_messages_are_one_line(text):
    with pytest.raises(QuadTheoryError) as info:
        parse_expression(text)
    assert "\n" not in str(info.value) and "\r" not in str(info.value)


SYMBOLS = (x, y, z, w)
coefficients = st.builds(R, st.integers(-50, 50), st.integers(1, 20))


@st.composite
def polynomials(draw) -> tuple[sympy.Expr, tuple[str, ...]]:
    used = SYMBOLS[: draw(st.integers(1, 4))]
    monomials = st.lists(st.sampled_from(used), max_size=6).map(lambda xs: sympy.Mul(*xs))
    terms = draw(st.lists(st.tuples(coefficients, monomials), max_size=8))
    return sympy.Add(*(c * m for c, m in terms)), tuple(map(str, used))


@given(polynomials())
def test_polynomials_round_trip_through_their_printed_form(polynomial_and_names):
    polynomial, names = polynomial_and_names
    assert parse_expression(str(polynomial)) == polynomial
    assert parse_expression(str(polynomial), variables=names) == polynomial


# Formulas whose meaning sympy's own (code-running) parser agrees on, generated by us and so
# safe to sympify: the parser must build exactly what Python evaluation of sympy objects builds.
ATOMS = st.sampled_from(["x", "y", "z", "0", "1", "2", "3", "12", "pi"])
SMALL_EXPONENTS = st.sampled_from(["2", "3", "-1", "(-2)", "x"])


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(" ".join),
        st.tuples(inner, st.sampled_from(["**", "^"]), SMALL_EXPONENTS).map(
            lambda t: f"({t[0]}){t[1]}{t[2]}"
        ),
        inner.map(lambda s: f"({s})"),
        inner.map(lambda s: f"-{s}"),
        st.tuples(st.sampled_from(["sin", "exp", "sqrt", "Abs"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
    )


@given(st.recursive(ATOMS, _extend, max_leaves=12))
def test_agrees_with_sympify_on_safe_formulas(text):
    expected = sympy.sympify(text)
    try:
        parsed = parse_expression(text)
    except QuadTheoryError as error:
        # Only formulas with an undefined part may be rejected, though sympy may go on to
        # absorb it: x/zoo is 0.
        assert re.match("division by zero|undefined value", str(error))
    else:
        assert parsed == expected


# Forbidden constructs, each embedded somewhere in an otherwise valid formula.
ARITHMETIC = st.sampled_from(["x", "y", "2", "0.5", "(x + 1)"])
FORBIDDEN = st.one_of(
    ARITHMETIC.map(lambda a: f"{a}.real"),
    ARITHMETIC.map(lambda a: f"{a}[0]"),
    ARITHMETIC.map(lambda a: f"(lambda: {a})"),
    ARITHMETIC.map(lambda a: f"[{a} for _ in x]"),
    st.tuples(
        st.sampled_from(["open", "eval", "exec", "getattr", "print", "f", "Symbol"]), ARITHMETIC
    ).map(lambda t: f"{t[0]}({t[1]})"),
    st.text(alphabet="abc /.", max_size=6).map(repr),
    ARITHMETIC.map(lambda a: f"sin(x={a})"),
    st.tuples(ARITHMETIC, st.sampled_from(["<", "==", ">=", "!=", "is", "in"]), ARITHMETIC).map(
        " ".join
    ),
    st.sampled_from(["__import__", "__builtins__", "_x", "__class__"]),
)
WRAPPERS = st.sampled_from(["({})", "sqrt({})", "max(x, {})", "({})^2", "-({})", "2*({})/3"])


@given(ARITHMETIC, st.sampled_from(["+", "-", "*", "/", "^"]), WRAPPERS, FORBIDDEN, st.booleans())
def test_forbidden_constructs_are_rejected_wherever_they_are(valid, op, wrapper, bad, bad_first):
    embedded = wrapper.format(bad)
    text = f"{embedded} {op} {valid}" if bad_first else f"{valid} {op} {embedded}"
    with pytest.raises(QuadTheoryError, match=r"at column \d+|cannot parse"):
        parse_expression(text)
