/*
 * A report body against its outline: the shape of what a client sends
 * (values, stations, lists, comments) and the kind of every value in it.
 * Every problem is collected, each with where it is, in Vietnamese for
 * the focal point; what the figures mean together is check.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form_int.h"

/* Vietnamese messages of form_validate, in one place. */
#define FORM_MSG_PART		"Phần «%s» phải là một đối tượng JSON."
#define FORM_MSG_BODY		"Nội dung gửi lên phải là một đối tượng JSON."
#define FORM_MSG_UNKNOWN	\
	"Mục không có trong đề cương; bỏ mục này."
#define FORM_MSG_DERIVED	\
	"Mục này được tính tự động từ các số liệu khác; không nhập."
#define FORM_MSG_NOT_APPLY	"Mục này không áp dụng cho đơn vị."
#define FORM_MSG_NOT_STATION	\
	"Mục này không báo cáo theo từng trạm; nhập vào số liệu chung " \
	"của đơn vị."
#define FORM_MSG_NO_STATIONS	\
	"Đơn vị không quản lý trạm y tế nào; bỏ số liệu theo trạm."
#define FORM_MSG_BAD_STATION	\
	"Trạm này không thuộc phạm vi quản lý của đơn vị; bỏ số liệu " \
	"của trạm này."
#define FORM_MSG_STATION_ROW	\
	"Số liệu của trạm phải là một đối tượng {mã mục: giá trị}."
#define FORM_MSG_REAL		\
	"Nhập số nguyên, không có phần thập phân."
#define FORM_MSG_NOT_INT	\
	"Nhập một số nguyên, không nhập chữ hay giá trị khác."
#define FORM_MSG_NEGATIVE	\
	"Số liệu không được âm; nhập số nguyên từ 0 trở lên."
#define FORM_MSG_TOO_BIG	\
	"Số quá lớn (tối đa 9.007.199.254.740.991); kiểm tra lại số liệu."
#define FORM_MSG_LEVEL		"Nhập mức từ %lld đến %lld."
#define FORM_MSG_NOT_TEXT	"Nhập nội dung dạng chữ."
#define FORM_MSG_CONTROL	\
	"Nội dung có ký tự điều khiển không hợp lệ (chỉ được xuống dòng " \
	"và tab); xóa ký tự đó."
#define FORM_MSG_TOO_LONG	\
	"Nội dung dài %zu ký tự, tối đa %zu ký tự; viết ngắn gọn hơn."
#define FORM_MSG_LIST_UNKNOWN	\
	"Danh sách không có trong đề cương; bỏ danh sách này."
#define FORM_MSG_LIST_NOT_APPLY	"Danh sách này không áp dụng cho đơn vị."
#define FORM_MSG_LIST_ARRAY	"Danh sách phải là một mảng các dòng."
#define FORM_MSG_LIST_ROWS	\
	"Danh sách có %zu dòng, tối đa %zu dòng; gộp hoặc bớt dòng."
#define FORM_MSG_ROW		\
	"Mỗi dòng phải là một đối tượng {mã cột: giá trị}."
#define FORM_MSG_COL_UNKNOWN	\
	"Cột không có trong danh sách; bỏ cột này."
#define FORM_MSG_COL_REQUIRED	"Cột bắt buộc: nhập «%s»."
#define FORM_MSG_DATE		\
	"Ngày không hợp lệ; ghi theo dạng năm-tháng-ngày, ví dụ 2023-06-15."
#define FORM_MSG_DOCNO_LONG	\
	"Số văn bản dài quá %d ký tự; chỉ ghi số và ký hiệu văn bản."
#define FORM_MSG_CHOICE		"Chọn một trong các giá trị: %s."
#define FORM_MSG_COMMENT_TEXT	"Ghi chú phải là chữ."

struct form_vctx {
	const struct form	*f;
	const struct form_unit	*u;
	json_t			*details;
};

