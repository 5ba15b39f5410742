"""The data directory's layout: one place decides every path, and no name leaves the directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from aliyun.log.emulator import EmulatorServer
from aliyun.log.emulator.storage.layout import DataLayout


def test_paths_of_a_data_directory(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    assert layout.meta_file == tmp_path / "meta.sqlite"
    assert layout.report_file == tmp_path / "damage.jsonl"
    assert layout.shard_dir("proj", "logs", 3) == tmp_path / "shards" / "proj" / "logs" / "3"
    assert layout.index_dir("proj", "logs") == tmp_path / "index" / "proj" / "logs"
    assert layout.shard_name(tmp_path / "shards" / "proj" / "logs" / "3") == "proj/logs/3"


def test_an_in_memory_emulator_has_no_paths() -> None:
    layout = DataLayout(None)
    assert (layout.meta_file, layout.report_file, layout.shard_dir("p", "l", 0), layout.index_dir("p", "l")) == (
        None,
        None,
        None,
        None,
    )
    layout.drop_logstore("p", "l")  # nothing to delete, no error


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", "a\x00b", "../../etc"])
def test_a_name_that_would_leave_its_folder_is_refused(tmp_path: Path, name: str) -> None:
    layout = DataLayout(tmp_path)
    with pytest.raises(ValueError):
        layout.shard_dir(name, "logs", 0)
    with pytest.raises(ValueError):
        layout.index_dir("proj", name)
    with pytest.raises(ValueError):
        layout.drop_project(name)


def test_deleting_a_logstore_removes_its_folders_of_every_kind(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    kept = tmp_path / "shards" / "proj" / "other"
    for folder in (tmp_path / "shards" / "proj" / "logs" / "0", tmp_path / "index" / "proj" / "logs" / "g1", kept):
        folder.mkdir(parents=True)
        (folder / "data").write_bytes(b"x")
    layout.drop_logstore("proj", "logs")
    assert not (tmp_path / "shards" / "proj" / "logs").exists()
    assert not (tmp_path / "index" / "proj" / "logs").exists()
    assert (kept / "data").exists()
    layout.drop_project("proj")
    assert not (tmp_path / "shards" / "proj").exists()


def test_the_emulator_keeps_everything_where_the_layout_says(tmp_path: Path) -> None:
    from aliyun.log import IndexConfig, IndexLineConfig, LogItem, PutLogsRequest

    with EmulatorServer(port=0, data_dir=tmp_path) as server:
        client = server.client()
        client.create_project("layout-proj", "")
        client.create_logstore("layout-proj", "logs", shard_count=1)
        client.create_index("layout-proj", "logs", IndexConfig(line_config=IndexLineConfig()))
        client.put_logs(PutLogsRequest("layout-proj", "logs", "", "", [LogItem(1_700_000_000, [("k", "v")])]))
        client.get_log("layout-proj", "logs", 1_699_999_000, 1_700_001_000)
    layout = DataLayout(tmp_path)
    assert layout.meta_file is not None and layout.meta_file.is_file()
    shard = layout.shard_dir("layout-proj", "logs", 0)
    assert shard is not None and any(shard.iterdir())
    index = layout.index_dir("layout-proj", "logs")
    assert index is not None and any(index.iterdir())
    assert sorted(entry.name for entry in tmp_path.iterdir() if entry.is_dir()) == ["index", "shards"]
