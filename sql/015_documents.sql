-- The documents that are signed and sent (issue 11): the signed copy of a
-- unit's report, uploaded back once submitted, kept with its SHA-256 and
-- every earlier copy; what the unit fills in before downloading its PDF
-- (number, signer); what the office fills in once per period for the
-- consolidated report (number, date, recipients, signer).
--
-- Redefines no existing function.

-- Append-only: a replacement is a new row, the earlier ones stay.  The
-- copies are in the database (bytea, at most 10 MiB each), so that the
-- daily dump (docs/BACKUP.md) keeps them with the reports they sign.
CREATE TABLE report_signed (
	id		bigserial PRIMARY KEY,
	report_id	bigint NOT NULL REFERENCES reports (id),
	pdf		bytea NOT NULL,
	sha256		bytea NOT NULL CHECK (length(sha256) = 32),
	size		integer NOT NULL CHECK (size > 0 AND size <= 10485760),
	pages		integer,
	uploaded_at	timestamptz NOT NULL DEFAULT now(),
	uploaded_by	bigint REFERENCES users (id)
);
CREATE INDEX report_signed_report ON report_signed (report_id, id);
CREATE TRIGGER report_signed_append_only BEFORE UPDATE OR DELETE
    ON report_signed FOR EACH ROW EXECUTE FUNCTION audit_no_change();

-- The unit's number and signer of its report's PDF, the same the next
-- time it is downloaded.
CREATE TABLE report_documents (
	unit_code	text NOT NULL REFERENCES unit_codes (code),
	period_code	text NOT NULL REFERENCES periods (code),
	form		text NOT NULL,
	number		text NOT NULL DEFAULT '' CHECK (length(number) <= 32),
	signer		text NOT NULL DEFAULT '' CHECK (length(signer) <= 100),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	PRIMARY KEY (unit_code, period_code, form)
);

-- The office's details of the consolidated report of a period and form.
CREATE TABLE cons_documents (
	period_code	text NOT NULL REFERENCES periods (code),
	form		text NOT NULL,
	number		text NOT NULL DEFAULT '' CHECK (length(number) <= 32),
	doc_date	date,
	recipients	text NOT NULL DEFAULT '' CHECK (length(recipients) <= 500),
	signer		text NOT NULL DEFAULT '' CHECK (length(signer) <= 100),
	capacity	text NOT NULL DEFAULT '' CHECK (length(capacity) <= 100),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users (id),
	PRIMARY KEY (period_code, form)
);

-- What a report answer carries beside the report: its signed copy (the
-- latest, with how many came before) and its PDF's details.
CREATE FUNCTION report_docs_json(p_unit text, p_period text, p_form text)
RETURNS json LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
	    'signed', (SELECT json_build_object(
	        'sha256', encode(s.sha256, 'hex'), 'size', s.size,
	        'pages', s.pages, 'uploaded_at', s.uploaded_at,
	        'uploaded_by', u.username,
	        'earlier', (SELECT count(*) - 1 FROM report_signed x
	            WHERE x.report_id = r.id))
	        FROM reports r JOIN report_signed s ON s.report_id = r.id
	        LEFT JOIN users u ON u.id = s.uploaded_by
	        WHERE r.unit_code = p_unit AND r.period_code = p_period
	          AND r.form = p_form
	        ORDER BY s.id DESC LIMIT 1),
	    'document', (SELECT json_build_object('number', d.number,
	        'signer', d.signer)
	        FROM report_documents d WHERE d.unit_code = p_unit
	          AND d.period_code = p_period AND d.form = p_form))
$$;

-- Store a signed copy in one statement: in scope, of a report that is
-- submitted or accepted; audited.  The hash is PostgreSQL's own.
CREATE FUNCTION report_signed_put(p_user bigint, p_unit text,
    p_period text, p_form text, p_pdf bytea, p_pages integer)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	r	reports%ROWTYPE;
	v_id	bigint;
	v_prev	text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM scope_units(p_user) s WHERE s = p_unit)
	THEN
		RETURN jsonb_build_object('result', 'not_found');
	END IF;
	SELECT * INTO r FROM reports WHERE unit_code = p_unit
	    AND period_code = p_period AND form = p_form FOR UPDATE;
	IF NOT FOUND OR r.version = 0 OR r.status NOT IN ('submitted',
	    'accepted') THEN
		RETURN jsonb_build_object('result', 'not_submitted',
		    'status', coalesce(r.status, 'draft'));
	END IF;
	SELECT encode(sha256, 'hex') INTO v_prev FROM report_signed
	WHERE report_id = r.id ORDER BY id DESC LIMIT 1;
	INSERT INTO report_signed (report_id, pdf, sha256, size, pages,
	    uploaded_by)
	VALUES (r.id, p_pdf, sha256(p_pdf), length(p_pdf), p_pages, p_user)
	RETURNING id INTO v_id;
	INSERT INTO audit (actor, action, object, before, after)
	SELECT p_user, 'report_signed_upload', 'report:' || p_unit || '/' ||
	    p_period || '/' || p_form,
	    CASE WHEN v_prev IS NOT NULL THEN
	        jsonb_build_object('sha256', v_prev) END,
	    jsonb_build_object('sha256', encode(s.sha256, 'hex'),
	        'size', s.size)
	FROM report_signed s WHERE s.id = v_id;

	RETURN (SELECT jsonb_build_object('result', 'ok',
	    'sha256', encode(s.sha256, 'hex'), 'size', s.size,
	    'pages', s.pages, 'uploaded_at', s.uploaded_at,
	    'replaced', v_prev)
	    FROM report_signed s WHERE s.id = v_id);
END $$;
