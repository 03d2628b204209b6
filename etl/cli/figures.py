"""Figures commands: `export <chart>`, one sub-command per chart in etl.figures.registry,
its options made from the chart's Params fields (so the page and the CLI take the same
parameters), plus --format and --out."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
import typing
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from etl.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, iso_date

FORMATS = ("png", "svg", "pdf", "csv", "xlsx", "pack")
LA_FIELDS = frozenset({"la"})  # resolved from a code or any spelling of a name


def _kind(module: ModuleType, f: dataclasses.Field) -> tuple[type, bool]:
    """(the field's base type, whether it may be None)."""
    hint = typing.get_type_hints(module.Params)[f.name]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    return (args[0], True) if args else (hint, False)


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_export_parser(add, charts: bool = True) -> None:
    """The export command; with `charts`, its sub-command per chart (see build_parser)."""
    sp = add("export", "export a chart for a paper (one sub-command per chart)", cmd_export)
    if not charts:
        return
    from etl import DEFAULT_DB
    from etl.figures.registry import CHARTS

    charts = sp.add_subparsers(dest="chart", required=True, metavar="CHART")
    for name, module in CHARTS.items():
        doc = (module.__doc__ or "").strip()
        summary = " ".join(doc.split("\n\n")[0].split()).split(": ")[0]
        # argparse %-formats help strings: "36 (24%)" must not read as a placeholder
        cp = charts.add_parser(name, help=summary.replace("%", "%%"), description=doc,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
        # --db after the chart name too (SUPPRESS keeps the export parser's value otherwise)
        cp.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help=f"database (default {DEFAULT_DB})")
        for f in dataclasses.fields(module.Params):
            base, _ = _kind(module, f)
            meta = f.metadata
            kwargs: dict[str, Any] = {"dest": f.name,
                                      "help": str(meta.get("help", "")).replace("%", "%%")}
            if base is bool:
                kwargs.update(action=argparse.BooleanOptionalAction, default=None)
            else:
                kwargs.update(type={dt.date: iso_date, int: int}.get(base, str),
                              required=_required(f), default=None)
                if meta.get("choices"):
                    kwargs["choices"] = meta["choices"]
                if f.name in LA_FIELDS:
                    kwargs["metavar"] = "CODE_OR_NAME"
                elif base is dt.date:
                    kwargs["metavar"] = "YYYY-MM-DD"
            cp.add_argument(_option(f.name), **kwargs)
        cp.add_argument("--format", choices=FORMATS, default="png")
        cp.add_argument("--out", type=Path, required=True)


def la_resolver(con):
    """LaResolver over the database's local_authorities (not the snapshot's files)."""
    from etl.local_authorities import LaResolver, LocalAuthorities
    from etl.warehouse import queries

    rows = queries.run(con, "la/identifiers").to_dict("records")
    links = queries.run(con, "la/successions").to_dict("records")
    return LaResolver(LocalAuthorities(rows=rows, neighbours=[], reorganisations=links))


def params_from_args(module: ModuleType, args: argparse.Namespace, con) -> Any:
    """The chart's Params from parsed options; an LA given by name is resolved (UnknownLA
    names the nearest candidates)."""
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(module.Params)
             if getattr(args, f.name, None) is not None}
    la_given = LA_FIELDS & set(given)
    if la_given:
        resolver = la_resolver(con)
        for name in la_given:
            given[name] = resolver.resolve(given[name])
    return module.Params(**given)


def export_argv(kind: str, params: Mapping[str, object]) -> list[str]:
    """`python -m etl export` arguments that redraw a chart, from its kind and its parameters
    as JSON (`Chart.metadata()["parameters"]`, or the figure's `layout.meta["params"]`)."""
    from etl.figures.registry import chart_module

    module = chart_module(kind)
    argv = [kind]
    for f in dataclasses.fields(module.Params):
        value = params.get(f.name)
        if value is None:
            continue
        if isinstance(value, bool):
            default = f.default if f.default is not dataclasses.MISSING else None
            if value != default:
                argv.append(_option(f.name) if value else "--no-" + _option(f.name)[2:])
            continue
        argv += [_option(f.name), str(value)]
    return argv


