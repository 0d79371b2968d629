"""The OpenAPI schema documents the errors each operation can answer, in the shapes the API uses.

drf-spectacular documents the successes it sees in the views; this post-processing
hook adds the error answers every operation shares (the reliability suite checks
each answer's status and body against the schema):

- 400: a body or query that does not validate (any write, any query): DRF's field errors ``{"field": ["message"]}``, or ``{"detail"}``
- 401 / 403: no valid credentials / this account may not use it (operations that need a sign-in)
- 404: a record that does not exist or is not the requester's, or a page past the end of a list
- 409: a create that conflicts with an existing record (POST and PUT)
- 413: a body over the size limit (operations with a body)
- 429: too many requests, or locked out after failed sign-ins (sign-up and token)
- 503: the database is unreachable for a moment; try again after ``Retry-After``
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for most errors; for a 400, DRF's field errors `{field: [message]}` instead.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Not valid: field errors `{field: [message]}`, or `detail`.",
    "401": "No valid credentials (send `Authorization: Token ...` or sign in).",
    "403": "This account may not use this operation (or has not passed the second factor).",
    "404": "No such record, or not one this account may see.",
    "409": "Conflicts with an existing record.",
    "413": "The body is over the size limit.",
    "429": "Too many requests from this client, or locked out after repeated failed sign-ins; see Retry-After.",
    "503": "The database is briefly unreachable; try again after Retry-After.",
}
THROTTLED = {"/api/v1/auth/register/", "/api/v1/auth/token/"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {"503"}
            has_body = "requestBody" in operation
            parameters = operation.get("parameters", [])
            if (
                has_body
                or method in ("post", "put", "patch", "delete")
                or any(p.get("in") == "query" for p in parameters)
            ):
                codes.add("400")  # DELETE /me/ takes the password in a body the schema cannot show
            if has_body:
                codes.add("413")
            if any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
                codes.add("404")  # no such record, or no such page of a list
            if method in ("post", "put"):
                codes.add("409")
            if any(requirement for requirement in operation.get("security", []) if requirement):
                codes.update({"401", "403"})
            if path in THROTTLED:
                codes.add("429")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
