"""Resources and their records: our ``LogClient`` against the emulator (in-process and over a socket)."""

from __future__ import annotations

import itertools
from typing import Any, Callable

import pytest

from aliyun.log import LogClient, LogException
from aliyun.log.resource_params import Resource, ResourceRecord, ResourceSchemaItem

_names = itertools.count()


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as info:
        call()
    return info.value


@pytest.fixture
def resource(client: LogClient) -> Any:
    """A fresh resource (resources belong to the service, shared by every test: unique names)."""
    name = f"test.resource.{next(_names)}"
    schema = [ResourceSchemaItem(column="user", schema_type="string"), ResourceSchemaItem("age", None, "long")]
    client.create_resource(Resource(name, "userdefine", schema, "people", {"owner": "me"}, "extra"))
    yield name
    try:
        client.delete_resource(name)
    except LogException:
        pass


def test_resource_round_trip(client: LogClient, resource: str) -> None:
    got = client.get_resource(resource).get_resource()
    assert (got.get_resource_name(), got.get_resource_type(), got.get_description()) == (
        resource,
        "userdefine",
        "people",
    )
    assert [(s.get_column(), s.get_schema_type()) for s in got.get_schema()] == [("user", "string"), ("age", "long")]
    assert (got.get_acl(), got.get_ext_info()) == ({"owner": "me"}, "extra")
    assert got.get_create_time() == got.get_last_modify_time()

    client.update_resource(Resource(resource, description="changed"))  # only what is set changes
    changed = client.get_resource(resource).get_resource()
    assert (changed.get_description(), len(changed.get_schema()), changed.get_ext_info()) == ("changed", 2, "extra")

    client.delete_resource(resource)
    missing = error_of(lambda: client.get_resource(resource))
    assert (missing.get_error_code(), missing.resp_status) == ("ResourceNotExist", 404)


def test_list_resources_filters_by_type_and_names(client: LogClient, resource: str) -> None:
    other = resource + ".other"
    client.create_resource(Resource(other, "othertype"))
    try:
        listing = client.list_resources(resource_names=[resource, other, "absent"])
        assert sorted(r.get_resource_name() for r in listing.get_resources()) == sorted([resource, other])
        assert listing.get_count() == listing.get_total() == 2
        only = client.list_resources(resource_type="othertype", resource_names=[resource, other])
        assert [r.get_resource_name() for r in only.get_resources()] == [other]
        page = client.list_resources(offset=1, size=1, resource_names=[resource, other])
        assert (page.get_count(), page.get_total()) == (1, 2)
    finally:
        client.delete_resource(other)


def test_resource_errors(client: LogClient, resource: str) -> None:
    again = error_of(lambda: client.create_resource(Resource(resource, "userdefine")))
    assert (again.get_error_code(), again.resp_status) == ("ResourceAlreadyExist", 400)
    assert error_of(lambda: client.update_resource(Resource("absent.res", description="x"))).get_error_code() == (
        "ResourceNotExist"
    )
    assert error_of(lambda: client.create_resource(Resource("bad name", "t"))).get_error_code() == "ParameterInvalid"
    with pytest.raises(ValueError):  # the parameter class's own check, as in the official SDK
        client.create_resource(Resource("no.type"))
    for call in (
        lambda: client.create_resource("not a resource"),  # type: ignore[arg-type]
        lambda: client.get_resource("a/b"),
        lambda: client.list_resources(resource_names="not a list"),
        lambda: client.delete_resource_record(resource, "id"),  # type: ignore[arg-type]
    ):
        assert error_of(call).get_error_code() == "BadParameters"


def test_records_round_trip(client: LogClient, resource: str) -> None:
    created = client.create_resource_record(resource, ResourceRecord(value={"user": "ann"}, tag="staff"))
    chosen = created.get_body()["id"]  # an id chosen by the service
    client.create_resource_record(resource, ResourceRecord("bob", "staff", {"user": "bob"}))
    duplicate = error_of(lambda: client.create_resource_record(resource, ResourceRecord("bob", None, {"x": 1})))
    assert duplicate.get_error_code() == "ResourceRecordAlreadyExist"

    record = client.get_resource_record(resource, "bob").get_record()
    assert (record.get_record_id(), record.get_tag(), record.get_value()) == ("bob", "staff", {"user": "bob"})

    client.update_resource_record(resource, ResourceRecord("bob", None, {"user": "robert"}))
    updated = client.get_resource_record(resource, "bob").get_record()
    assert (updated.get_tag(), updated.get_value()) == ("staff", {"user": "robert"})  # tag kept

    client.upsert_resource_record(
        resource, [ResourceRecord("bob", "guest", {"user": "bob"}), ResourceRecord("cy", "guest", {"user": "cy"})]
    )
    all_records = client.list_resource_records(resource)
    assert sorted(r.get_record_id() for r in all_records.get_records()) == sorted([chosen, "bob", "cy"])
    guests = client.list_resource_records(resource, tag="guest")
    assert sorted(r.get_record_id() for r in guests.get_records()) == ["bob", "cy"]
    picked = client.list_resource_records(resource, record_ids=["cy", chosen])
    assert sorted(r.get_record_id() for r in picked.get_records()) == sorted(["cy", chosen])
    page = client.list_resource_records(resource, offset=0, size=2)
    assert (page.get_count(), page.get_total()) == (2, 3)

    client.delete_resource_record(resource, ["bob", "never-existed"])
    assert error_of(lambda: client.get_resource_record(resource, "bob")).get_error_code() == "ResourceRecordNotExist"
    absent = error_of(lambda: client.update_resource_record(resource, ResourceRecord("bob", None, {"x": 1})))
    assert (absent.get_error_code(), absent.resp_status) == ("ResourceRecordNotExist", 404)


def test_records_go_with_their_resource(client: LogClient, resource: str) -> None:
    client.create_resource_record(resource, ResourceRecord("kept?", None, {"v": 1}))
    client.delete_resource(resource)
    no_owner = error_of(lambda: client.list_resource_records(resource))
    assert no_owner.get_error_code() == "ResourceNotExist"
    client.create_resource(Resource(resource, "userdefine"))
    assert client.list_resource_records(resource).get_total() == 0


def test_record_errors(client: LogClient, resource: str) -> None:
    with pytest.raises(ValueError):
        client.create_resource_record(resource, ResourceRecord("empty", None, None))
    with pytest.raises(ValueError):
        client.update_resource_record(resource, ResourceRecord(None, None, {"v": 1}))
    too_many = [ResourceRecord(f"r{i}", None, {"i": i}) for i in range(101)]
    assert error_of(lambda: client.upsert_resource_record(resource, too_many)).get_error_code() == "ParameterInvalid"
    assert client.list_resource_records(resource).get_total() == 0  # nothing of a refused batch is kept
    assert error_of(lambda: client.upsert_resource_record(resource, [])).get_error_code() == "BadParameters"
    bad_id = error_of(lambda: client.create_resource_record(resource, ResourceRecord("a,b", None, {"v": 1})))
    assert bad_id.get_error_code() == "ParameterInvalid"
    no_resource = error_of(lambda: client.create_resource_record("absent.res", ResourceRecord("x", None, {"v": 1})))
    assert no_resource.get_error_code() == "ResourceNotExist"