static void	form_v_shape(struct form_vctx *, json_t *);
static int	form_v_part(struct form_vctx *, json_t *, const char *);
static void	form_v_values(struct form_vctx *, json_t *);
static void	form_v_stations(struct form_vctx *, json_t *);
static void	form_v_station(struct form_vctx *, const char *, json_t *);
static void	form_v_item(struct form_vctx *, const char *, int, json_t *);
static void	form_v_lists(struct form_vctx *, json_t *);
static void	form_v_list(struct form_vctx *, const char *, int, json_t *);
static void	form_v_row(struct form_vctx *, const struct form_list *,
		    size_t, json_t *);
static void	form_v_cell(struct form_vctx *, const struct form_list *,
		    size_t, const struct form_column *, json_t *);
static void	form_v_comments(struct form_vctx *, json_t *);
static const char	*form_value_problem(const struct form_item *, json_t *,
		    char *, size_t);
static const char	*form_int_problem(json_t *, int64_t, int64_t);
static const char	*form_text_problem(json_t *, size_t, char *, size_t);
static const char	*form_choice_problem(const struct form_column *,
		    json_t *, char *, size_t);
static int	form_has_station(const struct form_unit *, const char *);
static json_t	*form_detail(struct form_vctx *, const char *, const char *,
		    const char *);
static void	form_detail_cell(struct form_vctx *, const char *, size_t,
		    const char *, const char *);


/*
 * Validation of a report body.  Every problem is collected, so that the
 * focal point sees all of them at once; check.c judges the content.
 * null always means "empty" and is accepted for any known item.  The
 * shape comes first: values of a body of the wrong shape are not read.
 */
int
form_validate(const struct form *f, const struct form_unit *u, json_t *body,
    json_t **details)
{
	struct form_vctx	v;
	int			rc;

	if (details != NULL)
		*details = NULL;
	if ((v.details = json_array()) == NULL)
		return (FORM_BAD_VALUE);
	v.f = f;
	v.u = u;

	form_v_shape(&v, body);
	if (json_array_size(v.details) > 0) {
		rc = FORM_BAD_SHAPE;
	} else if (f == NULL || u == NULL) {
		(void)form_detail(&v, "part", "", FORM_MSG_BODY);
		rc = FORM_BAD_VALUE;
	} else {
		/* Other keys of the body (its version) are not ours. */
		form_v_values(&v, json_object_get(body, "values"));
		form_v_stations(&v, json_object_get(body, "stations"));
		form_v_lists(&v, json_object_get(body, "lists"));
		form_v_comments(&v, json_object_get(body, "comments"));
		rc = json_array_size(v.details) > 0 ? FORM_BAD_VALUE : 0;
	}

	if (rc == 0) {
		json_decref(v.details);
		return (0);
	}
	if (details != NULL)
		*details = v.details;
	else
		json_decref(v.details);

	return (rc);
}

int
form_shape(json_t *body, json_t **details)
{
	struct form_vctx	v;

	if (details != NULL)
		*details = NULL;
	if ((v.details = json_array()) == NULL)
		return (FORM_BAD_SHAPE);
	v.f = NULL;
	v.u = NULL;

	form_v_shape(&v, body);
	if (json_array_size(v.details) == 0) {
		json_decref(v.details);
		return (0);
	}
	if (details != NULL)
		*details = v.details;
	else
		json_decref(v.details);

	return (FORM_BAD_SHAPE);
}

/*
 * The containers of a body, whatever the form: the body and each part
 * it carries are objects, a station's row is an object, a list is an
 * array (or null) of objects.  What is inside them is form_v_*'s.
 */
static void
form_v_shape(struct form_vctx *v, json_t *body)
{
	const char	*code;
	json_t		*o, *rows, *row;
	size_t		r;

	if (!json_is_object(body)) {
		(void)form_detail(v, "part", "", FORM_MSG_BODY);
		return;
	}
	(void)form_v_part(v, json_object_get(body, "values"), "values");
	(void)form_v_part(v, json_object_get(body, "comments"), "comments");

	o = json_object_get(body, "stations");
	if (form_v_part(v, o, "stations")) {
		json_object_foreach(o, code, row) {
			if (!json_is_object(row))
				(void)form_detail(v, "station", code,
				    FORM_MSG_STATION_ROW);
		}
	}

	o = json_object_get(body, "lists");
	if (!form_v_part(v, o, "lists"))
		return;
	json_object_foreach(o, code, rows) {
		if (json_is_null(rows))
			continue;
		if (!json_is_array(rows)) {
			(void)form_detail(v, "list", code, FORM_MSG_LIST_ARRAY);
			continue;
		}
		json_array_foreach(rows, r, row) {
			/* Rows count from 1, as check.c and the page do. */
			if (!json_is_object(row))
				form_detail_cell(v, code, r + 1, NULL,
				    FORM_MSG_ROW);
		}
	}
}

