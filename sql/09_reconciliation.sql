-- Build step 9: the published figures beside the figures computed from the collection, kept at
-- build. The build fills both tables after its steps (etl/warehouse/reconcile.py, store): the
-- computation is Python reading the named queries, per reference figure, and took minutes on
-- the Data page's first view at 1000 times today's data (issue 14); `python -m etl reconcile`
-- computes the same live.
CREATE TABLE reconciliation (
    figure_id VARCHAR,
    description VARCHAR,
    published DOUBLE,
    computed DOUBLE,
    unit VARCHAR,
    matches BOOLEAN,
    explanation VARCHAR,
    source VARCHAR
);

CREATE TABLE release_departures (
    figure_id VARCHAR,
    area VARCHAR,
    grade VARCHAR,
    as_at DATE,
    published_by DATE,
    published DOUBLE,
    computed_stated_basis DOUBLE,
    computed_release_basis DOUBLE,
    departure_las VARCHAR,
    departure VARCHAR,
    source VARCHAR
);

COMMENT ON TABLE reconciliation IS 'Each reference figure beside the same figure computed from the collection, whether they match and why they differ (python -m etl reconcile), kept at build';
COMMENT ON TABLE release_departures IS 'Published figures of a release that departs from its own stated basis, computed on the stated basis and on the release''s own, kept at build';
