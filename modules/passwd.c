/*
 * Password hashing and secrets.  Hashes are argon2id in the encoded
 * "$argon2id$v=19$m=...,t=...,p=...$salt$hash" form, so the parameters
 * can be raised later without invalidating stored passwords.  The
 * quality of a chosen password is libpwquality's judgement (with
 * cracklib's dictionary) on top of the portal's own length rule.
 */
#include <sys/random.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <argon2.h>
#include <pwquality.h>

#include "msg.h"
#include "passwd.h"

#define PW_T_COST	2
#define PW_M_COST	19456	/* KiB */
#define PW_OTP_T_COST	1
#define PW_OTP_M_COST	4096	/* KiB */
#define PW_PARALLEL	1
#define PW_SALT_LEN	16
#define PW_RAW_LEN	32

/* What an encoded hash costs to check. */
#define PW_KIND_NONE	0	/* no hash, or not one of ours */
#define PW_KIND_FULL	1	/* pw_hash's parameters */
#define PW_KIND_OTP	2	/* pw_hash_otp's parameters */

static int	pw_random(unsigned char *, size_t);
static int	pw_utf8_chars(const char *);
static int	pw_kind(const char *);
static const char *pw_quality(const char *, const char *, const char *);

int		(*pw_argon2_verify)(const char *, const void *, size_t) =
		    argon2id_verify;

/*
 * Hashes of random passwords nobody knows, one of each cost: a sign-in
 * checks one of them when the account has no hash of that cost (see
 * pw_verify_login).
 */
static char			pw_dummy_full[PW_HASH_MAX];
static char			pw_dummy_otp[PW_HASH_MAX];
static pwquality_settings_t	*pw_settings;

static int
pw_random(unsigned char *buf, size_t len)
{
	ssize_t		n;
	size_t		off;

	for (off = 0; off < len; off += (size_t)n) {
		n = getrandom(buf + off, len - off, 0);
		if (n <= 0)
			return (-1);
	}

	return (0);
}

static int
pw_hash_cost(const char *pw, uint32_t t, uint32_t m, char *out, size_t outlen)
{
	unsigned char	salt[PW_SALT_LEN];

	if (strlen(pw) > PW_MAX_LEN || pw_random(salt, sizeof(salt)) == -1)
		return (-1);
	if (argon2_encodedlen(t, m, PW_PARALLEL, PW_SALT_LEN, PW_RAW_LEN,
	    Argon2_id) > outlen)
		return (-1);
	if (argon2id_hash_encoded(t, m, PW_PARALLEL, pw, strlen(pw), salt,
	    sizeof(salt), PW_RAW_LEN, out, outlen) != ARGON2_OK)
		return (-1);

	return (0);
}

int
pw_hash(const char *pw, char *out, size_t outlen)
{
	return (pw_hash_cost(pw, PW_T_COST, PW_M_COST, out, outlen));
}

int
pw_hash_otp(const char *otp, char *out, size_t outlen)
{
	return (pw_hash_cost(otp, PW_OTP_T_COST, PW_OTP_M_COST, out, outlen));
}

int
pw_verify(const char *encoded, const char *pw)
{
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10))
		return (0);
	if (strlen(pw) > PW_MAX_LEN)
		return (0);

	return (pw_argon2_verify(encoded, pw, strlen(pw)) == ARGON2_OK);
}

static int
pw_kind(const char *encoded)
{
	unsigned int	v, m, t, p;
	int		n;

	if (encoded == NULL)
		return (PW_KIND_NONE);
	n = 0;
	if (sscanf(encoded, "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &v, &m, &t,
	    &p, &n) != 4 || n == 0 || p != PW_PARALLEL)
		return (PW_KIND_NONE);
	if (m == PW_M_COST && t == PW_T_COST)
		return (PW_KIND_FULL);
	if (m == PW_OTP_M_COST && t == PW_OTP_T_COST)
		return (PW_KIND_OTP);

	return (PW_KIND_NONE);
}

/*
 * A one-time password's hash costs a fifth of a chosen password's, so
 * a sign-in that checked only the account's own hash would answer an
 * unclaimed account (still on its one-time password) in 18 ms and any
 * other in 105 ms, telling an outsider which issued accounts nobody has
 * claimed yet.  So every check does one check of each cost, in the same
 * order: the account's own hash in its slot and a dummy in the other
 * (both dummies for an unknown name or what is no argon2id hash).  The
 * work is the same whatever the account; only the answer of the
 * account's own slot counts.  An argon2id hash of other parameters
 * (none are made today) is checked in the full slot.
 */
