/*
 * Passwords and secrets: argon2id hashes, the password policy, one-time
 * passwords and random tokens.  Pure C over libargon2, libpwquality and
 * getrandom(2).
 */
#ifndef PASSWD_H
#define PASSWD_H

#include <stddef.h>

#define PW_MIN_LEN	10
#define PW_MAX_LEN	256
#define PW_HASH_MAX	128
#define PW_OTP_LEN	14
#define PW_TOKEN_LEN	43	/* 32 random bytes, base64url without padding */

/*
 * Once, before any pw_verify_login or pw_policy (the server calls it in
 * the parent, so the workers inherit the result): the two dummy hashes
 * a sign-in checks against and the quality settings.  0 ok, -1 failure.
 */
int		pw_init(void);

/*
 * 1 when the quality check can read its dictionary (cracklib's, from
 * the cracklib-runtime package).  Without it pw_policy refuses every
 * password rather than let weak ones through.
 */
int		pw_policy_ready(void);

/*
 * Debian's cracklib dictionary (cracklib-runtime), the one pw_policy
 * reads unless pw_policy_dict names another: the prefix of its .pwd,
 * .pwi and .hwm files.
 */
#define PW_DICT_DEFAULT	"/var/cache/cracklib/cracklib_dict"

/*
 * Read the dictionary at path from now on (after pw_init).  The server
 * points the check at the copy inside the workers' jail, tries it, then
 * at the path the workers will see once shut in.  0 ok, -1 failure.
 */
int		pw_policy_dict(const char *path);

/* argon2id, OWASP parameters (t=2, m=19 MiB, p=1); 0 ok, -1 failure. */
int		pw_hash(const char *pw, char *out, size_t outlen);

/*
 * argon2id with light parameters (t=1, m=4 MiB) for one-time passwords
 * only: they carry 80 random bits, so the cost buys nothing against
 * guessing, and the office issues them by the thousand.
 */
int		pw_hash_otp(const char *otp, char *out, size_t outlen);

/* 1 if pw matches the encoded hash, 0 otherwise (also on a bad hash). */
int		pw_verify(const char *encoded, const char *pw);

/*
 * The check of a sign-in or of a current password: 1 if pw matches
 * encoded.  encoded NULL (no such account) never matches.  Whatever the
 * account, it does the same argon2 work (see passwd.c).
 */
int		pw_verify_login(const char *encoded, const char *pw);

/*
 * The one call into argon2 that checks a password.  Tests point it at a
 * counter to see what work a check does; nothing else changes it.
 */
extern int	(*pw_argon2_verify)(const char *, const void *, size_t);

/*
 * NULL if pw may be used by username (NULL: no name known) in place of
 * oldpw (NULL: none known), else a Vietnamese reason.
 */
const char	*pw_policy(const char *username, const char *oldpw,
		    const char *pw);

/* A one-time password: PW_OTP_LEN characters without look-alikes. */
int		pw_otp(char *out, size_t outlen);

/* A random URL-safe token of PW_TOKEN_LEN characters. */
int		pw_token(char *out, size_t outlen);

/* Compare two strings in time independent of where they differ. */
int		pw_equal(const char *a, const char *b);

#endif
