/*
 * Vietnamese collation through ICU.  The collator is opened on first use
 * and kept: opening one builds the tailoring (a millisecond or so), and
 * comparing with it is safe from any thread once it is open.  A Kore
 * worker is a single-threaded process, so first use does not race.
 */
#include <string.h>

#include <unicode/ucol.h>

#include "collate.h"

static UCollator	*collate_coll;
static int		collate_failed;

static UCollator *
collate_get(void)
{
	UErrorCode	err;

	if (collate_coll != NULL || collate_failed)
		return (collate_coll);

	err = U_ZERO_ERROR;
	collate_coll = ucol_open("vi", &err);
	if (U_FAILURE(err)) {
		if (collate_coll != NULL)
			ucol_close(collate_coll);
		collate_coll = NULL;
		collate_failed = 1;
	}

	return (collate_coll);
}

int
collate_vi(const char *a, const char *b)
{
	UCollator		*c;
	UCollationResult	r;
	UErrorCode		err;

	if (a == NULL || b == NULL)
		return ((a != NULL) - (b != NULL));

	if ((c = collate_get()) != NULL) {
		err = U_ZERO_ERROR;
		r = ucol_strcollUTF8(c, a, -1, b, -1, &err);
		if (U_SUCCESS(err) && r != UCOL_EQUAL)
			return (r == UCOL_LESS ? -1 : 1);
	}

	return (strcmp(a, b));
}

void
collate_cleanup(void)
{
	if (collate_coll != NULL)
		ucol_close(collate_coll);
	collate_coll = NULL;
	collate_failed = 0;
}
