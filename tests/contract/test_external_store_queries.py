"""SQL that reads external stores, through our ``LogClient`` (docs/query.md "Joining external
stores"): a CSV external store joins with a logstore; other types fail clearly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aliyun.log import (
    ExternalStoreConfig,
    ExternalStoreCsvConfig,
    ExternalStoreOssConfig,
    GetLogsRequest,
    IndexConfig,
    LogClient,
    LogException,
    LogItem,
    PutLogsRequest,
)

T = int(time.time()) - 60


@pytest.fixture
def indexed(client: LogClient, project: str, logstore: str) -> str:
    config = IndexConfig()
    config.from_json({"line": {"token": [" "]}, "keys": {"status": {"type": "long", "doc_value": True}}})
    client.create_index(project, logstore, config)
    items = []
    for status in ("200", "404", "200"):
        item = LogItem(T)
        item.set_contents([("status", status)])
        items.append(item)
    client.put_logs(PutLogsRequest(project, logstore, "", "", items))
    return logstore


def sql(client: LogClient, project: str, logstore: str, statement: str) -> list[dict[str, str]]:
    answer = client.get_logs(GetLogsRequest(project, logstore, T - 10, T + 1000, query="* | " + statement))
    return [log.get_contents() for log in answer.get_logs()]


def csv_store(client: LogClient, project: str, tmp_path: Path, text: str) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(text)
    columns = [{"name": "code", "type": "bigint"}, {"name": "meaning", "type": "varchar"}]
    client.create_external_store(project, ExternalStoreCsvConfig("codes", str(path), columns))


def test_a_csv_store_joins_with_the_logstore(client: LogClient, project: str, indexed: str, tmp_path: Path) -> None:
    csv_store(client, project, tmp_path, "code,meaning\n200,ok\n404,missing\n")
    rows = sql(
        client, project, indexed,
        "select c.meaning, count(*) as n from log l join codes c on l.status = c.code group by c.meaning order by n",
    )  # fmt: skip
    assert rows == [{"meaning": "missing", "n": "1"}, {"meaning": "ok", "n": "2"}]


def test_rds_and_oss_stores_fail_naming_the_type(client: LogClient, project: str, indexed: str) -> None:
    client.create_external_store(
        project,
        ExternalStoreConfig(
            "users", "cn-hangzhou", "rds-vpc", "vpc-1", "rm-1", "10.0.0.1", "3306", "u", "p", "db", "t"
        ),
    )
    client.create_external_store(
        project, ExternalStoreOssConfig("objs", ["a.csv"], [{"name": "a", "type": "varchar"}], "ep", "b", "i", "k")
    )
    for name, kind in (("users", "rds-vpc"), ("objs", "oss")):
        with pytest.raises(LogException) as info:
            sql(client, project, indexed, f"select * from log l join {name} u on l.status = u.a")
        assert info.value.get_error_code() == "ParameterInvalid"
        assert kind in info.value.get_error_message()


def test_csv_content_and_names_cannot_inject(client: LogClient, project: str, indexed: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    csv_store(client, project, tmp_path, f"200,\"'); select * from read_text('{secret}'); --\"\n")
    rows = sql(client, project, indexed, "select meaning from codes")
    assert rows == [{"meaning": f"'); select * from read_text('{secret}'); --"}]
    # a table function in place of the store is still refused by the sandbox
    with pytest.raises(LogException) as info:
        sql(client, project, indexed, f"select * from read_text('{secret}')")
    assert info.value.get_error_code() == "ParameterInvalid"
