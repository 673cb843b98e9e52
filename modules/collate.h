/*
 * Vietnamese order for the names the portal sorts itself (the columns of
 * the consolidated workbook and CSV), the same order PostgreSQL gives
 * the name columns (sql/011): ICU's "vi" collation.  Pure C over ICU.
 */
#ifndef COLLATE_H
#define COLLATE_H

/*
 * <0, 0 or >0 as a sorts before, with or after b ("Huyện Đông Sơn" before
 * "Huyện Hà Trung", "Hà" before "Hậu" before "Hoằng").  Strings ICU finds
 * equal are ordered by their bytes, so the order is total.  Without ICU's
 * data (it ships inside libicudata) the order is the bytes'.
 */
int	collate_vi(const char *a, const char *b);

/* Frees the collator (tests, teardown). */
void	collate_cleanup(void);

#endif
