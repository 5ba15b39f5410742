"""Java-style ``getX()`` / ``setX(value)`` accessors for the job and sink classes.

The official job, sink and scheduled-SQL classes expose their fields only through such accessor
pairs (``getRoleArn``, ``setRoleArn``...). Declaring the field names once and generating the
pairs keeps those classes to what differs between them: their fields, defaults and JSON shape.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

__all__ = ["Bean", "accessors", "attribute_accessors"]

T = TypeVar("T", bound=type)


class Bean:
    """Base of accessor classes: field values live in ``self._fields`` (camelCase keys)."""

    _field_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self._fields: dict[str, Any] = dict.fromkeys(self._field_names)

    def _get(self, name: str) -> Any:
        return self._fields.get(name)

    def _set(self, name: str, value: Any) -> None:
        self._fields[name] = value


def _pair(name: str, getter_prefix: str) -> tuple[str, Callable[[Any], Any], str, Callable[[Any, Any], None]]:
    cap = name[0].upper() + name[1:]

    def getter(self: Any) -> Any:
        return self._fields.get(name)

    def setter(self: Any, value: Any) -> None:
        self._fields[name] = value

    getter.__doc__ = f"The ``{name}`` field."
    setter.__doc__ = f"Set the ``{name}`` field."
    return f"{getter_prefix}{cap}", getter, f"set{cap}", setter


def accessors(*names: str, booleans: tuple[str, ...] = (), read_only: tuple[str, ...] = ()) -> Callable[[T], T]:
    """Class decorator adding ``getX``/``setX`` for each field (``isX`` for ``booleans``; no
    setter for ``read_only``), on top of the fields inherited from base classes."""

    def decorate(cls: T) -> T:
        inherited: tuple[str, ...] = getattr(cls, "_field_names", ())
        own = [n for n in (*names, *booleans, *read_only) if n not in inherited]
        cls._field_names = (*inherited, *own)  # type: ignore[attr-defined]
        for name in (*names, *booleans, *read_only):
            get_name, getter, set_name, setter = _pair(name, "is" if name in booleans else "get")
            getter.__name__, setter.__name__ = get_name, set_name
            getter.__qualname__, setter.__qualname__ = f"{cls.__name__}.{get_name}", f"{cls.__name__}.{set_name}"
            if get_name not in vars(cls):
                setattr(cls, get_name, getter)
            if name not in read_only and set_name not in vars(cls):
                setattr(cls, set_name, setter)
        return cls

    return decorate


def attribute_accessors(**fields: str) -> Callable[[T], T]:
    """Class decorator adding ``get_<key>()`` / ``set_<key>(value)`` over the attribute named by
    each value (``from_="fromTime"`` gives ``get_from``/``set_from`` over ``self.fromTime``; a
    trailing ``_`` on a key is dropped so Python keywords can be used)."""

    def decorate(cls: T) -> T:
        for key, attr in fields.items():
            name = key.rstrip("_")

            def getter(self: Any, _attr: str = attr) -> Any:
                return getattr(self, _attr, None)

            def setter(self: Any, value: Any, _attr: str = attr) -> None:
                setattr(self, _attr, value)

            getter.__name__, setter.__name__ = f"get_{name}", f"set_{name}"
            getter.__doc__, setter.__doc__ = f"The ``{attr}`` field.", f"Set the ``{attr}`` field."
            if f"get_{name}" not in vars(cls):
                setattr(cls, f"get_{name}", getter)
            if f"set_{name}" not in vars(cls):
                setattr(cls, f"set_{name}", setter)
        return cls

    return decorate
