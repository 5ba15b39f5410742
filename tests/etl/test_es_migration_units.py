"""es_migration's converters and mappings, without any server (cases after the official tests)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

pytest.importorskip("elasticsearch")

from aliyun.log import LogException
from aliyun.log.es_migration.doc_logitem_converter import DocLogItemConverter
from aliyun.log.es_migration.index_logstore_mappings import IndexLogstoreMappings
from aliyun.log.es_migration.mapping_index_converter import MappingIndexConverter
from aliyun.log.es_migration.migration_task import Checkpoint
from aliyun.log.es_migration.util import split_and_strip

MAPPINGS = json.dumps(
    {
        "logstore1": "my_index*",
        "logstore2": "a_index,b_index,c_index",
        "logstore3": "index1",
        "logstore4": "xxx_*_yyy",
        "logstore5": "not_exists",
    }
)
INDEXES = [
    "my_index",
    "my_index123",
    "a_index",
    "b_index",
    "d_index",
    "index1",
    "index2",
    "xxx__yyy",
    "xxx_123_yyy",
    "xxxyyy",
]


@pytest.mark.parametrize(
    ("index", "logstore"),
    [
        ("my_index", "logstore1"), ("my_index123", "logstore1"), ("my_indexabcd", None), ("my_inde", None),
        ("a_index", "logstore2"), ("b_index", "logstore2"), ("c_index", None), ("d_index", "d_index"),
        ("index1", "logstore3"), ("index2", "index2"), ("xxx__yyy", "logstore4"), ("xxx_123_yyy", "logstore4"),
        ("xxx_456_yyy", None), ("xxxyyy", "xxxyyy"),
    ],
)  # fmt: skip
def test_index_to_logstore(index: str, logstore: str) -> None:
    assert IndexLogstoreMappings(INDEXES, MAPPINGS).get_logstore(index) == logstore


def test_logstore_to_indexes() -> None:
    mappings = IndexLogstoreMappings(INDEXES, MAPPINGS)
    assert set(mappings.get_indexes("logstore1")) == {"my_index", "my_index123"}
    assert set(mappings.get_indexes("logstore4")) == {"xxx__yyy", "xxx_123_yyy"}
    assert mappings.get_indexes("logstore5") == [] and mappings.get_indexes("d_index") == ["d_index"]
    assert set(mappings.get_all_logstores()) == {
        "logstore1",
        "logstore2",
        "logstore3",
        "logstore4",
        "d_index",
        "index2",
        "xxxyyy",
    }
    assert set(mappings.get_all_indexes()) == set(INDEXES)
    plain = IndexLogstoreMappings(["i1", "i2"])
    assert (plain.get_logstore("i1"), plain.get_indexes("i2")) == ("i1", ["i2"])


def test_match_patterns_and_conflicts() -> None:
    assert IndexLogstoreMappings._get_match_indexes("index", ["my_index", "index", "your_index"]) == ["index"]
    assert IndexLogstoreMappings._get_match_indexes("index*", ["index", "index123", "inde"]) == ["index", "index123"]
    assert (
        IndexLogstoreMappings._get_match_indexes("", ["a"]) == []
        and IndexLogstoreMappings._get_match_indexes("a", []) == []
    )
    with pytest.raises(LogException):
        IndexLogstoreMappings(["my_index", "my_index1"], json.dumps({"ls1": "my_index*", "ls2": "my_index"}))


def test_doc_to_log_item() -> None:
    doc = {
        "_index": "all_data_types", "_type": "_doc", "_id": 1,
        "_source": {"es_date": "2018-07-23 14:00:00+00:00", "n": 3, "obj": {"a": [1, 2]}, "flag": True},
    }  # fmt: skip
    item = DocLogItemConverter.to_log_item(doc, "es_date")
    assert item.get_time() == 1532354400
    contents = dict(item.get_contents())
    assert contents["__tag__:__es_index__"] == "all_data_types" and contents["__tag__:__es_type__"] == "_doc"
    assert (contents["_id"], contents["n"], contents["flag"]) == ("1", "3", "True")
    assert json.loads(contents["obj"]) == {"a": [1, 2]}
    assert DocLogItemConverter.get_index(doc) == "all_data_types"
    assert dict(DocLogItemConverter.to_log_item({"_source": {}}, None).get_contents()) == {}


def test_mapping_to_index() -> None:
    nested = {"properties": {"x": {"properties": {"y": {"type": "double"}}}}}
    config = MappingIndexConverter.to_index_config(
        {"properties": {"Name": {"type": "keyword"}, "name": {"type": "text"}, "n": {"type": "short"},
                        "r": {"type": "date_range"}, "o": nested}}
    )  # fmt: skip
    assert config is not None
    keys = config.to_json()["keys"]
    assert set(keys) == {"_id", "Name", "n", "r", "o"}  # "name" is "Name" to SLS
    assert keys["n"]["type"] == "long" and keys["r"]["json_keys"]["gte"]["type"] == "text"
    assert keys["o"]["json_keys"] == {"x.y": {"type": "double", "doc_value": True}}
    assert config.to_json()["line"]["chn"] is True and MappingIndexConverter.to_index_config({}) is None
    with pytest.raises(LogException):
        MappingIndexConverter.to_key_config_list({"bad": {"no": "type"}})


def test_checkpoint_refuses_another_task(tmp_path: Path) -> None:
    log = logging.getLogger("test")
    ckpt = Checkpoint(str(tmp_path), 1, "idx", 0, "ls", None, log)
    ckpt.update(count=5, _id="d5")
    again = Checkpoint(str(tmp_path), 1, "idx", 0, "ls", None, log)
    assert (again.progress, again.id, again.status) == (5, "d5", Checkpoint.processing)
    with pytest.raises(LogException):
        Checkpoint(str(tmp_path), 1, "other", 0, "ls", None, log)


def test_split_and_strip() -> None:
    assert split_and_strip(" a , b ,c", ",") == ["a", "b", "c"] and split_and_strip("a b") == ["a", "b"]
