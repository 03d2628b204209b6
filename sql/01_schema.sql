-- Build step 1: the tables the shipped snapshot loads into (data/snapshot/<table>.csv holds the
-- columns of the table of the same name). The derived model, views and macros that every figure
-- comes from follow in 03_model.sql, 04_views.sql and 05_macros.sql.

CREATE TABLE grades (
    grade              VARCHAR PRIMARY KEY,
    grade_rank         INTEGER NOT NULL,   -- 1 outstanding .. 4 inadequate, 9 not judged
    label              VARCHAR NOT NULL,
    -- requires improvement + inadequate (seed 004's "failing"), and adequate (see below); the
    -- failing / good-or-better flags are four-point notions, NULL on the area SEND scale so that
    -- no four-point figure counts an area SEND outcome
    is_failing         BOOLEAN,
    is_good_or_better  BOOLEAN,
    -- The scale the grade belongs to: 'four_point' (SIF and ILACS, since November 2013),
    -- 'pre_2013' (SLAC, child protection and the 2013 looked-after-children inspections:
    -- outstanding / good / adequate / inadequate), 'post_2026' (a category, not a grade),
    -- 'area_send' (the 2023 area SEND framework's three outcomes, best first; grade_rank orders
    -- them within their scale only).
    scale              VARCHAR NOT NULL DEFAULT 'four_point',
    -- Ofsted's current wording of the grade: its 2023 statistics print the old "adequate" as
    -- "requires improvement to be good". The macros' `wording := 'current'` uses this.
    current_wording    VARCHAR
);
INSERT INTO grades (grade, grade_rank, label, is_failing, is_good_or_better) VALUES
    ('outstanding', 1, 'Outstanding', false, true),
    ('good', 2, 'Good', false, true),
    ('requires_improvement', 3, 'Requires improvement', true, false),
    ('inadequate', 4, 'Inadequate', true, false),
    ('not_judged', 9, 'Not judged', false, false);
-- Adequate ranks beside requires improvement (the third point of a four-point scale). It is not
-- good or better. It counts as failing: Ofsted reports it today as "requires improvement to be
-- good", so the failing share stays one series across the 2013 change; grade_distribution shows
-- adequate on its own so a reader can take it out.
INSERT INTO grades (grade, grade_rank, label, is_failing, is_good_or_better, scale) VALUES
    ('adequate', 3, 'Adequate', true, false, 'pre_2013'),
    ('no_overall_grade', 8, 'No overall grade: inspected since the April 2026 change', false, false,
     'post_2026');
INSERT INTO grades (grade, grade_rank, label, is_failing, is_good_or_better, scale) VALUES
    ('positive', 1, 'Positive experiences and outcomes', NULL, NULL, 'area_send'),
    ('inconsistent', 2, 'Inconsistent experiences and outcomes', NULL, NULL, 'area_send'),
    ('systemic_failings', 3, 'Widespread and/or systemic failings', NULL, NULL, 'area_send');
UPDATE grades SET current_wording = CASE grade WHEN 'adequate' THEN 'requires_improvement'
                                               ELSE grade END;

CREATE TABLE areas (
    area       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    frameworks VARCHAR NOT NULL,
    sort_order INTEGER NOT NULL
);
INSERT INTO areas VALUES
    ('overall_effectiveness', 'Overall effectiveness',
     'SIF, ILACS (to April 2026); CPI, LAC2013 (the inspection''s overall effectiveness); SLAC derived (judgement_bases)', 1),
    ('leadership', 'Leadership / impact of leaders', 'SIF, ILACS, LAC2013', 2),
    ('help_and_protection', 'Children who need help and protection', 'SIF, ILACS', 3),
    ('children_looked_after', 'Children looked after / in care', 'SLAC (services for looked after children), SIF, ILACS from 2023', 4),
    ('children_in_care_and_care_leavers', 'Children in care and care leavers', 'ILACS to 2022', 5),
    ('care_leavers', 'Care leavers', 'SIF, ILACS from 2023', 6),
    ('adoption', 'Adoption performance', 'SIF', 7),
    ('lscb', 'LSCB effectiveness', 'SIF', 8),
    ('safeguarding', 'Safeguarding services (SLAC)', 'SLAC', 9),
    ('capacity_to_improve', 'Capacity to improve', 'LAC2013', 10),
    ('lac_outcomes', 'Outcomes for looked after children and young people', 'LAC2013', 11),
    ('quality_of_provision', 'Quality of provision', 'LAC2013', 12);
-- The scale an area's grades are on (grades.scale); pickers of four-point figures list only
-- 'four_point' areas.
ALTER TABLE areas ADD COLUMN scale VARCHAR DEFAULT 'four_point';
INSERT INTO areas (area, label, frameworks, sort_order, scale) VALUES
    ('area_send_outcome', 'Area SEND inspection outcome', 'AREA_SEND (from 2023)', 20, 'area_send');

-- Every framework since 2009. regime: 'childrens_services' (inspections of the LA's children's
-- services: every four-point figure) or 'area_send' (the joint Ofsted/CQC inspection of the
-- local area partnership for children and young people with SEND, which is not an inspection
-- of the LA's children's services). The grade scale is the one in force at the time;
-- overall_basis says where an "overall effectiveness" comes from: 'judged' (the inspection
-- gives one), 'worst_strand' (SLAC gives one for safeguarding and one for looked-after
-- children, and no overall: judgement_bases derives the worse of the two), 'none' (area SEND:
-- an outcome of its own); ILACS inspections starting on or after `no_overall_from` give none.
CREATE TABLE frameworks (
    framework        VARCHAR PRIMARY KEY,
    label            VARCHAR NOT NULL,
    regime           VARCHAR NOT NULL,
    period_from      DATE,        -- when its inspections ran (first and last reports, roughly)
    period_to        DATE,        -- NULL: still in use
    scale            VARCHAR NOT NULL,
    overall_basis    VARCHAR NOT NULL,
    no_overall_from  DATE,        -- inspections starting on or after this date give no overall grade
    sort_order       INTEGER NOT NULL
);
INSERT INTO frameworks VALUES
    ('SLAC', 'Safeguarding and looked after children inspection (and re-inspections)',
     'childrens_services', DATE '2009-08-01', DATE '2012-08-31', 'pre_2013', 'worst_strand', NULL, 1),
    ('CPI', 'Inspection of LA arrangements for the protection of children (and re-inspections)',
     'childrens_services', DATE '2012-06-01', DATE '2013-08-31', 'pre_2013', 'judged', NULL, 2),
    ('LAC2013', 'Inspection of services for looked after children (2013, "TLAC")',
     'childrens_services', DATE '2013-06-01', DATE '2013-10-31', 'pre_2013', 'judged', NULL, 3),
    ('SIF', 'Single inspection framework (and re-inspections, LSCB reviews)',
     'childrens_services', DATE '2013-11-01', DATE '2018-08-31', 'four_point', 'judged', NULL, 4),
    -- The cut-off follows the inspection start: North Lincolnshire (started 16 March 2026,
    -- published 30 April 2026) has an overall grade; Somerset and Brent (started 27 April 2026)
    -- have none. "Late April 2026": 20 April is within that window.
    ('ILACS', 'Inspection of local authority children''s services',
     'childrens_services', DATE '2018-01-01', NULL, 'four_point', 'judged', DATE '2026-04-20', 5),
    ('AREA_SEND', 'Area SEND inspection (2023 framework)',
     'area_send', DATE '2023-01-01', NULL, 'area_send', 'none', NULL, 10),
    ('AREA_SEND_2016', 'Local area SEND inspection (2016-2022 framework)',
     'area_send', DATE '2016-05-01', DATE '2022-12-31', 'area_send', 'none', NULL, 11);

-- Children's social care provision types (etl/vocab.py PROVIDER_TYPES), in Ofsted's order.
CREATE TABLE provider_types (
    provider_type     VARCHAR PRIMARY KEY,
    label             VARCHAR NOT NULL,
    is_childrens_home BOOLEAN NOT NULL,   -- counted among "all children's homes"
    sort_order        INTEGER NOT NULL
);
INSERT INTO provider_types VALUES
    ('childrens_home', 'Children''s home', true, 1),
    ('rss_childrens_home', 'Residential special school (registered as a children''s home)', true, 2),
    ('secure_childrens_home', 'Secure children''s home', true, 3),
    ('independent_fostering_agency', 'Independent fostering agency', false, 4),
    ('voluntary_adoption_agency', 'Voluntary adoption agency', false, 5),
    ('residential_special_school', 'Residential special school', false, 6),
    ('boarding_school', 'Boarding school', false, 7),
    ('residential_family_centre', 'Residential family centre', false, 8),
    ('adoption_support_agency', 'Adoption support agency', false, 9),
    ('fe_college_residential', 'Further education college with residential accommodation', false, 10),
    ('residential_holiday_scheme', 'Residential holiday scheme for disabled children', false, 11),
    ('secure_training_centre', 'Secure training centre', false, 12);

-- Seed 003's performance bands (Ofsted's 2009 annual rating): the share of services, settings
-- and institutions judged good or better. A share belongs to the band whose min_share it
-- reaches: 80% or more dark green, 65% to under 80% light green, 50% to under 65% amber,
-- under 50% red (the paper's "65-79%" read as whole percentages).
CREATE TABLE performance_bands (
    band       VARCHAR PRIMARY KEY,
    label      VARCHAR NOT NULL,
    min_share  DOUBLE NOT NULL,
    sort_order INTEGER NOT NULL
);
INSERT INTO performance_bands VALUES
    ('dark_green', 'Dark green (80% or more good or better)', 0.80, 1),
    ('light_green', 'Light green (65-79% good or better)', 0.65, 2),
    ('amber', 'Amber (50-64% good or better)', 0.50, 3),
    ('red', 'Red (under 50% good or better)', 0.0, 4);

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
    vintage           VARCHAR NOT NULL,    -- 'current', 'previous' (the lookup), '2021', '2025' (DfE files)
    closeness         VARCHAR              -- the model's band ('Extremely close' .. 'Not close'); NULL in the lookup
);

