"""The campaign state: a struct of arrays, one row per lane (one lane = one campaign).

Shapes: ``(n,)`` unless noted; ``B`` = base groups, ``K`` = coalition aircraft pools,
``A`` = allies (JPN, AUS, PHL, KOR), ``L`` = PLA lift classes (LHD/LPD, LST, LSM, Ro-Ro).
Counts are float64 expected values inside a lane (randomness enters through the draws
that produce them), so fractional ships are possible mid-campaign; reports round them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from strait.engine.compile import LIFT_CLASSES, Params, Structure, force
from strait.scenario.models import ALLIES, MunitionClass

SHORE_BATTERIES: dict[str, str] = {"nsm": "USA", "brahmos": "PHL"}
"""Shore anti-ship batteries at a base group (``forces.X.shore_asm_at``): munition -> actor."""


def fire(st: State, key: str, want: np.ndarray) -> np.ndarray:
    """Fire up to ``want`` munitions of class ``key`` from each lane's stock; return what
    was fired (stocks fall and ``spent`` rises by it)."""
    used: np.ndarray = np.minimum(st.stocks[key], want)
    st.stocks[key] -= used
    st.spent[key] += used
    return used


@dataclass
class State:
    """Everything that changes during a campaign (see module docstring for shapes)."""

    n: int
    turn: int
    # politics
    role: np.ndarray  # (n, A) int8 current level
    role_start: np.ndarray  # (n, A) int8
    role_change_turn: np.ndarray  # (n, A) int16, -1 = never
    strike_on: np.ndarray  # (n, A) bool: PRC is striking this ally's territory
    struck_turn: np.ndarray  # (n, A) int16 first turn struck, -1 = never
    struck_last: np.ndarray  # (n, A) bool struck during the previous turn
    us_struck_last: np.ndarray  # (n,) bool US forces struck during the previous turn
    combat_frac: np.ndarray  # (n, B) share of US aircraft at a base usable for combat
    noncombat_ok: np.ndarray  # (n, B) bool usable for tankers/logistics/reloads
    participation: np.ndarray  # (n, A) int8 rank 0..3
    # bases and aircraft
    aircraft: np.ndarray  # (n, S) aircraft per slot (a pool at a base; Structure.slot_*)
    away: np.ndarray  # (n, S) aircraft of a slot now flying from its fallback base
    closed_days: np.ndarray  # (n, B) runway closure days still to repair
    closed_total: np.ndarray  # (n, B) days runways were closed so far
    open_frac: np.ndarray  # (n, B) share of this turn runways are open
    interceptors: np.ndarray  # (n, B)
    carrier_aircraft: np.ndarray
    pla_fighters_5: np.ndarray
    pla_fighters_4: np.ndarray
    # ships and submarines
    us_carriers: np.ndarray  # exposed forward carriers
    us_surface: np.ndarray  # exposed forward cruisers/destroyers
    us_carriers_lost: np.ndarray
    us_surface_lost: np.ndarray
    us_surged: np.ndarray  # bool follow-on fleet committed
    jpn_surface: np.ndarray
    jpn_surface_lost: np.ndarray
    twn_surface: np.ndarray
    twn_surface_lost: np.ndarray
    ssn: np.ndarray
    ssn_lost: np.ndarray
    jpn_ssk: np.ndarray
    jpn_ssk_lost: np.ndarray
    twn_ssk: np.ndarray
    aus_ssk: np.ndarray
    lift: np.ndarray  # (n, L)
    lift_lost: np.ndarray  # (n, L)
    pla_combatants: np.ndarray
    pla_combatants_lost: np.ndarray
    # munitions
    stocks: dict[str, np.ndarray]  # by munition class value, (n,)
    spent: dict[str, np.ndarray]
    shore_launchers: np.ndarray
    shore_batteries: dict[str, np.ndarray]  # launchers of US and allied shore batteries
    # coalition strikes on the mainland
    pla_airbase_closed: np.ndarray  # share of PLA fighter sorties lost to closed runways
    pla_port_damage: np.ndarray  # share of embarkation-port throughput lost
    # ground war
    pla_pool: np.ndarray  # battalions still in China to be landed
    pla_landed: np.ndarray
    pla_ashore: np.ndarray
    pla_bn_destroyed: np.ndarray
    pla_lost_at_sea_troops: np.ndarray
    twn_active: np.ndarray
    twn_reserve: np.ndarray
    twn_bn_destroyed: np.ndarray
    share_held: np.ndarray
    twn_engaged: np.ndarray  # share of Taiwan's army at the lodgement
    force_ratio: np.ndarray  # PLA / Taiwanese combat power at the lodgement
    ports_held: np.ndarray
    facilities_seized: np.ndarray  # ports/airfields taken by local assault
    airfields_held: np.ndarray
    supply: np.ndarray  # 0..1 this turn
    unsupplied_turns: np.ndarray
    # air
    air_control: np.ndarray  # coalition share of air presence over the strait, 0..1
    losses_air: np.ndarray  # (n, K) coalition aircraft lost in the air
    losses_ground: np.ndarray  # (n, K) coalition aircraft destroyed on the ground
    carrier_aircraft_lost: np.ndarray
    carrier_aircraft_lost_air: np.ndarray
    pla_aircraft_lost: np.ndarray
    # bookkeeping
    active: np.ndarray  # bool lane still playing
    outcome: np.ndarray  # int8, -1 = not decided
    end_turn: np.ndarray  # int16
    fleet_destroyed_turn: np.ndarray  # int16 -1 = never
    lrasm_out_turn: np.ndarray
    shore_asm_out_turn: np.ndarray
    init: dict[str, np.ndarray] = field(default_factory=dict)  # per-lane starting values

    @property
    def lift_total(self) -> np.ndarray:
        total: np.ndarray = self.lift.sum(axis=1)
        return total


def initial_state(struct: Structure, params: Params, roles: np.ndarray) -> State:
    """The state at D-Day for ``len(roles)`` lanes."""
    n = roles.shape[0]
    B, K, A = struct.n_bases, len(struct.pools), len(ALLIES)

    def full(x: float | np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()

    def zeros() -> np.ndarray:
        return np.zeros(n)

    def f(key: str) -> np.ndarray:  # the lane's own starting count
        return full(force(params, key))

    doc = struct.doctrine
    stocks: dict[str, np.ndarray] = {}
    for mc in MunitionClass:
        owner = {"lrasm": "USA", "jassm_ms": "USA", "tomahawk": "USA", "harpoon_shore": "TWN",
                 "hsiung_feng": "TWN", "type12": "JPN", "nsm": "USA",
                 "brahmos": "PHL"}.get(mc.value, "CHN")
        stocks[mc.value] = full(f(f"{owner}.munitions.{mc.value}"))
    if not doc.maritime_strike_jassm:
        stocks["jassm_ms"][:] = 0.0
    if not doc.ground_harpoons:
        stocks["harpoon_shore"][:] = 0.0
    stocks["jpn_tomahawk"] = full(f("JPN.munitions.tomahawk"))
    carriers = f("USA.ships.carrier")
    lift0 = np.stack([f(f"CHN.lift.{c.value}") for c in LIFT_CLASSES], axis=1)  # (n, L)
    pla_fighters = f("CHN.aircraft.fighter_5gen"), f("CHN.aircraft.fighter_4gen")
    st = State(
        n=n,
        turn=0,
        role=roles.copy(),
        role_start=roles.copy(),
        role_change_turn=np.full((n, A), -1, dtype=np.int16),
        strike_on=np.zeros((n, A), dtype=bool),
        struck_turn=np.full((n, A), -1, dtype=np.int16),
        struck_last=np.zeros((n, A), dtype=bool),
        us_struck_last=np.zeros(n, dtype=bool),
        combat_frac=np.zeros((n, B)),
        noncombat_ok=np.zeros((n, B), dtype=bool),
        participation=np.zeros((n, A), dtype=np.int8),
        aircraft=np.array(params.slot_init, dtype=float, copy=True),
        away=np.zeros_like(np.asarray(params.slot_init, dtype=float)),
        closed_days=np.zeros((n, B)),
        closed_total=np.zeros((n, B)),
        open_frac=np.ones((n, B)),
        interceptors=np.array(params.bases.interceptors, dtype=float, copy=True),
        carrier_aircraft=carriers * np.broadcast_to(params.sorties.carrier_air_wing, (n,)).copy(),
        pla_fighters_5=full(pla_fighters[0]),
        pla_fighters_4=full(pla_fighters[1]),
        us_carriers=full(carriers),
        us_surface=np.minimum(full(f("USA.ships.surface_combatant")),
                              np.broadcast_to(params.antiship.us_forward_surface_combatants,
                                              (n,))),
        us_carriers_lost=zeros(),
        us_surface_lost=zeros(),
        us_surged=np.zeros(n, dtype=bool),
        jpn_surface=np.minimum(full(f("JPN.ships.surface_combatant")),
                               np.broadcast_to(params.antiship.jpn_exposed_surface_combatants,
                                               (n,))),
        jpn_surface_lost=zeros(),
        twn_surface=full(f("TWN.ships.surface_combatant")),
        twn_surface_lost=zeros(),
        ssn=full(f("USA.ships.ssn")),
        ssn_lost=zeros(),
        jpn_ssk=full(f("JPN.ships.ssk")),
        jpn_ssk_lost=zeros(),
        twn_ssk=full(f("TWN.ships.ssk")),
        aus_ssk=full(f("AUS.ships.ssk")),
        lift=lift0,
        lift_lost=np.zeros((n, len(LIFT_CLASSES))),
        pla_combatants=np.minimum(full(f("CHN.ships.surface_combatant")),
                                  np.broadcast_to(params.antiship.pla_combatants_in_theatre,
                                                  (n,))),
        pla_combatants_lost=zeros(),
        stocks=stocks,
        spent={k: zeros() for k in stocks},
        shore_launchers=full(f("TWN.shore_asm_launchers")),
        shore_batteries={key: f(f"{actor}.shore_asm_launchers")
                         for key, actor in SHORE_BATTERIES.items()},
        pla_airbase_closed=zeros(),
        pla_port_damage=zeros(),
        pla_pool=full(f("CHN.ground_battalions")),
        pla_landed=zeros(),
        pla_ashore=zeros(),
        pla_bn_destroyed=zeros(),
        pla_lost_at_sea_troops=zeros(),
        twn_active=full(f("TWN.ground_battalions")),
        twn_reserve=full(f("TWN.reserve_battalions")),
        twn_bn_destroyed=zeros(),
        share_held=zeros(),
        twn_engaged=np.broadcast_to(params.ground.twn_engaged_share_initial, (n,)).copy(),
        ports_held=zeros(),
        facilities_seized=zeros(),
        force_ratio=zeros(),
        airfields_held=zeros(),
        supply=np.ones(n),
        unsupplied_turns=zeros(),
        air_control=full(0.5),
        losses_air=np.zeros((n, K)),
        losses_ground=np.zeros((n, K)),
        carrier_aircraft_lost=zeros(),
        carrier_aircraft_lost_air=zeros(),
        pla_aircraft_lost=zeros(),
        active=np.ones(n, dtype=bool),
        outcome=np.full(n, -1, dtype=np.int8),
        end_turn=np.full(n, -1, dtype=np.int16),
        fleet_destroyed_turn=np.full(n, -1, dtype=np.int16),
        lrasm_out_turn=np.full(n, -1, dtype=np.int16),
        shore_asm_out_turn=np.full(n, -1, dtype=np.int16),
    )
    st.init = {
        "lift_total": lift0.sum(axis=1),
        "twn_total": f("TWN.ground_battalions") + f("TWN.reserve_battalions"),
        "pla_fighters": pla_fighters[0] + pla_fighters[1],
        "shore_launchers": st.shore_launchers.copy(),
        "usa_surface_combatants": f("USA.ships.surface_combatant"),
        **{f"stock.{k}": v.copy() for k, v in stocks.items()},
    }
    return st
