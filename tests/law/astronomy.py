"""Independent astronomy to check the lunar table and the 清明 formula.

Meeus, *Astronomical Algorithms* (2nd ed.): new moons from ch. 49 (error well under a
minute), the sun's apparent longitude from ch. 25 (about 0.01°, i.e. 15 minutes), ΔT
from the Espenak–Meeus polynomials.  Times are Beijing time (UTC+8), the time the
Chinese calendar is computed in since 1929.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

_J2000 = datetime(2000, 1, 1, 12)
_BEIJING = timedelta(hours=8)

# (coefficient, multiplier of E, M, M', F, Ω) of the new-moon correction.
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# (coefficient, argument at k = 0, rate per lunation) of the planetary corrections.
_PLANETARY_TERMS = (
    (0.000325, 299.77, 0.107408),
    (0.000165, 251.88, 0.016321),
    (0.000164, 251.83, 26.651886),
    (0.000126, 349.42, 36.412478),
    (0.000110, 84.66, 18.206239),
    (0.000062, 141.74, 53.303771),
    (0.000060, 207.14, 2.453732),
    (0.000056, 154.84, 7.306860),
    (0.000047, 34.52, 27.261239),
    (0.000042, 207.19, 0.121824),
    (0.000040, 291.34, 1.844379),
    (0.000037, 161.72, 24.198154),
    (0.000035, 239.56, 25.513099),
    (0.000023, 331.55, 3.592518),
)


def delta_t_seconds(year: float) -> float:
    """TT − UT after Espenak and Meeus (NASA eclipse web site polynomials)."""
    if year < 1920:
        t = year - 1900
        return (
            -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
        )
    if year < 1941:
        t = year - 1920
        return 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    if year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    if year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    if year < 2005:
        t = year - 2000
        return (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)


def _beijing(jde: float) -> datetime:
    tt = _J2000 + timedelta(days=jde - 2451545.0)
    return tt - timedelta(seconds=delta_t_seconds(tt.year + tt.month / 12)) + _BEIJING


def _new_moon_jde(k: int) -> float:
    t = k / 1236.85
    jde = (
        2451550.09766
        + 29.530588861 * k
        + 0.00015437 * t**2
        - 0.000000150 * t**3
        + 0.00000000073 * t**4
    )
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = math.radians(2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3)
    mp = math.radians(
        201.5643
        + 385.81693528 * k
        + 0.0107582 * t**2
        + 0.00001238 * t**3
        - 0.000000058 * t**4
    )
    f = math.radians(
        160.7108
        + 390.67050284 * k
        - 0.0016118 * t**2
        - 0.00000227 * t**3
        + 0.000000011 * t**4
    )
    omega = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t**2)
    for coefficient, e_power, cm, cmp, cf, co in _NEW_MOON_TERMS:
        argument = cm * m + cmp * mp + cf * f + co * omega
        jde += coefficient * e**e_power * math.sin(argument)
    for coefficient, a0, rate in _PLANETARY_TERMS:
        extra = -0.009173 * t**2 if a0 == 299.77 else 0.0
        jde += coefficient * math.sin(math.radians(a0 + rate * k + extra))
    return jde


def new_moons(first_year: int, last_year: int) -> list[datetime]:
    """Every new moon (Beijing time) from ``first_year`` to ``last_year``."""
    k = math.floor((first_year - 2000) * 12.3685) - 2
    moons: list[datetime] = []
    while True:
        moment = _beijing(_new_moon_jde(k))
        if moment.year > last_year:
            return moons
        if moment.year >= first_year:
            moons.append(moment)
        k += 1


def _sun_longitude(jde: float) -> float:
    t = (jde - 2451545.0) / 36525
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    m = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t**2)
    c = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(m)
        + (0.019993 - 0.000101 * t) * math.sin(2 * m)
        + 0.000289 * math.sin(3 * m)
    )
    omega = math.radians(125.04 - 1934.136 * t)
    return (l0 + c - 0.00569 - 0.00478 * math.sin(omega)) % 360


def qingming_moment(year: int) -> datetime:
    """When the sun's apparent longitude reaches 15° (清明), Beijing time."""
    low = 2451545.0 + (datetime(year, 3, 30) - _J2000).total_seconds() / 86400
    high = low + 10
    for _ in range(50):
        middle = (low + high) / 2
        if (_sun_longitude(middle) - 15 + 180) % 360 - 180 < 0:
            low = middle
        else:
            high = middle
    return _beijing(low)


def near_midnight(moment: datetime, minutes: int = 30) -> bool:
    """True when ``moment`` is too close to midnight for its date to be certain."""
    minute_of_day = moment.hour * 60 + moment.minute
    return min(minute_of_day, 24 * 60 - minute_of_day) < minutes
