"""The built-in questionnaires: the PCN relationship check and the practice sustainability outlook.

The relationship spectrum runs from allies (collaboration) to enemies (conflict); its positions,
0 to 4, are what the divided-PCN rule compares (``spread.is_divided``).
"""

from __future__ import annotations

from typing import Any

SPECTRUM = [
    ("allies", "Allies: we collaborate"),
    ("friends", "Friends: we cooperate"),
    ("neighbours", "Neighbours: we keep our independence"),
    ("rivals", "Rivals: we compete"),
    ("enemies", "Enemies: we are in conflict"),
]
POSITION = {value: i for i, (value, _) in enumerate(SPECTRUM)}

RELATIONSHIP: list[dict[str, Any]] = [
    {
        "key": "stance",
        "kind": "single",
        "text": "Where does your practice stand with its PCN?",
        "hint": "Your practice's own stance towards the PCN and its other practices.",
        "choices": SPECTRUM,
    },
    {
        "key": "pcn_view",
        "kind": "single",
        "text": "Where do you think your PCN stands with your practice?",
        "choices": SPECTRUM,
    },
    {
        "key": "closer",
        "kind": "long",
        "text": "What would your practice need to move one step closer?",
        "required": False,
        "shown_if": "stance",
        "shown_values": ["friends", "neighbours", "rivals", "enemies"],
    },
]

SUSTAINABILITY: list[dict[str, Any]] = [
    {
        "key": "gaps",
        "kind": "multiple",
        "text": "Where does your practice have workforce gaps now?",
        "required": False,
        "choices": [
            ("gp", "GPs"),
            ("nurse", "Practice nurses"),
            ("arrs", "Additional roles (pharmacists, paramedics and others)"),
            ("admin", "Reception and administration"),
            ("manager", "Management"),
        ],
    },
    {
        "key": "leaving",
        "kind": "scale",
        "text": "How many partners plan to leave or retire within two years?",
        "hint": "0 to 10; 10 means ten or more.",
        "scale_min": 0,
        "scale_max": 10,
    },
    {
        "key": "finance",
        "kind": "single",
        "text": "How is the practice's financial position?",
        "choices": [
            ("secure", "Secure"),
            ("stable", "Stable"),
            ("stretched", "Stretched"),
            ("at_risk", "At risk"),
        ],
    },
    {
        "key": "outlook",
        "kind": "single",
        "text": "Where do you see the practice in five years?",
        "choices": [
            ("grow", "Growing"),
            ("same", "Much as now"),
            ("merge", "Merged with another practice"),
            ("smaller", "Smaller"),
            ("handback", "Contract handed back"),
        ],
    },
    {
        "key": "support",
        "kind": "long",
        "text": "What support would make the most difference?",
        "required": False,
    },
]

TEMPLATES: dict[str, dict[str, Any]] = {
    "relationship": {
        "title": "PCN relationship check",
        "introduction": (
            "Place your practice, and your PCN, on the spectrum from allies to enemies. "
            "Results show each PCN how far its practices agree."
        ),
        "confidential": False,
        "questions": RELATIONSHIP,
    },
    "sustainability": {
        "title": "Practice sustainability outlook",
        "introduction": (
            "Tell the group how sustainable your practice is. Only officers see your practice's "
            "answers; members see the totals."
        ),
        "confidential": True,
        "questions": SUSTAINABILITY,
    },
}
