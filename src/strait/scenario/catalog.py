"""The parameter vocabulary: every adjudication parameter the engine reads.

A scenario's ``parameters`` section is grouped by engine phase; this catalog names each
parameter, its kind (which bounds it must respect), its unit and what it means. Unknown
names are rejected when a scenario is validated, so a typo never silently falls back to
a default. The values themselves (with their sources) live in scenario files, normally
the shared library fragment ``parameters-2026``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["count", "prob", "number", "positive"]


@dataclass(frozen=True)
class Spec:
    """One parameter: kind (bounds), unit and meaning."""

    kind: Kind
    unit: str
    doc: str


def _s(kind: Kind, unit: str, doc: str) -> Spec:
    return Spec(kind, unit, doc)


CATALOG: dict[str, dict[str, Spec]] = {
    "strikes": {
        "launch_share_per_turn": _s("prob", "share", "Share of each PLA missile class's starting inventory that can be launched per turn (launchers and reloads)."),
        "srbm_range_km": _s("count", "km", "Reach of PLA SRBMs measured as distance from central Taiwan."),
        "mrbm_range_km": _s("count", "km", "Reach of PLA MRBMs (distance from central Taiwan)."),
        "irbm_range_km": _s("count", "km", "Reach of PLA IRBMs incl. DF-26 (distance from central Taiwan)."),
        "alcm_range_km": _s("count", "km", "Reach of H-6-launched land-attack cruise missiles."),
        "glcm_range_km": _s("count", "km", "Reach of ground-launched cruise missiles."),
        "weight_per_parked_aircraft": _s("count", "weight", "Targeting weight a base group gets per coalition aircraft parked on it."),
        "weight_per_base": _s("count", "weight", "Targeting weight of an eligible base group in use (it hosts coalition aircraft or is a naval port open to the US): runways, fuel, piers. Empty bases draw no fire."),
        "home_defence_intercepts_per_fighter_turn": _s("count", "missiles", "Cruise missiles a fighter defending its own country's bases shoots down per turn."),
        "host_repair_factor": _s("prob", "ratio", "Share of the usual runway repair time on an ally's bases when the ally provides repair (host-nation engineers and materiel)."),
        "launch_failure": _s("prob", "share", "Share of missiles that fail to launch or malfunction."),
        "interceptor_pk": _s("prob", "probability", "Single-shot kill probability of a base's air and missile defence interceptor."),
        "interceptors_per_threat": _s("positive", "count", "Interceptors fired at each inbound missile."),
        "submunition_share": _s("prob", "share", "Share of arriving missiles carrying submunitions against aprons (the rest are unitary, against runways and shelters)."),
        "apron_lethal_slots_per_missile": _s("count", "aircraft slots", "Parking slots a submunition missile covers lethally (Poisson coverage of the apron)."),
        "missiles_per_runway_closure": _s("positive", "count", "Unitary missiles arriving per runway to close it once (cut the minimum operating strip)."),
        "repair_days_per_closure": _s("count", "days", "Days to reopen a minimum operating strip after one closure."),
        "shelter_kill_probability": _s("prob", "probability", "Probability a unitary warhead aimed at an occupied shelter destroys the aircraft inside."),
        "opening_strike_missiles": _s("count", "count", "SRBMs and CRBMs in the pre-adjudicated opening joint fires strike on Taiwan (turn 0)."),
        "taiwan_navy_opening_loss": _s("prob", "share", "Share of Taiwan's surface fleet destroyed by the opening strike."),
        "taiwan_runway_suppression_turns": _s("count", "turns", "Turns CRBMs keep Taiwan's runways (incl. underground bases) shut."),
        "shore_launcher_loss_per_turn": _s("prob", "share", "Share of Taiwan's surviving shore anti-ship launchers found and destroyed per turn."),
        "taiwan_other_targets_weight": _s("count", "weight", "Targeting weight of Taiwan's other military targets (air defences, C2, ports, forces) that compete with its air bases for missiles."),
        "unitary_share_on_shelters": _s("prob", "share", "Share of unitary warheads aimed at occupied hardened shelters (the rest cut runways)."),
        "taiwan_air_opening_loss": _s("prob", "share", "Share of Taiwan's aircraft destroyed on the ground by the opening strike."),
        "dispersal_parking_factor": _s("positive", "ratio", "How many times more apron area US aircraft spread over at a base group under dispersed basing (doctrine.usa.basing: dispersed)."),
        "us_mainland_missiles_per_turn": _s("count", "missiles", "Land-attack missiles the US fires per turn at PLA air bases and embarkation ports when its plan allows strikes on the mainland."),
        "jpn_tomahawk_per_turn": _s("count", "missiles", "Tomahawks Japan fires per turn at PLA air bases and ports when its ladder level lists 'tomahawk' (counterstrike)."),
        "mainland_air_defence_kill": _s("prob", "share", "Share of coalition land-attack cruise missiles shot down by Chinese air defences."),
        "mainland_port_share": _s("prob", "share", "Share of coalition mainland strikes aimed at embarkation ports (the rest at air bases)."),
        "pla_fighter_runways": _s("positive", "runways", "Runways the PLA's fighters fly from within range of the fight (each must be cut to stop its sorties)."),
        "port_throughput_loss_per_missile": _s("prob", "share", "Share of embarkation-port throughput each arriving land-attack missile removes (compounding)."),
        "port_repair_per_turn": _s("prob", "share", "Share of port damage repaired each turn."),
    },
    "sorties": {
        "host_support_sortie_gain": _s("number", "ratio", "Extra sortie rate of US aircraft on an ally's bases when the ally provides munitions and fuel (host-nation support)."),
        "bomber_unrefuelled_km": _s("count", "km", "Distance from which bombers need tankers on the way to the fight."),
        "bomber_tanker_sorties_per_sortie": _s("count", "tanker sorties", "Tanker sorties a bomber sortie from beyond the unrefuelled distance needs."),
        "dispersal_sortie_factor": _s("prob", "ratio", "Share of the sortie cap US aircraft keep when dispersed over more, smaller airfields (doctrine.usa.basing: dispersed)."),
        "cruise_kmh": _s("positive", "km/h", "Fighter cruise speed to and from the fight."),
        "on_station_h": _s("count", "hours", "Time on station per sortie."),
        "turnaround_h": _s("count", "hours", "Ground turnaround time per sortie."),
        "maintenance_h": _s("count", "hours", "Maintenance time per sortie."),
        "sortie_cap_per_day": _s("positive", "sorties/aircraft/day", "Crew and maintenance cap on fighter sorties."),
        "fighter_max_km": _s("count", "km", "Beyond this distance fighters cannot join the fight even with tanking."),
        "unrefuelled_radius_km": _s("count", "km", "Distance fighters can fight from without tanker support."),
        "tanker_sorties_per_fighter_sortie_per_1000km": _s("count", "tanker sorties", "Tanker sorties a fighter sortie needs per 1,000 km beyond the unrefuelled radius."),
        "tanker_sortie_rate_per_day": _s("count", "sorties/aircraft/day", "Tanker sorties per tanker per day."),
        "bomber_sortie_rate_per_day": _s("count", "sorties/aircraft/day", "Bomber sorties per bomber per day from a base 5,000 km away (scaled by 5,000 km / distance; bases nearer than 1,000 km count as 1,000 km)."),
        "bomber_max_km": _s("count", "km", "Bombers based farther than this cannot strike."),
        "pla_sortie_rate_per_day": _s("count", "sorties/aircraft/day", "PLA fighter sorties per aircraft per day (short distances)."),
        "pla_fighters_committed": _s("prob", "share", "Share of the PLA fighter force committed to the Taiwan fight."),
        "carrier_air_wing": _s("count", "aircraft", "Fighter/attack aircraft per US carrier."),
        "carrier_sortie_rate_per_day": _s("count", "sorties/aircraft/day", "Carrier air wing sorties per aircraft per day."),
        "strike_share_of_fighter_sorties": _s("prob", "share", "Share of coalition fighter sorties flown as anti-ship strikes (the rest fly CAP)."),
    },
    "air": {
        "quality_fighter_5gen": _s("positive", "multiplier", "Air-to-air combat value of a 5th-generation fighter sortie."),
        "quality_fighter_4gen": _s("positive", "multiplier", "Air-to-air combat value of a 4th/4.5-generation fighter sortie."),
        "coalition_lethality": _s("positive", "multiplier", "Multiplier on coalition air-to-air lethality (CSIS excursion: +30 %)."),
        "kill_rate_per_aircraft_day": _s("positive", "kills/aircraft-day", "Lanchester square attrition coefficient for aircraft on station."),
        "presence_hours_per_sortie": _s("count", "hours", "Hours in the battle area per fighter sortie (turns sorties into aircraft present)."),
        "pla_sam_loss_per_sortie": _s("prob", "probability", "PLA aircraft lost to Taiwanese ground fire and SAMs per sortie over Taiwan while its SAMs last."),
        "twn_sam_turns": _s("count", "turns", "Turns Taiwan's SAM belt keeps fighting."),
    },
    "antiship": {
        "p_hit_subsonic": _s("prob", "probability", "Average hits per subsonic anti-ship missile fired at a defended group."),
        "p_hit_supersonic": _s("prob", "probability", "Average hits per supersonic or ballistic anti-ship missile fired at a defended group."),
        "bomber_missiles_per_sortie": _s("count", "missiles", "Standoff anti-ship missiles per bomber sortie."),
        "fighter_missiles_per_strike_sortie": _s("count", "missiles", "Anti-ship missiles per fighter strike sortie."),
        "hits_to_kill_amphibious": _s("positive", "hits", "Hits to sink or mission-kill a large amphibious ship (LHD/LPD, LST, LSM)."),
        "hits_to_kill_roro": _s("positive", "hits", "Hits to sink or mission-kill a civilian Ro-Ro."),
        "hits_to_kill_pla_combatant": _s("positive", "hits", "Hits to sink or mission-kill a PLA major combatant."),
        "hits_to_kill_carrier": _s("positive", "hits", "Hits to put a US carrier out of the war."),
        "hits_to_kill_surface_combatant": _s("positive", "hits", "Hits to sink or mission-kill a coalition cruiser, destroyer or frigate."),
        "shore_missiles_per_launcher_turn": _s("count", "missiles", "Shore anti-ship missiles a surviving launcher fires per turn."),
        "allied_shore_reach_share": _s("prob", "share", "Share of a turn's shore-battery missiles from a base group outside Taiwan (northern Luzon) that find invasion traffic within range (the Luzon Strait and the approaches to southern beaches)."),
        "type12_per_turn": _s("count", "missiles", "Type 12 missiles Japan can fire per turn at the PLA fleet when its role allows."),
        "pla_asbm_per_turn": _s("count", "missiles", "Anti-ship ballistic missiles the PLA fires per turn at coalition ships."),
        "pla_ascm_per_turn": _s("count", "missiles", "Air- and ship-launched anti-ship cruise missiles per turn at coalition ships."),
        "pla_ascm_turns": _s("count", "turns", "Turns the PLA's high-end anti-ship missile effort lasts."),
        "us_surge_turn": _s("count", "turn", "Turn on which the US commits its follow-on fleet if the invasion is not yet defeated."),
        "us_surge_carriers": _s("count", "carriers", "Carriers in the follow-on fleet."),
        "us_surge_surface_combatants": _s("count", "ships", "Cruisers and destroyers in the follow-on fleet."),
        "us_forward_surface_combatants": _s("count", "ships", "US cruisers/destroyers in range of PLA missiles from D-Day (the rest stay back)."),
        "jpn_exposed_surface_combatants": _s("count", "ships", "JMSDF surface combatants within PLA anti-ship range once Japan is at war."),
        "pla_picket_share": _s("prob", "share", "Share of coalition anti-ship hits absorbed by PLA pickets and decoys rather than the invasion fleet."),
        "naval_target_weight_carrier": _s("count", "weight", "How much more the PLA aims at a carrier than at another warship."),
        "pla_combatants_in_theatre": _s("count", "ships", "PLA major combatants escorting and screening the invasion."),
        "targeting_floor": _s("prob", "share", "Share of full effectiveness coalition standoff anti-ship fires keep with space and organic sensors alone (no maritime patrol, no allied intelligence)."),
        "mpa_sortie_rate_per_day": _s("count", "sorties/aircraft/day", "Maritime patrol sorties per aircraft per day."),
        "mpa_sorties_for_track": _s("positive", "sorties/turn", "Maritime patrol sorties per turn that keep ~63 % of the invasion fleet tracked well enough for standoff missiles (coverage 1 - exp(-sorties / this))."),
        "intel_sharing_gain": _s("prob", "share", "Share of the remaining targeting gap each ally's intelligence sharing closes."),
    },
    "subs": {
        "ssn_amphib_kills_per_boat_turn": _s("count", "ships", "Large amphibious ships an SSN in the strait sinks per turn."),
        "ssn_escort_kills_per_boat_turn": _s("count", "ships", "Escorts and decoys an SSN in the strait sinks per turn."),
        "ssn_attrition_per_turn": _s("prob", "share", "Share of SSNs on station lost per turn."),
        "ssn_on_station_initial": _s("count", "boats", "US SSNs in the strait on D-Day."),
        "ssn_station_capacity": _s("count", "boats", "Most SSNs that can work the strait at once."),
        "ssn_patrol_days": _s("positive", "days", "Days on station before a boat must reload."),
        "ssn_transit_kmh": _s("positive", "km/h", "SSN transit speed to and from reload ports."),
        "ssn_reload_days": _s("count", "days", "Days to reload in port."),
        "ssk_kills_per_boat_turn": _s("count", "ships", "Amphibious ships or escorts a diesel submarine on station sinks per turn."),
        "ssk_attrition_per_turn": _s("prob", "share", "Share of diesel submarines on station lost per turn."),
        "ssk_amphibious_share": _s("prob", "share", "Share of a diesel submarine's kills that are amphibious ships (the rest escorts)."),
        "ssk_on_station_share": _s("prob", "share", "Share of a diesel submarine force on station (rest transiting)."),
        "ssk_defensive_kill_factor": _s("prob", "ratio", "Share of a full patrol's kills an ally's diesel boats achieve when its rung keeps them to the approaches of its own waters (DEFENSIVE_COMBAT)."),
        "ssn_approach_capacity": _s("positive", "boats", "Scale of diminishing returns for SSNs hunting on the approaches east and north of Taiwan (beyond the strait's squadron): effective boats C(1 - exp(-boats / C))."),
        "ssn_approach_attrition_per_turn": _s("prob", "share", "Share of SSNs on the approaches lost per turn."),
        "ssn_approach_amphib_kills_per_boat_turn": _s("count", "ships", "Large amphibious ships an SSN on the approaches sinks per turn."),
        "ssn_approach_escort_kills_per_boat_turn": _s("count", "ships", "Escorts, pickets or replenishment ships an SSN on the approaches sinks per turn."),
    },
    "lift": {
        "bn_per_ship_turn_lhd_lpd": _s("count", "battalions", "Battalion-equivalents an LHD/LPD lands per turn."),
        "bn_per_ship_turn_lst": _s("count", "battalions", "Battalion-equivalents an LST lands per turn."),
        "bn_per_ship_turn_lsm": _s("count", "battalions", "Battalion-equivalents an LSM lands per turn."),
        "bn_per_ship_turn_roro": _s("count", "battalions", "Battalion-equivalents a Ro-Ro lands per turn over the beach (more via a port)."),
        "offload_efficiency": _s("prob", "share", "Share of theoretical lift put ashore (late-WWII US = 1; Falklands = 0.7)."),
        "sustainment_per_bn_turn": _s("count", "battalion-lift", "Lift consumed to keep one battalion ashore supplied for a turn."),
        "port_bn_per_turn": _s("count", "battalions", "Extra battalion-equivalents per turn through each captured port (civilian shipping)."),
        "airfield_bn_per_turn": _s("count", "battalions", "Battalion-equivalents per turn through each captured airfield."),
        "airborne_bn_per_turn": _s("count", "battalions", "Airborne and air-assault battalions per turn with PLA air superiority."),
        "troops_per_bn": _s("count", "people", "Personnel per battalion-equivalent incl. support."),
        "unsupplied_below": _s("prob", "share", "Share of the lodgement's sustainment met by sea and facilities below which a turn counts out of supply."),
        "capacity_sd": _s("prob", "share", "Turn-to-turn spread of landing capacity (weather, sea state, unloading), as a share of it."),
        "troops_aboard_share": _s("prob", "share", "Share of a sunk ship's turn lift that was aboard when it sank."),
        "remnant_sailing_share": _s("prob", "share", "Share of a broken amphibious fleet (below the destroyed share) that still sails on supply runs; the rest keeps to port."),
        "sailing_margin": _s("positive", "ratio", "How much more lift than it needs the PLA sails each turn (the rest of the amphibious fleet waits in mainland ports)."),
    },
    "ground": {
        "twn_engaged_share_initial": _s("prob", "share", "Share of Taiwan's battalions that can engage the lodgement on the first turn."),
        "twn_engaged_share_per_turn": _s("prob", "share", "Extra share of Taiwan's battalions that reaches the front each later turn."),
        "pla_interdiction_slowdown": _s("prob", "share", "Share of Taiwan's movement to the front lost under full PLA air control (air interdiction)."),
        "twn_active_quality": _s("positive", "multiplier", "Combat value of a Taiwanese active battalion relative to a PLA one."),
        "twn_reserve_quality": _s("positive", "multiplier", "Combat value of a Taiwanese reserve battalion relative to a PLA one."),
        "attrition_per_turn": _s("prob", "share", "Battalions destroyed per turn per unit of opposing combat power (Lanchester linear law, scaled)."),
        "air_support_bonus": _s("count", "multiplier", "Extra combat power from controlling the air over the beachhead (0 = none)."),
        "unsupplied_combat_factor": _s("prob", "multiplier", "Combat power of forces ashore that are out of supply."),
        "advance_sd": _s("prob", "log-sd", "Spread of the front's advance from turn to turn (standard deviation of its logarithm)."),
        "twn_ammunition_factor": _s("prob", "multiplier", "Taiwan's combat power once an isolated Taiwan runs short of ammunition."),
        "advance_share_per_turn": _s("prob", "share", "Share of Taiwan taken per turn per unit of force ratio above the breakthrough ratio."),
        "breakthrough_ratio": _s("positive", "ratio", "Force ratio the attacker needs before the front moves."),
        "facility_capture_rate": _s("prob", "probability", "Chance per turn, per unit of force ratio above the breakthrough ratio, that the PLA seizes one more port or airfield near its lodgement."),
        "ports_total": _s("count", "count", "Major ports on Taiwan's west coast the PLA may capture."),
        "airfields_total": _s("count", "count", "Airfields the PLA may capture."),
        "capture_per_share": _s("positive", "facilities", "Ports and airfields captured per share of Taiwan held."),
        "capital_share": _s("prob", "share", "Share of Taiwan held at which Taipei falls."),
        "twn_collapse_share": _s("prob", "share", "Taiwan's army collapses when its strength falls below this share of the start."),
        "initial_lodgement_share": _s("prob", "share", "Share of Taiwan held by the first landing."),
        "twn_ammunition_turns": _s("count", "turns", "Turns after which an isolated Taiwan's fire is halved by ammunition shortage."),
    },
    "termination": {
        "fleet_destroyed_share": _s("prob", "share", "Amphibious fleet below this share of its start counts as destroyed."),
        "unsupplied_turns_for_defeat": _s("count", "turns", "Turns out of supply after which a lodgement with no port surrenders."),
        "settle_turns": _s("count", "turns", "Turns played on after the amphibious fleet is destroyed before the outcome is called."),
        "victory_facilities": _s("count", "count", "Ports and airfields the PLA must hold, with more battalions ashore than Taiwan has left, to bring the bulk of its forces over (CSIS's Chinese victory)."),
        "facility_denial_air_control": _s("prob", "share", "Coalition air-control index at or above which captured ports and airfields cannot be worked."),
        "stalemate_prc_facilities": _s("count", "count", "Ports and airfields held above which a stalemate leans to the PRC."),
    },
    "casualties": {
        "usa_killed_per_carrier": _s("count", "people", "US personnel killed per carrier lost."),
        "usa_killed_per_surface_combatant": _s("count", "people", "US personnel killed per cruiser or destroyer lost."),
        "usa_killed_per_ssn": _s("count", "people", "US personnel killed per SSN lost."),
        "usa_killed_per_aircraft_air": _s("count", "people", "US personnel killed per aircraft shot down."),
        "usa_killed_per_aircraft_ground": _s("count", "people", "US personnel killed per aircraft destroyed on the ground (base strikes)."),
        "wounded_per_killed": _s("count", "ratio", "Wounded per killed."),
        "chn_killed_at_sea_share": _s("prob", "share", "Share of PLA troops lost at sea who are killed."),
        "chn_killed_ashore_share": _s("prob", "share", "Share of PLA ground casualties who are killed."),
        "chn_killed_per_combatant": _s("count", "people", "PLA sailors killed per major combatant sunk."),
        "twn_killed_per_bn": _s("count", "people", "Taiwanese killed per battalion-equivalent destroyed."),
    },
}

BOUNDS: dict[Kind, tuple[float, float, str]] = {
    "count": (0.0, float("inf"), "a number >= 0"),
    "prob": (0.0, 1.0, "a probability in [0, 1]"),
    "number": (float("-inf"), float("inf"), "a number"),
    "positive": (0.0, float("inf"), "a number > 0"),
}
"""Allowed support per kind (``positive`` excludes 0 itself)."""
