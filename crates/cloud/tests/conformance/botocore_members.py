"""Prints, as JSON, the input members of every operation of the given services, in boto3's
snake_case (botocore's own xform_name):
{"services": {"ec2": {"create_image": ["block_device_mappings", ...]}},
 "paths": {"ec2": {"create_image": ["block_device_mappings", "block_device_mappings.ebs", ...]}}}
where a path names a member of a structure inside the input, through lists and maps.

Run by crates/cloud/tests/conformance.rs with the Python of a virtualenv holding the pinned
botocore (.ci/run creates it). Reads botocore's service models; copies nothing from them."""

import json
import sys

import botocore
import botocore.session
from botocore import xform_name



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
out = {"botocore": botocore.__version__, "services": {}, "paths": {}}
for service in sys.argv[1:]:
    model = session.get_service_model(service)
    ops = {}
    all_paths = {}
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        members = sorted(xform_name(m) for m in shape.members) if shape else []
        ops[xform_name(name)] = members
        found = []
        if shape:
            paths(shape, "", 4, found)
        all_paths[xform_name(name)] = sorted(set(found))
    out["services"][service] = ops
    out["paths"][service] = all_paths
json.dump(out, sys.stdout, sort_keys=True)
