"""The single error type of the codec layer; the SDK and the emulator translate it to their own."""

from __future__ import annotations


class CodecError(Exception):
    """Encoding, decoding or (de)compression failed.

    :param code: an SLS-style error code (``UnsupportedCompressType``, ``DecompressError``,
        ``PostBodyInvalid``, ``InvalidBodyRawSize``, ``PostBodyTooLarge``, ``InvalidParameter``).
    :param message: human-readable detail.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
