"""Prints, as JSON, what the conformance test needs of botocore's input shapes, for every
operation of the given services, in boto3's snake_case (botocore's own xform_name):
- "services": the input members ({"ec2": {"create_image": ["block_device_mappings", ...]}});
- "paths": every member path inside the input, through structures, lists and maps
  ({"ec2": {"create_image": ["block_device_mappings", "block_device_mappings.ebs", ...]}});
- "ranges": the integer members' `min` and `max` ({"ec2": {"describe_vpcs": {"max_results":
  [5, 1000]}}});
- "paginators": each paginator's tokens and keys ({"ec2": {"describe_images": {"input_token":
  "next_token", ...}}}).

Run by crates/cloud/tests/conformance.rs with the Python of a virtualenv holding the pinned
botocore (.ci/run creates it). Reads botocore's service models; copies nothing from them."""

import json
import sys

import botocore
import botocore.exceptions
import botocore.session
from botocore import xform_name


def snake(value):
    """A paginator field in snake_case: one name, or None."""
    return xform_name(value) if isinstance(value, str) else None


def paths(shape, prefix, depth, out):
    """Every member path under a structure, descending through lists and maps (4 levels)."""
    if depth == 0:
        return
    if shape.type_name == "list":
        return paths(shape.member, prefix, depth, out)
    if shape.type_name == "map":
        return paths(shape.value, prefix, depth, out)
    if shape.type_name != "structure":
        return
    for name, member in shape.members.items():
        path = prefix + xform_name(name)
        out.append(path)
        paths(member, path + ".", depth - 1, out)


session = botocore.session.get_session()
out = {"botocore": botocore.__version__, "services": {}, "paths": {}, "ranges": {}, "paginators": {}}
for service in sys.argv[1:]:
    model = session.get_service_model(service)
    ops, all_paths, ranges = {}, {}, {}
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        method = xform_name(name)
        ops[method] = sorted(xform_name(m) for m in shape.members) if shape else []
        found = []
        if shape:
            paths(shape, "", 4, found)
        all_paths[method] = sorted(set(found))
        bounds = {}
        for member, member_shape in (shape.members.items() if shape else []):
            if member_shape.type_name in ("integer", "long"):
                meta = member_shape.metadata
                bounds[xform_name(member)] = [meta.get("min"), meta.get("max")]
        ranges[method] = bounds
    out["services"][service] = ops
    out["paths"][service] = all_paths
    out["ranges"][service] = ranges
    pages = {}
    try:
        paginators = session.get_paginator_model(service)._paginator_config
    except botocore.exceptions.UnknownServiceError:
        paginators = {}
    for name, config in paginators.items():
        pages[xform_name(name)] = {
            "input_token": snake(config.get("input_token")),
            "output_token": snake(config.get("output_token")),
            "limit_key": snake(config.get("limit_key")),
            "more_results": snake(config.get("more_results")),
            "result_key": snake(config.get("result_key")),
        }
    out["paginators"][service] = pages
json.dump(out, sys.stdout, sort_keys=True)
