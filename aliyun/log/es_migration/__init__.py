"""Migrate Elasticsearch indexes into SLS logstores (needs the ``es`` extra:
``pip install 'aliyun-log-python-sdk[es]'``).

::

    from aliyun.log.es_migration import MigrationConfig, MigrationManager

    config = MigrationConfig("./es-migration-cache", endpoint, access_key_id, access_key,
                             project_name="my-project", hosts="localhost:9200", indexes="logs-*")
    print(MigrationManager(config).migrate())   # {"total": 4, "finished": 4, ...}

See ``docs/data-tools.md``.
"""

from .migration_manager import MigrationConfig, MigrationManager

__all__ = ["MigrationConfig", "MigrationManager"]
