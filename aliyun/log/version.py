#: The version stays on the 0.9 line of the official SDK this package replaces (the release after
#: 0.9.52, whose surface it matches): tools built on the SDK, such as aliyun-log-cli, require
#: ``aliyun-log-python-sdk<0.10.0`` (docs/migrating.md, "The version pin").
__version__ = "0.9.53.dev0"

# -- constants of the official module --------------------------------------------------------------
import platform as _platform
import sys as _sys

#: the SLS API version sent as ``x-log-apiversion``
API_VERSION = "0.6.0"
#: ``sys.platform`` of this process
OS_VERSION = str(_sys.platform)
#: ``str(sys.version_info)`` of this process
PYTHON_VERSION = str(_sys.version_info)
#: the default ``User-Agent`` of :class:`~aliyun.log.LogClient`: version, Python version,
#: implementation and platform
USER_AGENT = (
    f"log-python-sdk-v-{__version__}, {_sys.version_info[0]}.{_sys.version_info[1]}.{_sys.version_info[2]}, "
    f"{_platform.python_implementation()}, {_sys.platform}"
)
#: ``User-Agent`` prefix of Elasticsearch migration jobs
ES_MIGRATION_USER_AGENT = "es-migration, " + USER_AGENT
#: ``User-Agent`` of the logging handlers of :mod:`aliyun.log.logger_hanlder`
LOGGING_HANDLER_USER_AGENT = "logging-handler, " + USER_AGENT
