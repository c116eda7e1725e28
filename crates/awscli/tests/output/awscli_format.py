"""Oracle for amilab's output renderers: prints documents as awscli 1.x's formatters do.

Reads from stdin a JSON list of requests:
    {"format": "json"|"text"|"table", "operation": "DescribeImages",
     "response": {...}, "query": "Images[*].ImageId" (optional)}
and writes to stdout a JSON list with, for each request, {"stdout": ..., "error": ...}:
exactly what `aws ... --output FORMAT [--query QUERY]` would print to stdout when stdout is not
a terminal, and the exception the formatter raised, if any (the CLI would report it on stderr).

Each request goes through awscli.formatter.get_formatter(format, args), as awscli's
clidriver does, with a fake parsed-arguments namespace: `query` compiled with jmespath as the
--query argument does, `color` 'off' (what 'auto' gives when stdout is not a TTY).
A request may carry "terminal_width": the width awscli.table's determine_terminal_width then
reports (as on a terminal that wide); without it, it is left to fail its ioctl on a pipe (80).
"""
import argparse
import io
import json
import sys

import awscli
import awscli.table
import jmespath
from awscli.formatter import get_formatter


_default_width = awscli.table.determine_terminal_width


def run(request):
    query = request.get('query')
    args = argparse.Namespace(
        query=jmespath.compile(query) if query is not None else None,
        color='off',
    )
    width = request.get('terminal_width')
    awscli.table.determine_terminal_width = (
        _default_width if width is None else (lambda default_width=80: width)
    )
    formatter = get_formatter(request['format'], args)
    stream = io.StringIO()
    error = None
    try:
        formatter(request['operation'], request['response'], stream)
    except Exception as e:  # stdout keeps what was written before the failure
        error = f'{type(e).__name__}: {e}'
    return {'stdout': stream.getvalue(), 'error': error}


def main():
    requests = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    results = [run(r) for r in requests]
    out = {'awscli_version': awscli.__version__, 'results': results}
    sys.stdout.buffer.write(json.dumps(out, ensure_ascii=True).encode('ascii'))


if __name__ == '__main__':
    main()
