/* check_socket_list.c - how sockets are shown: the socket's `socket` and
 * `listen` lines made from a (fake) socket view and read back, list-sockets'
 * table and JSON (systemctl list-sockets, v252: its columns, order and
 * legend), a socket's status --json, and addresses with any byte in them
 * (spaces, newlines, backslashes, bytes that are not UTF-8) through the
 * protocol, JSON and the table. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/socket_list.h"
#include "control/control_int.h"
#include "core/socket.h"
#include "unit/unit.h"
#include "wire/escape.h"
#include "wire/proto_socket.h"
#include "wire/protocol.h"

/* --- escapes ------------------------------------------------------------------ */

static const struct {
    const char *in, *word;
} words[] = {
    {"/run/x.sock", "/run/x.sock"},
    {"/run/a b", "/run/a\\x20b"},
    {"/run/a\nb\tc", "/run/a\\x0ab\\x09c"},
    {"/run/back\\slash", "/run/back\\x5cslash"},
    {"/run/\xc3\xa9t\xc3\xa9", "/run/\\xc3\\xa9t\\xc3\\xa9"},
    {"/run/\xff\xfe", "/run/\\xff\\xfe"},
    {"@abstract name", "@abstract\\x20name"},
    {"[::]:80", "[::]:80"},
    {"-", "\\x2d"},
    {"", "-"},
    {"--", "--"},
    {"/x\x7f", "/x\\x7f"},
};

START_TEST(test_word_round_trip)
{
    char out[256];
    bool cut = true;
    esc_word(out, sizeof(out), words[_i].in, &cut);
    ck_assert_str_eq(out, words[_i].word);
    ck_assert(!cut);
    ck_assert_int_eq(esc_word_decode(out), 0);
    ck_assert_str_eq(out, words[_i].in);
}
END_TEST

START_TEST(test_word_decode_refuses)
{
    const char *bad[] = {"a b", "\\x00", "\\x4", "\\y20", "\\", "a\\x2", "\x01", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "%s", bad[i]);
        ck_assert_msg(esc_word_decode(buf) < 0, "%s", bad[i]);
    }
    char ok[] = "\\x41\\X42";
    ck_assert_int_eq(esc_word_decode(ok), -1); /* only a lower-case x */
    char hex[] = "\\x4A";
    ck_assert_int_eq(esc_word_decode(hex), 0);
    ck_assert_str_eq(hex, "J");
}
END_TEST

/* A word that does not fit is cut before an escape, never inside one, and
 * says so with "..."; one that fits exactly is whole. */
START_TEST(test_word_cut)
{
    char out[12];
    bool cut = false;
    size_t n = esc_word(out, sizeof(out), "/abcdefghijklmnop", &cut);
    ck_assert(cut);
    ck_assert_str_eq(out, "/abcdefg...");
    ck_assert_uint_eq(n, 11);
    esc_word(out, sizeof(out), "/ab cdefgh", &cut); /* "/ab\x20cdefgh" is 13 */
    ck_assert(cut);
    ck_assert_str_eq(out, "/ab\\x20c...");
    esc_word(out, sizeof(out), "/a\n\n", &cut); /* 10: fits with its NUL */
    ck_assert(!cut);
    ck_assert_str_eq(out, "/a\\x0a\\x0a");
    esc_word(out, sizeof(out), "/abc\n\n", &cut);
    ck_assert(cut);
    ck_assert_str_eq(out, "/abc\\x0a...");
    esc_word(out, sizeof(out), "/abcdefghij", &cut); /* 11 bytes: exactly fits */
    ck_assert(!cut);
    ck_assert_str_eq(out, "/abcdefghij");
}
END_TEST

static char *json_of(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    esc_json_string(f, s);
    fclose(f);
    return out;
}

