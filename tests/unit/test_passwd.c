/*
 * Passwords: argon2id hashes, the policy, one-time passwords and tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <stdio.h>

#include <argon2.h>
#include <cmocka.h>

#include "msg.h"
#include "passwd.h"

static void
test_pw_hash_is_argon2id_and_verifies(void **state)
{
	char	hash[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pw_hash("Một mật khẩu dài", hash, sizeof(hash)), 0);
	assert_memory_equal(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
	assert_true(pw_verify(hash, "Một mật khẩu dài"));
	assert_false(pw_verify(hash, "Một mật khẩu dàI"));
	assert_false(pw_verify(hash, ""));
}

static void
test_pw_hash_salts_every_hash(void **state)
{
	char	a[PW_HASH_MAX], b[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pw_hash("cùng-một-mật-khẩu", a, sizeof(a)), 0);
	assert_int_equal(pw_hash("cùng-một-mật-khẩu", b, sizeof(b)), 0);
	assert_string_not_equal(a, b);
}

static void
test_pw_hash_refuses_small_buffer_and_huge_password(void **state)
{
	char	hash[PW_HASH_MAX], big[PW_MAX_LEN + 2];

	(void)state;
	assert_int_equal(pw_hash("mat-khau-du-dai", hash, 20), -1);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(pw_hash(big, hash, sizeof(hash)), -1);
	assert_false(pw_verify("$argon2id$v=19$m=19456,t=2,p=1$xx$yy", big));
}

static void
test_pw_verify_rejects_other_schemes_and_garbage(void **state)
{
	(void)state;
	assert_false(pw_verify(NULL, "x"));
	assert_false(pw_verify("", "x"));
	assert_false(pw_verify("$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$abc",
	    "x"));
	assert_false(pw_verify("$argon2id$garbage", "x"));
	assert_false(pw_verify("plain-text-password", "plain-text-password"));
}

static void
test_pw_otp_hash_verifies_with_light_parameters(void **state)
{
	char	otp[PW_OTP_LEN + 1], hash[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pw_otp(otp, sizeof(otp)), 0);
	assert_int_equal(pw_hash_otp(otp, hash, sizeof(hash)), 0);
	assert_memory_equal(hash, "$argon2id$v=19$m=4096,t=1,p=1$", 30);
	assert_true(pw_verify(hash, otp));
}

static void
test_pw_policy_requires_ten_characters_not_bytes(void **state)
{
	(void)state;
	assert_string_equal(pw_policy("donvi", NULL, "Hồ-Gươm-7"),
	    msg_vi("pw_short"));
	/* Nine letters with diacritics are more than ten bytes. */
	assert_true(strlen("Hồ-Gươm-7") >= 10);
	assert_null(pw_policy("donvi", NULL, "Hồ-Gươm-7x"));
}

static void
test_pw_policy_refuses_the_username_in_any_case(void **state)
{
	(void)state;
	assert_non_null(pw_policy("ttyt-ngason", NULL, "ttyt-ngason"));
	assert_non_null(pw_policy("ttyt-ngason", NULL, "TTYT-NgaSon-2024"));
	assert_non_null(pw_policy("ttyt-ngason", NULL, "abc-ttyt-ngason!"));
	assert_null(pw_policy("ttyt-ngason", NULL, "Ngôi sao xanh 2024"));
	assert_null(pw_policy(NULL, NULL, "Ngôi sao xanh 2024"));
}

static void
test_pw_policy_refuses_overlong_password(void **state)
{
	char	big[PW_MAX_LEN + 2];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_non_null(pw_policy("a", NULL, big));
}

/* The weak passwords of issue 9, each with the reason the person sees. */
static void
test_pw_policy_refuses_weak_passwords_with_a_vietnamese_reason(void **state)
{
	static const struct {
		const char	*pw;
		const char	*code;
	} weak[] = {
		{ "aaaaaaaaaa",		"pw_palindrome" },
		{ "          ",		"pw_palindrome" },
		{ "1234567890",		"pw_sequence" },
		{ "abcdefghij",		"pw_sequence" },
		{ "password12",		"pw_dictionary" },
		{ "Password123",	"pw_dictionary" },
		{ "qwertyuiop",		"pw_dictionary" },
		{ "abcabcabcabc",	"pw_few_different" },
		{ "aaaa-bbbb-cccc",	"pw_repeat" },
		{ "matkhau123",		"pw_common_word" },
		{ "Thanhhoa-2024x",	"pw_common_word" },
	};
	const char	*why;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		why = pw_policy("donvi", NULL, weak[i].pw);
		if (why == NULL)
			fail_msg("\"%s\" passed the policy", weak[i].pw);
		assert_string_equal(why, msg_vi(weak[i].code));
		/* Vietnamese, for the person: "Mật khẩu ..." */
		assert_non_null(strstr(why, "ậ"));
	}
}

static void
test_pw_policy_accepts_good_passwords(void **state)
{
	static const char	*good[] = {
		"Mật-khẩu-mới-đủ-dài", "Ban-chi-dao-2024", "Sông-Mã-chảy-về-xuôi",
		"Dừa-xiêm-Nga-Sơn-81", "correct horse battery", "Mot-mat-khau-moi-dai",
	};
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (pw_policy("ttyt-ngason", NULL, good[i]) != NULL)
			fail_msg("\"%s\" refused: %s", good[i],
			    pw_policy("ttyt-ngason", NULL, good[i]));
	}
}

