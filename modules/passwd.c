/*
 * Password hashing and secrets.  Hashes are argon2id in the encoded
 * "$argon2id$v=19$m=...,t=...,p=...$salt$hash" form, so the parameters
 * can be raised later without invalidating stored passwords.
 */
#include <sys/random.h>

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <argon2.h>

#include "passwd.h"

#define PW_T_COST	2
#define PW_M_COST	19456	/* KiB */
#define PW_PARALLEL	1
#define PW_SALT_LEN	16
#define PW_RAW_LEN	32

static int	pw_random(unsigned char *, size_t);
static int	pw_utf8_chars(const char *);

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
	return (pw_hash_cost(otp, 1, 4096, out, outlen));
}

int
pw_verify(const char *encoded, const char *pw)
{
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10))
		return (0);
	if (strlen(pw) > PW_MAX_LEN)
		return (0);

	return (argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK);
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

const char *
pw_policy(const char *username, const char *pw)
{
	if (pw_utf8_chars(pw) < PW_MIN_LEN)
		return ("Mật khẩu phải có ít nhất 10 ký tự.");
	if (strlen(pw) > PW_MAX_LEN)
		return ("Mật khẩu quá dài (tối đa 256 byte).");
	if (username != NULL && strlen(username) >= 3 &&
	    pw_contains_ci(pw, username))
		return ("Mật khẩu không được chứa tên đăng nhập.");

	return (NULL);
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
