"""The official SDK's dashboard and saved-search calls against the emulator (one batched script)."""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

DOCUMENTS_SCRIPT = """
P = "conf-documents"
out = {}
client.create_project(P, "documents")
client.create_logstore(P, "web", shard_count=1)
for i in range(3):
    client.create_dashboard(P, {"dashboardName": "d%d" % i, "displayName": "D%d" % i, "charts": []})
client.update_dashboard(P, {"dashboardName": "d1", "displayName": "renamed", "charts": [{"title": "pv"}]})
out["dashboard"] = client.get_dashboard(P, "d1").get_entity()
listing = client.list_dashboard(P, 0, 2)
out["dashboards"] = [listing.get_dashboards(), listing.get_count(), listing.get_total()]
out["all_dashboards"] = client.list_dashboard(P, 0, -1).get_entities()
client.delete_dashboard(P, "d0")
out["missing_dashboard"] = error_of(client.get_dashboard, P, "d0")
out["duplicate_dashboard"] = error_of(client.create_dashboard, P, {"dashboardName": "d1", "charts": []})

search = {"savedsearchName": "errors", "searchQuery": "status: 500", "logstore": "web", "topic": "", "displayName": "E"}
client.create_savedsearch(P, search)
out["savedsearch"] = client.get_savedsearch(P, "errors").get_entity()
out["savedsearches"] = client.list_savedsearch(P).get_savedsearches()
client.delete_savedsearch(P, "errors")
out["missing_savedsearch"] = error_of(client.get_savedsearch, P, "errors")
client.delete_project(P)
emit(out)
"""


def test_dashboards_and_saved_searches(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(DOCUMENTS_SCRIPT, emulator)

    dashboard = out["dashboard"]
    assert (dashboard["dashboardName"], dashboard["displayName"], dashboard["charts"]) == (
        "d1",
        "renamed",
        [{"title": "pv"}],
    )
    assert dashboard["createTime"] <= dashboard["lastModifyTime"]
    assert out["dashboards"] == [["d0", "d1"], 2, 3]
    assert out["all_dashboards"] == ["d0", "d1", "d2"]
    assert (out["missing_dashboard"]["code"], out["missing_dashboard"]["status"]) == ("DashboardNotExist", 404)
    assert (out["duplicate_dashboard"]["code"], out["duplicate_dashboard"]["status"]) == ("ParameterInvalid", 400)

    assert out["savedsearch"]["searchQuery"] == "status: 500"
    assert out["savedsearches"] == ["errors"]
    assert out["missing_savedsearch"]["code"] == "SavedSearchNotExist"
