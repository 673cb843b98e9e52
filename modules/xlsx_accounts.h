/*
 * The sheet of one-time passwords the office prints and hands out.
 * Pure C over libxlsxwriter: writes a workbook to a path.
 */
#ifndef XLSX_ACCOUNTS_H
#define XLSX_ACCOUNTS_H

#include <stddef.h>

struct xlsx_account {
	const char	*unit;
	const char	*unit_name;
	const char	*username;
	const char	*password;
};

/* date is "dd/mm/yyyy"; tmpdir holds libxlsxwriter's scratch files. */
int	xlsx_accounts_write(const char *path, const char *tmpdir,
	    const struct xlsx_account *, size_t n, const char *date);

#endif