int
pw_verify_login(const char *encoded, const char *pw)
{
	const char	*full, *light;
	int		kind, ok_full, ok_light;

	kind = pw_kind(encoded);
	if (kind == PW_KIND_NONE && encoded != NULL &&
	    !strncmp(encoded, "$argon2id$", 10))
		kind = PW_KIND_FULL;
	full = kind == PW_KIND_FULL ? encoded : pw_dummy_full;
	light = kind == PW_KIND_OTP ? encoded : pw_dummy_otp;

	ok_full = pw_verify(full, pw);
	ok_light = pw_verify(light, pw);

	switch (kind) {
	case PW_KIND_FULL:
		return (ok_full);
	case PW_KIND_OTP:
		return (ok_light);
	default:
		return (0);
	}
}

int
pw_init(void)
{
	char		pw[PW_TOKEN_LEN + 1];
	int		r;

	r = 0;
	if (pw_token(pw, sizeof(pw)) == -1 ||
	    pw_hash(pw, pw_dummy_full, sizeof(pw_dummy_full)) == -1 ||
	    pw_hash_otp(pw, pw_dummy_otp, sizeof(pw_dummy_otp)) == -1)
		r = -1;
	explicit_bzero(pw, sizeof(pw));

	/*
	 * The portal's own settings, not /etc/security/pwquality.conf:
	 * the rule is the same on every node.  Length is counted here in
	 * characters (pwquality counts bytes), so its own minimum is its
	 * lowest.  No config file is read: nothing is opened but the
	 * dictionary, at each check.
	 */
	if (pw_settings == NULL &&
	    (pw_settings = pwquality_default_settings()) == NULL)
		return (-1);
	if (pwquality_set_int_value(pw_settings, PWQ_SETTING_MIN_LENGTH, 6) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_DIFF_OK, 3) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_MAX_REPEAT, 3) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_MAX_SEQUENCE, 4) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_DICT_CHECK, 1) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_USER_CHECK, 1) ||
	    pwquality_set_int_value(pw_settings, PWQ_SETTING_GECOS_CHECK, 0) ||
	    pwquality_set_str_value(pw_settings, PWQ_SETTING_BAD_WORDS,
	    "matkhau thanhhoa soyte"))
		r = -1;

	return (r);
}

/* Characters, not bytes: Vietnamese letters take two or three bytes. */
static int
pw_utf8_chars(const char *s)
{
	int		n;

	for (n = 0; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}

	return (n);
}