def cmd_export(args: argparse.Namespace) -> int:
    from etl.figures import export
    from etl.figures.chart import NoData
    from etl.figures.registry import chart_module
    from etl.local_authorities import UnknownLA
    from etl.warehouse import queries
    from etl.warehouse.db import open_readonly

    module = chart_module(args.chart)
    if args.format not in export.DATA_FORMATS:
        ok, reason = export.chromium_available()
        if not ok:
            print(f"cannot render images: {reason}", file=sys.stderr)
            return EXIT_FAILED
    con = open_readonly(args.db)
    try:
        params = params_from_args(module, args, con)
    except UnknownLA as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    try:
        chart = module.render(con, params)
    except NoData as exc:
        print(f"nothing to export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.format in export.DATA_FORMATS:
        about = export.about(chart) if args.format == "xlsx" else None
        payload = export.export_data(chart.data, args.format, about=about)
    elif args.format == "pack":
        last = queries.run(con, "build/last_build")
        build = last.iloc[0]["finished_at"] if len(last) else None
        payload = export.paper_pack(chart, {"data_build": str(build)})
    else:
        payload = export.export_figure(chart.figure, args.format)
    args.out.write_bytes(payload)
    print(json.dumps({"chart": args.chart, "format": args.format, "out": str(args.out),
                      "rows": len(chart.data)}))
    return EXIT_OK


# --------------------------------------------------------------------------- briefing

BRIEFING_FORMATS = ("docx", "md")


def add_briefing_parser(add) -> None:
    from etl.vocab import TEXT_FRAMEWORKS

    sp = add("briefing", "a briefing paper on the reports published in a period (Kent CC, Dec 2014, "
             "regenerated): key themes with quotes, grade statistics, the reports; DOCX or "
             "Markdown", cmd_briefing)
    sp.add_argument("--framework", choices=TEXT_FRAMEWORKS, default=None,
                    help="only reports under this framework (default every children's "
                         "services framework)")
    sp.add_argument("--published-from", type=iso_date, required=True, metavar="YYYY-MM-DD",
                    help="reports published on or after this date")
    sp.add_argument("--published-to", type=iso_date, default=None, metavar="YYYY-MM-DD",
                    help="reports published on or before this date (default the newest "
                         "report held)")
    who = sp.add_mutually_exclusive_group()
    who.add_argument("--la", action="append", metavar="CODE_OR_NAME",
                     help="only this LA (repeat for several); default every LA")
    who.add_argument("--neighbours-of", metavar="CODE_OR_NAME",
                     help="only this LA's 10 statistical neighbours (DfE's set)")
    who.add_argument("--region", metavar="NAME",
                     help="only the LAs of this region (as they were at the period's end)")
    sp.add_argument("--vintage", choices=("current", "previous"), default="current",
                    help="which DfE neighbour set --neighbours-of uses (default current)")
    sp.add_argument("--themes-well", type=int, default=10,
                    help="themes of well-performing authorities at most (default 10)")
    sp.add_argument("--themes-poor", type=int, default=6,
                    help="themes of poorly performing authorities at most (default 6)")
    sp.add_argument("--quotes", type=int, default=2, help="quotes per theme (default 2)")
    sp.add_argument("--format", choices=BRIEFING_FORMATS, default=None,
                    help="docx or md (default from --out's suffix, else docx)")
    sp.add_argument("--out", type=Path, required=True)


def briefing_scope(con, args: argparse.Namespace):
    """The briefing's Scope from parsed options (LAs given by name resolved; UnknownLA names
    the nearest candidates)."""
    from etl.figures.briefing import Scope, group_name, neighbour_set, region_set
    from etl.figures.chart import data_status
    from etl.warehouse import queries

    to = args.published_to or data_status(con)["data_end"] or dt.date.today()
    las, group, detail, neighbours_of = None, None, None, None
    if args.region:
        las, group, detail = region_set(queries.run(con, "la/local_authorities"), args.region, to)
    elif args.la or args.neighbours_of:
        resolver = la_resolver(con)
        if args.neighbours_of:
            neighbours_of = resolver.resolve(args.neighbours_of)
            las, group, detail = neighbour_set(con, neighbours_of, args.vintage)
        else:
            las = tuple(dict.fromkeys(resolver.resolve(x) for x in args.la))
            names = queries.run(con, "la/local_authorities").set_index("la_code")["name"]
            group = group_name([str(names.get(c, c)) for c in las])
    return Scope(published_from=args.published_from, published_to=to, framework=args.framework,
                 las=las, group=group, group_detail=detail, themes_well=args.themes_well,
                 themes_poor=args.themes_poor, quotes=args.quotes,
                 neighbours_of=neighbours_of, vintage=args.vintage, region=args.region)


def cmd_briefing(args: argparse.Namespace) -> int:
    from etl.figures.briefing import gather, to_markdown
    from etl.figures.chart import NoData
    from etl.local_authorities import UnknownLA
    from etl.warehouse.db import open_readonly

    fmt = args.format or ("md" if args.out.suffix.lower() in (".md", ".markdown") else "docx")
    con = open_readonly(args.db)
    try:
        scope = briefing_scope(con, args)
    except (UnknownLA, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except NoData as exc:
        print(f"nothing to brief on: {exc}", file=sys.stderr)
        return EXIT_FAILED
    try:
        briefing = gather(con, scope)
    except NoData as exc:
        print(f"nothing to brief on: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if fmt == "docx":
        from etl.figures.briefing_docx import to_docx

        payload = to_docx(briefing)
    else:
        payload = to_markdown(briefing).encode("utf-8")
    try:
        args.out.write_bytes(payload)
    except OSError as exc:
        print(f"cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"briefing": briefing.title, "format": fmt, "out": str(args.out),
                      "reports": len(briefing.reports),
                      "themes": {"well": [f.theme_id for f in briefing.well],
                                 "poor": [f.theme_id for f in briefing.poor]}}))
    return EXIT_OK
