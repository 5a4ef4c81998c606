"""POST /v1/grade/batch: a class of 500 against one problem, each submission isolated, JSON or CSV."""

import csv
import io

from tests.test_grading import PRAIRIELEARN, WORKED

import jsonschema

BROKEN = {7: "not an object", 120: {"answers": {"gradients": {"z": 1}}}, 250: {"answers": []},
          333: {"id": "s333", "answers": {"gradients": {"x": "NaN"}}}}


def submissions():
    class_ = []
    for i in range(500):
        answer = 1089 if i % 2 == 0 else 363
        class_.append(BROKEN.get(i, {"id": f"s{i}", "answers": {"gradients": {"x": answer}, "value": 1331}}))
    return class_


def test_a_class_of_500_with_a_few_broken_submissions(client):
    response = client.post("/v1/grade/batch", json={"problem": WORKED, "submissions": submissions()})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [slot["index"] for slot in results] == list(range(500))
    assert {i: slot["status"] for i, slot in enumerate(results) if slot["status"] != 200} == {7: 422, 120: 422, 250: 422}
    assert results[120]["problem"]["errors"][0]["location"] == "/submissions/120/answers/gradients/z"
    assert results[333]["result"]["gradable"] is False and results[333]["id"] == "s333"
    assert results[0]["result"]["score"] == 1 and results[1]["result"]["items"][1]["mistake"] == "missing_chain_factor"


def test_csv_has_one_row_per_submission_and_item(client):
    response = client.post("/v1/grade/batch", json={"problem": WORKED, "submissions": submissions()},
                           headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 496 * 2 + 3 + 1  # two items each, one per rejected submission, one for s333
    assert rows[3]["submission"] == "1" and rows[3]["mistake"] == "missing_chain_factor"
    assert [r["outcome"] for r in rows if r["submission"] == "7"] == ["rejected"]


def test_each_slot_is_written_in_the_requested_format(client):
    body = client.post("/v1/grade/batch", json={"problem": WORKED, "format": "prairielearn", "submissions": [
        {"answers": {"value": 1331}}, {"answers": {"value": "x"}}]}).get_json()
    for slot in body["results"]:
        jsonschema.validate(slot["result"], PRAIRIELEARN)
    assert [slot["result"]["gradable"] for slot in body["results"]] == [True, False]


def test_the_batch_is_refused_before_grading_when_its_work_is_over_the_limit(post):
    status, body = post("/v1/grade/batch", {"problem": {"graph": {"expression": "sum(x * x)", "inputs": {
        "x": [1.0] * 100_000}}}, "submissions": [{"answers": {}}] * 400})
    assert status == 413 and "MAX_WORK" in body["detail"]