static void
test_pw_policy_refuses_a_new_password_too_like_the_old(void **state)
{
	(void)state;
	assert_string_equal(pw_policy("donvi", "Tram-y-te-xa-2024",
	    "Tram-y-te-xa-2025"), msg_vi("pw_similar"));
	assert_string_equal(pw_policy("donvi", "Tram-y-te-xa-2024",
	    "tRAM-Y-TE-XA-2024"), msg_vi("pw_case_only"));
	assert_null(pw_policy("donvi", "Tram-y-te-xa-2024",
	    "Sông-Mã-chảy-về-xuôi"));
}

static void
test_pw_policy_reads_the_dictionary(void **state)
{
	(void)state;
	assert_true(pw_policy_ready());
}

static void
test_pw_otp_has_no_look_alike_characters(void **state)
{
	char	otp[PW_OTP_LEN + 1];
	int	i;

	(void)state;
	for (i = 0; i < 200; i++) {
		assert_int_equal(pw_otp(otp, sizeof(otp)), 0);
		assert_int_equal(strlen(otp), PW_OTP_LEN);
		assert_null(strpbrk(otp, "0O1lI"));
	}
	assert_int_equal(pw_otp(otp, PW_OTP_LEN), -1);
}

/* What the checks asked argon2 to do: (m, t) of each call, in order. */
static struct {
	unsigned int	m[8], t[8];
	int		n;
} seen;

static int
count_verify(const char *encoded, const void *pw, size_t len)
{
	unsigned int	v, p;

	if (seen.n < 8 && sscanf(encoded, "$argon2id$v=%u$m=%u,t=%u,p=%u$", &v,
	    &seen.m[seen.n], &seen.t[seen.n], &p) == 4)
		seen.n++;

	return (argon2id_verify(encoded, pw, len));
}

static void
check_work(const char *encoded, const char *pw, int expect)
{
	memset(&seen, 0, sizeof(seen));
	pw_argon2_verify = count_verify;
	assert_int_equal(pw_verify_login(encoded, pw), expect);
	pw_argon2_verify = argon2id_verify;

	/* One check of each cost, the full one first: whatever the account. */
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.m[0], 19456);
	assert_int_equal(seen.t[0], 2);
	assert_int_equal(seen.m[1], 4096);
	assert_int_equal(seen.t[1], 1);
}

static void
test_pw_verify_login_does_the_same_work_for_every_account(void **state)
{
	char	full[PW_HASH_MAX], otp[PW_HASH_MAX];

	(void)state;
	assert_int_equal(pw_hash("Sông-Mã-chảy-về-xuôi", full, sizeof(full)), 0);
	assert_int_equal(pw_hash_otp("k7Pq9xRw3mTz2b", otp, sizeof(otp)), 0);

	/* A chosen password, right and wrong. */
	check_work(full, "Sông-Mã-chảy-về-xuôi", 1);
	check_work(full, "k7Pq9xRw3mTz2b", 0);
	/* An unclaimed account on its one-time password, right and wrong. */
	check_work(otp, "k7Pq9xRw3mTz2b", 1);
	check_work(otp, "Sông-Mã-chảy-về-xuôi", 0);
	/* No such account, and a stored value that is no hash ('!'). */
	check_work(NULL, "k7Pq9xRw3mTz2b", 0);
	check_work("!", "k7Pq9xRw3mTz2b", 0);
}

static void
test_pw_token_is_urlsafe_and_random(void **state)
{
	char	a[PW_TOKEN_LEN + 1], b[PW_TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(pw_token(a, sizeof(a)), 0);
	assert_int_equal(pw_token(b, sizeof(b)), 0);
	assert_int_equal(strlen(a), PW_TOKEN_LEN);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
	    "opqrstuvwxyz0123456789-_"), PW_TOKEN_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(pw_token(a, PW_TOKEN_LEN), -1);
}

static void
test_pw_equal_compares_whole_strings(void **state)
{
	(void)state;
	assert_true(pw_equal("abc", "abc"));
	assert_false(pw_equal("abc", "abd"));
	assert_false(pw_equal("abc", "abcd"));
	assert_false(pw_equal("", "a"));
	assert_true(pw_equal("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pw_hash_is_argon2id_and_verifies),
		cmocka_unit_test(test_pw_hash_salts_every_hash),
		cmocka_unit_test(test_pw_hash_refuses_small_buffer_and_huge_password),
		cmocka_unit_test(test_pw_verify_rejects_other_schemes_and_garbage),
		cmocka_unit_test(test_pw_otp_hash_verifies_with_light_parameters),
		cmocka_unit_test(test_pw_policy_requires_ten_characters_not_bytes),
		cmocka_unit_test(test_pw_policy_refuses_the_username_in_any_case),
		cmocka_unit_test(test_pw_policy_refuses_overlong_password),
		cmocka_unit_test(test_pw_policy_refuses_weak_passwords_with_a_vietnamese_reason),
		cmocka_unit_test(test_pw_policy_accepts_good_passwords),
		cmocka_unit_test(test_pw_policy_refuses_a_new_password_too_like_the_old),
		cmocka_unit_test(test_pw_policy_reads_the_dictionary),
		cmocka_unit_test(test_pw_verify_login_does_the_same_work_for_every_account),
		cmocka_unit_test(test_pw_otp_has_no_look_alike_characters),
		cmocka_unit_test(test_pw_token_is_urlsafe_and_random),
		cmocka_unit_test(test_pw_equal_compares_whole_strings),
	};

	if (pw_init() == -1)
		return (1);

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
