"""Field extractors, by their short names (``REGEX``, ``CSV``, ``JSON``, ``KV`` ...)."""

from .trans_csv import trans_comp_csv, trans_comp_psv, trans_comp_tsv
from .trans_json import trans_comp_json
from .trans_kv import trans_comp_kv
from .trans_lookup import trans_comp_lookup
from .trans_mv import trans_comp_split_event
from .trans_regex import trans_comp_regex
from .trans_set_field import V, trans_set_field_zip

__all__ = ["CSV", "JSON", "KV", "LOOKUP", "PSV", "REGEX", "SPLIT", "TSV", "ZIP", "V"]

LOOKUP = trans_comp_lookup
REGEX = trans_comp_regex
CSV = trans_comp_csv
TSV = trans_comp_tsv
PSV = trans_comp_psv
JSON = trans_comp_json
KV = trans_comp_kv
SPLIT = trans_comp_split_event
ZIP = trans_set_field_zip
