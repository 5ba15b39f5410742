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
from .families_datamod import DATAMOD_FAMILIES
from .families_jobs import JOBS_FAMILIES
from .families_stores import STORES_FAMILIES
from .families_tags import TAGS_AREA_FAMILIES

__all__ = ["DASHBOARD", "FAMILIES", "SAVED_SEARCH"]


#: the most charts one dashboard holds
MAX_CHARTS = 200


def _check_dashboard(doc: dict[str, Any]) -> None:
    charts = doc.get("charts", [])
    if not isinstance(charts, list) or not all(isinstance(chart, dict) for chart in charts):
        raise bad_request("ParameterInvalid", "charts must be a list of JSON objects")
    if len(charts) > MAX_CHARTS:
        raise bad_request("ExceedQuota", f"a dashboard holds at most {MAX_CHARTS} charts, got {len(charts)}")
    titles = [chart.get("title") for chart in charts if chart.get("title") is not None]
    if len(titles) != len(set(map(str, titles))):
        raise bad_request("PostBodyInvalid", "two charts of the dashboard have the same title")


DASHBOARD = DocumentFamily(
    kind="dashboard",
    name_field="dashboardName",
    not_exist="DashboardNotExist",
    # SLS answers a taken dashboard name with a ParameterInvalid of its own wording
    already_exist="ParameterInvalid",
    already_exist_message="specified dashboard already exists",
    name_length=(2, 128),
    name_code="InvalidDashboardName",
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
    name_length=(3, 63),
    quota=100,
)

#: every declared family, by meta-store kind
FAMILIES: dict[str, DocumentFamily] = {family.kind: family for family in (DASHBOARD, SAVED_SEARCH)}
FAMILIES.update(STORES_FAMILIES)
FAMILIES.update(DATAMOD_FAMILIES)
FAMILIES.update(TAGS_AREA_FAMILIES)
FAMILIES.update(JOBS_FAMILIES)
