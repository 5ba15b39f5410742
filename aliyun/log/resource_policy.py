"""Resource types a resource policy (an access policy document) can be attached to."""

from __future__ import annotations

__all__ = ["ResourcePolicyResourceType"]


class ResourcePolicyResourceType:
    """The ``resourceType`` values of the resource policy API."""

    PROJECT = "project"
    LOGSTORE = "logstore"
