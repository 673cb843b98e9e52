/*
 * What the notices say: every Vietnamese word of them is in mail_texts
 * below, with {name} for what changes, and the code around it only picks
 * the texts and fills them in from a notice's facts.
 *
 * A notice's facts (its "data") are what PostgreSQL stored when it was
 * queued (sql/016_notices.sql): the unit's name, the period's name and
 * deadline, the reason and remarks as they were then.  A later change of
 * the registry or the calendar does not change what a notice said.
 * Dates come as YYYY-MM-DD in Asia/Ho_Chi_Minh and are shown dd/mm/yyyy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"

static const struct {
	const char	*key;
	const char	*text;
} mail_texts[] = {
	{ "subject.prefix",	"[Cổng báo cáo CĐS] " },
	{ "subject.returned",	"Báo cáo {form_name} kỳ {period_name} của "
	    "{unit_name} bị trả lại" },
	{ "subject.accepted",	"Báo cáo {form_name} kỳ {period_name} của "
	    "{unit_name} đã được duyệt" },
	{ "subject.reopened",	"Báo cáo {form_name} kỳ {period_name} của "
	    "{unit_name} được mở lại để sửa" },
	{ "subject.reminder",	"Còn {days} ngày đến hạn nộp báo cáo kỳ "
	    "{period_name} ({deadline}) — {unit_name}" },
	{ "subject.reminder0",	"Hôm nay ({deadline}) là hạn nộp báo cáo kỳ "
	    "{period_name} — {unit_name}" },
	{ "subject.late_digest", "Tổng hợp ngày {day}: {late} báo cáo quá hạn "
	    "chưa nộp, {returned} báo cáo trả lại chưa nộp lại" },

	{ "greeting",		"Kính gửi {contact}," },
	{ "greeting.unit",	"Kính gửi cán bộ đầu mối của {unit_name}," },
	{ "greeting.office",	"Kính gửi Văn phòng Sở Y tế," },

	{ "returned.lead",	"Văn phòng Sở Y tế đã trả lại báo cáo "
	    "{form_name} kỳ {period_name} của {unit_name} để đơn vị sửa và "
	    "nộp lại." },
	{ "reopened.lead",	"Văn phòng Sở Y tế đã mở lại báo cáo "
	    "{form_name} kỳ {period_name} của {unit_name} (đã duyệt trước "
	    "đây) để đơn vị sửa và nộp lại." },
	{ "accepted.lead",	"Văn phòng Sở Y tế đã duyệt báo cáo "
	    "{form_name} kỳ {period_name} của {unit_name}. Báo cáo đã được "
	    "khóa; đơn vị không cần làm gì thêm." },
	{ "reason",		"Lý do:" },
	{ "remarks",		"Nhận xét từng mục:" },
	{ "remark",		"- {label}: {remark}" },
	{ "label",		"{label} ({code})" },
	{ "refile",		"Hạn nộp của kỳ là hết ngày {deadline}. Đề "
	    "nghị đơn vị sửa theo các nhận xét trên và nộp lại sớm." },
	{ "link.report",	"Mở báo cáo: {link}" },

	{ "reminder.lead",	"Còn {days} ngày nữa là hạn nộp báo cáo kỳ "
	    "{period_name} (hạn cuối: hết ngày {deadline}). {unit_name} chưa "
	    "nộp:" },
	{ "reminder0.lead",	"Hôm nay, {deadline}, là hạn cuối nộp báo "
	    "cáo kỳ {period_name}. {unit_name} chưa nộp:" },
	{ "reminder.form",	"- {form_name}: {link}" },
	{ "reminder.late",	"Báo cáo nộp sau ngày {deadline} bị ghi nhận là "
	    "nộp muộn. Nếu đơn vị vừa nộp, xin bỏ qua thư này." },
	{ "reminder.optout",	"Không muốn nhận thư nhắc hạn nữa: tắt ở "
	    "trang Đầu mối, {link}" },

	{ "digest.lead",	"Tổng hợp ngày {day} của Cổng báo cáo chuyển đổi "
	    "số và Đề án 06." },
	{ "digest.late",	"Báo cáo đã quá hạn mà đơn vị chưa nộp ({n}):" },
	{ "digest.late.line",	"- {unit_name} ({unit}), {district_name}: "
	    "{form_name} kỳ {period_name}, hạn {deadline}. Đầu mối: "
	    "{contact}" },
	{ "digest.returned",	"Báo cáo bị trả lại, đơn vị chưa nộp lại "
	    "({n}):" },
	{ "digest.returned.line", "- {unit_name} ({unit}), {district_name}: "
	    "{form_name} kỳ {period_name}, trả lại ngày {at}. Đầu mối: "
	    "{contact}" },
	{ "digest.none",	"- Không có." },
	{ "digest.more",	"- … và {n} báo cáo khác (xem trang Tiến độ "
	    "nộp)." },
	{ "digest.link",	"Tiến độ nộp: {link}" },
	{ "contact",		"{name}, {phone}{email}" },
	{ "contact.none",	"chưa có đầu mối" },

	{ "footer",		"Thư gửi tự động từ Cổng báo cáo chuyển đổi số "
	    "và Đề án 06 — Sở Y tế Thanh Hóa." },

	{ "form.PL1",		"Phụ lục 1" },
	{ "form.PL2",		"Phụ lục 2" },

	/* Why a notice was not sent (the office's list, notify.c). */
	{ "error.no_address",	"Đơn vị chưa có email của cán bộ đầu mối nên "
	    "không gửi được; bổ sung email ở trang Đầu mối." },
	{ "error.bad_address",	"Email của cán bộ đầu mối không hợp lệ." },
	{ "error.connect",	"Không kết nối được máy chủ thư." },
	{ "error.timeout",	"Máy chủ thư không trả lời kịp." },
	{ "error.tls",		"Không lập được kết nối mã hóa (STARTTLS) với "
	    "máy chủ thư: kiểm tra chứng chỉ và cấu hình conf/mail.conf." },
	{ "error.auth",		"Máy chủ thư từ chối đăng nhập: kiểm tra tài "
	    "khoản và mật khẩu SMTP." },
	{ "error.rejected",	"Máy chủ thư từ chối thư này (địa chỉ người "
	    "nhận hoặc nội dung)." },
	{ "error.build",	"Không tạo được nội dung thư từ dữ liệu đã "
	    "lưu." },
	{ "error.other",	"Gửi thư không thành công." },
	{ "error.retry",	"Cổng sẽ gửi lại." },
	{ "error.gave_up",	"Đã thử {n} lần; cổng không gửi lại thư này "
	    "nữa." },
	{ "error.detail",	"{text} ({detail})" },
};

