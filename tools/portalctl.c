/*
 * portalctl: the few things scripts need from the core without a server.
 *   portalctl newpass        a random password and its argon2id hash
 *   portalctl hash           the hash of the password read from stdin
 *   portalctl check [user]   why the password read from stdin may not
 *                            be chosen (exit 1), or nothing (exit 0)
 * Output is "password<TAB>hash" or "hash", one line.
 */
#include <stdio.h>
#include <string.h>

#include "passwd.h"

#define CTL_TRIES	100

/*
 * A password that passes the policy (scripts/admin.sh sets it for the
 * admin, who must change it at first sign-in): the generator's output
 * is random, and once in a while random reads like "abcd".
 */
static int
ctl_newpass(void)
{
	char	pw[PW_OTP_LEN + 3], hash[PW_HASH_MAX];
	int	i;

	for (i = 0; i < CTL_TRIES; i++) {
		if (pw_otp(pw, sizeof(pw)) == -1)
			return (1);
		if (pw_policy("admin", NULL, pw) == NULL)
			break;
	}
	if (i == CTL_TRIES || pw_hash(pw, hash, sizeof(hash)))
		return (1);
	printf("%s\t%s\n", pw, hash);

	return (0);
}

static int
ctl_read(char *pw, size_t len)
{
	if (fgets(pw, (int)len, stdin) == NULL)
		return (-1);
	pw[strcspn(pw, "\r\n")] = '\0';

	return (0);
}

/*
 * Hashes what it is given: the tests and the benchmark make accounts
 * with known passwords this way, and a password a person chooses goes
 * through the policy where it is set (POST /api/v1/password; "check"
 * here for a script that takes one from a person).
 */
static int
ctl_hash(void)
{
	char	pw[PW_MAX_LEN + 2], hash[PW_HASH_MAX];

	if (ctl_read(pw, sizeof(pw)) == -1)
		return (1);
	if (pw_hash(pw, hash, sizeof(hash)) == -1)
		return (1);
	printf("%s\n", hash);

	return (0);
}

static int
ctl_check(const char *user)
{
	char		pw[PW_MAX_LEN + 2];
	const char	*why;

	if (ctl_read(pw, sizeof(pw)) == -1)
		return (2);
	if ((why = pw_policy(user, NULL, pw)) != NULL) {
		printf("%s\n", why);
		return (1);
	}

	return (0);
}

int
main(int argc, char **argv)
{
	if (pw_init() == -1) {
		fprintf(stderr, "portalctl: cannot start the password core\n");
		return (1);
	}
	if (argc == 2 && !strcmp(argv[1], "newpass"))
		return (ctl_newpass());
	if (argc == 2 && !strcmp(argv[1], "hash"))
		return (ctl_hash());
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "check"))
		return (ctl_check(argc == 3 ? argv[2] : NULL));

	fprintf(stderr, "usage: portalctl newpass | hash < password | "
	    "check [username] < password\n");

	return (2);
}
