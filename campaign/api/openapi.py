"""The OpenAPI 3.1 document of ``/api/v1``, built here so that it shares its limits and
choices with the code (``params``) instead of repeating them. Tests validate it and fuzz the
live API against it (tests/api/test_openapi.py).

Object schemas forbid extra properties, so a field that should not be published (a contact
address, consent details) fails the schema tests as soon as it appears."""

from __future__ import annotations

from functools import cache
from typing import Any

from campaign.actions.models import ActionType, Audience
from campaign.api import params
from campaign.reference.models import Pillar
from campaign.registrations.models import Track

Json = dict[str, Any]
MAX_ID = params.MAX_ID


def _ref(kind: str, name: str) -> Json:
    return {"$ref": f"#/components/{kind}/{name}"}


def _object(properties: Json, *, description: str = "") -> Json:
    schema: Json = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _string(description: str = "", **extra: Any) -> Json:
    return {"type": "string", **({"description": description} if description else {}), **extra}


def _integer(description: str = "", **extra: Any) -> Json:
    return {"type": "integer", **({"description": description} if description else {}), **extra}


def _nullable(schema: Json) -> Json:
    return {**schema, "type": [schema["type"], "null"]}


COUNT = _integer(minimum=0)
SDG_NUMBERS = {"type": "array", "items": _integer(minimum=1, maximum=17)}
NIS_CODE = _string("NIS code", pattern="^[0-9]{5}$")


