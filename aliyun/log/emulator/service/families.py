"""The declared resource-document families (see :mod:`.documents` for what a declaration means).

One entry per family. A family's wire shape (paths and operation names) is in the operation
table (:mod:`aliyun.log._ops`); the HTTP binding of each family is in
:mod:`aliyun.log.emulator.http.documents`. Error codes and list shapes are SLS's, as its API
reference and the official clients show them (docs/resources.md "Resource documents").
"""

from __future__ import annotations

from typing import Any

from ..errors import bad_request
from .documents import DocumentFamily

__all__ = ["DASHBOARD", "FAMILIES", "SAVED_SEARCH"]


def _check_dashboard(doc: dict[str, Any]) -> None:
    charts = doc.get("charts", [])
    if not isinstance(charts, list) or not all(isinstance(chart, dict) for chart in charts):
        raise bad_request("ParameterInvalid", "charts must be a list of JSON objects")


DASHBOARD = DocumentFamily(
    kind="dashboard",
    name_field="dashboardName",
    not_exist="DashboardNotExist",
    already_exist="DashboardAlreadyExist",
    list_key="dashboards",
    items_key="dashboardItems",
    summary_fields=("displayName", "description"),
    validate=_check_dashboard,
)

SAVED_SEARCH = DocumentFamily(
    kind="savedsearch",
    name_field="savedsearchName",
    not_exist="SavedSearchNotExist",
    already_exist="SavedSearchAlreadyExist",
    list_key="savedsearches",
    items_key="savedsearchItems",
    summary_fields=("displayName", "logstore", "topic"),
    required=("searchQuery", "logstore"),
)

#: every declared family, by meta-store kind
FAMILIES: dict[str, DocumentFamily] = {family.kind: family for family in (DASHBOARD, SAVED_SEARCH)}
from .families_jobs import JOBS_FAMILIES  # noqa: E402  (the jobs area)

FAMILIES.update(JOBS_FAMILIES)
