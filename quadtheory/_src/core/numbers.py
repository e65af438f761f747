"""Exact numbers: the NUMBER of the network file, as :class:`fractions.Fraction`.

Construction weights are exact rationals. Trained weights are floats, and every float is an
exact binary rational, so one representation (``Fraction``) serves both; whether floats were
allowed is the caller's ``trained`` flag.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from numbers import Rational
from typing import Any

from ..errors import QuadTheoryError
from .limits import quoted

try:  # exact rationals in C: the same numbers as Fraction, several times faster
    from flint import fmpq as Q
    from flint import fmpz
except ImportError:  # pragma: no cover - python-flint is a dependency
    Q = Fraction

# A decimal or rational literal. The exponent is bounded because Fraction("1e999999999")
# would build a billion-digit integer: bad input must harm nothing.
# ASCII digits only: int() would also read "١٢" (Arabic-Indic), which no user means here.
_RATIONAL = re.compile(r"[+-]?[0-9]+(/[0-9]+)?")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_MAX_DIGITS = 4000
_MAX_EXPONENT = 1000


def to_rational(value: object, where: str = "value", *, allow_float: bool = False) -> Fraction:
    """The exact rational a NUMBER stands for.

    >>> to_rational("-3/4"), to_rational("0.125"), to_rational(7)
    (Fraction(-3, 4), Fraction(1, 8), Fraction(7, 1))
    >>> to_rational(0.1, allow_float=True)  # a float is an exact binary rational
    Fraction(3602879701896397, 36028797018963968)
    """
    if isinstance(value, bool):
        raise QuadTheoryError(f"{where}: expected a number, found {quoted(value)}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        if value.bit_length() > _MAX_DIGITS * 3.33:
            raise QuadTheoryError(f"{where}: an integer of about {int(value.bit_length() / 3.33)}"
                                  f" digits; expected at most {_MAX_DIGITS}")
        return Fraction(value)
    if isinstance(value, Rational):  # sympy.Rational and friends
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuadTheoryError(f"{where}: expected a finite number, found {quoted(value)}")
        if not allow_float:
            raise QuadTheoryError(
                f"{where}: found the float {value!r}; expected an exact rational such as "
                f"\"{Fraction(value).limit_denominator(1000)}\" (floats are for trained networks)"
            )
        if not math.isfinite(value):
            raise QuadTheoryError(f"{where}: expected a finite number, found {quoted(value)}")
        return Fraction(value)
    if isinstance(value, str):
        return _parse_text(value, where)
    if _is_sympy_number(value):
        return _parse_text(str(value), where)
    raise QuadTheoryError(
        f"{where}: expected a number (an integer or a string like \"-3/4\" or \"0.125\"), "
        f"found {quoted(value)}"
    )


def _is_sympy_number(value: object) -> bool:
    return type(value).__module__.startswith("sympy") and getattr(value, "is_Rational", False)


def _parse_text(text: str, where: str) -> Fraction:
    stripped = text.strip()
    if len(stripped) > _MAX_DIGITS:
        raise QuadTheoryError(f"{where}: number has {len(stripped)} characters; expected at most "
                              f"{_MAX_DIGITS}")
    if _RATIONAL.fullmatch(stripped):
        numerator, _, denominator = stripped.partition("/")
        if denominator and int(denominator) == 0:
            raise QuadTheoryError(f"{where}: {text!r} divides by zero")
        return Fraction(int(numerator), int(denominator or 1))
    match = _DECIMAL.fullmatch(stripped)
    if match:
        if match.group(2) and abs(int(match.group(2)[1:])) > _MAX_EXPONENT:
            raise QuadTheoryError(f"{where}: exponent of {text!r} is out of range; expected at "
                                  f"most {_MAX_EXPONENT} in absolute value")
        return Fraction(stripped)
    raise QuadTheoryError(
        f"{where}: expected an exact rational or decimal like \"-3/4\" or \"0.125\", "
        f"found {quoted(text)}"
    )


def positive_rational(value: object, where: str = "eps") -> Fraction:
    """A positive exact rational such as an error bound; a float means the decimal it prints
    as (``1e-3`` is 1/1000, the number the user typed, not the nearest binary fraction).

    >>> positive_rational("1e-4"), positive_rational(0.01)
    (Fraction(1, 10000), Fraction(1, 100))
    """
    number = to_rational(repr(value) if isinstance(value, float) else value, where)
    if number <= 0:
        raise QuadTheoryError(f"{where}: expected a positive number, found "
                              f"{format_rational(number)}")
    return number


def positive_eps(eps: object) -> Fraction:
    """ε as an exact positive rational; a float means the decimal it prints as.

    >>> positive_eps("1e-4"), positive_eps(0.01)
    (Fraction(1, 10000), Fraction(1, 100))
    """
    if eps is None:
        raise QuadTheoryError("eps: expected a positive error bound such as 1e-3, found None")
    return positive_rational(eps)


def format_rational(value: Fraction) -> str:
    """The shortest exact text of a rational: ``"7"``, ``"-3/4"``.

    >>> format_rational(Fraction(-3, 4)), format_rational(Fraction(14, 2))
    ('-3/4', '7')
    >>> len(format_rational(Fraction(10**5000, 3)))  # beyond Python's 4300-digit str limit
    5003
    """
    if value.denominator == 1:
        return _int_text(value.numerator)
    return f"{_int_text(value.numerator)}/{_int_text(value.denominator)}"


def _int_text(n: int) -> str:
    """``str(n)``, also for integers beyond Python's int-to-str digit limit (exact values of
    deep networks: the digit budget of exact evaluation allows more)."""
    if n.bit_length() < 14_000:
        return str(n)
    if Q is not Fraction:
        return str(fmpz(n))
    sign, n = ("-", -n) if n < 0 else ("", n)  # pragma: no cover - without python-flint
    chunks = []
    while n:
        n, part = divmod(n, 10**4000)
        chunks.append(f"{part:04000d}" if n else str(part))
    return sign + "".join(reversed(chunks))


def decimal_upper(value: Fraction, digits: int = 3) -> str:
    """A short decimal upper bound of a nonnegative rational: ``digits`` significant digits,
    rounded up, so a certified bound stays a bound when printed.

    >>> decimal_upper(Fraction(1, 128)), decimal_upper(Fraction(0)), decimal_upper(Fraction(5))
    ('0.00782', '0', '5')
    >>> decimal_upper(Fraction(1, 3 * 10**9)), decimal_upper(Fraction(10**400 // 3))
    ('3.34e-10', '3.34e+399')
    """
    if value <= 0:
        return format_rational(value)
    p, q = value.numerator, value.denominator

    def at_least(k: int) -> bool:  # value >= 10^k, in integers (Fraction powers cost more)
        return p >= q * 10**k if k >= 0 else p * 10**-k >= q

    exponent = math.floor(math.log10(p) - math.log10(q))
    while not at_least(exponent):
        exponent -= 1
    while at_least(exponent + 1):
        exponent += 1
    shift = exponent - digits + 1
    mantissa = -(-p // (q * 10**shift)) if shift >= 0 else -(-(p * 10**-shift) // q)
    rounded = mantissa * Fraction(10) ** shift
    if rounded == int(rounded) and abs(rounded) < 10**6:
        return str(int(rounded))
    if abs(exponent) > 300:  # beyond floats: the mantissa's digits and the exponent, exactly
        shown = str(mantissa)
        power = exponent + len(shown) - digits  # one more when the ceiling carried a digit
        shown = shown.rstrip("0")
        return f"{shown[0]}{'.' + shown[1:] if shown[1:] else ''}e{power:+03d}"
    text = f"{float(rounded):.{digits}g}"
    if Fraction(text) < rounded:  # the float text rounded below the bound: one more digit
        text = f"{float(rounded):.{digits + 1}g}"
    return text


def is_float_exact(value: Fraction) -> bool:
    """Whether ``value`` is exactly a float64 (so a trained weight can be written as one).

    >>> is_float_exact(Fraction(1, 8)), is_float_exact(Fraction(1, 3))
    (True, False)
    """
    try:
        return Fraction(float(value)) == value
    except OverflowError:
        return False


def fast(value: Fraction) -> Any:
    """A ``Fraction`` as the fast exact rational ``Q`` (python-flint's ``fmpq``; ``Fraction``
    itself without python-flint): for hot loops, converted once.

    >>> fast(Fraction(-3, 4)) == Q(-3, 4)
    True
    """
    return Q(value.numerator, value.denominator)


def slow(value: Any) -> Fraction:
    """A fast rational (or any exact rational with ``numerator``/``denominator``) as a
    ``Fraction``.

    >>> slow(Q(5, 2))
    Fraction(5, 2)
    """
    return Fraction(int(value.numerator), int(value.denominator))