#define MAIL_NTEXTS	(sizeof(mail_texts) / sizeof(mail_texts[0]))

static const char *const mail_kinds[] = {
	"returned", "accepted", "reopened", "reminder", "late_digest",
};

static const char *
mail_t(const char *key)
{
	size_t		i;

	for (i = 0; i < MAIL_NTEXTS; i++) {
		if (!strcmp(mail_texts[i].key, key))
			return (mail_texts[i].text);
	}

	return ("");
}

/* The kind when it is one of the notices' kinds, else NULL. */
const char *
mail_kind_ok(const char *kind)
{
	size_t		i;

	for (i = 0; i < sizeof(mail_kinds) / sizeof(mail_kinds[0]); i++) {
		if (kind != NULL && !strcmp(kind, mail_kinds[i]))
			return (mail_kinds[i]);
	}

	return (NULL);
}

/* The office's words for an error code of the queue (never NULL). */
const char *
mail_error_text(const char *code)
{
	char		key[64];
	const char	*t;

	(void)snprintf(key, sizeof(key), "error.%s", code ? code : "");
	t = mail_t(key);

	return (*t != '\0' ? t : mail_t("error.other"));
}

/*
 * Why a notice is not sent yet, or was not sent, for the office: the
 * error's words, whether it is tried again (queued) or no more (failed
 * after attempts), and the server's or libcurl's own words.  malloc'd.
 */
char *
mail_error_describe(const char *code, const char *detail,
    const char *status, int attempts)
{
	char		n[16], *head, *text, *out;
	const char	*v[5], *tail;

	(void)snprintf(n, sizeof(n), "%d", attempts);
	v[0] = "n";
	v[1] = n;
	v[2] = NULL;
	if (status != NULL && !strcmp(status, "queued"))
		tail = mail_t("error.retry");
	else if (attempts > 1)
		tail = mail_t("error.gave_up");
	else
		tail = "";
	if ((head = mail_fill(tail, v)) == NULL)
		return (NULL);
	if (asprintf(&text, "%s%s%s", mail_error_text(code), *head ? " " : "",
	    head) == -1)
		text = NULL;
	free(head);
	if (text == NULL || detail == NULL || *detail == '\0')
		return (text);
	v[0] = "text";
	v[1] = text;
	v[2] = "detail";
	v[3] = detail;
	v[4] = NULL;
	out = mail_fill(mail_t("error.detail"), v);
	free(text);

	return (out);
}

/*
 * tmpl with each {name} replaced by its value from vars (name, value,
 * ..., NULL); an unknown {name} stays as it is.  malloc'd.
 */
