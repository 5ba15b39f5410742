"""Send an application's own logs: a ``QueuedLogHandler`` from ``dictConfig``, and a ``LogProducer``.

Starts a local SLS emulator as the sink (no cloud account needed), logs through the standard
``logging`` module and through the producer, then reads the logs back and prints them.

    python3 examples/application_logging.py
"""

from __future__ import annotations

import logging
import logging.config

from aliyun.log.emulator import EmulatorServer
from aliyun.log.producer import LogProducer

PROJECT, LOGSTORE = "my-app", "app-logs"
SHOWN = ("__topic__", "message", "user", "event", "sku", "job")


def main() -> None:
    with EmulatorServer(port=0) as server:
        client = server.client()
        client.create_project(PROJECT, "application logs")
        client.create_logstore(PROJECT, LOGSTORE, ttl=7, shard_count=2)

        # 1. the logging module, configured as the official tutorial does (any dictConfig works)
        logging.config.dictConfig(
            {
                "version": 1,
                "disable_existing_loggers": False,
                "handlers": {
                    "sls": {
                        "()": "aliyun.log.QueuedLogHandler",
                        "level": "INFO",
                        "end_point": server.endpoint,
                        "access_key_id": server.access_key_id,
                        "access_key": server.access_key_secret,
                        "project": PROJECT,
                        "log_store": LOGSTORE,
                        "topic": "web",
                        "extract_json": True,
                    }
                },
                "root": {"handlers": ["sls"], "level": "INFO"},
            }
        )
        log = logging.getLogger("shop.checkout")
        log.info("order %s paid", "A-1001", extra={"user": "ann", "amount": "42.50"})
        log.warning({"event": "stock_low", "sku": "B-7", "left": 3})  # a dict: split into fields
        for handler in logging.getLogger().handlers:
            handler.flush()  # sends now; the handler keeps working

        # 2. the producer directly: a future per batch, counters, bounded memory
        with LogProducer(client, linger=0.1) as producer:
            future = producer.send(PROJECT, LOGSTORE, {"event": "job_done", "job": "nightly"}, topic="jobs")
            print("stored by request", future.result(timeout=30).request_id)
            print(producer.stats)

        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})  # closes the handler
        for shard in client.list_shards(PROJECT, LOGSTORE).get_shards_info():
            for batch in client.pull_log(PROJECT, LOGSTORE, shard["shardID"], "begin", "end"):
                for row in batch.get_flatten_logs_json():
                    shown = {
                        k: v for k, v in row.items() if k in ("__topic__", "message", "user", "event", "sku", "job")
                    }
                    print(shown)


if __name__ == "__main__":
    main()
