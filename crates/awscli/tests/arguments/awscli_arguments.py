"""Prints, as JSON, the AWS CLI's option names for the given operations:
{"awscli": version, "ec2": {"create-image": ["block-device-mappings", "description", ...]}}.

Reads the operations as JSON on stdin ({"ec2": ["create-image", ...]}); builds each command's
argument table as `aws` does (clidriver with its customizations: ec2 run-instances' --count,
create-image's --reboot, ...). Run by crates/awscli/tests/arguments.rs with the Python of a
virtualenv holding awscli. Reads awscli's tables; copies nothing from them."""

import json
import sys

import awscli
from awscli.clidriver import create_clidriver

wanted = json.load(sys.stdin)
driver = create_clidriver()
commands = driver._get_command_table()
out = {"awscli": awscli.__version__}
for service, operations in wanted.items():
    table = commands[service]._get_command_table()
    out[service] = {}
    for operation in operations:
        if operation not in table:
            out[service][operation] = None
            continue
        out[service][operation] = sorted(table[operation].arg_table)
json.dump(out, sys.stdout, sort_keys=True)