START_TEST(test_json_bytes)
{
    char *j =
        json_of("/run/a \"b\"\\\n\x01\xc3\xa9\xff\xe2\x82\xac\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80");
    /* é and € kept; 0xff, a surrogate, an overlong '/' and a code point
     * above U+10FFFF each byte by byte as U+FFFD. */
    ck_assert_str_eq(j,
                     "\"/run/a \\\"b\\\"\\\\\\n\\u0001\xc3\xa9\\ufffd\xe2\x82\xac"
                     "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
    free(j);
    j = json_of("\xe2\x82"); /* cut short at the end */
    ck_assert_str_eq(j, "\"\\ufffd\\ufffd\"");
    free(j);
}
END_TEST

START_TEST(test_display)
{
    char out[64];
    esc_display(out, sizeof(out), "/run/a b\n\x1b[2J\\\xc3\xa9\xff");
    ck_assert_str_eq(out, "/run/a b\\x0a\\x1b[2J\\x5c\xc3\xa9\\xff");
    char small[8];
    esc_display(small, sizeof(small), "/abcdefgh");
    ck_assert_str_eq(small, "/abc...");
    char nine[9]; /* cut after a whole character, never inside one */
    esc_display(nine, sizeof(nine), "/ab\xc3\xa9\xc3\xa9xy");
    ck_assert_str_eq(nine, "/ab\xc3\xa9...");
    esc_display(nine, sizeof(nine), "/ab\xc3\xa9\xc3\xa9");
    ck_assert_str_eq(nine, "/ab\xc3\xa9\xc3\xa9");
}
END_TEST

/* --- lines from a view -------------------------------------------------------- */

struct lines {
    char v[8][PROTO_MAX_REQUEST];
    int n;
};

static void collect(void *ctx, const char *line)
{
    struct lines *l = ctx;
    ck_assert_int_lt(l->n, 8);
    ck_assert_uint_lt(strlen(line), PROTO_MAX_REQUEST);
    snprintf(l->v[l->n++], PROTO_MAX_REQUEST, "%s", line);
}

/* A view as the socket machine gives one: web.socket with a TCP port, a
 * path with a space and a newline, an abstract name and a FIFO. Every
 * address is written as sock_addr_format() writes it. */
static struct socket_listen fake_listen[4];
static struct unit_socket fake_def;

static void fake_view(struct socket_view *v, const char *activates)
{
    memset(fake_listen, 0, sizeof(fake_listen));
    fake_listen[0].text = "127.0.0.1:8080";
    fake_listen[0].kind = SOCKET_LISTEN_STREAM;
    fake_listen[0].addr.in.sin_family = AF_INET;
    fake_listen[0].addr.in.sin_port = htons(8080);
    fake_listen[0].addr.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fake_listen[0].addr.len = sizeof(struct sockaddr_in);
    fake_listen[1].text = "/run/my app/x\ny.sock";
    fake_listen[1].kind = SOCKET_LISTEN_DATAGRAM;
    fake_listen[1].addr.un.sun_family = AF_UNIX;
    strcpy(fake_listen[1].addr.un.sun_path, fake_listen[1].text);
    fake_listen[1].addr.len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(fake_listen[1].text) + 1);
    fake_listen[2].text = "@web";
    fake_listen[2].kind = SOCKET_LISTEN_SEQPACKET;
    fake_listen[2].addr.un.sun_family = AF_UNIX;
    memcpy(fake_listen[2].addr.un.sun_path, "\0web", 4);
    fake_listen[2].addr.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 4);
    fake_listen[3].text = "/run/web.fifo";
    fake_listen[3].kind = SOCKET_LISTEN_FIFO;
    memset(&fake_def, 0, sizeof(fake_def));
    fake_def.v = fake_listen;
    fake_def.n = 4;
    static const int fds[4] = {3, 4, 5, 6};
    *v = (struct socket_view){
        .def = &fake_def,
        .fds = fds,
        .activates = activates,
        .n_accepted = 12,
        .n_connections = 2,
        .n_triggers = 1,
    };
}

