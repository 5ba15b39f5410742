"""Objects of a logstore and resource policies of projects and logstores (``LogClient`` calls).

An object is a named byte string kept under a logstore with some of the headers it was put
with (its content type, ``x-log-meta-*`` metadata). A resource policy is an access-policy
document attached to a project or a logstore (docs/tags.md "Objects", "Resource policies").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional, Union

from .. import _ops as ops
from .._ops import check_project
from ..errors import BadParameters
from ..object_response import GetObjectResponse, PutObjectResponse
from ..resource_policy import ResourcePolicyResourceType
from ..resource_policy_response import (
    DeleteResourcePolicyResponse,
    GetResourcePolicyResponse,
    PutResourcePolicyResponse,
)
from .core import ClientCore

__all__ = ["ObjectsMixin"]

#: the characters of an object name (the official client documents the same set)
_OBJECT_NAME = re.compile(r"[A-Za-z0-9_-]+")
_POLICY_TYPES = (ResourcePolicyResourceType.PROJECT, ResourcePolicyResourceType.LOGSTORE)


def _policy_target(project_name: str, resource_type: str, resource_name: Optional[str]) -> dict[str, str]:
    """The query naming a policy's resource. A bad project name is ``BadParameters`` as in every
    call; a bad type the official client's ``InvalidParameter``."""
    check_project(project_name)
    if resource_type not in _POLICY_TYPES:
        raise BadParameters("InvalidParameter", "resource_type must be project or logstore")
    params = {"resourceType": resource_type}
    if resource_name:
        params["resourceName"] = resource_name
    return params


class ObjectsMixin(ClientCore):
    """put_object/get_object; put/get/delete_resource_policy."""

    # -- objects --------------------------------------------------------------------------------

    def put_object(
        self,
        project_name: str,
        logstore_name: str,
        object_name: str,
        content: Union[bytes, str],
        headers: Optional[Mapping[str, str]] = None,
    ) -> PutObjectResponse:
        """Store an object under a logstore (replacing one of the same name).

        :type project_name: string
        :type logstore_name: string
        :type object_name: string
        :param object_name: letters, digits, ``_`` and ``-``.
        :type content: bytes/string
        :param content: the bytes (text is sent as UTF-8); may be empty.
        :type headers: dict
        :param headers: sent with the object; ``Content-Type``, ``Content-MD5`` and
            ``x-log-meta-*`` are kept with it and come back from :meth:`get_object`.
        :return: ``PutObjectResponse`` (``get_etag()``).
        """
        if isinstance(content, str):
            body = content.encode("utf-8")
        elif isinstance(content, bytes):
            body = content
        else:
            raise BadParameters("InvalidParameter", "content must be bytes or string")
        sent = {str(key): str(value) for key, value in dict(headers or {}).items()}
        data = self._call(
            ops.PUT_OBJECT,
            project_name,
            body=body,
            headers=sent,
            logstore=logstore_name,
            object=_object_name(object_name),
        )
        return PutObjectResponse(dict(data.headers), data.body)

    def get_object(self, project_name: str, logstore_name: str, object_name: str) -> GetObjectResponse:
        """An object: its bytes (``get_body()``) and headers (``get_etag()``, ``get_content_type()``,
        ``get_headers()`` with the ``x-log-meta-*`` it was put with).

        :type project_name: string
        :type logstore_name: string
        :type object_name: string
        :raises LogException: ``ObjectNotExist``.
        """
        response = self._call(ops.GET_OBJECT, project_name, logstore=logstore_name, object=_object_name(object_name))
        return GetObjectResponse(dict(response.headers), response.body)

    # -- resource policies ------------------------------------------------------------------------

    def put_resource_policy(
        self,
        project_name: str,
        resource_type: str,
        policy_document: str,
        resource_name: Optional[str] = None,
        dry_run: bool = False,
    ) -> PutResourcePolicyResponse:
        """Attach (or replace) the access policy of a project or logstore.

        :type project_name: string
        :type resource_type: string
        :param resource_type: ``project`` or ``logstore`` (``ResourcePolicyResourceType``).
        :type policy_document: string
        :param policy_document: the policy as JSON text (``Version``, ``Statement``).
        :type resource_name: string
        :param resource_name: the logstore, for a logstore policy.
        :type dry_run: bool
        :param dry_run: only check the policy, store nothing.
        """
        target = _policy_target(project_name, resource_type, resource_name)
        if not policy_document:
            raise BadParameters("InvalidParameter", "policy_document must not be empty")
        body: dict[str, Any] = {
            "resourceType": resource_type,
            "policyDocument": policy_document,
            "dryRun": bool(dry_run),
        }
        if "resourceName" in target:
            body["resourceName"] = target["resourceName"]
        data, headers = self._call_json(ops.PUT_RESOURCE_POLICY, project_name, body=body)
        return PutResourcePolicyResponse(headers, data)

    def get_resource_policy(
        self, project_name: str, resource_type: str, resource_name: Optional[str] = None
    ) -> GetResourcePolicyResponse:
        """The access policy of a project or logstore (``get_policy_document()``, ``get_revision()``).

        :type project_name: string
        :type resource_type: string
        :type resource_name: string
        :raises LogException: ``ResourcePolicyNotExist``.
        """
        params = _policy_target(project_name, resource_type, resource_name)
        data, headers = self._call_json(ops.GET_RESOURCE_POLICY, project_name, params=params)
        return GetResourcePolicyResponse(data, headers)

    def delete_resource_policy(
        self, project_name: str, resource_type: str, resource_name: Optional[str] = None
    ) -> DeleteResourcePolicyResponse:
        """Remove the access policy of a project or logstore.

        :type project_name: string
        :type resource_type: string
        :type resource_name: string
        :raises LogException: ``ResourcePolicyNotExist``.
        """
        params = _policy_target(project_name, resource_type, resource_name)
        data, headers = self._call_json(ops.DELETE_RESOURCE_POLICY, project_name, params=params)
        return DeleteResourcePolicyResponse(headers, data)


def _object_name(name: object) -> str:
    if not isinstance(name, str) or not _OBJECT_NAME.fullmatch(name):
        raise BadParameters("BadParameters", f"invalid object name: {name!r} (letters, digits, _ and -)")
    return name