def _schemas() -> Json:
    province = _object(
        {
            "nis_code": NIS_CODE,
            "slug": _string("Dutch name in lower case; accepted by the province filter"),
            "name_nl": _string(),
            "name_en": _string(),
        }
    )
    municipality_ref = _object({"nis_code": NIS_CODE, "name_nl": _string("Official (Dutch) name")})
    photo_urls = {
        "url": _string("Display size, from the public media route", format="uri"),
        "thumbnail_url": _string(format="uri"),
    }
    schemas: Json = {
        "Province": province,
        "MunicipalityRef": municipality_ref,
        "Municipality": _object(
            {
                "nis_code": NIS_CODE,
                "name_nl": _string("Official (Dutch) name"),
                "province": _ref("schemas", "Province"),
                "population_2020": COUNT,
                "merged_2025": {"type": "boolean", "description": "Formed by the mergers of 1 January 2025"},
            },
            description="One of the 285 Flemish municipalities of 2025.",
        ),
        "Edition": _object(
            {
                "year": _integer(minimum=1, maximum=9999),
                "title": _string(),
                "theme": _string(),
                "week_start": _string(format="date"),
                "week_end": _string(format="date"),
                "registration_deadline": _string(format="date"),
                "current": {"type": "boolean", "description": "The edition the campaign is working on"},
                "focus_sdgs": SDG_NUMBERS,
            },
            description="One campaign year.",
        ),
        "Registration": _object(
            {
                "id": _integer(minimum=1),
                "edition": _integer("Year of the edition"),
                "municipality": _ref("schemas", "MunicipalityRef"),
                "registered_on": _string("Day of registration, Belgian time", format="date"),
                "track": _string("How the municipality takes part", enum=[t.value for t in Track]),
            },
            description="A municipality taking part in an edition (withdrawn registrations are not listed).",
        ),
        "ActionPhoto": _object({**photo_urls, "caption": _string(), "credit": _string()}),
        "Action": _object(
            {
                "id": _integer(minimum=1),
                "edition": _integer("Year of the edition"),
                "municipality": _ref("schemas", "MunicipalityRef"),
                "title": _string(),
                "description": _string(),
                "type": _string(enum=[t.value for t in ActionType]),
                "audience": _string(enum=[a.value for a in Audience]),
                "starts_at": _string("Belgian time, with its offset", format="date-time"),
                "ends_at": _string(format="date-time"),
                "online": {"type": "boolean"},
                "location": _string(),
                "actual_reach": _nullable(_integer("People reached, once reported", minimum=0)),
                "sdgs": SDG_NUMBERS,
                "photos": {"type": "array", "items": _ref("schemas", "ActionPhoto")},
            },
            description="A public action of a participating municipality.",
        ),
        "HeroPhoto": _object(
            {
                **photo_urls,
                "credit": _string(),
                "focal_point": _object(
                    {
                        "x": {"type": "number", "minimum": 0, "maximum": 1},
                        "y": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                    description="The point crops keep in view, as fractions of width and height",
                ),
            }
        ),
        "Hero": _object(
            {
                "id": _integer(minimum=1),
                "edition": _integer("Year of the edition"),
                "municipality": _ref("schemas", "MunicipalityRef"),
                "name": _string(),
                "role": _string(),
                "quote": _string(),
                "story": _string(),
                "sdgs": SDG_NUMBERS,
                "action_id": _nullable(_integer("The hero's public action, if any", minimum=1)),
                "photo": {"oneOf": [_ref("schemas", "HeroPhoto"), {"type": "null"}]},
            },
            description="A local hero whose consent to publication on the web is valid today.",
        ),
        "Statistics": _object(
            {
                "edition": _integer("Year of the edition"),
                "municipalities": COUNT,
                "registered": _integer("Municipalities with an active registration", minimum=0),
                "heroes": _integer("Heroes of active registrations, whatever their consent", minimum=0),
                "actions": _integer("Actions of active registrations, public or not", minimum=0),
                "per_province": {
                    "type": "array",
                    "items": _object(
                        {"province": _ref("schemas", "Province"), "municipalities": COUNT, "registered": COUNT}
                    ),
                },
                "per_sdg": {
                    "type": "array",
                    "items": _object(
                        {
                            "sdg": _integer(minimum=1, maximum=17),
                            "name_nl": _string(),
                            "name_en": _string(),
                            "pillar": _string(enum=[p.value for p in Pillar]),
                            "focus": {"type": "boolean", "description": "A focus SDG of the edition"},
                            "actions": COUNT,
                            "heroes": COUNT,
                        }
                    ),
                },
                "per_pillar": {
                    "type": "array",
                    "items": _object(
                        {"pillar": _string(enum=[p.value for p in Pillar]), "actions": COUNT, "heroes": COUNT}
                    ),
                },
            },
            description="An edition's figures, as on the campaign team's dashboard. An action or hero "
            "counts once per SDG it has, and once per pillar among its SDGs.",
        ),
        "Problem": {
            "type": "object",
            "description": "Problem details (RFC 9457).",
            "properties": {
                "type": _string(format="uri-reference"),
                "title": _string(),
                "status": _integer(minimum=400, maximum=599),
                "detail": _string(),
                "instance": _string(format="uri-reference"),
            },
            "required": ["type", "title", "status", "detail"],
        },
        "InvalidParamsProblem": {
            "allOf": [
                _ref("schemas", "Problem"),
                {
                    "type": "object",
                    "properties": {
                        "type": {"const": "tag:vvsg.be,2025:api/invalid-parameters"},
                        "invalid-params": {
                            "type": "array",
                            "minItems": 1,
                            "items": _object({"name": _string(), "reason": _string()}),
                        },
                    },
                    "required": ["invalid-params"],
                },
            ]
        },
    }
    for name in ("Municipality", "Edition", "Registration", "Action", "Hero"):
        schemas[name + "List"] = _object(
            {
                "items": {"type": "array", "items": _ref("schemas", name)},
                "next": _nullable(_string("The next page, with the same filters; null on the last", format="uri")),
                "total": _integer("Items over all pages", minimum=0),
            }
        )
    return schemas


def _parameters() -> Json:
    def query(name: str, schema: Json, description: str, example: object = None) -> Json:
        parameter = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
        return parameter | ({"example": example} if example is not None else {})

    def header(name: str, description: str) -> Json:
        return {"name": name, "in": "header", "required": False, "schema": _string(), "description": description}

    def path(name: str, schema: Json, example: object) -> Json:
        return {"name": name, "in": "path", "required": True, "schema": schema, "example": example}

    return {
        "page": query("page", _integer(minimum=1, maximum=params.MAX_PAGE, default=1), "Page number"),
        "per_page": query(
            "per_page",
            _integer(minimum=1, maximum=params.MAX_PER_PAGE, default=params.DEFAULT_PER_PAGE),
            "Items per page",
        ),
        "edition": query("edition", _integer(minimum=1, maximum=9999), "Only this edition (year)", 2025),
        "province": query(
            "province",
            _string(enum=sorted(params.PROVINCE_CODES)),
            "Only this province, by NIS code or by Dutch name in lower case",
            "oost-vlaanderen",
        ),
        "municipality": query("municipality", NIS_CODE, "Only this municipality (NIS code)", "44021"),
        "sdg": query("sdg", _integer(minimum=1, maximum=17), "Only those with this SDG", 12),
        "IfNoneMatch": header("If-None-Match", "ETags of copies you have; 304 when one is current"),
        "IfModifiedSince": header(
            "If-Modified-Since", "HTTP date of your copy; 304 when unchanged since (ignored with If-None-Match)"
        ),
        "nis_code": path("nis_code", NIS_CODE, "44021"),
        "year": path("year", _integer(minimum=1, maximum=9999), 2025),
        "id": path("id", _integer(minimum=1, maximum=MAX_ID), 1),
    }


def _headers() -> Json:
    def header(description: str, schema: Json, *, required: bool = False) -> Json:
        return {"description": description, "required": required, "schema": schema}

    return {
        "ETag": header("Strong validator over the body", _string(), required=True),
        "Last-Modified": header(
            "When the published data last changed; left out within a second of a change", _string()
        ),
        "Cache-Control": header("public, max-age=60; heroes: public, no-cache", _string(), required=True),
        "Access-Control-Allow-Origin": header("Any origin may read", _string(const="*"), required=True),
        "X-RateLimit-Limit": header("Requests a minute allowed to you", _string(pattern="^[0-9]+$")),
        "X-RateLimit-Remaining": header("Requests left now", _string(pattern="^[0-9]+$")),
        "Retry-After": header("Seconds to wait", _string(pattern="^[0-9]+$"), required=True),
    }


def _responses() -> Json:
    headers = {name: _ref("headers", name) for name in ("ETag", "Last-Modified", "Cache-Control")}
    cors = {"Access-Control-Allow-Origin": _ref("headers", "Access-Control-Allow-Origin")}

    def problem(description: str, schema: str = "Problem", extra: Json | None = None) -> Json:
        return {
            "description": description,
            "headers": {**cors, **(extra or {})},
            "content": {"application/problem+json": {"schema": _ref("schemas", schema)}},
        }

    return {
        "NotModified": {"description": "Your copy is current", "headers": {**headers, **cors}},
        "BadRequest": problem("Unknown or malformed query parameters", "InvalidParamsProblem"),
        "NotFound": problem("No such resource"),
        "TooManyRequests": problem("Rate limit reached", extra={"Retry-After": _ref("headers", "Retry-After")}),
    }


def _operation(summary: str, schema: str, parameters: list[str], *, not_found: bool) -> Json:
    responses: Json = {
        "200": {
            "description": summary,
            "headers": {
                name: _ref("headers", name)
                for name in (
                    "ETag",
                    "Last-Modified",
                    "Cache-Control",
                    "Access-Control-Allow-Origin",
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                )
            },
            "content": {"application/json": {"schema": _ref("schemas", schema)}},
        },
        "304": _ref("responses", "NotModified"),
        "400": _ref("responses", "BadRequest"),
    }
    if not_found:
        responses["404"] = _ref("responses", "NotFound")
    responses["429"] = _ref("responses", "TooManyRequests")
    return {
        "get": {
            "summary": summary,
            "operationId": summary.lower().replace(" ", "_").replace("'", ""),
            "parameters": [_ref("parameters", name) for name in (*parameters, "IfNoneMatch", "IfModifiedSince")],
            "responses": responses,
        }
    }


def _list(summary: str, schema: str, filters: list[str]) -> Json:
    return _operation(summary, schema + "List", [*filters, "page", "per_page"], not_found=False)


def _one(summary: str, schema: str, key: str) -> Json:
    return _operation(summary, schema, [key], not_found=True)


@cache
def document() -> Json:
    """The OpenAPI document (built once per process)."""
    filters = ["edition", "province", "municipality", "sdg"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Week van de Duurzame Gemeente: open data",
            "version": "1.0.0",
            "description": (
                "Read-only public data of the campaign: municipalities, editions, registrations, "
                "public actions, heroes who consented to publication on the web, and each edition's "
                "figures. No login. Answers carry ETag and Last-Modified and honour If-None-Match and "
                "If-Modified-Since (304). Any origin may read (CORS, GET/HEAD/OPTIONS). Each client "
                "address has a request budget per minute (429 with Retry-After beyond it). Errors are "
                "problem details (RFC 9457). Lists are paged: follow `next` until it is null."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "304": _ref("responses", "NotModified"),
                        "400": _ref("responses", "BadRequest"),
                        "429": _ref("responses", "TooManyRequests"),
                    },
                }
            },
            "/municipalities": _list("List municipalities", "Municipality", ["province"]),
            "/municipalities/{nis_code}": _one("Get a municipality", "Municipality", "nis_code"),
            "/editions": _list("List editions", "Edition", []),
            "/editions/{year}": _one("Get an edition", "Edition", "year"),
            "/editions/{year}/statistics": _one("Get an edition's statistics", "Statistics", "year"),
            "/registrations": _list("List registrations", "Registration", filters[:3]),
            "/registrations/{id}": _one("Get a registration", "Registration", "id"),
            "/actions": _list("List actions", "Action", filters),
            "/actions/{id}": _one("Get an action", "Action", "id"),
            "/heroes": _list("List heroes", "Hero", filters),
            "/heroes/{id}": _one("Get a hero", "Hero", "id"),
        },
        "components": {
            "schemas": _schemas(),
            "parameters": _parameters(),
            "headers": _headers(),
            "responses": _responses(),
        },
    }
