"""The metadata store: keyed lookups, scoped listing, atomic multi-document writes, durability."""

from __future__ import annotations

from pathlib import Path

import pytest

from aliyun.log.emulator.storage.meta import MetaStore


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MetaStore:
    meta = MetaStore(None if request.param == "memory" else tmp_path / "meta.sqlite")
    request.addfinalizer(meta.close)
    return meta


def test_get_finds_one_document_by_its_key(store: MetaStore) -> None:
    store.put("shipper", "p/ls", "a", {"n": 1})
    store.put("shipper", "p/ls2", "a", {"n": 2})
    store.put("config", "p/ls", "a", {"n": 3})
    assert store.get("shipper", "p/ls", "a") == {"n": 1}
    assert store.get("shipper", "p/ls2", "a") == {"n": 2}
    assert store.get("shipper", "p/ls", "missing") is None
    store.delete("shipper", "p/ls", "a")
    assert store.get("shipper", "p/ls", "a") is None


def test_items_of_one_scope(store: MetaStore) -> None:
    for scope, name in [("p", "b"), ("p", "a"), ("q", "c"), ("p/ls", "d")]:
        store.put("group", scope, name, {"name": name})
    assert [(s, n) for s, n, _ in store.items("group", scope="p")] == [("p", "a"), ("p", "b")]
    assert len(list(store.items("group"))) == 4


def test_a_failed_multi_document_write_changes_nothing(store: MetaStore) -> None:
    store.put("k", "s", "kept", 1)
    with pytest.raises(TypeError):  # the second document cannot be encoded: nothing is written
        store.write([("put", "k", "s", "new", 2), ("put", "k", "s", "bad", object())])
    assert store.get("k", "s", "new") is None and store.get("k", "s", "kept") == 1


def test_documents_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "meta.sqlite"
    first = MetaStore(path)
    first.put("project", "", "p", {"description": "d"})
    first.close()
    again = MetaStore(path)
    try:
        assert again.get("project", "", "p") == {"description": "d"}
    finally:
        again.close()
