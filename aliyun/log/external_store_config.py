"""External store configurations (an RDS/PostgreSQL table, OSS objects or an uploaded CSV file
that queries can join with), in the JSON shape of the ``/externalstores`` API.

Each class has ``to_json()`` (the request body) and ``from_json()`` (from a Get answer);
:meth:`ExternalStoreConfigBase.from_json` picks the class by ``storeType``.
"""

from __future__ import annotations

import base64
import os
import zlib
from typing import Any, Union

from .logexception import LogException

__all__ = ["ExternalStoreConfig", "ExternalStoreConfigBase", "ExternalStoreCsvConfig", "ExternalStoreOssConfig"]

# The service's limits for an uploaded CSV: the file itself, and its deflated base64 form.
MAX_CSV_BYTES = 50 * 1000 * 1000
MAX_CSV_ENCODED = 10 * 1000 * 1000 - 10 * 1000


class ExternalStoreConfigBase:
    """Common part: the store's name and type (``rds-vpc``, ``postgresql``, ``oss``, ``csv``)."""

    def __init__(self, externalStoreName: str, storeType: str) -> None:
        self.externalStoreName = externalStoreName
        self.storeType = storeType

    def _parameter(self) -> dict[str, Any]:
        return {}

    def to_json(self) -> dict[str, Any]:
        """The JSON body describing this store."""
        return {
            "externalStoreName": self.externalStoreName,
            "storeType": self.storeType,
            "parameter": self._parameter(),
        }

    @staticmethod
    def from_json(json_value: dict[str, Any]) -> ExternalStoreConfigBase:
        """The configuration class matching ``json_value["storeType"]``, filled from it."""
        store_type = json_value.get("storeType")
        if store_type in ("rds-vpc", "postgresql"):
            return ExternalStoreConfig.from_json(json_value)
        if store_type == "oss":
            return ExternalStoreOssConfig.from_json(json_value)
        if store_type == "csv":
            return ExternalStoreCsvConfig.from_json(json_value)
        raise LogException("Unknown storeType", f"unknown external store type {store_type!r}")

    def log_print(self) -> None:
        """Print the configuration (secrets masked)."""
        print(type(self).__name__)
        for key, value in self.to_json()["parameter"].items():
            if key in ("password", "accesskey"):
                value = "****"
            elif key == "externalStoreCsv":
                value = f"<{len(str(value))} characters>"
            print(key, value)


class ExternalStoreConfig(ExternalStoreConfigBase):
    """A table of an RDS MySQL (``storeType="rds-vpc"``) or PostgreSQL database in a VPC."""

    def __init__(
        self,
        externalStoreName: str,
        region: str,
        storeType: str,
        vpcId: str,
        instanceId: str,
        host: str,
        port: Union[int, str],
        username: str,
        password: str,
        database: str,
        table: str,
        timezone: str = "",
    ) -> None:
        super().__init__(externalStoreName, storeType)
        self.region = region
        self.vpcId = vpcId
        self.instanceId = instanceId
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.table = table
        self.timezone = timezone

    def _parameter(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "vpc-id": self.vpcId,
            "instance-id": self.instanceId or "",
            "host": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password,
            "db": self.database,
            "table": self.table,
            "timezone": self.timezone,
        }

    @staticmethod
    def from_json(json_value: dict[str, Any]) -> ExternalStoreConfig:
        """From a Get answer (the password may be absent there)."""
        p = json_value.get("parameter") or {}
        return ExternalStoreConfig(
            json_value["externalStoreName"],
            p.get("region", ""),
            json_value["storeType"],
            p.get("vpc-id", ""),
            p.get("instance-id", ""),
            p.get("host", ""),
            p.get("port", ""),
            p.get("username", ""),
            p.get("password", ""),
            p.get("db", ""),
            p.get("table", ""),
            p.get("timezone", ""),
        )


