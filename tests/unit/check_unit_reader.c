/* check_unit_reader.c - the systemd syntax reader (unit_reader.c) alone:
 * what it finds in a text (sections, assignments, their line numbers) and
 * what it reports, as a table of edge cases (systemd.syntax(7)). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/unit_reader.h"

/* A trace of one read: "3:[Unit]" for a section, "4:Key=Value" for an
 * assignment, "W t:5: ..." / "E t:5: ..." for a diagnostic, one per line, and
 * "=-1" at the end when the reader stopped on an error. */
struct trace {
    char *s;
    size_t n;
    FILE *f;
};

static void trace_emit(void *ctx, enum diag_level level, const char *message)
{
    struct trace *t = ctx;
    fprintf(t->f, "%s %s\n", level == DIAG_ERROR ? "E" : "W", message);
}

static char *read_trace(const char *text, size_t len, unsigned *warnings, unsigned *errors)
{
    struct trace t = {0};
    struct diag_sink sink = {.emit = trace_emit, .ctx = &t};
    struct diag_file d = {.path = "t", .sink = &sink};
    struct unit_reader r;
    struct unit_item it;
    int rc;

    t.f = open_memstream(&t.s, &t.n);
    ck_assert_ptr_nonnull(t.f);
    unit_reader_init(&r, text, len, &d);
    while ((rc = unit_reader_next(&r, &it)) > 0) {
        if (it.kind == UNIT_ITEM_SECTION) {
            ck_assert_ptr_null(it.key);
            fprintf(t.f, "%u:[%s]\n", it.lineno, it.section);
        } else {
            ck_assert_ptr_nonnull(it.section);
            fprintf(t.f, "%u:%s=%s\n", it.lineno, it.key, it.value);
        }
    }
    if (rc < 0)
        fprintf(t.f, "=-1\n");
    /* Once at its end, the reader stays there. */
    ck_assert_int_eq(unit_reader_next(&r, &it), 0);
    unit_reader_free(&r);
    ck_assert_int_eq(fclose(t.f), 0);
    ck_assert_int_eq(d.failed, sink.errors > 0);
    if (warnings)
        *warnings = sink.warnings;
    if (errors)
        *errors = sink.errors;
    return t.s;
}

#define T(text) text, sizeof(text) - 1

