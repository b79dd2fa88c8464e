"""Test data built with the published algorithms, written out independently of the
scanner so that the tests check it against the standards, not against itself."""

from __future__ import annotations

# GB 11643-1999: weights 2^(17-i) mod 11 for i = 0..16; check = (12 - sum mod 11) mod 11,
# written 0-9 or X for 10.
WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]


def id_check_char(first17: str) -> str:
    value = (
        12 - sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11
    ) % 11
    return "X" if value == 10 else str(value)


def make_id(
    region: str = "440102", born: str = "19900307", sequence: str = "123"
) -> str:
    first17 = region + born + sequence
    return first17 + id_check_char(first17)


def wrong_check_char(number: str) -> str:
    """The same number with another check character."""
    right = number[-1]
    return number[:-1] + ("1" if right != "1" else "2")


def luhn_sum(digits: str) -> int:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n // 10 + n % 10
    return total


def luhn_ok(digits: str) -> bool:
    return luhn_sum(digits) % 10 == 0


def make_card(prefix_and_body: str) -> str:
    """Append the Luhn check digit."""
    for check in "0123456789":
        if luhn_ok(prefix_and_body + check):
            return prefix_and_body + check
    raise AssertionError("unreachable")
