-- The areas for priority action and for improvement of an LA's area SEND reports, as extracted
-- from the PDF, with the inspection they belong to (Local area page).
-- param la_code VARCHAR: DfE 3-digit LA code
SELECT r.inspection_id, i.start_date, i.end_date, i.published_date, f.section, f.text,
       f.first_page, f.last_page, f.source_id, s.path AS report_file
FROM area_send_findings f
JOIN inspection_records r ON r.source_id = f.source_id
JOIN inspections i ON i.inspection_id = r.inspection_id
JOIN sources s ON s.source_id = f.source_id
WHERE f.la_code = $la_code
ORDER BY i.published_date DESC, f.section
