"""The oracle for amilab-awscli's shorthand and argument tests: awscli 1.46.3 itself.

Reads JSON lines on stdin, one request each, and prints one JSON line per request:
  {"shorthand": "<text>"}                          -> ShorthandParser().parse(text)
  {"option": "--x", "shape": {...}, "words": [..]} -> the value CLIArgument.add_to_params gives
answered with {"ok": <value>} or {"error": str(exception), "type": <exception class>}.
Shapes: {"type": "string"|"integer"|"float"|"boolean"|"timestamp"|"any"},
{"type": "list", "member": S}, {"type": "map", "value": S},
{"type": "structure", "members": [[name, S], ...]}.
"""
import json
import sys

from botocore.hooks import HierarchicalEmitter
from botocore.model import ShapeResolver

from awscli.argprocess import ParamShorthandParser
from awscli.arguments import CLIArgument, ListArgument
from awscli.shorthand import ShorthandParser


def botocore_shape(spec):
    shapes = {}

    def add(s):
        name = 'S%d' % len(shapes)
        shapes[name] = None
        t = s['type']
        if t == 'any':
            d = {'type': 'structure', 'members': {}, 'document': True}
        elif t == 'list':
            d = {'type': 'list', 'member': {'shape': add(s['member'])}}
        elif t == 'map':
            d = {'type': 'map', 'key': {'shape': add({'type': 'string'})},
                 'value': {'shape': add(s['value'])}}
        elif t == 'structure':
            d = {'type': 'structure',
                 'members': {n: {'shape': add(m)} for n, m in s['members']}}
        else:
            d = {'type': t}
        shapes[name] = d
        return name

    top = add(spec)
    return ShapeResolver(shapes).get_shape_by_name(top)


class ServiceModel:
    service_name = 'ec2'


class OperationModel:
    name = 'DescribeImages'
    service_model = ServiceModel()


def cli_value(request):
    model = botocore_shape(request['shape'])
    emitter = HierarchicalEmitter()
    emitter.register('process-cli-arg', ParamShorthandParser())
    name = request['option'][2:]
    if model.type_name == 'list':
        arg = ListArgument(name, model, OperationModel(), emitter)
        value = request['words']
    else:
        arg = CLIArgument(name, model, OperationModel(), emitter)
        (value,) = request['words']
        if model.type_name in ('float', 'double'):
            # argparse's type=float (CLIArgument.TYPE_MAP)
            try:
                value = float(value)
            except ValueError:
                raise Exception('argument %s: invalid float value: %r' % (request['option'], value))
    params = {}
    arg.add_to_params(params, value)
    return params[name]


for line in sys.stdin:
    request = json.loads(line)
    try:
        if 'shorthand' in request:
            result = ShorthandParser().parse(request['shorthand'])
        else:
            result = cli_value(request)
        out = {'ok': result}
    except Exception as e:
        out = {'error': str(e), 'type': type(e).__name__}
    print(json.dumps(out), flush=True)
