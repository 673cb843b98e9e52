-- Demo registry: Thanh Hóa's real district-level units (the 27 district
-- health centres, the CDC, provincial hospitals, some private hospitals)
-- and synthetic clinics and commune stations, as the registry has had
-- them since its first records (020 reorganises some from 1 July 2025).
-- Loaded by `make run` and the tests; re-running changes nothing.
-- Contacts are invented.

CREATE TEMP TABLE demo_units (code text, name text, kind text,
    is_public boolean, area text, parent text, hospital boolean,
    cdc boolean, gksklx boolean);

INSERT INTO demo_units (code, name, kind, is_public, area, hospital, cdc,
    gksklx) VALUES
	('SYT-VP', 'Văn phòng Sở Y tế Thanh Hóa', 'department_office', true,
	    'THANHHOA', false, false, false),
	('CDC', 'Trung tâm Kiểm soát bệnh tật tỉnh Thanh Hóa', 'cdc', true,
	    'THANHHOA', false, true, false),
	('BVDKT', 'Bệnh viện Đa khoa tỉnh Thanh Hóa', 'provincial_hospital',
	    true, 'THANHHOA', true, false, true),
	('BVNHI', 'Bệnh viện Nhi Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVPS', 'Bệnh viện Phụ sản Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVPHOI', 'Bệnh viện Phổi Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVTT', 'Bệnh viện Tâm thần Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVYHCT', 'Bệnh viện Y dược cổ truyền Thanh Hóa',
	    'provincial_hospital', true, 'THANHHOA', true, false, false),
	('BVMAT', 'Bệnh viện Mắt Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVNT', 'Bệnh viện Nội tiết Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVDL', 'Bệnh viện Da liễu Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVPHCN', 'Bệnh viện Phục hồi chức năng Thanh Hóa',
	    'provincial_hospital', true, 'THANHHOA', true, false, false),
	('BVUB', 'Bệnh viện Ung bướu Thanh Hóa', 'provincial_hospital', true,
	    'THANHHOA', true, false, false),
	('BVKVNL', 'Bệnh viện Đa khoa khu vực Ngọc Lặc',
	    'provincial_hospital', true, 'NGOCLAC', true, false, true),
	('BVKVTG', 'Bệnh viện Đa khoa khu vực Tĩnh Gia',
	    'provincial_hospital', true, 'NGHISON', true, false, true),
	('BVHOPLUC', 'Bệnh viện Đa khoa Hợp Lực', 'private_hospital', false,
	    'THANHHOA', true, false, true),
	('BVTHANHHA', 'Bệnh viện Đa khoa Thanh Hà', 'private_hospital', false,
	    'THANHHOA', true, false, true),
	('BVDAIAN', 'Bệnh viện Đa khoa Đại An', 'private_hospital', false,
	    'NGHISON', true, false, false),
	('PK-ANBINH', 'Phòng khám đa khoa An Bình (minh họa)',
	    'private_clinic', false, 'THANHHOA', false, false, true),
	('PK-HOANGHA', 'Phòng khám đa khoa Hoàng Hà (minh họa)',
	    'private_clinic', false, 'HOANGHOA', false, false, false),
	('PK-LAMSON', 'Phòng khám chuyên khoa Lam Sơn (minh họa)',
	    'private_clinic', false, 'THOXUAN', false, false, false);

-- The 27 former districts, as they were before 1 July 2025.
CREATE TEMP TABLE demo_districts AS
	SELECT code, name FROM area_states
	WHERE valid @> '2025-06-30'::date
	  AND kind IN ('city', 'town', 'district');

-- One health centre per district area, named as the area is.
INSERT INTO demo_units (code, name, kind, is_public, area, hospital, cdc,
    gksklx)
SELECT 'TTYT-' || d.code,
    'Trung tâm Y tế ' || lower(left(d.name, 1)) || substr(d.name, 2),
    'district_centre', true, d.code, true, false, true
FROM demo_districts d;

-- Three synthetic commune stations per centre.
INSERT INTO demo_units (code, name, kind, is_public, area, parent,
    hospital, cdc, gksklx)
SELECT 'TYT-' || d.code || '-' || n,
    'Trạm Y tế xã ' || (ARRAY['Minh Sơn', 'Đông Hòa', 'Xuân Lâm'])[n] ||
    ' (' || d.name || ', minh họa)',
    'commune_station', true, d.code, 'TTYT-' || d.code, false, false, false
FROM demo_districts d, generate_series(1, 3) AS n;

-- Codes not there yet, each with one state since the first records.
WITH made AS (
	INSERT INTO unit_codes (code)
	SELECT code FROM demo_units
	ON CONFLICT DO NOTHING
	RETURNING code
)
INSERT INTO unit_states (code, valid, name, kind, is_public, area, parent,
    hospital, cdc, gksklx)
SELECT u.code, daterange(NULL, NULL), u.name, u.kind, u.is_public, u.area,
    u.parent, u.hospital, u.cdc, u.gksklx
FROM demo_units u JOIN made USING (code)
ORDER BY u.parent NULLS FIRST;

INSERT INTO contacts (unit_code, name, position, phone, email)
SELECT u.code,
    (ARRAY['Lê Văn Hùng', 'Nguyễn Thị Mai', 'Trần Văn Nam', 'Phạm Thị Hoa',
     'Hoàng Văn Dũng'])[1 + abs(hashtext(u.code)) % 5],
    (ARRAY['Phó Giám đốc', 'Trưởng phòng Kế hoạch tổng hợp',
     'Cán bộ công nghệ thông tin', 'Trạm trưởng'])[
     CASE WHEN u.kind = 'commune_station' THEN 4
     ELSE 1 + abs(hashtext(u.code)) % 3 END],
    '09' || lpad((abs(hashtext(u.code || 'tel')) % 100000000)::text, 8, '0'),
    lower(replace(u.code, '-', '.')) || '@thanhhoa.gov.vn.example'
FROM units u
ON CONFLICT (unit_code) DO NOTHING;
