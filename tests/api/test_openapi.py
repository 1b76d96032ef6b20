"""The OpenAPI document is valid OpenAPI 3.1, names every API route, and describes what the
API answers. (tests/api/test_schemathesis.py fuzzes the live API against it.)"""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"] == "3.1.0" and document["servers"] == [{"url": "/api/v1"}]


def test_every_api_route_is_documented_and_every_documented_path_exists(app, document):
    def shape(path: str) -> str:
        return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)

    routes = {shape(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes == {shape("/api/v1" + path) for path in document["paths"]}


def test_every_operation_documents_its_errors(document):
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        assert {"200", "400", "429"} <= set(responses), path
        assert ("404" in responses) == ("{" in path), path


def test_answers_match_their_schemas(client, document, world):
    def check(url: str, schema: str) -> None:
        body = client.get(url).get_json()
        OAS31Validator({"$ref": f"#/components/schemas/{schema}", "components": document["components"]}).validate(body)

    check("/api/v1/municipalities?province=limburg", "MunicipalityList")
    check("/api/v1/municipalities/44021", "Municipality")
    check("/api/v1/editions", "EditionList")
    check("/api/v1/editions/2025/statistics", "Statistics")
    check("/api/v1/registrations", "RegistrationList")
    check("/api/v1/actions", "ActionList")
    check("/api/v1/heroes", "HeroList")
    check(f"/api/v1/heroes/{world.hero.id}", "Hero")
    check("/api/v1/heroes?sdg=99", "InvalidParamsProblem")
    check("/api/v1/heroes/1234567", "Problem")


def test_each_list_documents_exactly_the_filters_it_takes(client, document, edition):
    examples = {name: p["example"] for name, p in document["components"]["parameters"].items() if "example" in p}
    for path, item in document["paths"].items():
        if "{" in path or path == "/openapi.json":
            continue
        documented = {p["$ref"].rsplit("/", 1)[1] for p in item["get"]["parameters"]}
        for name in ("edition", "province", "municipality", "sdg"):
            status = client.get(f"/api/v1{path}?{name}={examples[name]}").status_code
            assert status == (200 if name in documented else 400), (path, name)
