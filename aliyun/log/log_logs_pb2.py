"""The SLS log protobuf messages at the official module path (``Log``, ``LogTag``, ``LogGroup``,
``LogGroupList``).

These are the classes the client itself encodes and decodes with (built at import time in
:mod:`aliyun.log._codec.schema`, see there for why no generated code): field names and numbers
are the service's, so ``ParseFromString`` / ``SerializeToString`` interoperate with any other
implementation of the schema.
"""

from ._codec.schema import Log, LogGroup, LogGroupList, LogTag

__all__ = ["Log", "LogGroup", "LogGroupList", "LogTag"]

#: the file descriptor the four messages belong to
DESCRIPTOR = LogGroup.DESCRIPTOR.file
