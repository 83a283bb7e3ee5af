#!/usr/bin/env python3
"""Parses Prometheus text with prometheus_client's own parser and prints every sample as a
JSON line: {"family", "type", "name", "labels", "value"}.

    scripts/prometheus_samples.py FILE      (or the text on standard input)

Exits 1, with the parser's error on standard error, when the text does not parse. The
metrics integration tests check the daemon's /metrics with it.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as error:  # the parser raises ValueError and others on bad input
        print(f"parse error: {error}", file=sys.stderr)
        return 1
    for family in families:
        for sample in family.samples:
            print(json.dumps({
                "family": family.name,
                "type": family.type,
                "name": sample.name,
                "labels": sample.labels,
                "value": sample.value,
            }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