/* 1 when the part is there and an object, 0 when absent or refused. */
static int
form_v_part(struct form_vctx *v, json_t *part, const char *name)
{
	char		msg[FORM_MSG_MAX];

	if (part == NULL)
		return (0);
	if (json_is_object(part))
		return (1);
	(void)snprintf(msg, sizeof(msg), FORM_MSG_PART, name);
	(void)form_detail(v, "part", name, msg);

	return (0);
}

static void
form_v_values(struct form_vctx *v, json_t *values)
{
	const char	*code;
	json_t		*val;
	int		i;

	/* Absent, or of the wrong shape and refused by form_v_shape. */
	if (!json_is_object(values))
		return;

	json_object_foreach(values, code, val) {
		if ((i = form_item_index(v->f, code)) == -1)
			(void)form_detail(v, "item", code, FORM_MSG_UNKNOWN);
		else
			form_v_item(v, NULL, i, val);
	}
}

static void
form_v_stations(struct form_vctx *v, json_t *stations)
{
	const char	*code;
	json_t		*row;

	if (!json_is_object(stations))
		return;

	json_object_foreach(stations, code, row) {
		if (v->u->nstations == 0)
			(void)form_detail(v, "station", code,
			    FORM_MSG_NO_STATIONS);
		else if (!form_has_station(v->u, code))
			(void)form_detail(v, "station", code,
			    FORM_MSG_BAD_STATION);
		else
			form_v_station(v, code, row);
	}
}

static void
form_v_station(struct form_vctx *v, const char *station, json_t *row)
{
	const char	*code;
	json_t		*val, *d;
	int		i;

	json_object_foreach(row, code, val) {
		if ((i = form_item_index(v->f, code)) != -1) {
			form_v_item(v, station, i, val);
			continue;
		}
		if ((d = form_detail(v, "station", station,
		    FORM_MSG_UNKNOWN)) != NULL)
			json_object_set_new(d, "item", json_string(code));
	}
}

/* One value of the unit (station NULL) or of one of its stations. */
static void
form_v_item(struct form_vctx *v, const char *station, int i, json_t *val)
{
	const struct form_item	*it = &v->f->items[i];
	const char		*p;
	json_t			*d;
	char			buf[FORM_MSG_MAX];

	if (json_is_null(val))
		return;

	if (station != NULL && !it->stations)
		p = FORM_MSG_NOT_STATION;
	else if (form_kind_derived(it->kind))
		p = FORM_MSG_DERIVED;
	else if (!form_item_applies(v->f, i, v->u))
		p = FORM_MSG_NOT_APPLY;
	else
		p = form_value_problem(it, val, buf, sizeof(buf));
	if (p == NULL)
		return;

	if (station == NULL) {
		(void)form_detail(v, "item", it->code, p);
		return;
	}
	if ((d = form_detail(v, "station", station, p)) != NULL)
		json_object_set_new(d, "item", json_string(it->code));
}

static void
form_v_lists(struct form_vctx *v, json_t *lists)
{
	const char	*code;
	json_t		*rows;
	int		i;

	if (!json_is_object(lists))
		return;

	json_object_foreach(lists, code, rows) {
		if ((i = form_list_index(v->f, code)) == -1)
			(void)form_detail(v, "list", code,
			    FORM_MSG_LIST_UNKNOWN);
		else
			form_v_list(v, code, i, rows);
	}
}

