"""PRC strike phase: missile salvos on Taiwan, US and allied bases.

1. *Targeting policy*: each turn the PRC decides, per ally, whether to strike its
   territory: the first-turn probability or the later per-turn hazard for the ally's
   current level (scenario ``doctrine.prc``); once it strikes an ally it keeps striking.
   US bases (Guam, Wake) are struck whenever the US fights (``strike_guam``). Taiwan's
   bases are struck every turn.
2. *Allocation*: each land-attack missile class (SRBM, MRBM, IRBM, GLCM, ALCM) launches up
   to ``launch_share_per_turn`` of its starting inventory, spread over the eligible base
   groups it can reach in proportion to ``weight_per_base + weight_per_parked_aircraft x
   aircraft parked`` (PLA players struck where US aircraft massed, CSIS p.113).
3. *Layered interception* (method of Pk, CSIS p.30-32): launch failures, then each base's
   interceptor magazine engages ``interceptors_per_threat`` rounds per missile at
   ``interceptor_pk`` until it runs dry (:func:`strait.models.interception`).
4. *Effects* (domain brief §2.5): submunition leakers kill aircraft in the open by
   Poisson coverage of the apron (:func:`strait.models.airbase.apron_kill_fraction`, fused
   with the rest in :func:`strait.engine.kernels.base_effects`);
   unitary leakers kill sheltered aircraft (one warhead per shelter) and cut runways,
   whose closure carries over turns until repaired (Stimson, *Cratering Effects*).
5. The opening joint fires strike on Taiwan (turn 0) is pre-adjudicated as in CSIS:
   most of Taiwan's navy and part of its air force are destroyed, and its runways are
   suppressed for ``taiwan_runway_suppression_turns``.
"""

from __future__ import annotations

import numpy as np

from strait.engine.compile import Params
from strait.engine.context import TurnContext
from strait.engine.draws import binomial_like
from strait.engine.kernels import base_effects, contributions, ground_losses
from strait.engine.state import State, fire
from strait.scenario.models import ALLIES, Actor

_CRUISE = ("glcm", "alcm")  # missiles a fighter can shoot down
_RANGE_PARAM = {"srbm": "srbm_range_km", "mrbm": "mrbm_range_km", "irbm": "irbm_range_km",
                "glcm": "glcm_range_km", "alcm": "alcm_range_km"}


