"""The per-campaign result schema, declared once, and the function that fills it.

Every column a run produces is a :class:`Column` in :data:`SCHEMA`: its name, unit,
numpy dtype and meaning. :func:`lane_outputs` computes exactly these columns, in this
order and with these dtypes, for the lanes that end on a turn; the results table,
the Parquet files and the reference page (``docs/reference/results.md``, via
``strait.results.COLUMNS``) all read the same declaration.

Example:
    >>> from strait.engine.outputs import SCHEMA, column
    >>> column("outcome").dtype
    'int8'
    >>> SCHEMA[0].name
    'outcome'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from strait.engine.compile import ACTOR_ORDER, LIFT_CLASSES, Structure
from strait.engine.state import State
from strait.scenario.models import ALLIES, Actor, AircraftClass

COMBAT_AIRCRAFT = (AircraftClass.FIGHTER_5GEN, AircraftClass.FIGHTER_4GEN, AircraftClass.BOMBER)
"""Classes counted as combat aircraft in losses (tankers and MPA are reported apart)."""


@dataclass(frozen=True)
class Column:
    """One per-campaign result column."""

    name: str
    unit: str
    dtype: str  # a numpy dtype name: int8, int16, float32, bool
    meaning: str

    @property
    def itemsize(self) -> int:
        """Bytes per campaign in memory."""
        return np.dtype(self.dtype).itemsize


def _schema() -> tuple[Column, ...]:
    cols: list[Column] = []

    def add(name: str, unit: str, dtype: str, meaning: str) -> None:
        cols.append(Column(name, unit, dtype, meaning))

    f4 = "float32"
    add("outcome", "code 0-4", "int8",
        "Outcome code 0-4: prc_victory, stalemate_prc, stalemate_indeterminate, "
        "stalemate_defence, prc_defeat (CSIS p.84-85)")
    add("end_turn", "turn", "int16", "Turn the campaign ended (0-based)")
    add("end_day", "day", f4, "Day the campaign ended (end of that turn)")
    for a, name in (("usa", "US"), ("jpn", "Japanese"), ("twn", "Taiwanese"),
                    ("aus", "Australian")):
        add(f"{a}_aircraft_lost", "aircraft", f4,
            f"{name} combat aircraft lost (fighters and bombers, in the air and on the ground"
            + (", incl. carrier wings)" if a == "usa" else ")"))
        add(f"{a}_aircraft_lost_ground", "aircraft", f4,
            f"{name} combat aircraft destroyed on the ground"
            + (" or with their carriers" if a == "usa" else ""))
        add(f"{a}_aircraft_lost_air", "aircraft", f4, f"{name} combat aircraft shot down")
        add(f"{a}_support_aircraft_lost", "aircraft", f4,
            f"{name} tankers and maritime patrol aircraft lost")
    add("usa_aircraft_lost_on_carriers", "aircraft", f4,
        "US carrier aircraft lost with their carriers")
    add("usa_carriers_lost", "carriers", f4, "US carriers lost (sunk or out of the war)")
    add("usa_surface_combatants_lost", "ships", f4, "US cruisers and destroyers lost")
    add("usa_ships_lost", "ships", f4,
        "US major surface ships lost (carriers + cruisers/destroyers)")
    add("usa_submarines_lost", "submarines", f4, "US SSNs lost")
    add("jpn_ships_lost", "ships", f4, "JMSDF surface ships and submarines lost")
    add("twn_ships_lost", "ships", f4, "Taiwanese major surface ships lost")
    lift_names = {"lhd_lpd": "PLA LHDs and LPDs lost", "lst": "PLA LSTs lost",
                  "lsm": "PLA LSMs lost", "roro": "Civilian Ro-Ros in PLA service lost"}
    for lc in LIFT_CLASSES:
        add(f"chn_{lc.value}_lost", "ships", f4,
            lift_names.get(lc.value, f"PLA {lc.value} ships lost"))
    add("chn_amphibious_ships_lost", "ships", f4,
        "PLA large amphibious ships lost (LHD/LPD, LST, LSM, Ro-Ro)")
    add("chn_combatants_lost", "ships", f4, "PLA major combatants lost (escorts and pickets)")
    add("chn_ships_lost", "ships", f4, "PLA major ships lost (amphibious + combatants)")
    add("chn_aircraft_lost", "aircraft", f4, "PLA aircraft lost (air-to-air and to air defences)")
    add("amphibious_fleet_share_end", "share 0-1", f4,
        "Share of the amphibious fleet afloat at the end")
    add("usa_killed", "people", f4,
        "US personnel killed (estimated from equipment losses, CSIS p.119)")
    add("usa_wounded", "people", f4, "US personnel wounded")
    add("chn_killed", "people", f4, "PLA personnel killed (at sea and ashore)")
    add("twn_killed", "people", f4, "Taiwanese soldiers killed")
    for m, name in (("lrasm", "LRASMs"), ("jassm_ms", "maritime-strike JASSM-ERs"),
                    ("type12", "Japanese Type 12 missiles"), ("srbm", "PLA SRBMs"),
                    ("mrbm", "PLA MRBMs"), ("irbm", "PLA IRBMs"), ("glcm", "PLA GLCMs"),
                    ("alcm", "PLA air-launched cruise missiles"),
                    ("asbm", "PLA anti-ship ballistic missiles"),
                    ("ascm", "PLA anti-ship cruise missiles"),
                    ("twn_shore_asm",
                     "Taiwanese shore anti-ship missiles (Harpoon, Hsiung Feng)")):
        add(f"spent_{m}", "missiles", f4, f"{name} fired")
    add("pla_bn_landed", "battalions", f4, "PLA battalion-equivalents landed")
    add("pla_bn_ashore", "battalions", f4, "PLA battalion-equivalents ashore at the end")
    add("pla_bn_destroyed", "battalions", f4, "PLA battalion-equivalents destroyed ashore")
    add("prc_share_of_taiwan", "share 0-1", f4, "Share of Taiwan held by the PLA at the end")
    add("ports_held", "ports", "int8", "Ports held by the PLA at the end")
    add("airfields_held", "airfields", "int8", "Airfields held by the PLA at the end")
    ally_names = {Actor.JPN: "Japan", Actor.AUS: "Australia", Actor.PHL: "the Philippines",
                  Actor.KOR: "Korea"}
    for ally in ALLIES:
        a, name = ally.value.lower(), ally_names.get(ally, ally.value)
        add(f"{a}_role_start", "level 0-6", "int8",
            f"{name}'s role level at the start (0 NEUTRAL ... 6 FULL_COMBAT)")
        add(f"{a}_role_end", "level 0-6", "int8", f"{name}'s role level at the end")
        add(f"{a}_role_change_turn", "turn", "int16",
            f"Turn {name}'s role first changed (-1: never)")
        add(f"{a}_struck", "yes/no", "bool", f"Whether the PRC struck {name}'s territory")
        add(f"{a}_struck_turn", "turn", "int16",
            f"Turn the PRC first struck {name}'s territory (-1: never)")
    add("jpn_fighter_base_closed_days", "days", f4,
        "Days the runways of Japanese bases hosting US fighters were closed (mean over those "
        "bases)")
    add("fleet_destroyed_turn", "turn", "int16",
        "Turn the amphibious fleet fell below 10 % (-1: never)")
    add("lrasm_out_turn", "turn", "int16", "Turn LRASM stocks fell below 10 % (-1: never)")
    add("shore_asm_out_turn", "turn", "int16",
        "Turn Taiwan's shore missiles or launchers fell below 10 % (-1: never)")
    return tuple(cols)


SCHEMA: tuple[Column, ...] = _schema()
"""Every per-campaign result column, in table order."""

_BY_NAME: dict[str, Column] = {c.name: c for c in SCHEMA}

BYTES_PER_LANE: int = sum(c.itemsize for c in SCHEMA)
"""Bytes one campaign's row takes in memory (all columns)."""


