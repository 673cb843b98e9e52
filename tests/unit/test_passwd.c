/*
 * Passwords: argon2id hashes, the policy, one-time passwords and tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

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
	assert_non_null(pw_policy("donvi", "123456789"));
	assert_null(pw_policy("donvi", "1234567890"));
	/* Nine letters with diacritics are more than ten bytes. */
	assert_non_null(pw_policy("donvi", "đđđđđđđđđ"));
	assert_null(pw_policy("donvi", "đđđđđđđđđđ"));
}

static void
test_pw_policy_refuses_the_username_in_any_case(void **state)
{
	(void)state;
	assert_non_null(pw_policy("ttyt-ngason", "ttyt-ngason"));
	assert_non_null(pw_policy("ttyt-ngason", "TTYT-NgaSon-2024"));
	assert_non_null(pw_policy("ttyt-ngason", "abc-ttyt-ngason!"));
	assert_null(pw_policy("ttyt-ngason", "Ngôi sao xanh 2024"));
	assert_null(pw_policy(NULL, "Ngôi sao xanh 2024"));
}

static void
test_pw_policy_refuses_overlong_password(void **state)
{
	char	big[PW_MAX_LEN + 2];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_non_null(pw_policy("a", big));
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
		assert_null(pw_policy("anyone", otp));
	}
	assert_int_equal(pw_otp(otp, PW_OTP_LEN), -1);
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
		cmocka_unit_test(test_pw_otp_has_no_look_alike_characters),
		cmocka_unit_test(test_pw_token_is_urlsafe_and_random),
		cmocka_unit_test(test_pw_equal_compares_whole_strings),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