def run(st: State, prm: Params, ctx: TurnContext) -> State:
    """Decide targets, fire, intercept and apply damage for one turn."""
    s = ctx.struct
    p = prm.strikes
    t = ctx.turn
    d = ctx.draws
    n, B = st.n, s.n_bases
    doc = s.doctrine
    geo = prm.bases
    rows = np.arange(n)

    # 1. targeting policy -------------------------------------------------------------
    struck_now = np.zeros((n, len(ALLIES)), dtype=bool)
    if ctx.us_active:
        opening = t == doc.us_entry_turn  # the war's first US turn
        table = prm.doctrine.strike_first if opening else prm.doctrine.strike_per_turn
        value = strike_hazard(st, prm, ctx) if doc.strike_by_value else None
        for a, ally in enumerate(ALLIES):
            if value is not None:
                prob = value[:, a]
            else:
                prob = table[rows, st.role[:, a]]  # each lane's own odds at its ally's level
            start = d.u(f"strike_{ally.value}") < prob
            st.strike_on[:, a] |= start & st.active
    # eligible base groups: Taiwan's always, US bases when the US fights, an ally's when
    # the PRC is striking it. One gather over an (n, A + 2) table of switches.
    A = len(ALLIES)
    switches = np.empty((n, A + 3), dtype=bool)
    switches[:, :A] = st.strike_on
    switches[:, A] = doc.strike_taiwan_airbases  # Taiwan
    switches[:, A + 1] = ctx.us_active and doc.strike_guam  # US territory
    switches[:, A + 2] = False  # the PRC's own bases
    col = [A if o == Actor.TWN else A + 1 if o == Actor.USA else A + 2 if o == Actor.CHN
           else ALLIES.index(o) for o in s.base_owner]
    eligible = switches[:, col]

    parked = s.per_base(st.aircraft)  # (n, B)
    # military value: aircraft parked (tankers and patrol aircraft included) and naval
    # ports the US may use for reloads and repair; an empty base draws no fire
    in_use = (parked > 0.5) | (s.port & st.noncombat_ok)
    weight = _col(p.weight_per_base) * in_use + _col(p.weight_per_parked_aircraft) * parked
    weight *= eligible * prm.doctrine.target_set_weight
    sink = p.taiwan_other_targets_weight * float(doc.strike_taiwan_airbases)
    classes = [c for c in _RANGE_PARAM if s.forces.get(f"CHN.munitions.{c}", 0.0) > 0]
    coef = np.zeros((n, B))
    cruise = np.zeros((n, B))  # the part of coef fighters on home defence can engage
    for cls in classes:
        rng_km = getattr(p, _RANGE_PARAM[cls])
        reach = _reach(prm, cls, rng_km)
        wsum = (weight * reach).sum(axis=1)
        wsum = wsum + sink  # Taiwan's other targets take the rest of the salvo
        init = st.init[f"stock.{cls}"]
        stock = st.stocks[cls]
        launch = np.minimum(stock, p.launch_share_per_turn * init) * (wsum > 0) * st.active
        stock -= launch
        st.spent[cls] += launch
        share = launch / np.maximum(wsum, 1e-12)
        coef += share[:, None] * reach
        if cls in _CRUISE:
            cruise += share[:, None] * reach
    arriving = weight * coef
    # an ally's fighters defending its own bases (DEFENSIVE_COMBAT) shoot down cruise
    # missiles aimed at them
    home = home_defence_fighters(st, ctx)
    if home is not None:
        downed = np.minimum(home * _col(p.home_defence_intercepts_per_fighter_turn),
                            weight * cruise)
        arriving = arriving - downed
    if t == 0:  # pre-adjudicated opening strike on Taiwan
        tb = [b for b, o in enumerate(s.base_owner) if o == Actor.TWN]
        if tb:
            srbm = np.minimum(st.stocks["srbm"], p.opening_strike_missiles)
            st.stocks["srbm"] -= srbm
            st.spent["srbm"] += srbm
        st.twn_surface_lost += st.twn_surface * p.taiwan_navy_opening_loss
        st.twn_surface *= 1.0 - p.taiwan_navy_opening_loss

    arriving *= 1.0 - _col(p.launch_failure)
    # 3-4. layered interception, ground kills and runway closure at each base (kernel)
    def lane(x: np.ndarray | float) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(x, (n,)), dtype=float)

    parking = geo.parking_capacity
    if doc.us_dispersed:  # US aircraft spread over more aprons (CSIS p.126-127)
        parking = parking * np.where(s.base_hosts_us, _col(
            p.dispersal_parking_factor), 1.0)
    leak, frac_killed, st.open_frac = base_effects(
        arriving, st.interceptors, parked, st.closed_days, geo.hardened_shelters, parking,
        geo.runways,
        {"shots": lane(p.interceptors_per_threat), "pk": lane(p.interceptor_pk),
         "sub_share": lane(p.submunition_share), "shel_share": lane(p.unitary_share_on_shelters),
         "slots": lane(p.apron_lethal_slots_per_missile),
         "shel_pk": lane(p.shelter_kill_probability),
         "per_closure": lane(p.missiles_per_runway_closure),
         "repair": repair_days(st, prm, ctx)},
        (d.z("strike_leak"), d.z("strike_ground_open"), d.z("strike_ground_shelter")),
        ctx.turn_days)
    st.closed_total += (1.0 - st.open_frac) * ctx.turn_days
    ground_losses(st.aircraft, frac_killed, s.slot_base, s.slot_pool, st.losses_ground)
    twn_bases = s.bases_of(Actor.TWN)
    if twn_bases.size:  # CRBMs keep Taiwan's runways shut for the lane's number of turns
        shut = np.broadcast_to(t < p.taiwan_runway_suppression_turns, (n,))
        st.open_frac[np.ix_(shut, twn_bases)] = 0.0
    if t == 0:
        twn_slots = np.array([s.base_owner[b] == Actor.TWN for b in s.slot_base])
        if twn_slots.any():
            lost_tw = st.aircraft * (twn_slots * _col(p.taiwan_air_opening_loss))
            st.aircraft -= lost_tw
            st.losses_ground += s.per_pool(lost_tw)

    # Taiwan's shore anti-ship launchers are hunted every turn
    st.shore_launchers = binomial_like(st.shore_launchers, 1.0 - p.shore_launcher_loss_per_turn,
                                       d.z("launchers"))

    # record strikes on allies (feeds next turn's political update)
    hit_any = leak > 0.5
    for a, ally in enumerate(ALLIES):
        idx = s.bases_of(ally)
        if idx.size:
            struck_now[:, a] = st.strike_on[:, a] & hit_any[:, idx].any(axis=1)
        else:
            struck_now[:, a] = st.strike_on[:, a]
    struck_now &= st.active[:, None]
    first = struck_now & (st.struck_turn < 0)
    st.struck_turn[first] = t
    st.struck_last = struck_now
    us_bases = np.array([o == Actor.USA for o in s.base_owner])
    st.us_struck_last = (hit_any[:, us_bases].any(axis=1) if us_bases.any()
                         else np.zeros(n, dtype=bool)) & st.active
    ctx.flows.base_hits = leak
    mainland_strikes(st, prm, ctx)
    return st


