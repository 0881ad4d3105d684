"""The five CSIS outcome classes: codes, labels and what each means (no heavy imports, so
help texts can use them).

>>> OUTCOMES[0], OUTCOME_LABELS["prc_defeat"]
('prc_victory', 'PRC defeat')
"""

from __future__ import annotations

OUTCOMES: tuple[str, ...] = ("prc_victory", "stalemate_prc", "stalemate_indeterminate",
                             "stalemate_defence", "prc_defeat")
"""Outcome names by code (CSIS p.84-85)."""

OUTCOME_LABELS: dict[str, str] = {
    "prc_victory": "PRC victory",
    "stalemate_prc": "Stalemate leaning PRC",
    "stalemate_indeterminate": "Stalemate, indeterminate",
    "stalemate_defence": "Stalemate leaning against PRC",
    "prc_defeat": "PRC defeat",
}

OUTCOME_DESCRIPTIONS: dict[str, str] = {
    "prc_victory": "Taipei falls, Taiwan's army collapses, or the PLA ashore outnumbers "
                   "Taiwan's army and holds enough working ports and airfields to bring its "
                   "forces over (CSIS p.84)",
    "stalemate_prc": "the war settles with the PLA holding several working ports or airfields, "
                     "or still landing with its fleet intact at the horizon",
    "stalemate_indeterminate": "the PLA holds some facilities and a secure lodgement but "
                               "cannot bring the bulk of its forces over",
    "stalemate_defence": "the lodgement is contained: no working port or airfield, a poor "
                         "force ratio ashore",
    "prc_defeat": "the amphibious fleet is destroyed and the PLA ashore is out of supply or "
                  "gone (CSIS p.85)",
}
"""What each outcome class means (CSIS p.84-85), for help texts, tables and reports."""

GLOSSARY: str = "Outcome classes (CSIS p.84-85): " + "; ".join(
    f"{OUTCOME_LABELS[k]}: {v}" for k, v in OUTCOME_DESCRIPTIONS.items()) + "."
"""The outcome classes in one paragraph."""


__all__ = ["GLOSSARY", "OUTCOMES", "OUTCOME_DESCRIPTIONS", "OUTCOME_LABELS"]


_CODES = {"usa": "US", "prc": "PRC", "chn": "PLA", "jpn": "Japan", "twn": "Taiwan",
          "aus": "Australia", "phl": "Philippines", "kor": "Korea"}


def column_words(name: str) -> str:
    """A result column or outcome in words, for headlines and chart labels.

    >>> column_words("usa_killed"), column_words("prc_victory"), column_words("chn_ships_lost")
    ('US killed', 'PRC victory', 'PLA ships lost')
    """
    return " ".join(_CODES.get(w, w) for w in name.split("_"))