-- The neighbour sets by vintage: when each came into force, and what the lookup's two sets are.
CREATE TABLE neighbour_vintages (
    vintage      VARCHAR PRIMARY KEY,
    label        VARCHAR NOT NULL,
    in_force_from DATE,                    -- NULL: not a dated vintage (an alias)
    dating       VARCHAR NOT NULL,         -- how the date is known
    same_as      VARCHAR,                  -- the dated vintage an alias holds (by comparison)
    source       VARCHAR NOT NULL,
    notes        VARCHAR
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
    unit         VARCHAR,            -- count, share, grade (1 = same grade), years_at_least, years_at_most
    -- Where the publication itself departs from its stated basis (e.g. an LA included though its
    -- report came out after the cut-off): the words, and the LAs concerned (';'-separated codes).
    departure          VARCHAR,
    departure_la_codes VARCHAR
);

-- Figures an official release publishes about itself (its own "as at" distribution), read from
-- the release by its adapter; appended to reference_figures at load (sql/02_load.sql).
CREATE TABLE release_figures (
    source_id    VARCHAR NOT NULL,
    figure_id    VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    description  VARCHAR NOT NULL,
    basis        VARCHAR NOT NULL,
    framework    VARCHAR,
    area         VARCHAR,
    as_at        DATE,
    window_start DATE,
    published_by DATE,
    la_code      VARCHAR,
    grade        VARCHAR,
    value        DOUBLE,
    unit         VARCHAR,
    departure          VARCHAR,
    departure_la_codes VARCHAR
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

-- Area SEND reports' findings, as extracted from the PDF (one row per section and report):
-- 'areas_for_priority_action' (after widespread/systemic failings: responsible bodies and the
-- actions required, run together) and 'areas_for_improvement'. The report's inspection is the
-- inspection_records row of the same source_id.
CREATE TABLE area_send_findings (
    source_id  VARCHAR NOT NULL,
    la_code    VARCHAR NOT NULL,
    section    VARCHAR NOT NULL,
    text       VARCHAR NOT NULL,
    first_page INTEGER,
    last_page  INTEGER
);

-- Children's social care providers as at a release's date (Ofsted's provider-level statistics,
-- sheet Provider_level_at_31_Mar_<yyyy>): one row per active inspected provider with the grades
-- of its latest full inspection (carried out by as_at, published by the release's cut-off).
-- overall_grade is "overall experiences and progress of children and young people", the
-- SCCIF's overall effectiveness judgement (four-point grades).
CREATE TABLE social_care_providers (
    source_id                 VARCHAR NOT NULL,
    row_ref                   VARCHAR,
    as_at                     DATE NOT NULL,
    provider_urn              VARCHAR NOT NULL,
    provider_type             VARCHAR NOT NULL,   -- provider_types
    provision_type_text       VARCHAR,
    la_code                   VARCHAR NOT NULL,   -- the LA the provider is located in
    la_name_raw               VARCHAR,
    sector                    VARCHAR,            -- Private, Local Authority, Voluntary, ...
    places                    INTEGER,            -- NULL for agencies (no places)
    registration_status       VARCHAR,
    registration_date         DATE,
    inspection_type           VARCHAR,            -- full, monitoring, ...
    inspection_date           DATE,
    published_date            DATE,
    inspection_event          VARCHAR,
    overall_grade             VARCHAR,
    overall_grade_text        VARCHAR,
    help_and_protection_grade VARCHAR,
    leadership_grade          VARCHAR,
    education_grade           VARCHAR,
    health_grade              VARCHAR
);

-- Every inspection and visit of social care providers in a year (1 April to 31 March; sheet
-- Provider_level_in_year_<yyyy>-<yy>). Monitoring inspections, assurance visits and
-- emergency inspections usually carry no overall grade.
CREATE TABLE social_care_provider_inspections (
    source_id                 VARCHAR NOT NULL,
    row_ref                   VARCHAR,
    period_start              DATE NOT NULL,
    period_end                DATE NOT NULL,
    provider_urn              VARCHAR NOT NULL,
    provider_type             VARCHAR NOT NULL,
    provision_type_text       VARCHAR,
    la_code                   VARCHAR NOT NULL,
    la_name_raw               VARCHAR,
    sector                    VARCHAR,
    places                    INTEGER,
    registration_status       VARCHAR,
    registration_date         DATE,
    inspection_type           VARCHAR,            -- full, monitoring, assurance_visit, emergency
    inspection_date           DATE,
    published_date            DATE,
    inspection_event          VARCHAR,
    overall_grade             VARCHAR,
    overall_grade_text        VARCHAR,
    help_and_protection_grade VARCHAR,
    leadership_grade          VARCHAR,
    education_grade           VARCHAR,
    health_grade              VARCHAR
);

-- Ofsted's own national figures for social care providers, as published in the release's
-- time-series sheets, long: measure 'latest_overall_effectiveness' (tables 8a-8n, as at 31
-- March) or 'in_year_overall_effectiveness' (tables 9a-9e, inspections in the year to 31
-- March), one row per grade; 'providers' / 'places' (tables 6a/6b), grade NULL.
-- provider_group: a provider_types code, 'all' or 'all_childrens_homes'.
CREATE TABLE provider_national_series (
    source_id      VARCHAR NOT NULL,
    sheet          VARCHAR NOT NULL,
    table_ref      VARCHAR NOT NULL,
    measure        VARCHAR NOT NULL,
    provider_group VARCHAR NOT NULL,
    period_label   VARCHAR,
    period_start   DATE,                -- in-year figures: 1 April
    period_end     DATE NOT NULL,       -- the as-at date, or 31 March of the year
    grade          VARCHAR,
    value          DOUBLE,              -- NULL: not collected for this type then
    note           VARCHAR
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
