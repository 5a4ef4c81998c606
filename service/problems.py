"""Every failure is an RFC 9457 problem: `application/problem+json` with type, title, status,
detail and, for a request that fails validation, one entry per problem with its JSON location."""

class Problem(Exception):
    """`limit` names the setting a request was refused under (counted in /metrics); `headers` go with
    the answer (WWW-Authenticate on a 401)."""

    def __init__(self, status, title, detail, errors=None, limit=None, headers=None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors
        self.limit, self.headers = limit, headers or {}

    def body(self):
        body = {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.detail}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def pointer(location):
    """A JSON Pointer (RFC 6901) for a location such as ("nodes", 3, "args")."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


def invalid(errors, detail=None):
    """A 422 for a request that parsed but does not describe a computation we can carry out."""
    detail = detail or "; ".join(f"{e['location'] or 'body'}: {e['message']}" for e in errors[:3])
    return Problem(422, "Unprocessable request", detail, errors)


def too_large(what, value, setting, limit, location=()):
    """A 413 naming the limit (by its environment variable) and its value."""
    return over_limit(f"{what} is {value:,}", setting, limit, location)


def over_limit(what, setting, limit, location=()):
    """A 413 for `what` ("the request body is 40,000 bytes") over the limit named by its environment variable."""
    message = f"{what}, over this service's limit {setting.upper()}={limit:,}"
    return Problem(413, "Request too large", message, [{"location": pointer(location), "message": message}],
                   limit=setting.upper())
