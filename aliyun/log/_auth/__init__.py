"""Request signing (SLS signature v1 and v4) for the SDK, and its verification for the emulator.

Everything here is sans-IO: signers add headers to a dict, :func:`verify_request` checks decoded
request parts. Both sides build their canonical strings with :mod:`aliyun.log._auth.canonical`.
"""

from aliyun.log._auth.credentials import Credentials
from aliyun.log._auth.signer import Signer, SignerV1, SignerV4, make_signer
from aliyun.log._auth.verify import AuthFailure, verify_request

__all__ = [
    "AuthFailure",
    "Credentials",
    "Signer",
    "SignerV1",
    "SignerV4",
    "make_signer",
    "verify_request",
]
