"""The official SDK's tag calls and change_resource_group against the emulator (one batched script)."""

from __future__ import annotations

from typing import Any

import pytest

from aliyun.log.emulator import EmulatorServer

pytestmark = pytest.mark.conformance

TAGS_SCRIPT = """
P = "conf-tags"
out = {}
client.create_project(P, "tags")
client.create_logstore(P, "web", shard_count=1)
client.tag_project(P, env="prod", team="a")
client.untag_project(P, "team")
out["project"] = [page.get_tags() for page in client.get_project_tags(P)]
client.tag_resources("logstore", P + "#web", tier="gold")
out["logstore"] = [
    sorted([t.get_resource_id(), t.get_resource_type(), t.get_tag_key(), t.get_tag_value()] for t in page.get_tags())
    for page in client.list_tag_resources("logstore", P + "#web")
]
out["by_filter"] = sorted(
    t.get_resource_id() for page in client.list_tag_resources("logstore", None, tier="gold") for t in page.get_tags()
)
client.untag_resources("logstore", P + "#web", "tier")
out["untagged"] = [len(page.get_tags()) for page in client.list_tag_resources("logstore", P + "#web")]
out["missing"] = error_of(client.tag_resources, "logstore", P + "#absent", k="v")
out["reserved"] = error_of(client.tag_project, P, **{"acs:k": "v"})
client.change_resource_group(P, "rg-conf")
out["group"] = client.get_project(P).get_body().get("resourceGroupId")
client.delete_project(P)
emit(out)
"""


def test_tags_and_resource_group(run_official: Any, emulator: EmulatorServer) -> None:
    out = run_official(TAGS_SCRIPT, emulator)
    assert out["project"] == [{"env": "prod"}]
    assert out["logstore"] == [[["conf-tags#web", "logstore", "tier", "gold"]]]
    assert out["by_filter"] == ["conf-tags#web"]
    assert out["untagged"] == [0]
    assert (out["missing"]["code"], out["missing"]["status"]) == ("LogStoreNotExist", 404)
    assert out["reserved"]["code"] == "ParameterInvalid"
    assert out["group"] == "rg-conf"
