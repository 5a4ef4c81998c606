"""Optional API keys: when API_KEYS or API_KEYS_FILE is set, every /v1/ request needs
`Authorization: Bearer <key>`; health, readiness, metrics and the contract stay open."""

import hmac

from flask import request

from service.problems import Problem

PROTECTED = "/v1/"
CHALLENGE = 'Bearer realm="backprop"'


def register(app, settings):
    if settings.api_keys:
        keys = [key.encode() for key in settings.api_keys]
        app.before_request(lambda: _require_one_of(keys))


def _require_one_of(keys):
    if request.url_rule is None or not request.url_rule.rule.startswith(PROTECTED):
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Problem(401, "Unauthorized", "this service needs an API key: send it as `Authorization: Bearer <key>`",
                      headers={"WWW-Authenticate": CHALLENGE})
    if not _is_known(given.strip().encode("latin-1"), keys):
        raise Problem(401, "Unauthorized", "the API key is not one this service knows",
                      headers={"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'})


def _is_known(given, keys):
    """Compared with every key in constant time, so the timing shows neither whether nor where it matched."""
    found = False
    for key in keys:
        found |= hmac.compare_digest(given, key)
    return found
