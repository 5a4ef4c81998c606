"""Contract fuzzing: schemathesis generates requests for every operation in openapi.yaml (valid ones and
ones that break the schema) and checks every answer against the contract. The limits are set low so
that each generated computation is quick; the checks are the same at any limit."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from service import create_app
from service.config import Settings

APP = create_app(Settings(max_steps=1_000, max_work=5_000_000, max_mlp_work=50_000_000, max_tensor_elements=10_000,
                          max_total_elements=100_000))
SCHEMA = schemathesis.openapi.from_wsgi("/openapi.yaml", APP)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_contract(case):
    case.call_and_validate(checks=CHECKS)
