"""The snapshot's coverage note (data/snapshot/COVERAGE.md): which LAs have which reports in
the collection, what is missing and why. Written by every `snapshot` so it never goes stale."""

from __future__ import annotations

from collections import defaultdict

from etl.ingest.adapters import reports_pdf
from etl.ingest.records import SourceResult
from etl.local_authorities import LocalAuthorities


def coverage_markdown(results: list[SourceResult], las: LocalAuthorities, generated_at: str) -> str:
    pdfs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    other: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for res in results:
        for rec in res.records:
            if res.source.kind == reports_pdf.KIND:
                pdfs[rec.la_code][rec.framework] += 1
            else:
                other[rec.la_code][rec.framework].add(res.source.kind)
    rows = sorted(las.rows, key=lambda r: r["name"])
    existed_sif = [r for r in rows if not r["valid_from"] or r["valid_from"] <= "2017-12-31"]
    current = [r for r in rows if not r["valid_to"]]
    no_sif = [r for r in existed_sif if not pdfs[r["la_code"]].get("SIF")]
    no_ilacs = [r for r in current if not pdfs[r["la_code"]].get("ILACS")]
    quarantined = [(r.file, r.row_ref, r.reason) for res in results for r in res.rejects]

    def why(r: dict[str, str], framework: str) -> str:
        kinds = sorted(other[r["la_code"]].get(framework, set()))
        if r["valid_to"] and not kinds:
            return "abolished; no source in the collection"
        if kinds:
            return "report PDF not in the collection; judgements from " + ", ".join(kinds)
        return "report PDF not in the collection and no other source"

    out = [
        "# Snapshot coverage",
        "",
        f"Generated {generated_at} by `python -m etl snapshot`. Counts are of report PDFs in the",
        "collection (`../shared/data/ofsted-reports`); other sources fill gaps as the table says.",
        "",
        f"- LAs that existed during SIF (Nov 2013 – Dec 2017): {len(existed_sif)}; with a SIF report "
        f"PDF: {len(existed_sif) - len(no_sif)}",
        f"- LAs existing today: {len(current)}; with an ILACS report PDF: {len(current) - len(no_ilacs)}",
        f"- Quarantined rows or files: {len(quarantined)} (reasons in `quarantine.csv`)",
        "",
        "## LAs without a SIF report PDF",
        "",
        "| LA | code | why / where the judgements come from |",
        "|---|---|---|",
        *[f"| {r['name']} | {r['la_code']} | {why(r, 'SIF')} |" for r in no_sif],
        "",
        "## Current LAs without an ILACS report PDF",
        "",
        "| LA | code | why / where the judgements come from |",
        "|---|---|---|",
        *[f"| {r['name']} | {r['la_code']} | {why(r, 'ILACS')} |" for r in no_ilacs],
        "",
        "## Report PDFs per LA",
        "",
        "| LA | code | LAC2013 | SIF | ILACS |",
        "|---|---|---|---|---|",
        *[f"| {r['name']} | {r['la_code']} | {pdfs[r['la_code']].get('LAC2013', 0)} | "
          f"{pdfs[r['la_code']].get('SIF', 0)} | {pdfs[r['la_code']].get('ILACS', 0)} |" for r in rows],
        "",
    ]
    return "\n".join(out)
