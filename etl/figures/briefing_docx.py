"""The briefing (etl.figures.briefing) as a Word document, the format council papers are
written in: A4, Arial, numbered sections, quotations set apart with a linked citation (the
report opens at the quoted page), tables a committee clerk can restyle, and the source and
licence line in every page's footer."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from etl.figures.briefing import (
    Briefing,
    GradeTable,
    _grade_table_rows,
    annex_table,
    command,
    reports_phrase,
    section_titles,
)
from etl.figures.style import format_date

FONT = "Arial"
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
SECONDARY = RGBColor(0x50, 0x5A, 0x5F)
LINK = RGBColor(0x1D, 0x70, 0xB8)  # GOV.UK link blue
QUOTE_BAR = "B1B4B6"
# Characters XML 1.0 cannot hold (a PDF's text may carry them); Word refuses such a file.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        st = styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = TEXT
        rfonts = st.element.rPr.rFonts
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), FONT)
        # Word's theme fonts would otherwise win over the names above
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if rfonts.get(qn(attr)) is not None:
                del rfonts.attrib[qn(attr)]
        st.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    title = styles["Title"]
    # the built-in Title has a coloured rule under it: a plain heading reads better in a paper
    ppr = title.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)
    quote = styles["Quote"]
    quote.font.name = FONT
    quote.font.size = Pt(10.5)
    quote.font.italic = False
    quote.font.color.rgb = TEXT
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0)
    quote.paragraph_format.space_after = Pt(0)
    quote.paragraph_format.space_before = Pt(4)


def _left_bar(paragraph: Paragraph) -> None:
    """A grey rule down the left of a quotation (GOV.UK's inset text)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", QUOTE_BAR)):
        left.set(qn(k), v)
    borders.append(left)
    ppr.append(borders)


def _hyperlink(paragraph: Paragraph, text: str, url: str, size: float | None = None) -> None:
    """A clickable link (python-docx has no API for one)."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(colour)
    rpr.append(underline)
    if size:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(size * 2)))  # half-points
        rpr.append(sz)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = _clean(text)
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def _small(paragraph: Paragraph, text: str, *, italic: bool = False) -> None:
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(9)
    run.font.color.rgb = SECONDARY
    run.italic = italic


def _table(doc, header: list[str], rows: list[list[str]], widths: list[float] | None = None,
           links: dict[tuple[int, int], str] | None = None, size: float = 10):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_clean(text))
        run.bold = True
        run.font.size = Pt(size)
        shade = OxmlElement("w:shd")
        for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "F3F2F1")):
            shade.set(qn(k), v)
        cell._tc.get_or_add_tcPr().append(shade)
    # the header row repeats on every page of a long table
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            url = (links or {}).get((i, j))
            if url:
                _hyperlink(p, text, url, size)
            else:
                run = p.add_run(_clean(text))
                run.font.size = Pt(size)
            for run in p.runs:
                run.font.size = Pt(size)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)
                para.paragraph_format.line_spacing = 1.0
    if widths:
        # both the grid and every cell: Word reads the cells, LibreOffice the grid
        table.autofit = False
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Cm(w)
        for row in table.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    return table


def _grade_table(doc, t: GradeTable) -> None:
    header, rows = _grade_table_rows(t)
    table = _table(doc, header, rows, widths=[6.5] + [3.2] * (len(header) - 1))
    for row in table.rows[1:]:
        for cell in row.cells[1:]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in table.rows[-2].cells + table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def to_docx(b: Briefing) -> bytes:
    """The briefing as .docx bytes."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    core = doc.core_properties
    core.title = _clean(b.title)
    core.subject = "Ofsted inspections of local authority children's services"
    core.author = "Inspection Outcomes"
    core.comments = _clean(b.source)

    footer = section.footer.paragraphs[0]
    _small(footer, b.source + " Page ")
    _field(footer, "PAGE")
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = SECONDARY

    titles = section_titles(b)
    doc.add_paragraph(_clean(b.title), style="Title")
    meta = doc.add_paragraph()
    # the data's freshness belongs with the method: at the top of a paper about 2014 it reads
    # as if the paper were about the product's build
    _small(meta, f"{b.subtitle}. Prepared {format_date(b.generated)}.")

    doc.add_heading(titles["summary"], level=1)
    for s in b.summary:
        doc.add_paragraph(_clean(s), style="List Bullet")

    doc.add_heading(titles["intro"], level=1)
    for p in b.introduction:
        doc.add_paragraph(_clean(p))

    for key, items, empty in (
            ("well", b.well, "No report on a good or outstanding authority in this period."),
            ("poor", b.poor, "No report on an authority that requires improvement or is "
                             "inadequate in this period.")):
        doc.add_heading(titles[key], level=1)
        if not items:
            doc.add_paragraph(empty)
        for i, f in enumerate(items, start=1):
            doc.add_heading(_clean(f"{titles[key][0]}.{i} {f.label}"), level=2)
            desc = doc.add_paragraph()
            _small(desc, f.description, italic=True)
            doc.add_paragraph(_clean(f.counts))
            for q in f.quotes:
                para = doc.add_paragraph(_clean(f"“{q.text}”"), style="Quote")
                _left_bar(para)
                cite = doc.add_paragraph(style="Quote")
                _left_bar(cite)
                cite.paragraph_format.space_before = Pt(0)
                cite.paragraph_format.space_after = Pt(8)
                lead = cite.add_run("— ")
                lead.font.color.rgb = SECONDARY
                if q.link:
                    _hyperlink(cite, q.citation, q.link, 9)
                else:
                    _small(cite, q.citation)
                for run in cite.runs:
                    run.font.size = Pt(9)

    doc.add_heading(titles["stats"], level=1)
    doc.add_paragraph(_clean(f"{reports_phrase(b.scope)}:"))
    for t in b.statistics:
        doc.add_heading(_clean(t.label), level=2)
        _grade_table(doc, t)
        for n in t.notes:
            doc.add_paragraph(_clean(n), style="List Bullet")
        if not t.notes:
            doc.add_paragraph()
    c = b.coverage
    doc.add_heading("Local authorities inspected", level=2)
    doc.add_paragraph(_clean(c.sentence + (f" {c.projection}" if c.projection else "")))

    doc.add_heading(titles["method"], level=1)
    for m in b.method:
        doc.add_paragraph(_clean(m), style="List Bullet")
    if b.freshness:
        doc.add_paragraph(_clean(f"The data: {b.freshness}"), style="List Bullet")
    p = doc.add_paragraph()
    _small(p, "Regenerate this paper: ")
    run = p.add_run(_clean(command(b.scope, "docx")))
    run.font.name = "Courier New"
    run.font.size = Pt(8.5)

    doc.add_heading(titles["annex"], level=1)
    header, rows, widths = annex_table(b)
    links = {(i, header.index("Report")): r.report_url
             for i, r in enumerate(b.reports) if r.report_url}
    _table(doc, header, rows, widths=widths, links=links, size=8.5)
    doc.add_paragraph()
    src = doc.add_paragraph()
    _small(src, b.source)

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
