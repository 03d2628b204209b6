"""Report text: improvement points checked by hand against the PDFs, page furniture, sections.

The expected points were read off each report's pages (the list under "What does the local
authority need to improve?", "Recommendations", "What needs to improve", the LSCB review's own
list, or the 2013 looked-after-children groupings): how many there are in each part, and the
first and last point word for word (where a list's edges leak, they show there).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.ingest.adapters import report_text as rt
from etl.ingest.adapters.pdf_pages import Line
from etl.ingest.adapters.reports_pdf import describe_report, parse_report

# report -> (document type, {part: points}, first point, last point, outcome tags in order)
HAND_CHECKED: dict[str, tuple[str, dict[str, int], str, str]] = {
    # SIF, 2014: numbered paragraphs 10-34 over pages 4-6; the LSCB review's own list (135-141)
    "80426_barnsley/children's services inspection - 08 august 2014.pdf": (
        "sif", {"area_for_improvement": 25, "lscb": 7},
        "The local authority and its partners need to build upon and embed their Think Family "
        "Strategy to ensure the overarching approach to early help is properly understood and "
        "implemented across the partnership. This should include developing a system to evaluate "
        "its effectiveness.",
        "Develop an effective model for evaluating the impact of training on safeguarding practice."),
    # SIF, 2014: "The inspection did not find any areas for priority and immediate action." is not
    # a point; the LSCB review ("Section 2: The effectiveness of the local safeguarding children
    # board") heads its list "Areas for improvement:" (140-142)
    "80568_swindon/children's services inspection - 23 may 2014.pdf": (
        "sif", {"area_for_improvement": 16, "lscb": 3},
        "Ensure that the findings of the current CSE audit result in a robust, specific, measurable "
        "and timely plan to improve operational recognition of sexual abuse and CSE across the "
        "Borough of Swindon.",
        "The Chair and Board should ensure that the SSCB annual report has a focus on the child’s "
        "journey and experiences of safeguarding services."),
    # SIF, 2015: the list is headed "Recommendations"; paragraph references kept as printed
    "80534_nottinghamshire/children's services inspection - 20 july 2015.pdf": (
        "sif", {"area_for_improvement": 11, "lscb": 4},
        "Ensure that care leavers are given information about their health histories and that work "
        "is completed to understand the health needs of care leavers so that resources can be "
        "better targeted. (Paragraphs 101 - 103)",
        "Revise and refresh the Board’s data set to ensure a wider focus on the performance of "
        "partner agencies. (Paragraph 155)"),
    # SIF, 2016: the LSCB "Recommendations" heading is drawn last on page 37 though printed at its
    # top; the findings after it (126-) are not points
    "80512_redbridge/children's services inspection - 25 november 2016.pdf": (
        "sif", {"area_for_improvement": 9, "lscb": 3},
        "Strengthen the quality and impact of the role of the child protection chair/independent "
        "reviewing officer so that there is more effective monitoring and challenge on the progress "
        "of plans, ensuring that all plans that they review contain specific actions, achievable "
        "timescales and clear, measurable outcomes.",
        "Embed the multi-agency audit programme in order for the board to have greater assurance "
        "of the quality of frontline safeguarding practice."),
    # SIF, 2017: the LSCB list is bullets ("• The board should ...")
    "80584_worcestershire/children's services inspection - 24 january 2017.pdf": (
        "sif", {"area_for_improvement": 14, "lscb": 4},
        "Ensure that elected members and senior leaders meet their statutory responsibilities and "
        "duties to the children of Worcestershire by improving all children’s services.",
        "The board should ensure rigorous monitoring of action plans, including single-agency "
        "action plans that arise from critical incident reviews."),
    # SIF re-inspection (titled so), no LSCB review
    "80429_birmingham/children's services inspection - 25 november 2016.pdf": (
        "sif_reinspection", {"area_for_improvement": 17},
        "Strengthen the management oversight, systems and processes in the MASH to ensure "
        "appropriate application of the thresholds, effective decision-making and a consistent "
        "response.",
        "Strengthen assessments and plans to ensure that they fully reflect and respond to all "
        "children’s and young people’s diverse needs."),
    # SIF re-inspection with an ordinary title: numbered group labels ("1. Quality and
    # effectiveness of practice") each over their own bullets, one point per bullet
    "80553_slough/children's services inspection - 17 february 2016.pdf": (
        "sif", {"area_for_improvement": 22, "lscb": 6},
        "In line with longstanding plans, develop and embed a genuinely multi-agency response to "
        "concerns about children. This should be rooted in clear and up-to-date threshold guidance "
        "rolled out across the partnership and regularly reviewed in conjunction with the LSCB.",
        "Engage the wider community in the work of the LSCB by ensuring that the Board has lay "
        "member representation and thorough engagement with local faith groups."),
    "80418_norfolk/children's services inspection - 19 january 2018.pdf": (
        "sif_reinspection", {"area_for_improvement": 7},
        "Ensure that children are able to establish and maintain meaningful relationships with "
        "their social workers and benefit from the consistency and continuity that a settled and "
        "stable workforce, with manageable caseloads, provides.",
        "Implement a system for ensuring that the authorisation of private fostering arrangements "
        "includes oversight of core checks and that the managers’ rationale for decisions is "
        "clearly recorded."),
    "80456_coventry/children's services inspection - 13 june 2017.pdf": (
        "sif_reinspection", {"area_for_improvement": 9},
        "Continue to monitor and develop services through the work of the improvement board so "
        "that all children in Coventry receive the help and support that they need and their "
        "outcomes improve.",
        "Ensure that the progress of prospective adopters is tracked effectively so that the "
        "potential for children to be placed without delay is maximised."),
    # an LSCB review published on its own
    "80567_surrey/children's services inspection - 03 august 2015.pdf": (
        "lscb_review", {"lscb": 8},
        "Update the ‘Early help: multi-agency levels of need’ document as a matter of urgency, so "
        "that it more clearly reflects the expectations of statutory guidance and provides an "
        "effective tool to direct and support those who work with children and young people in "
        "Surrey (paragraph 4).",
        "Put in place a process for assessing the impact of training on improving the quality of "
        "practice (paragraph 15)."),
    # 2013 looked-after-children inspections: the numbered introduction is not a point
    "80476_kent/children's services inspection,  pdf - 23 august 2013.pdf": (
        "lac2013", {"immediately": 3, "within_three_months": 6, "within_six_months": 3},
        "improve the quality of supervision and management oversight in casework",
        "review the arrangements for the independent reviewing services to ensure that the case "
        "loads of the independent reviewing officers (IROs) are manageable."),
    "80418_norfolk/children's services inspection,  pdf - 16 august 2013.pdf": (
        "lac2013", {"immediately": 6, "within_three_months": 4, "within_six_months": 7},
        "ensure all elected members understand their corporate parenting duties and "
        "responsibilities for looked after children and that they receive regular reports which "
        "benchmark whether the local authority is meeting its statutory responsibilities for "
        "looked after children so that elected members know and understand the service gap and "
        "provide effective scrutiny",
        "ensure children and young people know and understand the complaints and representation "
        "procedure, how to access independent advocacy and use the learning from these processes "
        "to inform service improvement."),
    "80549_sandwell/children's services inspection,  pdf - 02 august 2013.pdf": (
        "lac2013", {"immediately": 8, "within_three_months": 8, "within_six_months": 2},
        "Ensure that a clear plan is in place to improve the effectiveness of the Independent "
        "Reviewing Officers service which results in a robust reviewing practice through which "
        "the statutory functions of the service are rigorously applied and which support "
        "practice improvements",
        "Review the functionality of the electronic social care recording system to inform system "
        "developments which make the system more efficient and reduces the opportunities for "
        "casework to be saved in different files"),
    # ILACS before the 2023 split, standard and short
    "80542_rochdale/children's services inspection - 12 march 2018.pdf": (
        "ilacs_standard", {"what_needs_to_improve": 4},
        "The quality of practice and management oversight.",
        "Practice to enable all children looked after to understand and to have information about "
        "their own histories and certainty about their plan for permanence."),
    "2532283_dorset/children's services inspection - 19 november 2021.pdf": (
        "ilacs_standard", {"what_needs_to_improve": 1},
        "Oversight of arrangements when care leavers move in and out of emergency or temporary "
        "accommodation.",
        "Oversight of arrangements when care leavers move in and out of emergency or temporary "
        "accommodation."),
    "80467_east sussex/children's services inspection - 04 september 2018.pdf": (
        "ilacs_short", {"what_needs_to_improve": 2},
        "The consideration and recording of managers’ rationale for the timescales they agree for "
        "completing family assessments, in line with each child’s presenting needs.",
        "The clarity and accessibility of letters that are sent to parents when legal proceedings "
        "are being considered."),
    "80548_salford/children's services inspection - 12 november 2018.pdf": (
        "ilacs_short", {"what_needs_to_improve": 4},
        "The quality and clarity of plans to measure progress.",
        "The timeliness of response to children who are living in neglectful circumstances."),
    # ILACS after the 2023 split
    "80560_st helens/children's services inspection - 04 september 2023.pdf": (
        "ilacs_standard", {"what_needs_to_improve": 5},
        "The effectiveness of the response to children experiencing neglect.",
        "Safeguarding of disabled children."),
    "80418_norfolk/children's services inspection - 13 january 2023.pdf": (
        "ilacs_standard", {"what_needs_to_improve": 3},
        "The practice response to children aged 16 and 17 who present as homeless.",
        "Decision-making, practice and support to children placed within their family and friends "
        "networks, which also ensures that carers are well supported and regulation requirements "
        "are consistently met."),
    "80581_wirral/children's services inspection - 02 february 2024.pdf": (
        "ilacs_standard", {"what_needs_to_improve": 7},
        "The response to 16- and 17-year-old homeless children, to ensure that they are made aware "
        "of their rights and entitlements.",
        "The offer to care leavers so that it is consistently accessible and understood to ensure "
        "that all care leavers receive their full entitlements."),
    "80438_brighton and hove/children's services inspection - 16 may 2024.pdf": (
        "ilacs_short", {"what_needs_to_improve": 2},
        "The consistency of the gaining and recording of explicit parental consent to checks at "
        "the ‘front door for families’ (FDFF) when appropriate.",
        "The sufficiency of placements for children with complex needs to avoid reliance on "
        "unregistered children’s homes."),
    # ILACS after April 2026: no overall grade, points tagged with the national framework
    "80489_brent/children's services inspection - 17 june 2026.pdf": (
        "ilacs_post_2026", {"what_needs_to_improve": 4},
        "The consistency with which work with children subject to care proceedings, and the "
        "pre-proceedings stage of the Public Law Outline (PLO) is progressed, in particular the "
        "management oversight and decision making of this work.",
        "The completion of mandatory training for approved foster carers."),
    "80573_trafford/children's services inspection - 03 august 2026.pdf": (
        "ilacs_post_2026", {"what_needs_to_improve": 9},
        "Quality of contacts, timeliness and allocation response.",
        "Quality of transitions and pathway planning for children leaving care."),
}

OUTCOMES = {
    "80489_brent/children's services inspection - 17 june 2026.pdf":
        ["Outcome 2", "Outcome 2", "Outcome 4", "Outcome 4"],
    "80573_trafford/children's services inspection - 03 august 2026.pdf":
        ["Outcome 2", "Outcome 2", "Outcome 2", "Outcome 2",
         "Enabler: leaders drive conditions for effective practice",
         "Enabler: leaders drive conditions for effective practice",
         "Outcome 1", "Outcome 4", "Outcome 4"],
    # a 2025 report writing the tag the other way round, in words
    "80427_bath and north east somerset/children's services inspection - 05 august 2025.pdf":
        ["Outcome 3", "Outcome 4", "Enabler 2"],
}


def _points(path: Path) -> tuple[str, list[dict]]:
    parse = describe_report(path, read_text=True)
    assert parse.status == "parsed", parse.reason
    body = rt.body_lines(parse.page_lines, parse.page_heights)
    return parse.document_type, rt.improvement_points(body, parse.document_type)


def _report(shared_data: Path, rel: str) -> Path:
    path = shared_data / "ofsted-reports" / rel
    if not path.exists():
        pytest.fail(f"expected report missing from ../shared: {rel}")
    return path


@pytest.mark.parametrize("rel", sorted(HAND_CHECKED))
def test_improvement_points_checked_by_hand(shared_data: Path, rel: str) -> None:
    doc, parts, first, last = HAND_CHECKED[rel]
    document_type, points = _points(_report(shared_data, rel))
    assert document_type == doc
    counts: dict[str, int] = {}
    for p in points:
        counts[p["part"]] = counts.get(p["part"], 0) + 1
    assert counts == parts
    assert [p["seq"] for p in points] == list(range(1, len(points) + 1))
    assert points[0]["text"] == first
    assert points[-1]["text"] == last


def test_hand_checked_reports_cover_every_kind() -> None:
    kinds = {doc for doc, *_ in HAND_CHECKED.values()}
    assert kinds == {"sif", "sif_reinspection", "lscb_review", "lac2013", "ilacs_standard",
                     "ilacs_short", "ilacs_post_2026"}
    assert len(HAND_CHECKED) >= 20


@pytest.mark.parametrize("rel", sorted(OUTCOMES))
def test_national_framework_tags(shared_data: Path, rel: str) -> None:
    _, points = _points(_report(shared_data, rel))
    assert [p["national_framework_outcome"] for p in points] == OUTCOMES[rel]
    assert not any("national framework" in p["text"].lower() for p in points)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def test_seed_001_nottinghamshire_points_word_for_word(shared_data: Path) -> None:
    """Seed 001 quotes the four points of the Dec 2019 ILACS report (as a council paper types
    them: lower case, no full stops, "County", and "theawareness" run together)."""
    seed = (shared_data.parent / "seeds").glob("001_*.txt")
    text = next(seed).read_text(encoding="utf-8")
    quoted = [" ".join(m.group(2).split()) for m in
              re.finditer(r"^([a-d])\) (.+?)(?=\n\s*\n)", text, re.M | re.S)]
    assert len(quoted) == 4
    quoted[2] = quoted[2].replace("theawareness", "the awareness")
    _, points = _points(_report(shared_data, "80534_nottinghamshire/children's services "
                                             "inspection - 19 december 2019.pdf"))
    assert [_words(p["text"]) for p in points] == [_words(q) for q in quoted]
    assert [p["text"] for p in points] == [
        "The quality of strategy discussions and meetings so that they are always timely, involve "
        "all relevant partners and are well recorded.",
        "The consistency of social work practice in all geographical areas of the county.",
        "The awareness of, and social work response to, safeguarding privately fostered children.",
        "The assessments, support and oversight of children in care placed with family and friend "
        "carers.",
    ]


# ---------------------------------------------------------------------------- page furniture


def _line(text: str, top: float, left: float = 72.0, size: float = 12.0, bold: bool = False) -> Line:
    return Line(text, top, left, size, bold)


FOOTER = [_line("Inspection of Anytown local authority children’s services", 52.9, size=8, bold=True),
          _line("1 to 5 June 2026 {n}", 43.2, size=8, bold=True)]


def _page(n: int, body: list[Line]) -> list[Line]:
    # the footer comes first in content order, as PDFium gives it
    return [_line(FOOTER[0].text, 52.9, size=8, bold=True),
            _line(FOOTER[1].text.format(n=n), 43.2, size=8, bold=True), *body]


def test_point_split_across_pages_joined_without_footer() -> None:
    pages = [
        _page(1, [_line("What needs to improve?", 700, size=14, bold=True),
                  _line("◼ The first point, which runs over", 670),
                  _line("the foot of the page and", 655, left=90)]),
        _page(2, [_line("on to the next one. (Outcome 2, national framework)", 760, left=90),
                  _line("◼ The second point.", 730),
                  _line("The experiences and progress of care leavers: good", 690, size=14,
                        bold=True),
                  _line("1. Care leavers are well supported.", 660)]),
        _page(3, [_line("2. Nothing else.", 760)]),
    ]
    body = rt.body_lines(pages, [842.0] * 3)
    assert not any("Inspection of Anytown" in b.text or "June 2026" in b.text for b in body)
    points = rt.improvement_points(body, "ilacs_post_2026")
    assert [(p["text"], p["national_framework_outcome"], p["page"]) for p in points] == [
        ("The first point, which runs over the foot of the page and on to the next one.",
         "Outcome 2", 1),
        ("The second point.", "", 2),
    ]
    sections = rt.sections(body)
    assert [(s["heading"], s["page"]) for s in sections] == [
        ("What needs to improve?", 1), ("What needs to improve?", 2),
        ("The experiences and progress of care leavers: good", 2),
        ("The experiences and progress of care leavers: good", 3)]
    assert all("Anytown" not in s["text"] for s in sections)


def test_page_numbers_removed_and_a_one_off_line_in_the_band_kept() -> None:
    pages = [[_line("1", 40), _line("Body text.", 700), _line("A last line low on the page.", 60)],
             [_line("2", 40), _line("More text.", 700)]]
    body = rt.body_lines(pages, [842.0, 842.0])
    assert [b.text for b in body] == ["Body text.", "A last line low on the page.", "More text."]


def test_real_footers_do_not_leak(shared_data: Path) -> None:
    """Brent 2026 prints "Inspection of Brent local authority children's services" and the
    inspection dates with the page number at the foot of every page after the first."""
    parse = describe_report(_report(shared_data, "80489_brent/children's services inspection - "
                                                 "17 june 2026.pdf"), read_text=True)
    body = rt.body_lines(parse.page_lines, parse.page_heights)
    text = "\n".join(s["text"] for s in rt.sections(body))
    assert text.count("27 April to 1 May 2026") <= 1  # page 1's "Inspection dates" only
    # the title on page 1 only
    assert text.count("Inspection of Brent local authority children’s services") == 1
    assert len({s["page"] for s in rt.sections(body)}) == len(parse.page_lines)


def test_parse_report_facts(shared_data: Path, resolver) -> None:
    result = parse_report(_report(shared_data, "80534_nottinghamshire/children's services "
                                               "inspection - 19 december 2019.pdf"),
                          resolver, shared_data)
    sections = result.facts["report_sections"]
    points = result.facts["improvement_points"]
    assert {s["source_id"] for s in sections} == {result.source.source_id}
    assert [s["seq"] for s in sections] == list(range(1, len(sections) + 1))
    assert {s["page"] for s in sections} == set(range(1, 13))  # every page of 12
    assert any(s["heading"] == "What needs to improve" for s in sections)
    assert len(points) == 4 and all(p["part"] == "what_needs_to_improve" for p in points)
    assert not any(r.row_ref in ("report text", "improvement points") for r in result.rejects)
