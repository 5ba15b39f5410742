"""External stores read by SQL at the engine level (docs/query.md "Joining external stores")."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterator
from typing import Any, Optional

import pytest

from aliyun.log.emulator.errors import SLSError
from aliyun.log.emulator.query import LogstoreIndex
from aliyun.log.emulator.query.external_tables import ExternalTable, csv_table, table_of_document
from aliyun.log.emulator.query.records import LogRecord

COLUMNS = [{"name": "code", "type": "bigint"}, {"name": "meaning", "type": "varchar"}]


def csv_doc(name: str, text: str, columns: Optional[list[dict[str, str]]] = None) -> dict[str, Any]:
    encoded = base64.standard_b64encode(zlib.compress(text.encode())).decode()
    return {
        "externalStoreName": name,
        "storeType": "csv",
        "parameter": {"columns": columns or COLUMNS, "externalStoreCsv": encoded, "externalStoreCsvSize": len(text)},
    }


@pytest.fixture
def index() -> Iterator[LogstoreIndex]:
    engine = LogstoreIndex({"line": {"token": [" "]}, "keys": {"status": {"type": "long", "doc_value": True}}})
    engine.ingest(
        [LogRecord(1000 + i, 0, "", "", [], [("status", str(s))]) for i, s in enumerate((200, 404, 200, 500))]
    )
    yield engine
    engine.close()


def resolver(docs: dict[str, dict[str, Any]]) -> Any:
    def resolve(name: str) -> Optional[ExternalTable]:
        doc = docs.get(name)
        return None if doc is None else table_of_document(doc)

    return resolve


def test_join_reads_the_csv_rows(index: LogstoreIndex) -> None:
    tables = resolver({"codes": csv_doc("codes", "code,meaning\n200,ok\n404,missing\n")})
    result = index.get_logs(
        "* | select c.meaning, count(*) as n from log l join codes c on l.status = c.code "
        "group by c.meaning order by c.meaning",
        0, 2000, tables=tables,
    )  # fmt: skip
    assert result.rows == [{"meaning": "missing", "n": "1"}, {"meaning": "ok", "n": "2"}]


def test_unknown_names_still_mean_the_logstore(index: LogstoreIndex) -> None:
    result = index.get_logs("* | select count(*) as n from whatever", 0, 2000, tables=resolver({}))
    assert result.rows == [{"n": "4"}]


def test_other_store_types_fail_naming_the_type(index: LogstoreIndex) -> None:
    doc = {"externalStoreName": "users", "storeType": "rds-vpc", "parameter": {"host": "h"}}
    with pytest.raises(SLSError) as info:
        index.get_logs("* | select * from users", 0, 2000, tables=resolver({"users": doc}))
    assert info.value.code == "ParameterInvalid" and "rds-vpc" in info.value.message


def test_a_url_is_not_fetched() -> None:
    doc = csv_doc("codes", "")
    doc["parameter"]["externalStoreCsv"] = "https://example.com/codes.csv"
    with pytest.raises(SLSError) as info:
        table_of_document(doc)
    assert info.value.code == "ParameterInvalid" and "URL" in info.value.message


def test_cells_are_typed_and_checked() -> None:
    table = csv_table("codes", csv_doc("codes", "1,a\n,b\n")["parameter"])
    assert table.rows == ((1, "a"), (None, "b"))
    with pytest.raises(SLSError, match="not a bigint"):
        csv_table("codes", csv_doc("codes", "x,a\n")["parameter"])


def test_a_csv_value_is_data_not_sql(index: LogstoreIndex, tmp_path: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    evil = f"200,\"x'); select * from read_text('{secret}'); --\"\n"
    tables = resolver({"codes": csv_doc("codes", evil)})
    result = index.get_logs("* | select meaning from codes", 0, 2000, tables=tables)
    assert result.rows == [{"meaning": f"x'); select * from read_text('{secret}'); --"}]


def test_a_store_name_cannot_reach_a_file(index: LogstoreIndex) -> None:
    # a quoted name that looks like a path is still only a name: unknown, so the logstore
    tables = resolver({})
    result = index.get_logs('* | select count(*) as n from "/etc/passwd"', 0, 2000, tables=tables)
    assert result.rows == [{"n": "4"}]
    # and a column name from the store's declaration is quoted, never SQL
    odd = [{"name": 'a" INTEGER); DROP TABLE logs; --', "type": "varchar"}]
    tables = resolver({"odd": csv_doc("odd", "v\n", odd)})
    result = index.get_logs("* | select count(*) as n from odd", 0, 2000, tables=tables)
    assert result.rows == [{"n": "1"}]
    assert index.get_logs("* | select count(*) as n", 0, 2000).rows == [{"n": "4"}]
