/*
 * portalctl: the few things scripts need from the core without a server.
 *   portalctl newpass        a random password and its argon2id hash
 *   portalctl hash           the hash of the password read from stdin
 * Output is "password<TAB>hash" or "hash", one line.
 */
#include <stdio.h>
#include <string.h>

#include "passwd.h"

static int
ctl_newpass(void)
{
	char	pw[PW_OTP_LEN + 3], hash[PW_HASH_MAX];

	/* Two more characters than a one-time password: this one stays. */
	if (pw_otp(pw, sizeof(pw)) == -1 || pw_hash(pw, hash, sizeof(hash)))
		return (1);
	printf("%s\t%s\n", pw, hash);

	return (0);
}

static int
ctl_hash(void)
{
	char	pw[PW_MAX_LEN + 2], hash[PW_HASH_MAX];
	size_t	len;

	if (fgets(pw, sizeof(pw), stdin) == NULL)
		return (1);
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';
	if (pw_hash(pw, hash, sizeof(hash)) == -1)
		return (1);
	printf("%s\n", hash);

	return (0);
}

int
main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "newpass"))
		return (ctl_newpass());
	if (argc == 2 && !strcmp(argv[1], "hash"))
		return (ctl_hash());

	fprintf(stderr, "usage: portalctl newpass | hash < password\n");

	return (2);
}