def mainland_strikes(st: State, prm: Params, ctx: TurnContext) -> None:
    """Coalition land-attack strikes on PLA air bases and embarkation ports.

    The US fires ``us_mainland_missiles_per_turn`` Tomahawks when its plan allows strikes
    on the mainland (``doctrine.usa.strike_mainland``; CSIS base: limited strikes on air
    bases and ports directly involved, Tbl 2); Japan fires ``jpn_tomahawk_per_turn`` of
    its own once its ladder level lists ``tomahawk`` under ``joins`` (counterstrike at
    FULL_COMBAT). Chinese air defences stop ``mainland_air_defence_kill`` of them (CSIS
    p.139: about a quarter of US land-attack cruise missiles). Leakers on air bases close
    runways as the PRC's missiles do to coalition bases (``missiles_per_runway_closure``
    per runway of the ``pla_fighter_runways`` the PLA flies from, repaired in
    ``repair_days_per_closure``): the closed share of the turn is lost from PLA fighter
    sorties. Leakers on ports cut embarkation throughput by
    ``port_throughput_loss_per_missile`` each, compounding, repaired at
    ``port_repair_per_turn``.
    """
    p = prm.strikes
    s = ctx.struct
    n = st.n
    us = np.zeros(n)
    if ctx.us_active and s.doctrine.strike_mainland:
        us = fire(st, "tomahawk", np.broadcast_to(p.us_mainland_missiles_per_turn, (n,)))
    jpn_a = ALLIES.index(Actor.JPN)
    jpn_in = s.joins["tomahawk"][jpn_a][st.role[:, jpn_a]]
    jp = fire(st, "jpn_tomahawk", np.broadcast_to(p.jpn_tomahawk_per_turn, (n,)) * jpn_in)
    fired = (us + jp) * st.active
    leak = binomial_like(fired, 1.0 - p.mainland_air_defence_kill, ctx.draws.z("mainland_leak"))
    on_ports = leak * p.mainland_port_share
    on_air = leak - on_ports
    days = ctx.turn_days
    closed = on_air / (p.missiles_per_runway_closure * p.pla_fighter_runways) \
        * p.repair_days_per_closure
    st.pla_airbase_closed = np.minimum(closed, days) / days
    repaired = st.pla_port_damage * (1.0 - p.port_repair_per_turn)
    st.pla_port_damage = 1.0 - (1.0 - repaired) * np.exp(
        -on_ports * p.port_throughput_loss_per_missile)


