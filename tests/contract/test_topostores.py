"""Topostores, their nodes and relations: our ``LogClient`` against the emulator (both modes)."""

from __future__ import annotations

import itertools
from typing import Any, Callable

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.topostore_params import Topostore, TopostoreNode, TopostoreRelation

_names = itertools.count()


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


@pytest.fixture
def store(client: LogClient) -> Any:
    """A fresh topostore (topostores belong to the service, shared by every test: unique names)."""
    name = f"test-topo-{next(_names)}"
    client.create_topostore(Topostore(name, {"team": "sre"}, {"v": 1}, "graph", {"read": ["*"]}, "ext"))
    yield name
    try:
        client.delete_topostore(name)
    except LogException:
        pass


def node(node_id: str, node_type: str = "host", **prop: Any) -> TopostoreNode:
    return TopostoreNode(node_id, node_type, prop or None, f"{node_id} node", node_id.upper())


def relation(relation_id: str, src: str, dst: str, kind: str = "calls", **prop: Any) -> TopostoreRelation:
    return TopostoreRelation(relation_id, kind, src, dst, prop or None, "", relation_id)


def test_topostore_round_trip_and_list(client: LogClient, store: str) -> None:
    got = client.get_topostore(store).get_topostore()
    assert (got.get_name(), got.get_tag(), got.get_schema(), got.get_description()) == (
        store,
        {"team": "sre"},
        {"v": 1},
        "graph",
    )
    assert (got.get_acl(), got.get_ext_info()) == ({"read": ["*"]}, "ext")

    client.update_topostore(Topostore(store, description="changed"))  # only what is set changes
    changed = client.get_topostore(store).get_topostore()
    assert (changed.get_description(), changed.get_tag()) == ("changed", {"team": "sre"})

    other = store + "-other"
    client.create_topostore(Topostore(other, {"team": "db"}))
    try:
        both = client.list_topostores(names=[store, other])
        assert sorted(t.get_name() for t in both.get_topostores()) == sorted([store, other])
        sre = client.list_topostores(names=[store, other], tag_key="team", tag_value="sre")
        assert [t.get_name() for t in sre.get_topostores()] == [store]
        assert client.list_topostores(names=[store, other], tag_key="team").get_total() == 2
        assert client.list_topostores(names=[store, other], tag_value="db").get_total() == 1
    finally:
        client.delete_topostore(other)

    again = error_of(lambda: client.create_topostore(Topostore(store)))
    assert (again.get_error_code(), again.resp_status) == ("TopostoreAlreadyExist", 400)
    client.delete_topostore(store)
    missing = error_of(lambda: client.get_topostore(store))
    assert (missing.get_error_code(), missing.resp_status) == ("TopostoreNotExist", 404)


def test_nodes(client: LogClient, store: str) -> None:
    client.create_topostore_node(store, node("web-1", region="hz", tier="front"))
    client.upsert_topostore_node(store, [node("web-2", region="sh"), node("db-1", "database", region="hz")])
    got = client.get_topostore_node(store, "web-1").get_node()
    assert (got.get_node_id(), got.get_node_type()) == ("web-1", "host")
    assert got.get_property() == {"region": "hz", "tier": "front"}
    assert got.get_display_name() == "WEB-1"

    def ids(**filters: Any) -> list[str]:
        return sorted(n.get_node_id() for n in client.list_topostore_node(store, **filters).get_nodes())

    assert ids() == ["db-1", "web-1", "web-2"]
    assert ids(node_ids=["web-1", "db-1"]) == ["db-1", "web-1"]
    assert ids(node_types=["database"]) == ["db-1"]
    assert ids(property_key="region", property_value="hz") == ["db-1", "web-1"]
    assert ids(property_key="tier") == ["web-1"]
    page = client.list_topostore_node(store, offset=2, size=2)
    assert (page.get_count(), page.get_total()) == (1, 3)

    client.update_topostore_node(store, TopostoreNode("web-2", "host", {"region": "bj"}))
    assert client.get_topostore_node(store, "web-2").get_node().get_property() == {"region": "bj"}
    duplicate = error_of(lambda: client.create_topostore_node(store, node("web-2")))
    assert duplicate.get_error_code() == "TopostoreNodeAlreadyExist"

    client.delete_topostore_node(store, ["web-2", "never-existed"])
    absent = error_of(lambda: client.get_topostore_node(store, "web-2"))
    assert (absent.get_error_code(), absent.resp_status) == ("TopostoreNodeNotExist", 404)
    assert error_of(lambda: client.update_topostore_node(store, node("web-2"))).get_error_code() == (
        "TopostoreNodeNotExist"
    )


