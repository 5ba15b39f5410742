"""DocumentFamily options the job family needs: dotted filter fields and the modify-time field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log.emulator.clock import ManualClock
from aliyun.log.emulator.http.shapes import document_listing
from aliyun.log.emulator.service import EmulatorService
from aliyun.log.emulator.service.documents import DocumentFamily, DocumentService
from aliyun.log.emulator.service.paging import PageRequest

FAMILY = DocumentFamily(
    kind="thing",
    name_field="name",
    not_exist="ThingNotExist",
    already_exist="ThingAlreadyExist",
    list_key="results",
    list_documents=True,
    filters={"where": "configuration.place"},
    exact_filters={"kind": "type", "store": "configuration.logstore"},
    modify_time_field="lastModifiedTime",
)


@pytest.fixture
def things() -> Iterator[tuple[DocumentService, ManualClock]]:
    clock = ManualClock(1_700_000_000)
    service = EmulatorService(None, clock=clock)
    service.projects.create("proj", "")
    yield DocumentService(service.state, FAMILY), clock
    service.close()


def test_dotted_fields_filter_inside_nested_objects(things: tuple[DocumentService, ManualClock]) -> None:
    docs, _ = things
    docs.create("proj", {"name": "a", "type": "X", "configuration": {"logstore": "web", "place": "north-east"}})
    docs.create("proj", {"name": "b", "type": "X", "configuration": {"logstore": "web-2"}})
    docs.create("proj", {"name": "c", "type": "Y", "configuration": "not an object"})

    def names(**params: str) -> list[str]:
        return [doc["name"] for doc in document_listing(docs.list("proj", params, PageRequest()))["results"]]

    assert names(store="web") == ["a"]  # exact: web-2 is another logstore
    assert names(where="east") == ["a"]  # contains
    assert names(kind="X") == ["a", "b"]
    assert names(kind="Y", store="web") == []  # a field inside a non-object is missing
    assert names(store="") == ["a", "b", "c"]  # an empty filter filters nothing


def test_the_modify_time_field_is_the_familys(things: tuple[DocumentService, ManualClock]) -> None:
    docs, clock = things
    created = docs.create("proj", {"name": "a", "type": "X"})
    assert (created["createTime"], created["lastModifiedTime"]) == (1_700_000_000, 1_700_000_000)
    assert "lastModifyTime" not in created
    clock.advance(5)
    updated = docs.update("proj", "a", {"name": "a", "type": "X", "lastModifiedTime": 1})
    assert (updated["createTime"], updated["lastModifiedTime"]) == (1_700_000_000, 1_700_000_005)
    clock.advance(5)
    changed = docs.change("proj", "a", {"status": "on"})
    assert (changed["status"], changed["lastModifiedTime"]) == ("on", 1_700_000_010)
