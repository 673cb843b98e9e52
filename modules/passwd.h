/*
 * Passwords and secrets: argon2id hashes, the password policy, one-time
 * passwords and random tokens.  Pure C over libargon2 and getrandom(2).
 */
#ifndef PASSWD_H
#define PASSWD_H

#include <stddef.h>

#define PW_MIN_LEN	10
#define PW_MAX_LEN	256
#define PW_HASH_MAX	128
#define PW_OTP_LEN	14
#define PW_TOKEN_LEN	43	/* 32 random bytes, base64url without padding */

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

/* NULL if pw may be used by username, else a Vietnamese reason. */
const char	*pw_policy(const char *username, const char *pw);

/* A one-time password: PW_OTP_LEN characters without look-alikes. */
int		pw_otp(char *out, size_t outlen);

/* A random URL-safe token of PW_TOKEN_LEN characters. */
int		pw_token(char *out, size_t outlen);

/* Compare two strings in time independent of where they differ. */
int		pw_equal(const char *a, const char *b);

#endif