static int
pw_contains_ci(const char *hay, const char *needle)
{
	size_t		i, j, hl, nl;

	hl = strlen(hay);
	nl = strlen(needle);
	if (nl == 0 || nl > hl)
		return (0);

	for (i = 0; i + nl <= hl; i++) {
		for (j = 0; j < nl; j++) {
			if (tolower((unsigned char)hay[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		}
		if (j == nl)
			return (1);
	}

	return (0);
}

/*
 * cracklib's reasons, in English only: the ones it gives (fascist.c of
 * cracklib 2.9) by a word each contains.
 */
static const struct {
	const char	*needle;
	const char	*code;
} pw_crack_reasons[] = {
	{ "dictionary word",	"pw_dictionary" },
	{ "DIFFERENT",		"pw_few_different" },
	{ "whitespace",		"pw_whitespace" },
	{ "simplistic",		"pw_simplistic" },
	{ "short",		"pw_short" },
	{ "Insurance",		"pw_simplistic" },
	{ "username",		"pw_username" },
	{ "password entry",	"pw_username" },
	{ "loading dictionary",	"pw_no_dictionary" },
};

static const struct {
	int		error;
	const char	*code;
} pw_quality_reasons[] = {
	{ PWQ_ERROR_PALINDROME,		"pw_palindrome" },
	{ PWQ_ERROR_CASE_CHANGES_ONLY,	"pw_case_only" },
	{ PWQ_ERROR_TOO_SIMILAR,	"pw_similar" },
	{ PWQ_ERROR_ROTATED,		"pw_similar" },
	{ PWQ_ERROR_SAME_PASSWORD,	"pw_same" },
	{ PWQ_ERROR_MAX_CONSECUTIVE,	"pw_repeat" },
	{ PWQ_ERROR_MAX_CLASS_REPEAT,	"pw_repeat" },
	{ PWQ_ERROR_MAX_SEQUENCE,	"pw_sequence" },
	{ PWQ_ERROR_USER_CHECK,		"pw_username" },
	{ PWQ_ERROR_GECOS_CHECK,	"pw_username" },
	{ PWQ_ERROR_BAD_WORDS,		"pw_common_word" },
	{ PWQ_ERROR_MIN_LENGTH,		"pw_short" },
	{ PWQ_ERROR_MIN_DIGITS,		"pw_variety" },
	{ PWQ_ERROR_MIN_UPPERS,		"pw_variety" },
	{ PWQ_ERROR_MIN_LOWERS,		"pw_variety" },
	{ PWQ_ERROR_MIN_OTHERS,		"pw_variety" },
	{ PWQ_ERROR_MIN_CLASSES,	"pw_variety" },
	{ PWQ_ERROR_EMPTY_PASSWORD,	"pw_empty" },
};

/*
 * libpwquality's verdict as a reason, or NULL.  An error it cannot
 * explain, a missing dictionary included, refuses the password: a
 * check that did not run must not let a weak password through.
 */
static const char *
pw_quality(const char *username, const char *oldpw, const char *pw)
{
	const char	*code, *aux;
	void		*auxerror;
	char		buf[PWQ_MAX_ERROR_MESSAGE_LEN];
	size_t		i;
	int		r;

	if (pw_settings == NULL && pw_init() == -1)
		return (msg_vi("pw_unchecked"));

	auxerror = NULL;
	r = pwquality_check(pw_settings, pw, oldpw, username, &auxerror);
	if (r >= 0)
		return (NULL);

	code = "pw_unchecked";
	if (r == PWQ_ERROR_CRACKLIB_CHECK) {
		aux = auxerror;
		for (i = 0; aux != NULL && i < sizeof(pw_crack_reasons) /
		    sizeof(pw_crack_reasons[0]); i++) {
			if (strstr(aux, pw_crack_reasons[i].needle) != NULL) {
				code = pw_crack_reasons[i].code;
				break;
			}
		}
		if (aux != NULL && i == sizeof(pw_crack_reasons) /
		    sizeof(pw_crack_reasons[0]))
			code = "pw_guessable";
	}
	for (i = 0; i < sizeof(pw_quality_reasons) /
	    sizeof(pw_quality_reasons[0]); i++) {
		if (pw_quality_reasons[i].error == r)
			code = pw_quality_reasons[i].code;
	}
	/* Frees what the library allocated for some errors. */
	(void)pwquality_strerror(buf, sizeof(buf), r, auxerror);

	return (msg_vi(code));
}

const char *
pw_policy(const char *username, const char *oldpw, const char *pw)
{
	if (pw_utf8_chars(pw) < PW_MIN_LEN)
		return (msg_vi("pw_short"));
	if (strlen(pw) > PW_MAX_LEN)
		return (msg_vi("pw_long"));
	if (username != NULL && strlen(username) >= 3 &&
	    pw_contains_ci(pw, username))
		return (msg_vi("pw_username"));

	return (pw_quality(username, oldpw, pw));
}

int
pw_policy_dict(const char *path)
{
	if (pw_settings == NULL && pw_init() == -1)
		return (-1);

	return (pwquality_set_str_value(pw_settings, PWQ_SETTING_DICT_PATH,
	    path) == 0 ? 0 : -1);
}

int
pw_policy_ready(void)
{
	void		*auxerror;
	char		buf[PWQ_MAX_ERROR_MESSAGE_LEN];
	int		r, ok;

	if (pw_settings == NULL && pw_init() == -1)
		return (0);

	/* A dictionary word is refused by the dictionary, and only by it. */
	auxerror = NULL;
	r = pwquality_check(pw_settings, "password12", NULL, NULL, &auxerror);
	ok = r == PWQ_ERROR_CRACKLIB_CHECK && auxerror != NULL &&
	    strstr(auxerror, "dictionary word") != NULL;
	(void)pwquality_strerror(buf, sizeof(buf), r, auxerror);

	return (ok);
}

int
pw_otp(char *out, size_t outlen)
{
	/* No 0/O, 1/l/I: the password is read off paper and typed. */
	static const char	alphabet[] =
	    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char		r[PW_OTP_LEN];
	size_t			i, n;

	if (outlen < PW_OTP_LEN + 1 || pw_random(r, sizeof(r)) == -1)
		return (-1);

	n = sizeof(alphabet) - 1;
	for (i = 0; i < PW_OTP_LEN; i++) {
		/* Reject-free: 256 % 56 bias is small but avoid it anyway. */
		while (r[i] >= 256 - (256 % n)) {
			if (pw_random(&r[i], 1) == -1)
				return (-1);
		}
		out[i] = alphabet[r[i] % n];
	}
	out[PW_OTP_LEN] = '\0';

	return (0);
}

int
pw_token(char *out, size_t outlen)
{
	static const char	b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		r[33];
	size_t			i, o;
	uint32_t		v;

	if (outlen < PW_TOKEN_LEN + 1 || pw_random(r, 32) == -1)
		return (-1);
	r[32] = 0;

	for (i = 0, o = 0; i < 33; i += 3) {
		v = ((uint32_t)r[i] << 16) | ((uint32_t)r[i + 1] << 8) |
		    r[i + 2];
		out[o++] = b64[(v >> 18) & 0x3f];
		out[o++] = b64[(v >> 12) & 0x3f];
		out[o++] = b64[(v >> 6) & 0x3f];
		out[o++] = b64[v & 0x3f];
	}
	out[PW_TOKEN_LEN] = '\0';

	return (0);
}

int
pw_equal(const char *a, const char *b)
{
	size_t			la, lb, i;
	unsigned char		d;

	la = strlen(a);
	lb = strlen(b);
	d = (la != lb);
	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);

	return (d == 0);
}
