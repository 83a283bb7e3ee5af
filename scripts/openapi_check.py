#!/usr/bin/env python3
"""Validates recorded HTTP exchanges of the daemon against docs/openapi.yaml with openapi-core.

    .venv/bin/python scripts/openapi_check.py docs/openapi.yaml exchanges.json

exchanges.json is a JSON array; each item is one request and its response:
  {"method": "GET", "path": "/api/v1/devices", "query": "status=ok",
   "request_headers": {"Authorization": "Bearer …"}, "request_content_type": "application/json",
   "request_body": "…", "status": 200, "content_type": "application/json; charset=utf-8",
   "body": "…"}

Every response is validated (an undocumented status, a body that does not match its schema, a
missing required key all fail); requests that succeeded (2xx) are validated too. Prints one
line per failure and exits 1 when there is any, else prints how many were checked.

openapi-core reads text/plain and text/html bodies as text; the report's text/csv and
text/markdown are read as UTF-8 text the same way, so their `type: string` is checked too.
"""
import json
import sys
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.deserializing.media_types.util import plain_loads
from openapi_core.testing import MockRequest, MockResponse

TEXT_MEDIA_TYPES = {"text/csv": plain_loads, "text/markdown": plain_loads}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    api = OpenAPI.from_file_path(sys.argv[1], config=Config(extra_media_type_deserializers=TEXT_MEDIA_TYPES))
    with open(sys.argv[2], encoding="utf-8") as f:
        exchanges = json.load(f)
    failures = []
    for x in exchanges:
        name = f'{x["method"]} {x["path"]}{"?" + x["query"] if x.get("query") else ""} -> {x["status"]}'
        args = {k: v[0] for k, v in parse_qs(x.get("query") or "", keep_blank_values=True).items()}
        request = MockRequest(
            "http://127.0.0.1:8080",
            x["method"].lower(),
            x["path"],
            args=args,
            headers=x.get("request_headers") or {},
            data=(x.get("request_body") or "").encode() or None,
            content_type=x.get("request_content_type") or "application/json",
        )
        response = MockResponse(
            x.get("body", "").encode(),
            status_code=x["status"],
            headers={"Content-Type": x.get("content_type", "")},
            content_type=x.get("content_type", "").split(";")[0].strip(),
        )
        try:
            api.validate_response(request, response)
        except Exception as error:  # openapi-core raises one of several error types
            failures.append(f"{name}: response: {describe(error)}")
        if 200 <= x["status"] < 300:
            try:
                api.validate_request(request)
            except Exception as error:
                failures.append(f"{name}: request: {describe(error)}")
    for line in failures:
        print(line)
    if failures:
        print(f"openapi_check: {len(failures)} of {len(exchanges)} exchanges do not match {sys.argv[1]}")
        return 1
    print(f"openapi_check: {len(exchanges)} exchanges match {sys.argv[1]}")
    return 0


def describe(error: Exception) -> str:
    parts = [f"{type(error).__name__}: {error}"]
    cause = error.__cause__
    while cause is not None:
        details = getattr(cause, "schema_errors", None)
        parts.append(f"{type(cause).__name__}: {cause}")
        if details:
            parts += [f"  - {e.message} at {list(e.absolute_path)}" for e in details]
        cause = cause.__cause__
    return "\n    ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
