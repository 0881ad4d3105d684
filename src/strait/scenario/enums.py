"""The scenario's vocabulary: actors, the role ladder and the aggregate force classes.

These enumerations name what a scenario file may use as keys and values (``JPN``,
``ACCESS_COMBAT``, ``fighter_5gen``, ...). They are re-exported by
:mod:`strait.scenario.models`, which is where most code imports them from.

Example:
    >>> from strait.scenario.enums import ALLIES, RoleLevel
    >>> [a.value for a in ALLIES], RoleLevel.ACCESS_COMBAT.name
    (['JPN', 'AUS', 'PHL', 'KOR'], 'ACCESS_COMBAT')
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "ACTOR_NAMES",
    "ALLIES",
    "Access",
    "Actor",
    "AircraftClass",
    "LiftClass",
    "MunitionClass",
    "Participation",
    "RoleLevel",
    "ShipClass",
]


# --------------------------------------------------------------------------- actors


class Actor(StrEnum):
    """Actors, by ISO-style code."""

    USA = "USA"
    CHN = "CHN"
    TWN = "TWN"
    JPN = "JPN"
    AUS = "AUS"
    PHL = "PHL"
    KOR = "KOR"


ALLIES: tuple[Actor, ...] = (Actor.JPN, Actor.AUS, Actor.PHL, Actor.KOR)
"""The allies whose role is an explicit, uncertain input (in engine order)."""

ACTOR_NAMES: dict[Actor, str] = {
    Actor.USA: "United States",
    Actor.CHN: "People's Republic of China",
    Actor.TWN: "Taiwan",
    Actor.JPN: "Japan",
    Actor.AUS: "Australia",
    Actor.PHL: "Philippines",
    Actor.KOR: "Republic of Korea",
}


class RoleLevel(IntEnum):
    """The ordinal role ladder (domain brief §1.1): higher = more involved."""

    NEUTRAL = 0
    DIPLOMATIC = 1
    ACCESS_NONCOMBAT = 2
    ACCESS_COMBAT = 3
    LOGISTICS_ISR = 4
    DEFENSIVE_COMBAT = 5
    FULL_COMBAT = 6


class Access(StrEnum):
    """What US forces may do from an ally's territory."""

    NONE = "NONE"
    EVACUATION = "EVACUATION"
    NONCOMBAT = "NONCOMBAT"
    COMBAT = "COMBAT"


class Participation(StrEnum):
    """What the ally's own forces do."""

    NONE = "NONE"
    LOGISTICS_ISR = "LOGISTICS_ISR"
    DEFENSIVE = "DEFENSIVE"
    FULL = "FULL"


class AircraftClass(StrEnum):
    """Aggregate aircraft classes (CSIS generations: 4th, 4.5th, 5th)."""

    FIGHTER_5GEN = "fighter_5gen"
    FIGHTER_4GEN = "fighter_4gen"
    BOMBER = "bomber"
    TANKER = "tanker"
    MPA = "mpa"


class ShipClass(StrEnum):
    """Aggregate naval classes."""

    CARRIER = "carrier"
    SURFACE_COMBATANT = "surface_combatant"
    SSN = "ssn"
    SSK = "ssk"


class LiftClass(StrEnum):
    """PLA amphibious lift classes (large hulls only, as CSIS counts them)."""

    LHD_LPD = "lhd_lpd"
    LST = "lst"
    LSM = "lsm"
    RORO = "roro"


class MunitionClass(StrEnum):
    """Tracked munition stocks."""

    LRASM = "lrasm"
    JASSM_MS = "jassm_ms"  # JASSM-ER with limited maritime-strike capability
    HARPOON_SHORE = "harpoon_shore"
    HSIUNG_FENG = "hsiung_feng"
    TYPE12 = "type12"
    NSM = "nsm"  # US Naval Strike Missile (NMESIS) in shore batteries
    BRAHMOS = "brahmos"  # Philippine shore-based BrahMos (supersonic)
    TOMAHAWK = "tomahawk"
    SRBM = "srbm"  # PLA short-range ballistic (Taiwan targets)
    MRBM = "mrbm"  # PLA medium-range ballistic (Okinawa, Kyushu, Luzon)
    IRBM = "irbm"  # PLA intermediate-range incl. DF-26 (Guam, Honshu)
    ASBM = "asbm"  # PLA anti-ship ballistic (DF-21D/DF-26B)
    GLCM = "glcm"
    ALCM = "alcm"  # H-6 launched land-attack cruise missiles
    ASCM = "ascm"  # PLA ship/air-launched anti-ship cruise missiles
    INTERCEPTOR = "interceptor"  # SAM/BMD rounds defending a base group
