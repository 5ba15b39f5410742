__version__ = "0.10.0.dev0"

# -- User-Agent strings (official constant names) ---------------------------------------------------
import platform as _platform
import sys as _sys

#: ``User-Agent`` of the SDK: version, Python version, implementation and platform
USER_AGENT = (
    f"log-python-sdk-v-{__version__}, {_sys.version_info[0]}.{_sys.version_info[1]}.{_sys.version_info[2]}, "
    f"{_platform.python_implementation()}, {_sys.platform}"
)
#: ``User-Agent`` of the logging handlers of :mod:`aliyun.log.logger_hanlder`
LOGGING_HANDLER_USER_AGENT = "logging-handler, " + USER_AGENT