START_TEST(test_lines_from_view)
{
    struct socket_view v;
    struct lines l = {.n = 0};
    fake_view(&v, "web.service");
    ctl_socket_lines("web.socket", &v, collect, &l);
    ck_assert_int_eq(l.n, 5);
    ck_assert_str_eq(l.v[0], "socket web.socket 12 2 1 web.service");
    ck_assert_str_eq(l.v[1], "listen web.socket Stream 127.0.0.1:8080");
    ck_assert_str_eq(l.v[2], "listen web.socket Datagram /run/my\\x20app/x\\x0ay.sock");
    ck_assert_str_eq(l.v[3], "listen web.socket SequentialPacket @web");
    ck_assert_str_eq(l.v[4], "listen web.socket FIFO /run/web.fifo");
    /* Nothing in them that the daemon's reply would change (ctl_reply
     * turns control characters and non-ASCII bytes into '?'). */
    for (int i = 0; i < l.n; i++)
        for (const char *p = l.v[i]; *p; p++)
            ck_assert(*p >= 0x20 && *p < 0x7f);

    /* Read back onto the unit they follow. */
    struct proto_socket s;
    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(proto_parse_socket(l.v[0] + 7, "web.socket", &s), 1);
    for (int i = 1; i < l.n; i++)
        ck_assert_int_eq(proto_parse_listen(l.v[i] + 7, "web.socket", &s), 1);
    ck_assert_uint_eq(s.accepted, 12);
    ck_assert_uint_eq(s.connections, 2);
    ck_assert_uint_eq(s.triggers, 1);
    ck_assert_str_eq(s.activates, "web.service");
    ck_assert_uint_eq(s.nlisten, 4);
    ck_assert_str_eq(s.listen[1].type, "Datagram");
    ck_assert_str_eq(s.listen[1].address, "/run/my app/x\ny.sock");
    ck_assert_str_eq(s.listen[3].type, "FIFO");
    proto_socket_clear(&s);
}
END_TEST

