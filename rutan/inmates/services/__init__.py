"""Every write to the inmate register: validated, atomic and audited.

`register` holds registration, identity, placements and Register F; `custody` the warrants,
the verdict and the remisi ledger; `derived` the stored dates they all keep up to date.
"""

from .custody import (
    custody_alerts_send,
    detention_add,
    detention_remove,
    latest_remisi,
    remisi_grant_create,
    remisi_grant_remove,
    verdict_record,
    verdict_remove,
)
from .derived import (
    DERIVED_FIELDS,
    DETENTION_FIELDS,
    INMATE_FIELDS,
    _apply_derived,
    derived_values,
    inmates_recompute_stages,
    reckon_inmate,
    register_for_sentence,
    rules_context,
    stage_dates,
    stage_rule_set,
    stage_rules_for,
    verdict_of,
)
from .privacy import Anonymised, inmate_anonymise, inmates_anonymise_due, redact_text
from .register import (
    disciplinary_close,
    disciplinary_create,
    inmate_create,
    inmate_move_block,
    inmate_record_read,
    inmate_release,
    inmate_transfer,
    inmate_update,
)
from .rulecache import rules_cached

__all__ = [
    "Anonymised",
    "inmate_anonymise",
    "inmates_anonymise_due",
    "redact_text",
    "DERIVED_FIELDS",
    "DETENTION_FIELDS",
    "INMATE_FIELDS",
    "_apply_derived",
    "custody_alerts_send",
    "detention_add",
    "derived_values",
    "detention_remove",
    "disciplinary_close",
    "disciplinary_create",
    "inmate_create",
    "inmate_move_block",
    "inmate_record_read",
    "inmate_release",
    "inmate_transfer",
    "inmate_update",
    "inmates_recompute_stages",
    "latest_remisi",
    "reckon_inmate",
    "register_for_sentence",
    "rules_cached",
    "rules_context",
    "remisi_grant_create",
    "remisi_grant_remove",
    "stage_dates",
    "stage_rule_set",
    "stage_rules_for",
    "verdict_of",
    "verdict_record",
    "verdict_remove",
]
