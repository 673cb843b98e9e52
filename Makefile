# Thanh Hóa digital-transformation reporting portal.
#   make run    the portal with demo data on http://127.0.0.1:8888
#   make test   every test, on a throw-away database and server
# Both install what a fresh Debian machine lacks (scripts/deps.sh).

CC		?= cc
KORE_FEATURES	:= $(shell cat /usr/share/kore/features 2>/dev/null)
WARN		= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		  -Wmissing-prototypes -Wpointer-arith -Wno-unused-parameter
CFLAGS		+= -std=c99 -D_GNU_SOURCE -O2 -g -fPIC -fstack-protector-strong \
		   $(WARN) -Imodules
# The documents (pdf_render.c): cairo's PDF surface, pango, fontconfig.
PDF_PKGS	= pangocairo cairo-pdf fontconfig
PDF_CFLAGS	:= $(shell pkg-config --cflags $(PDF_PKGS) 2>/dev/null)
PDF_LIBS	:= $(shell pkg-config --libs $(PDF_PKGS) 2>/dev/null)
LIBS		= -ljansson -lxlsxwriter -lpcre2-8 -lpq -largon2 -lpwquality \
		  -licui18n -licuuc -lz -lm -lcurl $(PDF_LIBS)

# The pure core: no Kore, no database; cmocka tests link it directly.
CORE		= period passwd msg csv unitcsv xlsx_accounts form form_load \
		  form_body form_derive form_diff check cons collate xlsx_report \
		  webcache uri clientaddr pdf_layout pdf_render pdf_nd30 pdf_cons \
		  pdf_check mail mail_text
# The Kore side: handlers and glue.
APP		= portal api api_stream route db auth health calendar accounts units areas \
		  assets reports outline tokens review cons_api docs bench \
		  mail_send notify

CORE_OBJ	= $(CORE:%=build/core/%.o)
APP_OBJ		= $(APP:%=build/app/%.o)
UNIT_TESTS	= $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all deps run test unit-test clean distclean admin-password fuzz \
	fuzz-long backup restore

all: build/portal.so build/portalctl $(UNIT_TESTS)

build/core/%.o: modules/%.c modules/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

# Only the renderer sees glib's and cairo's headers.
build/core/pdf_render.o: CFLAGS += $(PDF_CFLAGS)

build/app/%.o: modules/%.c modules/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(KORE_FEATURES) -c $< -o $@

# No -z defs: kore_* and http_* come from the kore binary at load time.
build/portal.so: $(CORE_OBJ) $(APP_OBJ)
	$(CC) -shared -o $@ $^ $(LIBS)

build/portalctl: tools/portalctl.c $(CORE_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/tests/%: tests/unit/%.c $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS) -lcmocka

deps:
	@bash scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/run.sh

test:
	@bash scripts/deps.sh --test
	@$(MAKE) --no-print-directory all
	@bash scripts/test.sh

unit-test: all
	@bash scripts/test.sh --unit-only

clean:
	rm -rf build

# Also removes the local database: everything entered with `make run`.
distclean: clean
	@bash scripts/pg.sh stop var/pg 2>/dev/null || true
	rm -rf var

# A new random password for the admin account of the `make run` database.
admin-password: all
	@bash scripts/pg.sh start var/pg $${PORTAL_PG_PORT:-5433}
	@bash scripts/admin.sh "$$(bash scripts/pg.sh conninfo var/pg $${PORTAL_PG_PORT:-5433})" --reset

# Back up the `make run` database now (docs/BACKUP.md): a compressed dump
# and its .sha256 in BACKUP_DIR (default var/backups, on this machine: point
# it at the other server's share), dumps older than KEEP_DAYS (30) removed.
backup:
	@test -f var/pg/data/PG_VERSION || { echo "Chưa có cơ sở dữ liệu var/pg: chạy make run trước." >&2; \
	    echo "No var/pg database yet: run make run first." >&2; exit 1; }
	@bash scripts/pg.sh start var/pg $${PORTAL_PG_PORT:-5433}
	@if [ -z "$(BACKUP_DIR)" ]; then mkdir -p var/backups; \
	    echo "Lưu ý / note: var/backups is on this machine; BACKUP_DIR=/mnt/... puts it on the other server."; fi
	@bash scripts/backup.sh "$$(bash scripts/pg.sh conninfo var/pg $${PORTAL_PG_PORT:-5433})" \
	    "$(or $(BACKUP_DIR),var/backups)" "$(or $(KEEP_DAYS),30)"

# Restore a dump into a new (or empty) cluster, never over one with data:
#   make restore FILE=/mnt/portal-backup/portal-YYYYMMDD-HHMMSS.dump \
#       [RESTORE_DIR=var/restore] [RESTORE_PORT=5434]
restore:
	@test -n "$(FILE)" || { echo "Cách dùng / usage: make restore FILE=.../portal-YYYYMMDD-HHMMSS.dump [RESTORE_DIR=var/restore] [RESTORE_PORT=5434]" >&2; exit 2; }
	@bash scripts/restore.sh "$(FILE)" "$(or $(RESTORE_DIR),var/restore)" "$(or $(RESTORE_PORT),5434)"

# libFuzzer targets of the pure core (tests/fuzz/README.md): every target
# for about 20 s, or FUZZ_SECONDS each with fuzz-long (default 300).
fuzz:
	@bash scripts/fuzz.sh short

fuzz-long:
	@bash scripts/fuzz.sh long $${FUZZ_SECONDS:-300}

# Benchmarks (README.md, "Benchmarks"): figures, not a pass/fail test; a
# throw-away cluster and server on random loopback ports, like make test.
.PHONY: bench
bench:
	@bash scripts/bench.sh
