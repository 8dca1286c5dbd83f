/* Table-driven checks that untrusted text comes out inert. */
#include <locale.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "itui/sanitize.h"
#include "itui/strbuf.h"

static void
utf8_locale(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct san_case {
	char in[64];
	unsigned flags;
	size_t cols;
	char out[64];
};

ParameterizedTestParameters(sanitize, table)
{
	static struct san_case cases[] = {
	    {"plain text", 0, 0, "plain text"},
	    /* ESC of a CSI clear-screen becomes visible, the rest is text. */
	    {"a\x1b[2Jb", 0, 0, "a^[[2Jb"},
	    /* OSC 52 clipboard write, unterminated: no desync. */
	    {"x\x1b]52;c;ZXZpbA==", 0, 0, "x^[]52;c;ZXZpbA=="},
	    /* Cursor movers that curses would obey. */
	    {"abc\rXYZ", 0, 0, "abc^MXYZ"},
	    {"ab\bc", 0, 0, "ab^Hc"},
	    {"a\tb", 0, 0, "a b"},
	    {"line1\nline2", 0, 0, "line1 line2"},
	    {"line1\nline2", SAN_MULTILINE, 0, "line1\nline2"},
	    {"del\x7f", 0, 0, "del^?"},
	    /* C1 CSI (U+009B) encoded in UTF-8. */
	    {"c1\xc2\x9b"
	     "31m",
	     0, 0, "c1<U+009B>31m"},
	    /* Trojan Source: RLO becomes visible. */
	    {"admin\xe2\x80\xae"
	     "txt.exe",
	     0, 0, "admin<U+202E>txt.exe"},
	    {"iso\xe2\x81\xa6x\xe2\x81\xa9", 0, 0, "iso<U+2066>x<U+2069>"},
	    /* Zero-width and BOM are dropped. */
	    {"zw\xe2\x80\x8bj\xef\xbb\xbf", 0, 0, "zwj"},
	    /* Invalid bytes become U+FFFD, the rest survives. */
	    {"ok\xff"
	     "still",
	     0, 0, "ok\xef\xbf\xbdstill"},
	    {"trunc\xe2\x82", 0, 0, "trunc\xef\xbf\xbd\xef\xbf\xbd"},
	    /* Overlong encoding of '/' is invalid. */
	    {"\xc0\xaf", 0, 0, "\xef\xbf\xbd\xef\xbf\xbd"},
	    /* Width caps: wide characters count two columns. */
	    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, 4,
	     "\xe6\x97\xa5\xe6\x9c\xac"},
	    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", SAN_ELLIPSIS, 5,
	     "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6"},
	    {"exactly10!", SAN_ELLIPSIS, 10, "exactly10!"},
	    {"eleven chars", SAN_ELLIPSIS, 10, "eleven ch\xe2\x80\xa6"},
	    {"caf\xc3\xa9", 0, 0, "caf\xc3\xa9"},
	};

	return cr_make_param_array(struct san_case, cases,
	                           sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct san_case *c, sanitize, table, .init = utf8_locale)
{
	struct strbuf sb = STRBUF_INIT;

	sanitize_append(&sb, c->in, strlen(c->in), c->flags, c->cols, 0);
	cr_assert_str_eq(strbuf_str(&sb), c->out, "in: '%s'", c->in);
	strbuf_free(&sb);
}

Test(sanitize, output_never_holds_controls, .init = utf8_locale)
{
	/* Every byte value, in every position: nothing below 0x20 but '\n'. */
	char in[512];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof in; i++)
		in[i] = (char)(i % 255 + 1);
	sanitize_append(&sb, in, sizeof in, 0, 0, 0);
	for (i = 0; i < sb.len; i++) {
		unsigned char ch = (unsigned char)sb.buf[i];

		cr_assert(ch >= 0x20 && ch != 0x7f, "byte 0x%02x at %zu", ch,
		          i);
	}
	strbuf_free(&sb);
}

Test(sanitize, byte_cap_respects_characters, .init = utf8_locale)
{
	struct strbuf sb = STRBUF_INIT;

	/* Four 3-byte characters, 7 bytes allowed: two whole ones fit. */
	sanitize_append(&sb, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
	                12, 0, 0, 7);
	cr_assert_eq(sb.len, 6);
	strbuf_free(&sb);
}

Test(sanitize, utf8_repair_keeps_valid_text)
{
	char *s = utf8_repair("a\xff\xc3\xa9");

	cr_assert_str_eq(s, "a\xef\xbf\xbd\xc3\xa9");
	free(s);
}
