/*
 * libFuzzer target: the check of an uploaded signed copy
 * (modules/pdf_check.c), which reads offsets out of the file.  Checked:
 * it answers one of its codes, never reads outside the buffer (the
 * sanitizers watch), agrees with itself on a copy, and an input without
 * "%PDF-" in its first kilobyte is never a PDF.  Built by scripts/fuzz.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_check.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	unsigned char	*copy;
	size_t		i, head;
	int		r, found;

	/* An exact-size copy: a read past the end is a sanitizer's crash. */
	if ((copy = malloc(len ? len : 1)) == NULL)
		return (0);
	memcpy(copy, data, len);
	r = pdf_check(copy, len);
	if (r < PDF_CHECK_OK || r > PDF_CHECK_NO_XREF ||
	    pdf_check(copy, len) != r)
		abort();
	head = len < 1024 ? len : 1024;
	for (i = 0, found = 0; i + 5 <= head; i++)
		if (memcmp(copy + i, "%PDF-", 5) == 0)
			found = 1;
	if (!found && r == PDF_CHECK_OK)
		abort();
	free(copy);

	return (0);
}
