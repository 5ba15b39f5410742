"""Plain attribute records with type-checked ``get_x()`` / ``set_x(value)`` accessors.

The resource and topostore parameter classes of the official SDK are records whose public
attributes (``resource_name``, ``node_id``...) are checked against a ``type_dict`` when set
through the constructor or a setter. Declaring the fields once generates those accessors.
"""

from __future__ import annotations

import json
from typing import Any, Callable, ClassVar, TypeVar

__all__ = ["TypedRecord", "check_params", "check_type_for_init", "json_value", "typed_accessors"]

T = TypeVar("T", bound=type)


def _check(name: str, value: Any, need: Any) -> None:
    if value is not None and need is not None and not isinstance(value, need):
        raise TypeError(f"the {name} type must be {need}")


def check_type_for_init(**kwargs: Any) -> None:
    """Check constructor arguments against ``instance.type_dict``.

    Called as ``check_type_for_init(instance=self, name=value, ...)``; ``None`` values pass.

    :raises TypeError: a value of the wrong type.
    """
    instance = kwargs.pop("instance")
    for name, value in kwargs.items():
        _check(name, value, instance.type_dict.get(name))


def check_params(name: str, need_type: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator for a setter: its value (first positional argument after ``self``, or keyword
    ``name``) must be a ``need_type`` or ``None``.

    :raises TypeError: a value of the wrong type.
    """

    def outer(func: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            value = kwargs.get(name) if kwargs else (args[1] if len(args) > 1 else None)
            _check(name, value, need_type)
            return func(*args, **kwargs)

        inner.__name__, inner.__doc__ = func.__name__, func.__doc__
        return inner

    return outer


class TypedRecord:
    """Base: ``type_dict`` maps field names to the type a value must have (``None`` passes)."""

    type_dict: ClassVar[dict[str, Any]] = {}

    def _init_fields(self, **values: Any) -> None:
        for name, value in values.items():
            _check(name, value, self.type_dict.get(name))
            setattr(self, name, value)
        self.create_time: Any = None
        self.last_modify_time: Any = None


def typed_accessors(*names: str) -> Callable[[T], T]:
    """Class decorator adding ``get_<name>`` and a type-checking ``set_<name>`` per field, plus
    the unchecked ``create_time`` / ``last_modify_time`` pair."""

    def decorate(cls: T) -> T:
        for name in (*names, "create_time", "last_modify_time"):

            def getter(self: Any, _name: str = name) -> Any:
                return getattr(self, _name, None)

            def setter(self: Any, value: Any, _name: str = name) -> None:
                _check(_name, value, cls.type_dict.get(_name))  # type: ignore[attr-defined]
                setattr(self, _name, value)

            getter.__name__, setter.__name__ = f"get_{name}", f"set_{name}"
            getter.__doc__, setter.__doc__ = f"The ``{name}`` field.", f"Set the ``{name}`` field."
            if f"get_{name}" not in vars(cls):
                setattr(cls, f"get_{name}", getter)
            if f"set_{name}" not in vars(cls):
                setattr(cls, f"set_{name}", setter)
        return cls

    return decorate


def json_value(value: Any) -> Any:
    """A field the service returns JSON-encoded inside a string (``'{"a": 1}'``), decoded; a
    value that is already decoded (or ``None``/``""``) is returned as it is."""
    if isinstance(value, (str, bytes)) and value:
        return json.loads(value)
    return value if value != "" else None
