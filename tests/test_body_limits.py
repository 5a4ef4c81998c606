"""The body's limits before anything is computed: its size (a chunked body too, over a real gunicorn,
where a cap that silently truncated would be a bug) and its JSON nesting depth."""

import json
import socket
from urllib.parse import urlsplit

import orjson
import pytest
import requests
from hypothesis import given, strategies as st

from service.config import Settings
from service.limits import check_json_depth
from service.problems import Problem
from tests.servers import gunicorn

LIMIT = 4096
SEED = orjson.dumps({"expression": "(3*x + 4*y)**3", "inputs": {"x": 1, "y": 2}})


@pytest.fixture(scope="module")
def small_gunicorn():
    with gunicorn({"MAX_BODY_BYTES": str(LIMIT), "WEB_CONCURRENCY": "1"}) as url:
        yield url


def chunked_post(url, body, chunk=1000):
    """POST `body` with Transfer-Encoding: chunked and no Content-Length, over a raw socket; the status and body."""
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(b"POST /v1/graph HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        for start in range(0, len(body), chunk):
            part = body[start:start + chunk]
            connection.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        connection.sendall(b"0\r\n\r\n")
        answer = b""
        while data := connection.recv(65536):
            answer += data
    head, _, content = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), content


def test_a_chunked_body_within_the_limit_is_read_whole(small_gunicorn):
    status, _, content = chunked_post(small_gunicorn, SEED, chunk=7)
    assert status == 200
    assert json.loads(content)["gradients"] == {"x": 1089.0, "y": 1452.0}


def test_a_chunked_body_over_the_limit_is_413_not_truncated(small_gunicorn):
    padded = SEED[:-1] + b', "trace": false' + b" " * LIMIT + b"}"
    status, head, content = chunked_post(small_gunicorn, padded)
    assert status == 413 and "application/problem+json" in head
    assert f"MAX_BODY_BYTES={LIMIT:,}" in json.loads(content)["detail"]


def test_a_generator_body_is_sent_chunked_and_capped_too(small_gunicorn):
    response = requests.post(f"{small_gunicorn}/v1/graph", data=(SEED[:10] + b" " * 1000 for _ in range(6)),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413
    assert f"MAX_BODY_BYTES={LIMIT:,}" in response.json()["detail"]


def test_a_declared_length_over_the_limit_is_413_naming_it(small_gunicorn):
    response = requests.post(f"{small_gunicorn}/v1/graph", data=b" " * (LIMIT + 1),
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413
    assert f"the request body is {LIMIT + 1:,} bytes" in response.json()["detail"]


def nesting_depth(value):
    if isinstance(value, list):
        return 1 + max(map(nesting_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(nesting_depth, value.values()), default=0)
    return 0


json_values = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | st.text("[]{}\"\\ab"),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("[]{}\"\\a"), inner,
                                                                                         max_size=3), max_leaves=30)


@given(json_values, st.integers(0, 8))
def test_the_depth_read_from_the_bytes_is_the_depth_of_the_parsed_value(value, limit):
    body = json.dumps(value).encode()
    if nesting_depth(value) > limit:
        with pytest.raises(Problem) as refused:
            check_json_depth(body, Settings(max_json_depth=limit))
        assert refused.value.status == 413 and f"is {nesting_depth(value)}," in refused.value.detail
    else:
        check_json_depth(body, Settings(max_json_depth=limit))
