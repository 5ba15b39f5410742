"""DocumentService's scope-addressed calls and list filters (service-level families, any-of and
custom filters), on an in-memory emulator state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

import pytest
from _remote_emulator import NO_DUCKDB

pytest.importorskip("duckdb", reason=NO_DUCKDB)

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.http.shapes import document_listing
from aliyun.log.emulator.service.documents import SERVICE_SCOPE, DocumentFamily, DocumentService, owned_scope
from aliyun.log.emulator.service.paging import PageRequest
from aliyun.log.emulator.service.state import EmulatorState


def _even(doc: Mapping[str, Any], params: Mapping[str, Optional[str]]) -> bool:
    return params.get("even") != "1" or int(doc["n"]) % 2 == 0


FAMILY = DocumentFamily(
    kind="thing",
    name_field="name",
    not_exist="ThingNotExist",
    already_exist="ThingAlreadyExist",
    list_key="items",
    list_documents=True,
    service_level=True,
    any_of_filters={"names": "name"},
    select=_even,
)


@pytest.fixture
def service() -> DocumentService:
    return DocumentService(EmulatorState(None), FAMILY)


def test_service_level_documents_need_no_project(service: DocumentService) -> None:
    assert service.scope(None) == SERVICE_SCOPE
    for n in range(4):
        service.create(None, {"name": f"t{n}", "n": n})
    assert service.get(None, "t2")["n"] == 2
    assert service.docs.get(SERVICE_SCOPE, "t2") is not None


def test_any_of_and_custom_filters(service: DocumentService) -> None:
    for n in range(4):
        service.create(None, {"name": f"t{n}", "n": n})
    names = [
        doc["name"] for doc in document_listing(service.list(None, {"names": "t1,t2,absent"}, PageRequest()))["items"]
    ]
    assert names == ["t1", "t2"]
    assert [doc["name"] for doc in document_listing(service.list(None, {"even": "1"}, PageRequest()))["items"]] == [
        "t0",
        "t2",
    ]
    assert service.list(None, {"names": "t1", "even": "1"}, PageRequest()).found.total == 0


def test_calls_addressed_by_scope(service: DocumentService) -> None:
    scope = owned_scope("owner", "o1")
    service.create_in(scope, {"name": "a", "n": 1})
    assert service.require(scope, "a")["n"] == 1
    assert service.list_in(SERVICE_SCOPE, {}, PageRequest()).found.total == 0  # scopes do not mix
    service.update_in(scope, "a", {"name": "a", "n": 3})
    service.change_in(scope, "a", {"extra": True})
    assert service.require(scope, "a")["extra"] is True and service.require(scope, "a")["n"] == 3
    service.delete_in(scope, "a")
    with pytest.raises(SLSError) as info:
        service.delete_in(scope, "a")
    assert (info.value.code, info.value.status) == ("ThingNotExist", 404)


def test_owned_scopes_cannot_be_project_scopes() -> None:
    # ``~`` starts no project name, so deleting a project never deletes service documents
    assert owned_scope("resource", "r.x").startswith(SERVICE_SCOPE + "/")
    assert not SERVICE_SCOPE[0].isalnum()