static const struct {
    const char *what;
    const char *text;
    size_t len;
    const char *want;
} cases[] = {
    {"empty file", T(""), ""},
    {"blank lines and comments only", T("\n  \n# a\n; b\n\t# c\n"), ""},
    {"a section and an assignment", T("[Unit]\nDescription=x\n"), "1:[Unit]\n2:Description=x\n"},
    {"blanks around key and value go", T("[S]\n \t Key \t=\t  a value \t \n"),
     "1:[S]\n2:Key=a value\n"},
    {"no inline comments: ';' and '#' kept", T("[S]\nA=a ; b # c\nB=#x\nC=;y\n"),
     "1:[S]\n2:A=a ; b # c\n3:B=#x\n4:C=;y\n"},
    {"only the first '=' splits", T("[S]\nA=b=c\n"), "1:[S]\n2:A=b=c\n"},
    {"an empty value is an assignment", T("[S]\nA=\nB =  \n"), "1:[S]\n2:A=\n3:B=\n"},
    {"a key may hold blanks", T("[S]\nExec Start=x\n"), "1:[S]\n2:Exec Start=x\n"},
    {"no newline at the end", T("[S]\nA=1"), "1:[S]\n2:A=1\n"},
    {"indented lines do not continue", T("[S]\nA=1\n  B=2\n"), "1:[S]\n2:A=1\n3:B=2\n"},
    {"indented headers", T("  [S]  \nA=1\n"), "1:[S]\n2:A=1\n"},
    {"a backslash continues, becoming a space", T("[S]\nA=one \\\n  two\nB=3\n"),
     "1:[S]\n2:A=one    two\n4:B=3\n"},
    {"three lines, numbered from the first", T("[S]\nA=a\\\nb\\\nc\nB=1\n"),
     "1:[S]\n2:A=a b c\n5:B=1\n"},
    {"comment lines inside a continuation are skipped", T("[S]\nA=a \\\n# x\n  ; y\n b\nB=1\n"),
     "1:[S]\n2:A=a   b\n6:B=1\n"},
    {"a blank line ends a continuation", T("[S]\nA=a\\\n\nB=1\n"), "1:[S]\n2:A=a\n4:B=1\n"},
    {"an escaped backslash does not continue", T("[S]\nA=a\\\\\nB=1\n"),
     "1:[S]\n2:A=a\\\\\n3:B=1\n"},
    {"an odd run of backslashes does", T("[S]\nA=a\\\\\\\nb\n"), "1:[S]\n2:A=a\\\\ b\n"},
    {"blanks after the backslash: no continuation", T("[S]\nA=a\\ \nB=1\n"),
     "1:[S]\n2:A=a\\\n3:B=1\n"},
    {"a backslash on the last line", T("[S]\nA=a \\"), "1:[S]\n2:A=a\n"},
    {"a continued key", T("[S]\nExec\\\nStart=x\n"), "1:[S]\n2:Exec Start=x\n"},
    {"CRLF endings", T("[S]\r\nA=1\r\n\r\nB=2\r\n"), "1:[S]\n2:A=1\n4:B=2\n"},
    {"CR endings", T("[S]\rA=1\rB=2"), "1:[S]\n2:A=1\n3:B=2\n"},
    {"LF CR is two endings", T("[S]\n\rA=1\n"), "1:[S]\n3:A=1\n"},
    {"CRLF inside a continuation", T("[S]\r\nA=a\\\r\nb\r\n"), "1:[S]\n2:A=a b\n"},
    {"NUL ends a line", T("[S]\nA=b\0c=d\n"), "1:[S]\n2:A=b\n3:c=d\n"},
    {"a BOM opens the file unseen", T("\xef\xbb\xbf[S]\nA=1\n"), "1:[S]\n2:A=1\n"},
    {"a BOM elsewhere is text",
     T("[S]\n\xef\xbb\xbf"
       "A=1\n"),
     "1:[S]\n2:\xef\xbb\xbf"
     "A=1\n"},
    {"a value longer than inih's 200 bytes",
     T("[S]\nA=0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789"
       "0123456789012345678901234567890123456789012345678901234567890123456789\n"),
     "1:[S]\n2:A=0123456789012345678901234567890123456789012345678901234567890123456789"
     "0123456789012345678901234567890123456789012345678901234567890123456789"
     "0123456789012345678901234567890123456789012345678901234567890123456789\n"},
    {"section names are not cut",
     T("[X-A-Section-Name-Longer-Than-The-Forty-Nine-Characters-Inih-Keeps]\nA=1\n"),
     "1:[X-A-Section-Name-Longer-Than-The-Forty-Nine-Characters-Inih-Keeps]\n2:A=1\n"},
    {"any section is found; the caller judges it", T("[Timer]\nOnCalendar=daily\n"),
     "1:[Timer]\n2:OnCalendar=daily\n"},
    {"an assignment before any section", T("A=1\n[S]\nB=2\n"),
     "W t:1: assignment outside of any section, ignoring\n2:[S]\n3:B=2\n"},
    {"a line without '='", T("[S]\nno equals\nB=2\n"),
     "1:[S]\nW t:2: missing '=', ignoring line\n3:B=2\n"},
    {"an empty key", T("[S]\n  = v\n"),
     "1:[S]\nW t:2: missing key name before '=', ignoring line\n"},
    {"invalid headers", T("[\n[]\n[S\nS]\n"),
     "E t:1: invalid section header '['\nE t:2: invalid section header '[]'\n"
     "E t:3: invalid section header '[S'\nW t:4: missing '=', ignoring line\n"},
    {"after an invalid header, assignments are dropped",
     T("[S]\nA=1\n[S\nB=2\nno equals\n[T]\nC=3\n"),
     "1:[S]\n2:A=1\nE t:3: invalid section header '[S'\nW t:5: missing '=', ignoring line\n"
     "6:[T]\n7:C=3\n"},
    {"an invalid header names its first line", T("[S\\\n]x\n"),
     "E t:1: invalid section header '[S ]x'\n"},
    {"a continued header", T("[S\\\n]\nA=1\n"), "1:[S ]\n3:A=1\n"},
};