def strike_hazard(st: State, prm: Params, ctx: TurnContext) -> np.ndarray:
    """``(n, A)`` probability the PRC starts striking each ally this turn (``by_value``).

    An ally's contribution is the share of the coalition's aircraft able to fight that do
    so from its bases (US combat aircraft at bases its rung opens for combat; support
    aircraft there at ``support_value``) or are its own forces in the fight; the hazard is
    ``1 - exp(-strike_value_rate x contribution)``, held back by ``entry_restraint`` while
    the ally is not yet a combatant (CSIS p.113-114: PLA players delayed striking Japan,
    then struck once US forces massed on its bases).
    """
    s = ctx.struct
    doc = prm.doctrine
    n, A = st.n, len(ALLIES)
    mine, total = contributions(
        st.aircraft, st.combat_frac, st.noncombat_ok, st.role, s.slot_arrays,
        s.slot_owner_ally, s.slot_joins | s.slot_home,
        np.broadcast_to(doc.support_value, (n,)), st.carrier_aircraft, A)
    c = mine / np.maximum(total, 1.0)[:, None]
    fighting = np.stack([s.participation[a][st.role[:, a]] >= 2 for a in range(A)], axis=1)
    held = np.where(fighting, 0.0, doc.entry_restraint)
    rate = doc.strike_value_rate[:, None] if np.ndim(doc.strike_value_rate) else \
        doc.strike_value_rate
    out: np.ndarray = -np.expm1(-rate * c) * (1.0 - held)
    return out


def home_defence_fighters(st: State, ctx: TurnContext) -> np.ndarray | None:
    """``(n, B)`` fighters an ally keeps over its own bases (its DEFENSIVE_COMBAT rung
    lists them under ``joins``), or None where no ally has any."""
    s = ctx.struct
    if not s.home_slots.size:
        return None
    on = np.zeros_like(st.aircraft)
    for j in s.home_slots:
        a = s.slot_ally[j]
        on[:, j] = st.aircraft[:, j] * s.slot_home[j][st.role[:, a]]
    out: np.ndarray = s.per_base(on) * st.open_frac
    return out


def repair_days(st: State, prm: Params, ctx: TurnContext) -> np.ndarray:
    """``(n, B)`` days to reopen a closed strip: faster on an ally's bases when its rung
    provides ``repair`` (host-nation engineers and materiel)."""
    s = ctx.struct
    p = prm.strikes
    out = np.empty((st.n, s.n_bases))
    out[:] = _col(p.repair_days_per_closure)
    for a, idx in enumerate(s.ally_bases):
        if idx.size:
            helps = s.provides["repair"][a][st.role[:, a]]
            factor = np.where(helps, p.host_repair_factor, 1.0)
            out[:, idx] *= factor[:, None] if np.ndim(factor) else factor
    return out


def _reach(prm: Params, cls: str, rng_km: np.ndarray | float) -> np.ndarray:
    """``(n, B)`` 1.0 where a missile class reaches a base in this lane (both the lane's
    range and its base distances are fixed for the campaign, so this is built once)."""
    geo = prm.bases
    key = f"reach_{cls}"
    got: np.ndarray | None = getattr(geo, key, None)
    if got is None:
        got = (geo.distance_km <= _col(rng_km)).astype(float)
        setattr(geo, key, got)
    return got


def _col(x: np.ndarray | float) -> np.ndarray | float:
    """A per-lane parameter as a column (n, 1) so it broadcasts against (n, B)."""
    return x[:, None] if isinstance(x, np.ndarray) and x.ndim else x