def column(name: str) -> Column:
    """The declared column ``name`` (``KeyError`` if there is none)."""
    return _BY_NAME[name]


def _declared(out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``out`` in schema order with the declared dtypes; a missing or extra column is a bug."""
    if out.keys() != _BY_NAME.keys():
        missing = sorted(_BY_NAME.keys() - out.keys())
        extra = sorted(out.keys() - _BY_NAME.keys())
        raise RuntimeError(f"lane_outputs out of step with SCHEMA: missing {missing}, "
                           f"undeclared {extra}")
    return {c.name: out[c.name].astype(c.dtype, copy=False) for c in SCHEMA}


def lane_outputs(st: State, prm: Any, struct: Structure, idx: np.ndarray
                 ) -> dict[str, np.ndarray]:
    """Result columns for lanes ``idx``: exactly :data:`SCHEMA`, in order, declared dtypes."""
    c = prm.casualties
    lift = prm.lift

    def g(x: np.ndarray | float) -> np.ndarray:
        return x[idx] if isinstance(x, np.ndarray) and x.ndim else np.full(idx.size, float(x))

    out: dict[str, np.ndarray] = {}
    out["outcome"] = st.outcome[idx].astype(np.int8)
    out["end_turn"] = st.end_turn[idx].astype(np.int16)
    days = struct.doctrine.turn_days
    out["end_day"] = ((st.end_turn[idx] + 1) * days).astype(np.float32)
    pool_actor = struct.pool_actor
    combat = np.array([c in COMBAT_AIRCRAFT for _, c in struct.pools], dtype=bool)
    for actor in (Actor.USA, Actor.JPN, Actor.TWN, Actor.AUS):
        mine = pool_actor == ACTOR_ORDER.index(actor)
        m = mine & combat  # combat aircraft, as CSIS counts them (Tbl 4)
        air = st.losses_air[idx][:, m].sum(axis=1)
        ground = st.losses_ground[idx][:, m].sum(axis=1)
        key = actor.value.lower()
        support = (st.losses_air[idx][:, mine & ~combat].sum(axis=1)
                   + st.losses_ground[idx][:, mine & ~combat].sum(axis=1))
        out[f"{key}_support_aircraft_lost"] = support.astype(np.float32)
        if actor == Actor.USA:
            air = air + st.carrier_aircraft_lost_air[idx]
            ground_carrier = st.carrier_aircraft_lost[idx] - st.carrier_aircraft_lost_air[idx]
            out["usa_aircraft_lost_on_carriers"] = ground_carrier.astype(np.float32)
            ground = ground + ground_carrier
        out[f"{key}_aircraft_lost"] = (air + ground).astype(np.float32)
        out[f"{key}_aircraft_lost_ground"] = ground.astype(np.float32)
        out[f"{key}_aircraft_lost_air"] = air.astype(np.float32)
    out["usa_carriers_lost"] = st.us_carriers_lost[idx].astype(np.float32)
    out["usa_surface_combatants_lost"] = st.us_surface_lost[idx].astype(np.float32)
    out["usa_ships_lost"] = (st.us_carriers_lost[idx] + st.us_surface_lost[idx]).astype(np.float32)
    out["usa_submarines_lost"] = st.ssn_lost[idx].astype(np.float32)
    out["jpn_ships_lost"] = (st.jpn_surface_lost[idx] + st.jpn_ssk_lost[idx]).astype(np.float32)
    out["twn_ships_lost"] = st.twn_surface_lost[idx].astype(np.float32)
    for i, lc in enumerate(LIFT_CLASSES):
        out[f"chn_{lc.value}_lost"] = st.lift_lost[idx, i].astype(np.float32)
    amph = st.lift_lost[idx].sum(axis=1)
    out["chn_amphibious_ships_lost"] = amph.astype(np.float32)
    out["chn_combatants_lost"] = st.pla_combatants_lost[idx].astype(np.float32)
    out["chn_ships_lost"] = (amph + st.pla_combatants_lost[idx]).astype(np.float32)
    out["chn_aircraft_lost"] = st.pla_aircraft_lost[idx].astype(np.float32)
    out["amphibious_fleet_share_end"] = (st.lift_total[idx]
                                         / np.maximum(st.init["lift_total"][idx], 1e-9)
                                         ).astype(np.float32)
    usa_killed = (st.us_carriers_lost[idx] * g(c.usa_killed_per_carrier)
                  + st.us_surface_lost[idx] * g(c.usa_killed_per_surface_combatant)
                  + st.ssn_lost[idx] * g(c.usa_killed_per_ssn)
                  + out["usa_aircraft_lost_air"] * g(c.usa_killed_per_aircraft_air)
                  + out["usa_aircraft_lost_ground"] * g(c.usa_killed_per_aircraft_ground))
    out["usa_killed"] = usa_killed.astype(np.float32)
    out["usa_wounded"] = (usa_killed * g(c.wounded_per_killed)).astype(np.float32)
    chn_killed = (st.pla_lost_at_sea_troops[idx] * g(c.chn_killed_at_sea_share)
                  + st.pla_bn_destroyed[idx] * g(lift.troops_per_bn) * g(c.chn_killed_ashore_share)
                  + st.pla_combatants_lost[idx] * g(c.chn_killed_per_combatant))
    out["chn_killed"] = chn_killed.astype(np.float32)
    out["twn_killed"] = (st.twn_bn_destroyed[idx] * g(c.twn_killed_per_bn)).astype(np.float32)
    for key in ("lrasm", "jassm_ms", "type12", "srbm", "mrbm", "irbm", "glcm", "alcm", "asbm",
                "ascm"):
        out[f"spent_{key}"] = st.spent[key][idx].astype(np.float32)
    out["spent_twn_shore_asm"] = (st.spent["harpoon_shore"][idx]
                                  + st.spent["hsiung_feng"][idx]).astype(np.float32)
    out["pla_bn_landed"] = st.pla_landed[idx].astype(np.float32)
    out["pla_bn_ashore"] = st.pla_ashore[idx].astype(np.float32)
    out["pla_bn_destroyed"] = st.pla_bn_destroyed[idx].astype(np.float32)
    out["prc_share_of_taiwan"] = st.share_held[idx].astype(np.float32)
    out["ports_held"] = st.ports_held[idx].astype(np.int8)
    out["airfields_held"] = st.airfields_held[idx].astype(np.int8)
    for a, ally in enumerate(ALLIES):
        key = ally.value.lower()
        out[f"{key}_role_start"] = st.role_start[idx, a].astype(np.int8)
        out[f"{key}_role_end"] = st.role[idx, a].astype(np.int8)
        out[f"{key}_role_change_turn"] = st.role_change_turn[idx, a]
        out[f"{key}_struck"] = (st.struck_turn[idx, a] >= 0)
        out[f"{key}_struck_turn"] = st.struck_turn[idx, a]
    # days the runways of Japanese bases hosting US fighters were closed (Stimson's measure)
    jb = struct.jpn_fighter_bases
    out["jpn_fighter_base_closed_days"] = (st.closed_total[idx][:, jb].mean(axis=1) if jb.size
                                           else np.zeros(idx.size)).astype(np.float32)
    out["fleet_destroyed_turn"] = st.fleet_destroyed_turn[idx]
    out["lrasm_out_turn"] = st.lrasm_out_turn[idx]
    out["shore_asm_out_turn"] = st.shore_asm_out_turn[idx]
    return _declared(out)