START_TEST(test_reader_cases)
{
    char *got = read_trace(cases[_i].text, cases[_i].len, NULL, NULL);

    if (strcmp(got, cases[_i].want) != 0)
        ck_abort_msg("%s:\n--- want\n%s--- got\n%s", cases[_i].what, cases[_i].want, got);
    free(got);
}
END_TEST

/* systemd's LONG_LINE_MAX: a line, joined or not, of up to 1 MiB - 1 bytes. */
static const struct {
    const char *what;
    size_t first, second; /* value bytes on a line, and on a continuation (0: none) */
    const char *want_end; /* how the trace ends */
} long_cases[] = {
    {"the longest line", UNIT_READER_LINE_MAX - 1 - 2, 0, "3:B=1\n"},
    {"one byte more", UNIT_READER_LINE_MAX - 2, 0, "E t:2: line too long\n=-1\n"},
    {"the longest joined line", 1000, UNIT_READER_LINE_MAX - 1 - 1003, "4:B=1\n"},
    {"one byte more, joined", 1000, UNIT_READER_LINE_MAX - 1003,
     "E t:2: continued line too long\n=-1\n"},
};

START_TEST(test_reader_long_lines)
{
    size_t first = long_cases[_i].first, second = long_cases[_i].second;
    size_t cap = first + second + 64, n;
    const char *want_end = long_cases[_i].want_end;
    char *text = malloc(cap), *got;

    ck_assert_ptr_nonnull(text);
    n = (size_t)snprintf(text, cap, "[S]\nA=");
    memset(text + n, 'x', first);
    n += first;
    if (second) {
        memcpy(text + n, "\\\n", 2);
        n += 2;
        memset(text + n, 'y', second);
        n += second;
    }
    memcpy(text + n, "\nB=1\n", 5);
    n += 5;
    got = read_trace(text, n, NULL, NULL);
    size_t glen = strlen(got), wlen = strlen(want_end);
    if (glen < wlen || strcmp(got + glen - wlen, want_end) != 0 || strncmp(got, "1:[S]\n", 6))
        ck_abort_msg("%s: got %.60s...%s", long_cases[_i].what, got, got + glen - 20);
    if (want_end[0] != 'E') {
        /* the whole value: the x's, the backslash's space, the y's */
        size_t vlen = first + (second ? 1 + second : 0);
        ck_assert(strncmp(got + 6, "2:A=x", 5) == 0);
        ck_assert_int_eq(got[6 + 4 + vlen], '\n');
    }
    free(got);
    free(text);
}
END_TEST

START_TEST(test_reader_counts)
{
    unsigned w, e;
    char *got = read_trace(T("x\n[S]\ny\n[\n"), &w, &e);

    ck_assert_uint_eq(w, 2);
    ck_assert_uint_eq(e, 1);
    free(got);
}
END_TEST

static Suite *unit_reader_suite(void)
{
    Suite *s = suite_create("unit_reader");
    TCase *tc = tcase_create("syntax");

    tcase_add_loop_test(tc, test_reader_cases, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_loop_test(tc, test_reader_long_lines, 0, sizeof(long_cases) / sizeof(long_cases[0]));
    tcase_add_test(tc, test_reader_counts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(unit_reader_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