static void
form_v_list(struct form_vctx *v, const char *code, int i, json_t *rows)
{
	const struct form_list	*l = &v->f->lists[i];
	size_t			r, n;
	char			msg[FORM_MSG_MAX];

	/* An empty list is as good as none, whoever sends it. */
	if (json_is_null(rows) || (json_is_array(rows) &&
	    json_array_size(rows) == 0))
		return;
	if (!form_list_applies(v->f, i, v->u)) {
		(void)form_detail(v, "list", code, FORM_MSG_LIST_NOT_APPLY);
		return;
	}

	n = json_array_size(rows);
	if (n > l->max_rows) {
		(void)snprintf(msg, sizeof(msg), FORM_MSG_LIST_ROWS, n,
		    l->max_rows);
		(void)form_detail(v, "list", code, msg);
		return;
	}
	for (r = 0; r < n; r++)
		form_v_row(v, l, r + 1, json_array_get(rows, r));
}

/* row counts from 1, as check.c and the page do. */
static void
form_v_row(struct form_vctx *v, const struct form_list *l, size_t row,
    json_t *o)
{
	const char	*key;
	json_t		*cell;
	size_t		c;

	json_object_foreach(o, key, cell) {
		for (c = 0; c < l->ncols; c++) {
			if (strcmp(l->cols[c].code, key) == 0)
				break;
		}
		if (c == l->ncols)
			form_detail_cell(v, l->code, row, key,
			    FORM_MSG_COL_UNKNOWN);
	}
	for (c = 0; c < l->ncols; c++)
		form_v_cell(v, l, row, &l->cols[c], json_object_get(o,
		    l->cols[c].code));
}

static void
form_v_cell(struct form_vctx *v, const struct form_list *l, size_t row,
    const struct form_column *col, json_t *cell)
{
	const char	*p, *s;
	char		buf[FORM_MSG_MAX];
	size_t		n;
	int		empty;

	/* Absent, null or blank text: nothing typed in the cell. */
	s = json_string_value(cell);
	empty = cell == NULL || json_is_null(cell) ||
	    (s != NULL && col->kind != FORM_COL_COUNT && form_blank(s));
	if (empty) {
		if (!col->required)
			return;
		(void)snprintf(buf, sizeof(buf), FORM_MSG_COL_REQUIRED,
		    col->label);
		form_detail_cell(v, l->code, row, col->code, buf);
		return;
	}

	p = NULL;
	switch (col->kind) {
	case FORM_COL_COUNT:
		p = form_int_problem(cell, 0, FORM_INT_MAX);
		break;
	case FORM_COL_DATE:
		if (s == NULL || !form_date_valid(s))
			p = FORM_MSG_DATE;
		break;
	case FORM_COL_DOCNO:
		/* Only the shape here: the pattern is a check of its own. */
		p = form_text_problem(cell, SIZE_MAX, buf, sizeof(buf));
		if (p == NULL && form_text_scan(s, json_string_length(cell),
		    &n) == 0 && n > FORM_DOCNO_MAX) {
			(void)snprintf(buf, sizeof(buf), FORM_MSG_DOCNO_LONG,
			    FORM_DOCNO_MAX);
			p = buf;
		}
		break;
	case FORM_COL_CHOICE:
		p = form_choice_problem(col, cell, buf, sizeof(buf));
		break;
	default:
		p = form_text_problem(cell, col->maxlen, buf, sizeof(buf));
		break;
	}
	if (p != NULL)
		form_detail_cell(v, l->code, row, col->code, p);
}

/* Comments answer warnings: on any item (rates too) or list. */
static void
form_v_comments(struct form_vctx *v, json_t *comments)
{
	const char	*code, *p;
	json_t		*val;
	int		i, l, applies;
	char		buf[FORM_MSG_MAX];

	if (!json_is_object(comments))
		return;

	json_object_foreach(comments, code, val) {
		i = form_item_index(v->f, code);
		l = form_list_index(v->f, code);
		if (i == -1 && l == -1) {
			(void)form_detail(v, "item", code, FORM_MSG_UNKNOWN);
			continue;
		}
		if (json_is_null(val))
			continue;
		applies = i != -1 ? form_item_applies(v->f, i, v->u) :
		    form_list_applies(v->f, l, v->u);
		if (!applies)
			p = FORM_MSG_NOT_APPLY;
		else if (!json_is_string(val))
			p = FORM_MSG_COMMENT_TEXT;
		else
			p = form_text_problem(val, FORM_COMMENT_MAX, buf,
			    sizeof(buf));
		if (p != NULL)
			(void)form_detail(v, "item", code, p);
	}
}

