-- The consolidation streamed (consolidate_detail, cons_api.c): its
-- "texts" part reads the text values of the reports of a period.  They
-- are a few among millions of figures, and without an index of their own
-- the planner reads every value row of every period to find them (2 s
-- for a country).  Only text rows are indexed, so filing a figure costs
-- nothing more.
CREATE INDEX report_values_texts ON report_values (report_id, item)
	WHERE txt IS NOT NULL AND station = '';
