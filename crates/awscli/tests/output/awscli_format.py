"""Oracle for amilab's output renderers: prints a document as awscli 1.x's formatters do.

Reads one JSON object from stdin:
    {"format": "json"|"text"|"table", "operation": "DescribeImages",
     "response": {...}, "query": "Images[*].ImageId" or null}
and writes to stdout exactly what `aws ... --output FORMAT [--query QUERY]` would print when
stdout is not a terminal, by calling awscli.formatter.get_formatter(format, args) with a fake
argument namespace (query compiled with jmespath as awscli's --query does, color 'off').
If the formatter raises, what it had written so far is still printed, and the exit status is 3.
"""
import argparse
import io
import json
import sys

import jmespath
from awscli.formatter import get_formatter


def main():
    request = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    query = request.get('query')
    args = argparse.Namespace(
        query=jmespath.compile(query) if query is not None else None,
        color='off',
    )
    formatter = get_formatter(request['format'], args)
    stream = io.StringIO()
    status = 0
    try:
        formatter(request['operation'], request['response'], stream)
    except Exception as e:  # the CLI reports it on stderr; stdout keeps what was written
        print(f'{type(e).__name__}: {e}', file=sys.stderr)
        status = 3
    sys.stdout.buffer.write(stream.getvalue().encode('utf-8'))
    sys.stdout.buffer.flush()
    sys.exit(status)


if __name__ == '__main__':
    main()
