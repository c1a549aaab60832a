"""Parse Prometheus text exposition on stdin with prometheus_client's own parser and print the families as JSON.

Output: a JSON list of {"name", "type", "samples": [{"name", "labels", "value"}]}; NaN values are printed as the
JSON extension token NaN. Exit status 2 when prometheus_client is missing, so callers can tell it from a parse error.
"""
import json
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.stderr.write("prometheus_client is not installed\n")
    sys.exit(2)


def main():
    text = sys.stdin.read()
    families = []
    for family in text_string_to_metric_families(text):
        families.append({
            "name": family.name,
            "type": family.type,
            "samples": [
                {"name": sample.name, "labels": dict(sample.labels), "value": sample.value}
                for sample in family.samples
            ],
        })
    json.dump(families, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