START_TEST(test_lines_parse_refuses)
{
    struct proto_socket s;
    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(proto_parse_socket("other.socket 1 0 0 x.service", "web.socket", &s), 0);
    ck_assert_int_eq(proto_parse_socket("web.socket 1 0 0", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_socket("web.socket 1 0 0 x.service y", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_socket("web.socket -1 0 0 x.service", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_socket("web.socket 1 4294967296 0 x", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_socket("web.socket 1 0 0 x/y", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_socket("web.socket 1 0 0 -", "web.socket", &s), 1);
    ck_assert_str_eq(s.activates, "");
    ck_assert_int_eq(proto_parse_listen("web.socket Stream", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_listen("web.socket Str3am /x", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_listen("web.socket Stream /x\\x00", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_listen("web.socket Stream /x y", "web.socket", &s), -1);
    ck_assert_int_eq(
        proto_parse_listen("web.socket TheTypeOfAMuchNewerDaemonX /x", "web.socket", &s), -1);
    ck_assert_int_eq(proto_parse_listen("x.socket Stream /x", "web.socket", &s), 0);
    ck_assert_uint_eq(s.nlisten, 0);
    proto_socket_clear(&s);
}
END_TEST

/* A FIFO path of thousands of bytes: the line still fits the protocol's
 * limit, cut and marked. */
START_TEST(test_listen_long_path)
{
    static char path[4096];
    memset(path, ' ', sizeof(path) - 1);
    path[0] = '/';
    char line[PROTO_MAX_REQUEST];
    size_t n = proto_format_listen(line, sizeof(line), "web.socket", "FIFO", path);
    ck_assert_uint_eq(n, strlen(line));
    ck_assert_uint_lt(n, PROTO_MAX_REQUEST);
    ck_assert_uint_gt(n, PROTO_MAX_REQUEST - 8);
    ck_assert_str_eq(line + n - 7, "\\x20...");
    struct proto_socket s;
    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(proto_parse_listen(line + 7, "web.socket", &s), 1);
    ck_assert_str_eq(s.listen[0].address + strlen(s.listen[0].address) - 4, " ...");
    proto_socket_clear(&s);
}
END_TEST

/* --- list-sockets --------------------------------------------------------------- */

static struct proto_socket web_sock, echo_sock, idle_sock;

static void make_units(struct sb_unit u[4])
{
    memset(u, 0, 4 * sizeof(*u));
    proto_socket_clear(&web_sock);
    proto_socket_clear(&echo_sock);
    proto_socket_clear(&idle_sock);
    memset(&web_sock, 0, sizeof(web_sock));
    memset(&echo_sock, 0, sizeof(echo_sock));
    memset(&idle_sock, 0, sizeof(idle_sock));
    snprintf(u[0].name, sizeof(u[0].name), "web.socket");
    u[0].state = UNIT_STATE_ACTIVE;
    u[0].sub = UNIT_SUB_LISTENING;
    u[0].socket = &web_sock;
    ck_assert_int_eq(proto_parse_socket("web.socket 0 0 3 web.service", "web.socket", &web_sock),
                     1);
    ck_assert_int_eq(proto_parse_listen("web.socket Stream [::]:80", "web.socket", &web_sock), 1);
    ck_assert_int_eq(
        proto_parse_listen("web.socket Stream /run/web/a\\x20b.sock", "web.socket", &web_sock), 1);
    ck_assert_int_eq(proto_parse_listen("web.socket Datagram /run/web-x", "web.socket", &web_sock),
                     1);
    snprintf(u[1].name, sizeof(u[1].name), "echo.socket");
    u[1].state = UNIT_STATE_ACTIVE;
    u[1].sub = UNIT_SUB_LISTENING;
    u[1].socket = &echo_sock;
    ck_assert_int_eq(
        proto_parse_socket("echo.socket 40 2 0 echo@.service", "echo.socket", &echo_sock), 1);
    ck_assert_int_eq(
        proto_parse_listen("echo.socket Stream 127.0.0.1:7", "echo.socket", &echo_sock), 1);
    ck_assert_int_eq(
        proto_parse_listen("echo.socket Stream /run/web/a/echo\\x0a", "echo.socket", &echo_sock),
        1);
    snprintf(u[2].name, sizeof(u[2].name), "idle.socket");
    u[2].state = UNIT_STATE_INACTIVE;
    u[2].sub = UNIT_SUB_DEAD;
    u[2].socket = &idle_sock;
    ck_assert_int_eq(proto_parse_socket("idle.socket 0 0 0 -", "idle.socket", &idle_sock), 1);
    ck_assert_int_eq(proto_parse_listen("idle.socket FIFO /run/idle", "idle.socket", &idle_sock),
                     1);
    snprintf(u[3].name, sizeof(u[3].name), "web"); /* a service: no rows */
    u[3].state = UNIT_STATE_ACTIVE;
    u[3].sub = UNIT_SUB_RUNNING;
}

static char *table_of(const struct socket_row *r, size_t n, bool all)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    socket_list_print_table(f, r, n, all);
    fclose(f);
    return out;
}

START_TEST(test_table)
{
    struct sb_unit u[4];
    make_units(u);
    size_t n;
    struct socket_row *r = socket_rows(u, 4, false, &n);
    ck_assert_uint_eq(n, 5);
    char *out = table_of(r, n, false);
    /* Addresses first, then paths by component ("/run/web/a/..." before
     * "/run/web-x"), escapes shown, no trailing blanks, the legend. */
    ck_assert_str_eq(out,
                     "LISTEN              UNIT        ACTIVATES\n"
                     "127.0.0.1:7         echo.socket echo@.service\n"
                     "[::]:80             web.socket  web.service\n"
                     "/run/web/a/echo\\x0a echo.socket echo@.service\n"
                     "/run/web/a b.sock   web.socket  web.service\n"
                     "/run/web-x          web.socket  web.service\n"
                     "\n"
                     "5 sockets listed.\n"
                     "Pass --all to see loaded but inactive sockets, too.\n");
    free(out);
    free(r);

    r = socket_rows(u, 4, true, &n);
    ck_assert_uint_eq(n, 6);
    out = table_of(r, n, true);
    ck_assert_str_eq(out,
                     "LISTEN              UNIT        ACTIVATES\n"
                     "127.0.0.1:7         echo.socket echo@.service\n"
                     "[::]:80             web.socket  web.service\n"
                     "/run/idle           idle.socket -\n"
                     "/run/web/a/echo\\x0a echo.socket echo@.service\n"
                     "/run/web/a b.sock   web.socket  web.service\n"
                     "/run/web-x          web.socket  web.service\n"
                     "\n"
                     "6 sockets listed.\n");
    free(out);
    free(r);

    /* None: the header and the legend, as systemctl. */
    r = socket_rows(u + 3, 1, false, &n);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(n, 0);
    out = table_of(r, n, false);
    ck_assert_str_eq(out,
                     "LISTEN UNIT ACTIVATES\n\n0 sockets listed.\n"
                     "Pass --all to see loaded but inactive sockets, too.\n");
    free(out);
}
END_TEST

START_TEST(test_json)
{
    struct sb_unit u[4];
    make_units(u);
    size_t n;
    struct socket_row *r = socket_rows(u, 4, true, &n);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    socket_list_print_json(f, r, 3);
    fclose(f);
    ck_assert_str_eq(out,
                     "[{\"listen\":\"127.0.0.1:7\",\"type\":\"Stream\",\"unit\":\"echo.socket\","
                     "\"activates\":\"echo@.service\"},{\"listen\":\"[::]:80\",\"type\":"
                     "\"Stream\",\"unit\":\"web.socket\",\"activates\":\"web.service\"},{"
                     "\"listen\":\"/run/idle\",\"type\":\"FIFO\",\"unit\":\"idle.socket\","
                     "\"activates\":null}]\n");
    free(out);
    f = open_memstream(&out, &len);
    socket_list_print_json(f, r + 3, 1);
    fclose(f);
    ck_assert_str_eq(out,
                     "[{\"listen\":\"/run/web/a/echo\\n\",\"type\":\"Stream\",\"unit\":"
                     "\"echo.socket\",\"activates\":\"echo@.service\"}]\n");
    free(out);
    free(r);
}
END_TEST

/* status --json of a socket: the unit's fields, then its addresses and
 * counters; other units' objects are as before. */
START_TEST(test_status_json)
{
    struct sb_unit u[4];
    make_units(u);
    u[1].pid = u[1].pgid = u[1].exit_code = u[1].exit_signal = -1;
    u[1].since = 1796644000;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    proto_print_json(f, &u[1], 1);
    fclose(f);
    ck_assert_str_eq(out,
                     "{\"units\":[{\"name\":\"echo.socket\",\"state\":\"active\",\"sub\":"
                     "\"listening\",\"pid\":null,\"pgid\":null,\"restarts\":0,\"last_exit\":"
                     "{\"code\":null,\"signal\":null},\"since\":1796644000,\"listen\":[{"
                     "\"type\":\"Stream\",\"address\":\"127.0.0.1:7\"},{\"type\":\"Stream\","
                     "\"address\":\"/run/web/a/echo\\n\"}],\"accepted\":40,\"connections\":2,"
                     "\"triggers\":0,\"activates\":\"echo@.service\"}]}\n");
    free(out);
    /* The one-line status is any unit's, with systemd's sub-state. */
    f = open_memstream(&out, &len);
    proto_print_table(f, &u[1], 1, 1796644060, false);
    fclose(f);
    ck_assert_str_eq(out,
                     "echo.socket  active        -  1min0s           0  -            "
                     "listening\n");
    free(out);
}
END_TEST

static Suite *socket_list_suite(void)
{
    Suite *s = suite_create("socket_list");
    TCase *tc = tcase_create("socket_list");
    tcase_add_loop_test(tc, test_word_round_trip, 0, (int)(sizeof(words) / sizeof(words[0])));
    tcase_add_test(tc, test_word_decode_refuses);
    tcase_add_test(tc, test_word_cut);
    tcase_add_test(tc, test_json_bytes);
    tcase_add_test(tc, test_display);
    tcase_add_test(tc, test_lines_from_view);
    tcase_add_test(tc, test_lines_parse_refuses);
    tcase_add_test(tc, test_listen_long_path);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_status_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(socket_list_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
