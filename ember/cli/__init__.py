"""The ``ember`` command: ``ember demo``, ``ember run script.py [args...]``, ``ember info``."""

import argparse

import ember
from ember.cli import demo, info, run

__all__ = ["main"]

_COMMANDS = (demo, run, info)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ember", description="ember: a deep-learning framework with PyTorch's API.")
    parser.add_argument("--version", action="version", version=f"ember {ember.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        subparser = commands.add_parser(command.NAME, help=command.HELP,
                                        description=command.__doc__)
        command.add_arguments(subparser)
        subparser.set_defaults(handler=command.main)
    return parser


def main(argv=None) -> int:
    """Runs the ``ember`` command line (``argv`` defaults to ``sys.argv[1:]``)."""
    args = _parser().parse_args(argv)
    return args.handler(args)