static const char *
form_value_problem(const struct form_item *it, json_t *v, char *buf,
    size_t len)
{
	const char	*p;

	switch (it->kind) {
	case FORM_COUNT:
	case FORM_MONEY:
		return (form_int_problem(v, 0, FORM_INT_MAX));
	case FORM_LEVEL:
		if ((p = form_int_problem(v, INT64_MIN, INT64_MAX)) != NULL)
			return (p);
		if (json_integer_value(v) < it->min ||
		    json_integer_value(v) > it->max) {
			(void)snprintf(buf, len, FORM_MSG_LEVEL,
			    (long long)it->min, (long long)it->max);
			return (buf);
		}
		return (NULL);
	case FORM_TEXT:
		return (form_text_problem(v, it->maxlen, buf, len));
	default:
		return (FORM_MSG_DERIVED);
	}
}

/* JSON integers only: 1.5, 1.0, true and "12" are all refused. */
static const char *
form_int_problem(json_t *v, int64_t lo, int64_t hi)
{
	if (json_is_real(v))
		return (FORM_MSG_REAL);
	if (!json_is_integer(v))
		return (FORM_MSG_NOT_INT);
	if (json_integer_value(v) < lo)
		return (FORM_MSG_NEGATIVE);
	if (json_integer_value(v) > hi)
		return (FORM_MSG_TOO_BIG);

	return (NULL);
}

static const char *
form_text_problem(json_t *v, size_t maxlen, char *buf, size_t len)
{
	size_t		n;

	if (!json_is_string(v))
		return (FORM_MSG_NOT_TEXT);
	if (form_text_scan(json_string_value(v), json_string_length(v),
	    &n) == -1)
		return (FORM_MSG_CONTROL);
	if (n > maxlen) {
		(void)snprintf(buf, len, FORM_MSG_TOO_LONG, n, maxlen);
		return (buf);
	}

	return (NULL);
}

static const char *
form_choice_problem(const struct form_column *col, json_t *v, char *buf,
    size_t len)
{
	const char	*s;
	size_t		i, n;

	if ((s = json_string_value(v)) != NULL) {
		for (i = 0; i < col->nchoices; i++) {
			if (strcmp(col->choices[i], s) == 0)
				return (NULL);
		}
	}

	(void)snprintf(buf, len, FORM_MSG_CHOICE, "");
	n = strlen(buf) - 1;	/* before the final "." */
	for (i = 0; i < col->nchoices && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
		    i > 0 ? ", " : "", col->choice_labels[i]);
	if (n < len)
		(void)snprintf(buf + n, len - n, ".");

	return (buf);
}

/* One of the unit's stations, or the unit's own row beside them. */
static int
form_has_station(const struct form_unit *u, const char *code)
{
	const char	*own;
	size_t		i;

	if ((own = form_own_row(u)) != NULL && strcmp(own, code) == 0)
		return (1);

	for (i = 0; i < u->nstations; i++) {
		if (u->stations[i] != NULL && strcmp(u->stations[i], code) == 0)
			return (1);
	}

	return (0);
}

/* {key: code, "message": msg} appended; returned borrowed, or NULL. */
static json_t *
form_detail(struct form_vctx *v, const char *key, const char *code,
    const char *msg)
{
	json_t		*d;

	if ((d = json_pack("{s:s, s:s}", key, code, "message", msg)) == NULL)
		return (NULL);
	if (json_array_append_new(v->details, d) == -1)
		return (NULL);

	return (d);
}

static void
form_detail_cell(struct form_vctx *v, const char *list, size_t row,
    const char *column, const char *msg)
{
	json_t		*d;

	if ((d = form_detail(v, "list", list, msg)) == NULL)
		return;
	json_object_set_new(d, "row", json_integer((json_int_t)row));
	if (column != NULL)
		json_object_set_new(d, "column", json_string(column));
}
