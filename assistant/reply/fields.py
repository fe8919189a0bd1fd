"""Reply templates ("Turned on {targets}.") filled with plain slot names only.

str.format would also follow `{name.__class__}` or `{targets[0]}` into Python objects, and a stray
brace fails only when the reply is said; here both are refused when the intent file is loaded.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any


class TemplateFieldError(ValueError):
    """A reply template that is malformed or names something other than a plain slot."""


def reply_fields(template: str) -> list[str]:
    """The slot names a reply template uses; TemplateFieldError says what is wrong with it."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise TemplateFieldError(f"{exc} (write '{{{{' or '}}}}' for a brace)") from None
    fields = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if not name.isidentifier():
            raise TemplateFieldError(f"'{shown}' is not a plain slot name: a reply fills in slots only, like '{{targets}}'")
        if spec or conversion:
            raise TemplateFieldError(f"'{shown}': a reply slot takes no format or conversion (write '{{{name}}}')")
        fields.append(name)
    return fields


class _SlotFormatter(string.Formatter):
    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise TemplateFieldError(f"'{{{field_name}}}' is not a plain slot name")
        return self.get_value(field_name, args, kwargs), field_name

    def get_value(self, key: Any, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(key, "")  # a slot the command did not fill reads as nothing


def fill(template: str, values: Mapping[str, Any]) -> str:
    """The template with each `{slot}` replaced by its value ("" when there is none)."""
    return _SlotFormatter().vformat(template, (), values)
