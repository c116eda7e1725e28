"""Checks simulated responses against botocore's output shapes.

Reads, from the file named by the first argument, a JSON list of
{"service": "ec2", "method": "describe_images", "response": {...}} in boto3's snake_case keys
(or, with "wire": true, in the API's own member names, as the AWS CLI prints them),
and prints, as JSON, {"botocore": version, "values": N, "problems": ["ec2.describe_images:
images[0].state: 'gone' is not one of [...]", ...]}. A value conforms when every key of a
structure is a member (after xform_name), every value has the member's type, every enum value is
one the model lists, every timestamp is an ISO-8601 string, and nothing is null (AWS leaves a
member out; it never sends null).

Run by crates/cloud/tests/conformance.rs with the pinned botocore; reads the models, copies
nothing from them."""

import json
import re
import sys

import botocore
import botocore.session
from botocore import xform_name

# Where real EC2 and botocore's model disagree, the simulation follows EC2: (shape, value) pairs
# the model's enum lacks. Each with its source.
MODEL_ERRATA = {
    # EC2 answers `windows` in lowercase for Windows images and instances ("This value is set to
    # windows for Windows AMIs", boto3's EC2.Image.platform); the model's PlatformValues enum
    # says `Windows`.
    ("PlatformValues", "windows"),
}

ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# How AWS CLI v2 prints a timestamp member (its default cli_timestamp_format, iso8601: Python's
# datetime.isoformat() in UTC): `2025-06-02T09:00:00+00:00`, microseconds only when not zero.
CLI_V2_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$")


class Checker:
    def __init__(self):
        self.values = 0
        self.problems = []
        # Structures the CLI would print with its members in another order than the model's
        # (the simulation declares its own order): reported, not a problem.
        self.unordered = set()
        self.orders = {}

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    def check(self, shape, value, where, wire=False):
        self.values += 1
        if value is None:
            self.problem(where, "null (AWS leaves the member out instead)")
            return
        kind = shape.type_name
        if kind == "structure":
            if not isinstance(value, dict):
                return self.problem(where, f"expected a structure, found {type(value).__name__}")
            members = {
                (name if wire else xform_name(name)): member
                for name, member in shape.members.items()
            }
            if wire:
                model_order = [k for k in members if k in value]
                if model_order != [k for k in value if k in members]:
                    self.unordered.add(shape.name)
                    self.orders[shape.name] = list(members)
            for key in sorted(value):
                if key not in members:
                    self.problem(f"{where}.{key}", f"not a member of {shape.name}")
                else:
                    self.check(members[key], value[key], f"{where}.{key}", wire)
        elif kind == "list":
            if not isinstance(value, list):
                return self.problem(where, f"expected a list, found {type(value).__name__}")
            for i, item in enumerate(value):
                self.check(shape.member, item, f"{where}[{i}]", wire)
        elif kind == "map":
            if not isinstance(value, dict):
                return self.problem(where, f"expected a map, found {type(value).__name__}")
            for key in sorted(value):
                self.check(shape.value, value[key], f"{where}[{key!r}]", wire)
        elif kind == "string":
            if not isinstance(value, str):
                return self.problem(where, f"expected a string, found {value!r}")
            if shape.enum and value not in shape.enum and (shape.name, value) not in MODEL_ERRATA:
                self.problem(where, f"{value!r} is not one of {shape.enum}")
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                self.problem(where, f"expected an integer, found {value!r}")
        elif kind in ("double", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.problem(where, f"expected a number, found {value!r}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                self.problem(where, f"expected a boolean, found {value!r}")
        elif kind == "timestamp":
            if wire:
                if not isinstance(value, str) or not CLI_V2_TIMESTAMP.match(value):
                    self.problem(where, f"expected a timestamp as AWS CLI v2 prints it, found {value!r}")
            elif not isinstance(value, str) or not ISO_8601.match(value):
                self.problem(where, f"expected an ISO-8601 timestamp, found {value!r}")
        elif kind == "blob":
            if not isinstance(value, str):
                self.problem(where, f"expected a blob (base64 string), found {value!r}")
        else:
            self.problem(where, f"unknown shape type {kind}")


def main():
    with open(sys.argv[1]) as f:
        responses = json.load(f)
    session = botocore.session.get_session()
    models = {}
    checker = Checker()
    operations = set()
    for item in responses:
        service, method = item["service"], item["method"]
        model = models.setdefault(service, session.get_service_model(service))
        names = {xform_name(name): name for name in model.operation_names}
        if method not in names:
            checker.problem(f"{service}.{method}", "no such operation in botocore")
            continue
        operations.add((service, method))
        shape = model.operation_model(names[method]).output_shape
        if shape is None:
            if item["response"] != {}:
                checker.problem(f"{service}.{method}", "botocore's output is empty")
            continue
        wire = item.get("wire", False)
        where = f"{service}.{method}" + (" (wire)" if wire else "")
        checker.check(shape, item["response"], where, wire)
    json.dump(
        {
            "botocore": botocore.__version__,
            "operations": len(operations),
            "values": checker.values,
            "problems": checker.problems,
            "unordered": sorted(checker.unordered),
            "orders": checker.orders,
        },
        sys.stdout,
        sort_keys=True,
    )


main()
