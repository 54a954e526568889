"""What the schema says beyond what drf-spectacular reads from the views: the answers every call may get."""

from django.utils.translation import gettext as _

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A refused input: each field (or non_field_errors) with its messages in Polish; a body that is not JSON at
# all, under "detail".
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
}


# Query parameters that cannot be refused: a bad limit or offset is taken as none, a region as one with no rows.
PAGING = ("limit", "offset", "region")


def answer(description, schema=ERROR, headers=None):
    content = {"application/json": {"schema": schema}}
    return {"description": description, "content": content, **({"headers": headers} if headers else {})}


def document_errors(result, generator, request, public):
    """Add to every operation the errors it may answer, and refuse unknown fields in request bodies."""
    common = {
        "401": answer(_("No API key, or a key that is unknown, revoked or expired.")),
        "403": answer(_("The key's role may not do this.")),
        "404": answer(_("No such record within the key's scope.")),
        "429": answer(
            _("Too many calls with this key; try again after Retry-After seconds."),
            headers={"Retry-After": {"schema": {"type": "integer"}}},
        ),
    }
    invalid = {"400": answer(_("The input is refused: each field with its messages."), FIELD_ERRORS)}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            takes_input = method in ("post", "put", "patch") or any(
                parameter["in"] == "query" and parameter["name"] not in PAGING
                for parameter in operation.get("parameters", [])
            )
            for code, response in {**common, **(invalid if takes_input else {})}.items():
                responses.setdefault(code, response)
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
