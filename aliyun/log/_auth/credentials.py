"""The credential triple that every signer consumes."""

from __future__ import annotations

import dataclasses
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Credentials:
    """An AccessKey pair plus an optional STS security token.

    Frozen so that one instance can be shared between threads while a credential provider swaps
    in a new instance atomically (readers never see a half-updated pair).

    :param access_key_id: the AccessKeyId (appears in ``Authorization``).
    :param access_key_secret: the AccessKeySecret (HMAC key; never logged, never put in ``repr``).
    :param security_token: STS token sent as ``x-acs-security-token``; ``None`` or ``""`` means none.
    """

    access_key_id: str
    access_key_secret: str = dataclasses.field(repr=False)
    security_token: Optional[str] = dataclasses.field(default=None, repr=False)
