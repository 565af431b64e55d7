/*
 * tests/unit/mm/test_check.c: struct check_report filling.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "mm/check.h"

Test(check, fail_fills_the_reason_and_returns_false)
{
	struct check_report why;

	check_report_clear(&why);
	cr_assert_str_eq(why.reason, "");
	cr_assert(!check_fail(&why, "pfn %d is %s", 7, "lost"));
	cr_assert_str_eq(why.reason, "pfn 7 is lost");
	cr_assert(!check_fail(NULL, "no report"), "NULL report is allowed");
	check_report_clear(NULL);
}

Test(check, long_reasons_are_truncated)
{
	struct check_report why;
	char big[2 * CHECK_REPORT_SIZE];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	check_fail(&why, "%s", big);
	cr_assert_eq(strlen(why.reason), CHECK_REPORT_SIZE - 1);
}
