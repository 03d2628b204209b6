-- Build step 1: the tables the shipped snapshot loads into (data/snapshot/<table>.csv holds the
-- columns of the table of the same name). The derived model, views and macros that every figure
-- comes from follow in 03_model.sql, 04_views.sql and 05_macros.sql.

CREATE TABLE grades (
    grade              VARCHAR PRIMARY KEY,
    grade_rank         INTEGER NOT NULL,   -- 1 outstanding .. 4 inadequate, 9 not judged
    label              VARCHAR NOT NULL,
    is_failing         BOOLEAN NOT NULL,   -- requires improvement + inadequate (seed 004's "failing")
    is_good_or_better  BOOLEAN NOT NULL
);
INSERT INTO grades VALUES
    ('outstanding', 1, 'Outstanding', false, true),
    ('good', 2, 'Good', false, true),
    ('requires_improvement', 3, 'Requires improvement', true, false),
    ('inadequate', 4, 'Inadequate', true, false),
    ('not_judged', 9, 'Not judged', false, false);

CREATE TABLE areas (
    area       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    frameworks VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);
INSERT INTO areas VALUES
    ('overall_effectiveness', 'Overall effectiveness', 'SIF, ILACS (to April 2026)', 1),
    ('leadership', 'Leadership / impact of leaders', 'SIF, ILACS', 2),
    ('help_and_protection', 'Children who need help and protection', 'SIF, ILACS', 3),
    ('children_looked_after', 'Children looked after / in care', 'SIF, ILACS from 2023', 4),
    ('children_in_care_and_care_leavers', 'Children in care and care leavers', 'ILACS to 2022', 5),
    ('care_leavers', 'Care leavers', 'SIF, ILACS from 2023', 6),
    ('adoption', 'Adoption performance', 'SIF', 7),
    ('lscb', 'LSCB effectiveness', 'SIF', 8);

CREATE TABLE local_authorities (
    la_code       VARCHAR PRIMARY KEY,  -- DfE 3-digit LA code, e.g. 891 Nottinghamshire
    ons_code      VARCHAR,              -- current (or last) ONS code
    name          VARCHAR NOT NULL,
    region_code   VARCHAR,
    region_name   VARCHAR,
    la_type       VARCHAR,
    ofsted_urn    VARCHAR,
    valid_from    DATE,                 -- NULL: existed before 2013
    valid_to      DATE,                 -- NULL: still exists
    also_known_as VARCHAR
);

CREATE TABLE la_reorganisations (
    predecessor_la_code VARCHAR NOT NULL,
    successor_la_code   VARCHAR NOT NULL,
    change_date         DATE NOT NULL,
    kind                VARCHAR NOT NULL,  -- merger, split, ons_code_change
    notes               VARCHAR
);

CREATE TABLE statistical_neighbours (
    la_code           VARCHAR NOT NULL,
    neighbour_la_code VARCHAR NOT NULL,
    rank              INTEGER NOT NULL,    -- 1 = most similar
    vintage           VARCHAR NOT NULL     -- 'current' or 'previous' DfE set
);

CREATE TABLE sources (
    source_id      VARCHAR PRIMARY KEY,
    kind           VARCHAR NOT NULL,       -- ofsted_report_pdf, ofsted_official_stats, scraper_csv, ...
    title          VARCHAR,
    path           VARCHAR,                -- relative to the shared data folder
    url            VARCHAR,
    publisher      VARCHAR,
    licence        VARCHAR,
    parser         VARCHAR,
    parser_version VARCHAR,
    sha256         VARCHAR,
    as_at          DATE,
    published_by   DATE,
    precedence     INTEGER NOT NULL        -- lower wins when sources disagree
);

-- One row per inspection (or visit) as one source saw it. `inspection_id` groups the
-- records of different sources that describe the same inspection (etl/matching.py).
CREATE TABLE inspection_records (
    record_id        VARCHAR PRIMARY KEY,
    inspection_id    VARCHAR NOT NULL,
    source_id        VARCHAR NOT NULL,
    row_ref          VARCHAR,
    la_code          VARCHAR NOT NULL,
    la_name_raw      VARCHAR,
    framework        VARCHAR NOT NULL,
    inspection_type  VARCHAR NOT NULL,
    start_date       DATE,
    end_date         DATE,
    published_date   DATE,
    report_url       VARCHAR,
    evidence         VARCHAR NOT NULL,     -- primary (Ofsted's own), derived (scraper, paper), secondary (news)
    confidence       VARCHAR,
    notes            VARCHAR,
    parser_version   VARCHAR,
    published_on_or_before DATE        -- undated rows (council annex): "published by" bound
);

CREATE TABLE judgement_records (
    record_id  VARCHAR NOT NULL,
    area       VARCHAR NOT NULL,
    grade      VARCHAR NOT NULL,
    grade_text VARCHAR
);

CREATE TABLE quarantine (
    source_id VARCHAR,
    file      VARCHAR,
    row_ref   VARCHAR,
    reason    VARCHAR NOT NULL,
    raw       VARCHAR
);

-- Figures quoted in published papers (the seeds), kept to reconcile computed figures against.
CREATE TABLE reference_figures (
    figure_id    VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    description  VARCHAR NOT NULL,
    basis        VARCHAR NOT NULL,   -- latest_published, first_published, published_in_window, la_grade, cycle_share
    framework    VARCHAR,
    area         VARCHAR,
    as_at        DATE,
    window_start DATE,
    published_by DATE,
    la_code      VARCHAR,
    grade        VARCHAR,
    value        DOUBLE,
    unit         VARCHAR             -- count, share, grade (1 = same grade), years_at_least, years_at_most
);

CREATE TABLE hexmap (
    la_code VARCHAR NOT NULL,
    name    VARCHAR NOT NULL,
    q       INTEGER NOT NULL,
    r       INTEGER NOT NULL,
    layout  VARCHAR NOT NULL
);

CREATE TABLE ingest_runs (
    run_id        VARCHAR PRIMARY KEY,
    command       VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    snapshot_made TIMESTAMP,
    files_in      INTEGER,
    records       INTEGER,
    judgements    INTEGER,
    quarantined   INTEGER,
    conflicts     INTEGER,
    code_version  VARCHAR
);

-- The change feed: what each refresh (or snapshot) found new or changed.
CREATE TABLE changes (
    detected_at   TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    change_type   VARCHAR NOT NULL,  -- new_report, grade_change, first_under_framework, new_visit
    la_code       VARCHAR,
    inspection_id VARCHAR,
    area          VARCHAR,
    old_value     VARCHAR,
    new_value     VARCHAR,
    detail        VARCHAR
);

-- Report text (fact tables filled by the report PDF adapter, etl/ingest/adapters/report_text.py):
-- each section's text on each page, running headers, footers and page numbers removed. One
-- section printed over three pages is three rows with the same section_no; `seq` orders the rows.
CREATE TABLE report_sections (
    source_id  VARCHAR NOT NULL,
    seq        INTEGER NOT NULL,   -- row order within the report
    section_no INTEGER NOT NULL,   -- the section (text under one heading)
    heading    VARCHAR,            -- as printed; '' before the first heading
    page       INTEGER NOT NULL,   -- 1-based PDF page
    text       VARCHAR NOT NULL    -- paragraphs separated by a blank line
);

-- What each report says must improve, in order: SIF priority actions and areas for improvement,
-- the LSCB review's own list, ILACS "What needs to improve", the 2013 LAC groupings.
CREATE TABLE improvement_points (
    source_id                  VARCHAR NOT NULL,
    part                       VARCHAR NOT NULL,  -- priority_action, area_for_improvement, lscb_priority_action, lscb, what_needs_to_improve, immediately, within_three_months, within_six_months
    seq                        INTEGER NOT NULL,  -- order within the report
    text                       VARCHAR NOT NULL,
    national_framework_outcome VARCHAR,           -- post-April-2026 tag, e.g. 'Outcome 2'
    page                       INTEGER            -- page the point starts on
);
