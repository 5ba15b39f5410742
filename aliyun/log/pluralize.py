"""English plural of a resource name (``dashboard`` -> ``dashboards``, ``index`` -> ``indices``),
as the resource paths of the SLS API are formed."""

from __future__ import annotations

__all__ = ["ABERRANT_PLURAL_MAP", "pluralize"]

#: words whose plural is not formed by the rules below
ABERRANT_PLURAL_MAP = {
    "appendix": "appendices", "barracks": "barracks", "cactus": "cacti", "child": "children",
    "criterion": "criteria", "deer": "deer", "echo": "echoes", "elf": "elves", "embargo": "embargoes",
    "focus": "foci", "fungus": "fungi", "goose": "geese", "hero": "heroes", "hoof": "hooves",
    "index": "indices", "knife": "knives", "leaf": "leaves", "life": "lives", "man": "men",
    "mouse": "mice", "nucleus": "nuclei", "person": "people", "phenomenon": "phenomena",
    "potato": "potatoes", "self": "selves", "syllabus": "syllabi", "tomato": "tomatoes",
    "torpedo": "torpedoes", "veto": "vetoes", "woman": "women",
}  # fmt: skip
_VOWELS = frozenset("aeiou")


def pluralize(singular: str) -> str:
    """The plural of a lowercase English noun (``''`` stays ``''``)."""
    if not singular:
        return ""
    special = ABERRANT_PLURAL_MAP.get(singular)
    if special:
        return special
    root, last = singular, singular[-1]
    second_last = singular[-2] if len(singular) > 1 else ""
    if last == "y" and second_last not in _VOWELS:
        return singular[:-1] + "ies"
    if last == "s":
        # Latin -us nouns (genius -> genii); other words in -s take -es (pass -> passes).
        return singular[:-2] + "i" if second_last == "u" else singular + "es"
    if singular.endswith(("ch", "sh", "x", "z")):
        return root + "es"
    return root + "s"
