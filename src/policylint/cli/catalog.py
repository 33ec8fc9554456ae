"""``policylint catalog``: write a rule pack for other tools to load (an OSCAL catalog, the
crosswalks as an OSCAL mapping collection, or a CISO Assistant library)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from policylint.cli import EXIT_OK, default_lang, guarded, main, open_output
from policylint.errors import UsageError


def render_catalog(framework: str, output_format: str, lang: str, mapping_to: str | None) -> str:
    from policylint.rulepack import load_rulepack

    pack = load_rulepack(framework)
    if output_format == "oscal":
        from policylint.export.oscal_catalog import catalog, mapping_collection

        if mapping_to is not None:
            from policylint.crosswalk import load_crosswalk

            load_rulepack(mapping_to)
            doc = mapping_collection(load_crosswalk(framework, mapping_to), lang)
        else:
            doc = catalog(pack, lang)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if mapping_to is not None:
        raise UsageError(
            "--mapping-to is for --format oscal (a CISO Assistant library holds "
            "its mapping set to ISO/IEC 27001:2022 already)"
        )
    import yaml

    from policylint.export.ciso_assistant import library

    return yaml.safe_dump(library(pack, lang), allow_unicode=True, sort_keys=False, width=100)


@main.command()
@click.option("--framework", required=True, metavar="ID", help="The rule pack to write.")
@click.option(
    "--format",
    "output_format",
    default="oscal",
    show_default=True,
    type=click.Choice(["oscal", "ciso-assistant"]),
    help="oscal: an OSCAL catalog (JSON); ciso-assistant: a CISO Assistant library (YAML).",
)
@click.option(
    "--mapping-to",
    metavar="ID",
    help="With --format oscal: write the crosswalk to this framework as an OSCAL mapping "
    "collection instead of the catalog.",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    help="Main language (default: ja for ciso-assistant, else the locale's).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@guarded
def catalog(
    framework: str,
    output_format: str,
    mapping_to: str | None,
    output: str | None,
    lang: str | None,
    debug: bool,
) -> None:
    """Write the catalogue of a rule pack for other tools: titles and own-words summaries of
    its items, their checks, and the reason a control cannot be assessed."""
    language = lang or ("ja" if output_format == "ciso-assistant" else default_lang())
    text = render_catalog(framework, output_format, language, mapping_to)
    try:
        with open_output(output) as out:
            out.write(text)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write ({exc.strerror})") from None
    if output not in (None, "-"):
        click.echo(f"policylint: wrote {Path(output)}", err=True)
    sys.exit(EXIT_OK)