def test_relations(client: LogClient, store: str) -> None:
    client.upsert_topostore_node(store, [node("a"), node("b"), node("c")])
    client.create_topostore_relation(store, relation("a-b", "a", "b", weight="1"))
    client.upsert_topostore_relation(store, [relation("b-c", "b", "c"), relation("a-c", "a", "c", "owns")])
    got = client.get_topostore_relation(store, "a-b").get_relation()
    assert (got.get_src_node_id(), got.get_dst_node_id(), got.get_property()) == ("a", "b", {"weight": "1"})

    def ids(**filters: Any) -> list[str]:
        return sorted(r.get_relation_id() for r in client.list_topostore_relation(store, **filters).get_relations())

    assert ids() == ["a-b", "a-c", "b-c"]
    assert ids(relation_ids=["a-b", "b-c"]) == ["a-b", "b-c"]
    assert ids(relation_types=["owns"]) == ["a-c"]
    assert ids(src_node_ids=["a"]) == ["a-b", "a-c"]
    assert ids(dst_node_ids=["c"]) == ["a-c", "b-c"]
    assert ids(src_node_ids=["a"], dst_node_ids=["c"]) == ["a-c"]
    assert ids(property_key="weight", property_value="1") == ["a-b"]

    client.update_topostore_relation(store, relation("a-b", "a", "c"))
    assert client.get_topostore_relation(store, "a-b").get_relation().get_dst_node_id() == "c"
    client.delete_topostore_relation(store, ["a-b"])
    assert ids() == ["a-c", "b-c"]
    no_src = error_of(lambda: client.create_topostore_relation(store, TopostoreRelation("x", "calls", None, "a")))
    assert no_src.get_error_code() == "ParameterInvalid"


def test_nodes_and_relations_go_with_their_store(client: LogClient, store: str) -> None:
    client.create_topostore_node(store, node("n"))
    client.create_topostore_relation(store, relation("r", "n", "n"))
    client.delete_topostore(store)
    assert error_of(lambda: client.list_topostore_node(store)).get_error_code() == "TopostoreNotExist"
    client.create_topostore(Topostore(store))
    assert client.list_topostore_node(store).get_total() == 0
    assert client.list_topostore_relation(store).get_total() == 0


def test_client_side_checks(client: LogClient, store: str) -> None:
    with pytest.raises(ValueError):  # the parameter classes' own checks, as in the official SDK
        client.create_topostore_node(store, TopostoreNode())
    with pytest.raises(ValueError):
        client.create_topostore(Topostore())
    too_many = [node(f"n{i}") for i in range(101)]
    assert error_of(lambda: client.upsert_topostore_node(store, too_many)).get_error_code() == "BadParameters"
    for call in (
        lambda: client.create_topostore_node(store, "not a node"),  # type: ignore[arg-type]
        lambda: client.get_topostore_node(store, "a/b"),
        lambda: client.delete_topostore_relation(store, "r"),  # type: ignore[arg-type]
        lambda: client.list_topostore_node(store, node_ids="a"),  # type: ignore[arg-type]
    ):
        assert error_of(call).get_error_code() == "BadParameters"
