-- Grade distribution as at a date (National picture page, `export national`, reconcile).
SELECT * FROM grade_distribution($as_at, $area, framework := $framework,
                                 published_by := $published_by, which := $which,
                                 include_secondary := $include_secondary)
