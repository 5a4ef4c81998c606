"""A ceiling for benchmarks/load.py: the service itself, except that `POST /v1/graph` computes its
answer for the first request and gives it again to every later one. Each request is still read,
validated, counted in the metrics, given its id and answered with the whole JSON; only the engine
and the building of the answer are gone. So its throughput is what the seed request would reach if
those two cost nothing, under the same gunicorn settings.

    gunicorn -c gunicorn.conf.py "benchmarks.precomputed:create_app()"
"""

import service
from service import graphs

_answer_of = graphs.answer
_answers = []


def create_app():
    """The service, with the answer replaced in this process only: importing this module changes nothing."""
    graphs.answer = _first_answer
    return service.create_app()


def _first_answer(request, settings, graph=None):
    if not _answers:
        _answers.append(_answer_of(request, settings, graph))
    return _answers[0]