class ExternalStoreOssConfig(ExternalStoreConfigBase):
    """CSV objects in an OSS bucket, with their ``columns`` (``[{"name":..., "type":...}]``)."""

    def __init__(
        self,
        externalStoreName: str,
        objects: list[str],
        columns: list[dict[str, str]],
        endpoint: str,
        bucket: str,
        accessid: str,
        accesskey: str,
    ) -> None:
        super().__init__(externalStoreName, "oss")
        self.objects = objects
        self.columns = columns
        self.endpoint = endpoint
        self.bucket = bucket
        self.accessid = accessid
        self.accesskey = accesskey

    def _parameter(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "bucket": self.bucket,
            "accessid": self.accessid,
            "accesskey": self.accesskey,
            "columns": self.columns,
            "objects": self.objects,
        }

    @staticmethod
    def from_json(json_value: dict[str, Any]) -> ExternalStoreOssConfig:
        """From a Get answer."""
        p = json_value.get("parameter") or {}
        return ExternalStoreOssConfig(
            json_value["externalStoreName"],
            p.get("objects", []),
            p.get("columns", []),
            p.get("endpoint", ""),
            p.get("bucket", ""),
            p.get("accessid", ""),
            p.get("accesskey", ""),
        )


class ExternalStoreCsvConfig(ExternalStoreConfigBase):
    """A CSV file uploaded with the configuration (deflated and base64-encoded in the body).

    :param externalStoreCsvFile: the path of the CSV file (``file://`` prefix allowed); when
        ``resp`` is true, the object names of a Get answer instead, and no file is read.
    :param columns: ``[{"name": "id", "type": "varchar"}, ...]``.
    :raises LogException: the file is missing or larger than the service accepts.
    """

    def __init__(
        self, externalStoreName: str, externalStoreCsvFile: Any, columns: list[Any], resp: bool = False
    ) -> None:
        super().__init__(externalStoreName, "csv")
        self.columns = columns
        self.externalStoreCsvCompressedBase64 = ""
        self.externalStoreCsvSize = 0
        if resp:
            objects = externalStoreCsvFile
            self.objects = list(objects) if isinstance(objects, (list, tuple)) else [objects]
            return
        path = str(externalStoreCsvFile)
        if path.startswith("file://"):
            path = path[len("file://") :]
        if not os.path.isfile(path):
            raise LogException("ExternalStoreCsvConfig", f"the csv file {path!r} does not exist")
        self.objects = [externalStoreCsvFile]
        with open(path, "rb") as handle:
            data = handle.read()
        if len(data) > MAX_CSV_BYTES:
            raise LogException("ExternalStoreCsvConfig", f"csv file too large: {len(data)} bytes, max {MAX_CSV_BYTES}")
        encoded = base64.standard_b64encode(zlib.compress(data)).decode("ascii")
        if len(encoded) > MAX_CSV_ENCODED:
            raise LogException(
                "ExternalStoreCsvConfig", f"csv file too large once compressed: {len(encoded)}, max {MAX_CSV_ENCODED}"
            )
        self.externalStoreCsvSize = len(data)
        self.externalStoreCsvCompressedBase64 = encoded

    def _parameter(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "objects": self.objects,
            "externalStoreCsv": self.externalStoreCsvCompressedBase64,
            "externalStoreCsvSize": self.externalStoreCsvSize,
        }

    @staticmethod
    def from_json(json_value: dict[str, Any]) -> ExternalStoreCsvConfig:
        """From a Get answer (the CSV content is kept when the answer carries it)."""
        p = json_value.get("parameter") or {}
        config = ExternalStoreCsvConfig(
            json_value["externalStoreName"], p.get("objects", []), p.get("columns", []), True
        )
        config.externalStoreCsvCompressedBase64 = p.get("externalStoreCsv", "")
        config.externalStoreCsvSize = int(p.get("externalStoreCsvSize", 0) or 0)
        return config

    def get_csv_bytes(self) -> bytes:
        """The CSV file's content (``b""`` when this configuration carries none)."""
        if not self.externalStoreCsvCompressedBase64:
            return b""
        return zlib.decompress(base64.standard_b64decode(self.externalStoreCsvCompressedBase64))
