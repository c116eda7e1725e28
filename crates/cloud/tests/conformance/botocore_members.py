"""Prints, as JSON, the input members of every operation of the given services, in boto3's
snake_case (botocore's own xform_name): {"ec2": {"create_image": ["block_device_mappings", ...]}}.

Run by crates/cloud/tests/conformance.rs with the Python of a virtualenv holding the pinned
botocore (.ci/run creates it). Reads botocore's service models; copies nothing from them."""

import json
import sys

import botocore
import botocore.session
from botocore import xform_name

session = botocore.session.get_session()
out = {"botocore": botocore.__version__, "services": {}}
for service in sys.argv[1:]:
    model = session.get_service_model(service)
    ops = {}
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        members = sorted(xform_name(m) for m in shape.members) if shape else []
        ops[xform_name(name)] = members
    out["services"][service] = ops
json.dump(out, sys.stdout, sort_keys=True)
