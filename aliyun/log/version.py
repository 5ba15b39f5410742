__version__ = "0.10.0.dev0"

# -- drop-in constants of the official module (added by the public-map work) --------------------
import platform as _platform
import sys as _sys

#: the SLS API version sent as ``x-log-apiversion``
API_VERSION = "0.6.0"
#: ``sys.platform`` of this process
OS_VERSION = str(_sys.platform)
#: ``str(sys.version_info)`` of this process
PYTHON_VERSION = str(_sys.version_info)
#: the default ``User-Agent`` header of :class:`~aliyun.log.LogClient`
USER_AGENT = (
    f"log-python-sdk-v-{__version__}, {_sys.version_info[0]}.{_sys.version_info[1]}.{_sys.version_info[2]}, "
    f"{_platform.python_implementation()}, {_sys.platform}"
)
#: ``User-Agent`` prefix of Elasticsearch migration jobs
ES_MIGRATION_USER_AGENT = "es-migration, " + USER_AGENT
