"""Who sees what: every role against the registry, checked against what
the database says independently of the portal's scope function."""

import unittest

from portal import make_unit, signed_in, sql


def codes(rows):
    return sorted(r["code"] if "code" in r else r["unit"] for r in rows)


class ScopeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.centre = make_unit("district_centre", district="NGASON",
                               hospital=True)
        cls.stations = sorted(make_unit("commune_station", cls.centre,
                                        district="NGASON")
                              for _ in range(3))
        cls.other_centre = make_unit("district_centre", district="NGASON")
        cls.other_station = make_unit("commune_station", cls.other_centre,
                                      district="NGASON")
        cls.hospital = make_unit("provincial_hospital", hospital=True)

    def all_units(self, where="true", *args):
        return sorted(r[0] for r in sql(
            "SELECT code FROM units WHERE " + where, *args))

    def test_district_centre_sees_itself_and_its_stations(self):
        c = signed_in("unit", self.centre)
        r = c.get("/api/v1/units")
        self.assertEqual(r.status, 200)
        self.assertEqual(codes(r.json()),
                         sorted([self.centre] + self.stations))
        self.assertEqual(codes(c.get("/api/v1/contacts").json()),
                         sorted([self.centre] + self.stations))

    def test_station_sees_only_itself(self):
        c = signed_in("unit", self.stations[0])
        self.assertEqual(codes(c.get("/api/v1/units").json()),
                         [self.stations[0]])

    def test_hospital_sees_only_itself(self):
        c = signed_in("unit", self.hospital)
        self.assertEqual(codes(c.get("/api/v1/units").json()),
                         [self.hospital])

    def test_office_and_admin_see_the_province(self):
        expected = self.all_units()
        for role in ("office", "admin"):
            c = signed_in(role)
            self.assertEqual(codes(c.get("/api/v1/units").json()), expected)

    def test_viewer_sees_the_districts_assigned(self):
        c = signed_in("viewer", districts=("NGASON", "MUONGLAT"))
        expected = self.all_units("district IN ('NGASON', 'MUONGLAT')")
        got = codes(c.get("/api/v1/units").json())
        self.assertEqual(got, expected)
        self.assertIn(self.other_station, got)
        self.assertNotIn(self.hospital, got)

    def test_viewer_without_districts_sees_nothing(self):
        c = signed_in("viewer")
        self.assertEqual(c.get("/api/v1/units").json(), [])

    def test_unit_cannot_edit_another_units_contact(self):
        c = signed_in("unit", self.centre)
        r = c.put("/api/v1/contacts/" + self.other_station,
                  {"name": "Kẻ lạ", "phone": "0912345678"})
        self.assertEqual(r.status, 404)
        r = c.put("/api/v1/contacts/" + self.hospital,
                  {"name": "Kẻ lạ", "phone": "0912345678"})
        self.assertEqual(r.status, 404)
        self.assertEqual(sql("""SELECT 1 FROM contacts WHERE name = 'Kẻ lạ'"""),
                         [])

    def test_centre_edits_its_stations_contact(self):
        c = signed_in("unit", self.centre)
        r = c.put("/api/v1/contacts/" + self.stations[1],
                  {"name": "Nguyễn Văn Trạm", "position": "Trạm trưởng",
                   "phone": "0912 345 678", "email": "Tram@Example.vn"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["phone"], "0912345678")
        self.assertEqual(r.json()["email"], "tram@example.vn")

    def test_role_limits_on_office_routes(self):
        unit = signed_in("unit", self.hospital)
        viewer = signed_in("viewer", districts=("NGASON",))
        admin = signed_in("admin")
        for c in (unit, viewer):
            self.assertEqual(c.get("/api/v1/accounts").status, 403)
            self.assertEqual(c.post("/api/v1/units/import", "a,b\n",
                                    ctype="text/csv").status, 403)
            self.assertEqual(c.put("/api/v1/periods/2030-01",
                                   {"start": "2029-12-15",
                                    "end": "2030-01-14",
                                    "deadline": "2030-01-15"}).status, 403)
            self.assertEqual(c.post("/api/v1/accounts",
                                    {"role": "unit"}).status, 403)
        r = viewer.put("/api/v1/contacts/" + self.centre,
                       {"name": "Người xem", "phone": "0912345678"})
        self.assertEqual(r.status, 403)
        # The admin keeps accounts, not the registry or the calendar.
        self.assertEqual(admin.get("/api/v1/accounts").status, 200)
        self.assertEqual(admin.put("/api/v1/periods/2030-01",
                                   {"start": "2029-12-15",
                                    "end": "2030-01-14",
                                    "deadline": "2030-01-15"}).status, 403)


if __name__ == "__main__":
    unittest.main()
