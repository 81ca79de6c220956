"""mkdocs hook: the CLI reference, generated from ``tifa``'s own argument parser.

``docs/reference/cli.md`` holds a short introduction and the marker
``<!-- tifa-cli-reference -->``; at build time this hook replaces the marker with
every command's usage, description and options, read from
:func:`toolkit.cli.main.build_parser`. The reference is never written by hand, so
it cannot drift from what ``tifa --help`` prints. A page without the marker, or a
parser without commands, fails the build.
"""

from __future__ import annotations

import argparse
import html
import re
from typing import Any

MARKER = "<!-- tifa-cli-reference -->"
PAGE = "reference/cli.md"
# A fixed width, so the usage blocks do not depend on the terminal that builds the site.
WIDTH = 88


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=WIDTH, max_help_position=32)


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the tifa parser has no subcommands; the CLI reference would be empty")


def _text(value: str) -> str:
    """Plain text for a markdown table cell: no HTML, no emphasis, no cell breaks."""
    value = html.escape(" ".join(value.split()), quote=False)
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", value)


def _usage(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = _formatter
    return parser.format_usage().strip()


def _shows_default(action: argparse.Action) -> bool:
    """Whether the default says something (not for flags, counters or empty lists)."""
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS, [], ()):
        return False
    return not isinstance(action.default, bool)


def _options(parser: argparse.ArgumentParser) -> list[str]:
    formatter = _formatter(parser.prog)
    lines: list[str] = []
    for group in parser._action_groups:
        # The commands of a parser are listed in their own table, not as an argument.
        actions = [
            a
            for a in group._group_actions
            if a.help is not argparse.SUPPRESS and not isinstance(a, argparse._SubParsersAction)
        ]
        if not actions:
            continue
        lines += [f"**{group.title}**", "", "| argument | what it does |", "|---|---|"]
        for action in actions:
            invocation = formatter._format_action_invocation(action)
            helptext = formatter._expand_help(action) if action.help else ""
            if _shows_default(action) and "default" not in helptext:
                helptext = f"{helptext} (default: {action.default})".strip()
            # HTML, not a code span: a | in a metavar (local:N|tcp://...) would end the cell.
            code = html.escape(invocation).replace("|", "&#124;")
            lines.append(f"| <code>{code}</code> | {_text(helptext)} |")
        lines.append("")
    return lines


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """Markdown for ``tifa`` and every one of its commands, in the parser's order."""
    if parser is None:
        from toolkit.cli.main import build_parser

        parser = build_parser()  # every command built in full, as documentation needs
    sub = _subcommands(parser)
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    if not sub.choices:
        raise RuntimeError("the tifa parser has no commands; the CLI reference would be empty")
    lines = ["## `tifa`", "", "```text", _usage(parser), "```", ""]
    if parser.description:
        lines += [_text(parser.description), ""]
    lines += ["| command | what it does |", "|---|---|"]
    lines += [
        f"| [`{name}`](#tifa-{name}) | {_text(helps.get(name) or '')} |" for name in sub.choices
    ]
    lines.append("")
    lines += _options(parser)
    for name, command in sub.choices.items():
        lines += [f"## `tifa {name}` {{#tifa-{name}}}", ""]
        if helps.get(name):
            lines += [f"*{_text(helps[name])}*", ""]
        lines += ["```text", _usage(command), "```", ""]
        if command.description:
            lines += [_text(command.description), ""]
        lines += _options(command)
        if command.epilog:
            lines += [_text(command.epilog), ""]
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise RuntimeError(f"{PAGE} lost its marker {MARKER}; the CLI reference goes there")
    return markdown.replace(MARKER, render())
