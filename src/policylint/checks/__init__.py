"""Named built-in checks: what the generic primitives (:mod:`policylint.primitives`) cannot express
as data, grouped by subject. Same signature as the primitives; a rule pack names them with
``primitive: <name>``. Each is pure: it reads the model and yields findings.
"""

from __future__ import annotations

from policylint.checks.approvals import (
    approval_segregation,
    approval_unsigned,
    changed_since_approval,
    no_history,
)
from policylint.checks.assets import asset_hosts, owner_review
from policylint.checks.contracts import (
    contract_access_scope,
    contract_exists,
    contract_expiry,
    contract_signed,
    contract_type_fits,
    partner_audit,
    partner_sla,
)
from policylint.checks.documents import (
    approver_is_management,
    policy_approved,
    revision_approved,
    significant_change_review,
)
from policylint.checks.incidents import incident_reported_promptly
from policylint.checks.integrity import (
    duplicate_ids,
    placeholders,
    unknown_fields,
    unknown_kinds,
    unresolved_references,
)
from policylint.checks.legal import foreign_jurisdiction, named_laws_considered, retention_minimum
from policylint.checks.people import (
    no_duties_after_termination,
    offboarding_dates,
    person_status,
    roles_defined,
    training_current,
)
from policylint.checks.reviews import management_attends
from policylint.checks.risks import soa_complete, soa_matches_risks
from policylint.exceptions import exceptions_expired, exceptions_unapproved
from policylint.primitives import CheckFn

BUILTINS: dict[str, CheckFn] = {
    "duplicate_ids": duplicate_ids,
    "unresolved_references": unresolved_references,
    "unknown_kinds": unknown_kinds,
    "unknown_fields": unknown_fields,
    "placeholders": placeholders,
    "exceptions_expired": exceptions_expired,
    "exceptions_unapproved": exceptions_unapproved,
    "policy_approved": policy_approved,
    "approver_is_management": approver_is_management,
    "revision_approved": revision_approved,
    "roles_defined": roles_defined,
    "contract_exists": contract_exists,
    "contract_access_scope": contract_access_scope,
    "partner_sla": partner_sla,
    "contract_expiry": contract_expiry,
    "partner_audit": partner_audit,
    "owner_review": owner_review,
    "asset_hosts": asset_hosts,
    "contract_signed": contract_signed,
    "contract_type_fits": contract_type_fits,
    "training_current": training_current,
    "no_duties_after_termination": no_duties_after_termination,
    "person_status": person_status,
    "offboarding_dates": offboarding_dates,
    "named_laws_considered": named_laws_considered,
    "foreign_jurisdiction": foreign_jurisdiction,
    "changed_since_approval": changed_since_approval,
    "approval_unsigned": approval_unsigned,
    "approval_segregation": approval_segregation,
    "no_history": no_history,
    "soa_complete": soa_complete,
    "soa_matches_risks": soa_matches_risks,
    "management_attends": management_attends,
    "retention_minimum": retention_minimum,
    "significant_change_review": significant_change_review,
    "incident_reported_promptly": incident_reported_promptly,
}
