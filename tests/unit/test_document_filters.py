"""List filters of resource-document families, on an in-memory emulator state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log.emulator.http.shapes import document_listing
from aliyun.log.emulator.service.documents import DocumentFamily, DocumentService
from aliyun.log.emulator.service.paging import PageRequest
from aliyun.log.emulator.service.state import EmulatorState, ProjectState


def _tags(doc: Mapping[str, Any]) -> list[str]:
    return [str(item["tag"]) for item in doc.get("items", [])]


FAMILY = DocumentFamily(
    kind="filtertest",
    name_field="name",
    not_exist="ThingNotExist",
    already_exist="ThingAlreadyExist",
    list_key="things",
    filters={"name": "name"},
    exact_filters={"kind": "kind"},
    derived_filters={"tag": _tags},
)


@pytest.fixture
def service() -> Iterator[DocumentService]:
    state = EmulatorState(None)
    state.projects["p1"] = ProjectState("p1", {"description": ""})
    try:
        yield DocumentService(state, FAMILY)
    finally:
        state.close()


def test_contains_exact_and_derived_filters_combine(service: DocumentService) -> None:
    service.create("p1", {"name": "alpha", "kind": "a", "items": [{"tag": "red"}, {"tag": "blue"}]})
    service.create("p1", {"name": "alpha-2", "kind": "b", "items": [{"tag": "blue"}]})
    service.create("p1", {"name": "beta", "kind": "a", "items": []})

    def names(**params: str) -> list[str]:
        return list(document_listing(service.list("p1", params, PageRequest()))["things"])

    assert names() == ["alpha", "alpha-2", "beta"]
    assert names(name="alpha") == ["alpha", "alpha-2"]  # contains
    assert names(kind="a") == ["alpha", "beta"]  # equality
    assert names(tag="blue") == ["alpha", "alpha-2"]  # one of the derived values
    assert names(tag="blu") == []  # derived values match whole, not in part
    assert names(tag="blue", kind="b") == ["alpha-2"]
    assert names(tag="") == ["alpha", "alpha-2", "beta"]  # an empty parameter filters nothing
