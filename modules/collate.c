/*
 * Vietnamese collation through ICU.  The collator is opened on first use
 * and kept: opening one builds the tailoring (a millisecond or so), and
 * comparing with it is safe from any thread once it is open (ICU's const
 * APIs are thread-safe).  First use may come from two task threads at
 * once (two workbooks sorting their columns), so it is opened under a
 * lock; the lock costs far less than a comparison.
 */
#include <pthread.h>
#include <string.h>

#include <unicode/ucol.h>

#include "collate.h"

static pthread_mutex_t	collate_lock = PTHREAD_MUTEX_INITIALIZER;
static UCollator	*collate_coll;
static int		collate_failed;

static UCollator *
collate_get(void)
{
	UCollator	*c;
	UErrorCode	err;

	(void)pthread_mutex_lock(&collate_lock);
	if (collate_coll == NULL && !collate_failed) {
		err = U_ZERO_ERROR;
		collate_coll = ucol_open("vi", &err);
		if (U_FAILURE(err)) {
			if (collate_coll != NULL)
				ucol_close(collate_coll);
			collate_coll = NULL;
			collate_failed = 1;
		}
	}
	c = collate_coll;
	(void)pthread_mutex_unlock(&collate_lock);

	return (c);
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
	(void)pthread_mutex_lock(&collate_lock);
	if (collate_coll != NULL)
		ucol_close(collate_coll);
	collate_coll = NULL;
	collate_failed = 0;
	(void)pthread_mutex_unlock(&collate_lock);
}