char *
mail_fill(const char *tmpl, const char *const *vars)
{
	FILE		*fp;
	char		*buf;
	const char	*p, *end;
	size_t		len, i, n;
	int		found;

	buf = NULL;
	len = 0;
	if ((fp = open_memstream(&buf, &len)) == NULL)
		return (NULL);
	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '{' || (end = strchr(p, '}')) == NULL) {
			fputc(*p, fp);
			continue;
		}
		n = (size_t)(end - p - 1);
		found = 0;
		for (i = 0; vars[i] != NULL && vars[i + 1] != NULL; i += 2) {
			if (strlen(vars[i]) == n && !strncmp(vars[i], p + 1, n)) {
				fputs(vars[i + 1], fp);
				found = 1;
				break;
			}
		}
		if (!found) {
			fputc(*p, fp);
			continue;
		}
		p = end;
	}
	if (fclose(fp) != 0) {
		free(buf);
		return (NULL);
	}

	return (buf);
}

static const char *
mail_str(json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* "2031-05-15" as 15/05/2031; anything else as it is. */
static void
mail_day(const char *iso, char *buf, size_t len)
{
	if (strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-')
		(void)snprintf(buf, len, "%.2s/%.2s/%.4s", iso + 8, iso + 5,
		    iso);
	else
		(void)snprintf(buf, len, "%s", iso);
}

static const char *
mail_form_name(const char *form)
{
	char		key[32];
	const char	*t;

	(void)snprintf(key, sizeof(key), "form.%s", form);
	t = mail_t(key);

	return (*t != '\0' ? t : form);
}

/* The common facts of a report's notice, as template variables. */
struct mail_vars {
	char		deadline[16];
	char		days[16];
	char		link[MAIL_TEXT_MAX * 2];
	const char	*v[24];
};

static void
mail_vars_report(struct mail_vars *mv, json_t *d, const char *url)
{
	json_t		*days;
	size_t		n;

	mail_day(mail_str(d, "deadline"), mv->deadline, sizeof(mv->deadline));
	days = json_object_get(d, "days_left");
	(void)snprintf(mv->days, sizeof(mv->days), "%lld",
	    json_is_integer(days) ? (long long)json_integer_value(days) : 0LL);
	(void)snprintf(mv->link, sizeof(mv->link),
	    "%s/report?unit=%s&period=%s&form=%s", url ? url : "",
	    mail_str(d, "unit"), mail_str(d, "period"), mail_str(d, "form"));
	n = 0;
	mv->v[n++] = "unit";
	mv->v[n++] = mail_str(d, "unit");
	mv->v[n++] = "unit_name";
	mv->v[n++] = mail_str(d, "unit_name");
	mv->v[n++] = "period_name";
	mv->v[n++] = mail_str(d, "period_name");
	mv->v[n++] = "form_name";
	mv->v[n++] = mail_form_name(mail_str(d, "form"));
	mv->v[n++] = "deadline";
	mv->v[n++] = mv->deadline;
	mv->v[n++] = "days";
	mv->v[n++] = mv->days;
	mv->v[n++] = "contact";
	mv->v[n++] = mail_str(d, "contact");
	mv->v[n++] = "link";
	mv->v[n++] = mv->link;
	mv->v[n] = NULL;
}

/* A template filled in, written to fp with a newline after it. */
static void
mail_line(FILE *fp, const char *key, const char *const *vars)
{
	char		*s;

	if ((s = mail_fill(mail_t(key), vars)) != NULL) {
		fprintf(fp, "%s\n", s);
		free(s);
	}
}

static char *
mail_subject_of(const char *kind, json_t *d)
{
	struct mail_vars	mv;
	char			day[16], late[24], ret[24], *s, *out;
	const char		*key, *dv[7];

	if (!strcmp(kind, "late_digest")) {
		mail_day(mail_str(d, "day"), day, sizeof(day));
		(void)snprintf(late, sizeof(late), "%lld", (long long)
		    json_integer_value(json_object_get(d, "late_total")));
		(void)snprintf(ret, sizeof(ret), "%lld", (long long)
		    json_integer_value(json_object_get(d, "returned_total")));
		dv[0] = "day";
		dv[1] = day;
		dv[2] = "late";
		dv[3] = late;
		dv[4] = "returned";
		dv[5] = ret;
		dv[6] = NULL;
		s = mail_fill(mail_t("subject.late_digest"), dv);
	} else {
		mail_vars_report(&mv, d, "");
		if (!strcmp(kind, "reminder"))
			key = json_integer_value(json_object_get(d,
			    "days_left")) == 0 ? "subject.reminder0" :
			    "subject.reminder";
		else if (!strcmp(kind, "returned"))
			key = "subject.returned";
		else if (!strcmp(kind, "accepted"))
			key = "subject.accepted";
		else
			key = "subject.reopened";
		s = mail_fill(mail_t(key), mv.v);
	}
	if (s == NULL)
		return (NULL);
	if (asprintf(&out, "%s%s", mail_t("subject.prefix"), s) == -1)
		out = NULL;
	free(s);

	return (out);
}

/* The subject of a notice (malloc'd), or NULL when kind is unknown. */
char *
mail_subject(const char *kind, json_t *data)
{
	if (mail_kind_ok(kind) == NULL || !json_is_object(data))
		return (NULL);

	return (mail_subject_of(kind, data));
}

static void
mail_greeting(FILE *fp, struct mail_vars *mv, json_t *d)
{
	mail_line(fp, *mail_str(d, "contact") != '\0' ? "greeting" :
	    "greeting.unit", mv->v);
	fputc('\n', fp);
}

/* Returned, reopened, accepted: the reason and each item's remark. */
static void
mail_body_review(FILE *fp, const char *kind, json_t *d, const char *url,
    mail_label_fn label, void *arg)
{
	struct mail_vars	mv;
	const char		*code, *name, *rv[5], *lv[5];
	char			*lab;
	json_t			*items, *v;

	mail_vars_report(&mv, d, url);
	mail_greeting(fp, &mv, d);
	if (!strcmp(kind, "accepted")) {
		mail_line(fp, "accepted.lead", mv.v);
	} else {
		mail_line(fp, !strcmp(kind, "returned") ? "returned.lead" :
		    "reopened.lead", mv.v);
		if (*mail_str(d, "reason") != '\0')
			fprintf(fp, "\n%s\n%s\n", mail_t("reason"),
			    mail_str(d, "reason"));
		items = json_object_get(d, "items");
		if (json_is_object(items) && json_object_size(items) > 0) {
			fprintf(fp, "\n%s\n", mail_t("remarks"));
			json_object_foreach(items, code, v) {
				name = label != NULL ? label(arg, mail_str(d,
				    "form"), code) : NULL;
				lv[0] = "label";
				lv[1] = name != NULL ? name : code;
				lv[2] = "code";
				lv[3] = code;
				lv[4] = NULL;
				lab = name != NULL ? mail_fill(mail_t("label"),
				    lv) : NULL;
				rv[0] = "label";
				rv[1] = lab != NULL ? lab : code;
				rv[2] = "remark";
				rv[3] = json_is_string(v) ?
				    json_string_value(v) : "";
				rv[4] = NULL;
				mail_line(fp, "remark", rv);
				free(lab);
			}
		}
		fputc('\n', fp);
		mail_line(fp, "refile", mv.v);
	}
	fputc('\n', fp);
	mail_line(fp, "link.report", mv.v);
}

static void
mail_body_reminder(FILE *fp, json_t *d, const char *url)
{
	struct mail_vars	mv;
	json_t			*forms, *f;
	size_t			i;
	char			link[MAIL_TEXT_MAX * 2];
	const char		*fv[5], *ov[3];

	mail_vars_report(&mv, d, url);
	mail_greeting(fp, &mv, d);
	mail_line(fp, json_integer_value(json_object_get(d, "days_left")) == 0 ?
	    "reminder0.lead" : "reminder.lead", mv.v);
	forms = json_object_get(d, "forms");
	json_array_foreach(forms, i, f) {
		(void)snprintf(link, sizeof(link),
		    "%s/report?unit=%s&period=%s&form=%s", url,
		    mail_str(d, "unit"), mail_str(d, "period"),
		    json_is_string(f) ? json_string_value(f) : "");
		fv[0] = "form_name";
		fv[1] = mail_form_name(json_is_string(f) ?
		    json_string_value(f) : "");
		fv[2] = "link";
		fv[3] = link;
		fv[4] = NULL;
		mail_line(fp, "reminder.form", fv);
	}
	fputc('\n', fp);
	mail_line(fp, "reminder.late", mv.v);
	(void)snprintf(link, sizeof(link), "%s/contacts", url);
	ov[0] = "link";
	ov[1] = link;
	ov[2] = NULL;
	fputc('\n', fp);
	mail_line(fp, "reminder.optout", ov);
}

static char *
mail_contact(json_t *c)
{
	char		email[MAIL_ADDR_MAX + 3];
	const char	*v[7];

	if (!json_is_object(c) || *mail_str(c, "name") == '\0')
		return (strdup(mail_t("contact.none")));
	email[0] = '\0';
	if (*mail_str(c, "email") != '\0')
		(void)snprintf(email, sizeof(email), ", %s",
		    mail_str(c, "email"));
	v[0] = "name";
	v[1] = mail_str(c, "name");
	v[2] = "phone";
	v[3] = mail_str(c, "phone");
	v[4] = "email";
	v[5] = email;
	v[6] = NULL;

	return (mail_fill(mail_t("contact"), v));
}

/* One list of the digest: its head, a line per report, what is left. */
static void
mail_digest_list(FILE *fp, json_t *d, const char *list, const char *total)
{
	json_t		*rows, *r;
	size_t		i;
	long long	n;
	char		num[24], deadline[16], at[16], *contact;
	const char	*v[19], *head;

	rows = json_object_get(d, list);
	n = json_integer_value(json_object_get(d, total));
	(void)snprintf(num, sizeof(num), "%lld", n);
	v[0] = "n";
	v[1] = num;
	v[2] = NULL;
	head = !strcmp(list, "late") ? "digest.late" : "digest.returned";
	fputc('\n', fp);
	mail_line(fp, head, v);
	if (json_array_size(rows) == 0)
		mail_line(fp, "digest.none", v);
	json_array_foreach(rows, i, r) {
		if (i == MAIL_DIGEST_LINES)
			break;
		mail_day(mail_str(r, "deadline"), deadline, sizeof(deadline));
		mail_day(mail_str(r, "at"), at, sizeof(at));
		contact = mail_contact(json_object_get(r, "contact"));
		v[0] = "unit_name";
		v[1] = mail_str(r, "unit_name");
		v[2] = "unit";
		v[3] = mail_str(r, "unit");
		v[4] = "district_name";
		v[5] = mail_str(r, "district_name");
		v[6] = "form_name";
		v[7] = mail_form_name(mail_str(r, "form"));
		v[8] = "period_name";
		v[9] = mail_str(r, "period_name");
		v[10] = "deadline";
		v[11] = deadline;
		v[12] = "at";
		v[13] = at;
		v[14] = "contact";
		v[15] = contact != NULL ? contact : "";
		v[16] = NULL;
		mail_line(fp, !strcmp(list, "late") ? "digest.late.line" :
		    "digest.returned.line", v);
		free(contact);
	}
	if (n > (long long)i) {
		(void)snprintf(num, sizeof(num), "%lld", n - (long long)i);
		v[0] = "n";
		v[1] = num;
		v[2] = NULL;
		mail_line(fp, "digest.more", v);
	}
}

static void
mail_body_digest(FILE *fp, json_t *d, const char *url)
{
	char		day[16], link[MAIL_TEXT_MAX * 2];
	const char	*v[5];

	mail_day(mail_str(d, "day"), day, sizeof(day));
	(void)snprintf(link, sizeof(link), "%s/completeness", url);
	v[0] = "day";
	v[1] = day;
	v[2] = "link";
	v[3] = link;
	v[4] = NULL;
	mail_line(fp, "greeting.office", v);
	fputc('\n', fp);
	mail_line(fp, "digest.lead", v);
	mail_digest_list(fp, d, "late", "late_total");
	mail_digest_list(fp, d, "returned", "returned_total");
	fputc('\n', fp);
	mail_line(fp, "digest.link", v);
}

/*
 * A notice's subject and body from its kind and facts; links start with
 * portal_url.  0, or -1 when the kind is unknown or data not an object.
 */
int
mail_render(const char *kind, json_t *data, const char *portal_url,
    mail_label_fn label, void *arg, struct mail_text *out)
{
	FILE		*fp;
	size_t		len;

	out->subject = NULL;
	out->body = NULL;
	if (mail_kind_ok(kind) == NULL || !json_is_object(data))
		return (-1);
	if (portal_url == NULL)
		portal_url = "";

	len = 0;
	if ((fp = open_memstream(&out->body, &len)) == NULL)
		return (-1);
	if (!strcmp(kind, "reminder"))
		mail_body_reminder(fp, data, portal_url);
	else if (!strcmp(kind, "late_digest"))
		mail_body_digest(fp, data, portal_url);
	else
		mail_body_review(fp, kind, data, portal_url, label, arg);
	fprintf(fp, "\n-- \n%s\n", mail_t("footer"));
	if (fclose(fp) != 0 || out->body == NULL ||
	    (out->subject = mail_subject_of(kind, data)) == NULL) {
		mail_text_free(out);
		return (-1);
	}

	return (0);
}

void
mail_text_free(struct mail_text *t)
{
	free(t->subject);
	free(t->body);
	t->subject = NULL;
	t->body = NULL;
}
