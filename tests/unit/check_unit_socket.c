/* check_unit_socket.c - .socket files in the unit layer: the kind, the
 * [Socket] keys and their defaults (systemd.socket(5)), malformed values
 * with their file:line, the checks of unit_finalize(), unit_equal() on the
 * socket part, the [Service] keys that name sockets, and the loader
 * (sockets in a unit directory, the services they activate, templates,
 * implicit dependencies, .wants/ links).
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/timespan.h"
#include "unit/unit.h"
#include "unit/unit_load.h"
#include "unit/unit_parse.h"
#include "unit/unit_socket.h"

#define PATH "web.socket"

/* ---- helpers ------------------------------------------------------------ */

struct parsed {
    struct unit *u;
    struct strv msgs; /* "W: ..." or "E: ..." */
    struct diag_sink sink;
    int ret;
};

static void capture_emit(void *ctx, enum diag_level level, const char *message)
{
    struct strv *msgs = ctx;
    char *s;

    ck_assert_int_ne(asprintf(&s, "%s: %s", level == DIAG_ERROR ? "E" : "W", message), -1);
    ck_assert_int_eq(strv_push_owned(msgs, s), 0);
}

static void parse_named(struct parsed *p, const char *name, const char *text)
{
    memset(p, 0, sizeof(*p));
    p->sink.emit = capture_emit;
    p->sink.ctx = &p->msgs;
    p->u = unit_new(name);
    ck_assert_ptr_nonnull(p->u);
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    p->ret = unit_parse_stream(p->u, f, name, &p->sink);
    fclose(f);
}

/* Parses and finalizes: the unit as the loader hands it up. */
static void load_named(struct parsed *p, const char *name, const char *text)
{
    parse_named(p, name, text);
    if (p->ret == 0 && p->u->loaded)
        p->ret = unit_finalize(p->u, &p->sink);
}

static void load_text(struct parsed *p, const char *text)
{
    load_named(p, PATH, text);
}

static void parsed_free(struct parsed *p)
{
    unit_free(p->u);
    strv_clear(&p->msgs);
}

static void assert_msg(const struct parsed *p, const char *msg)
{
    if (strv_contains(&p->msgs, msg))
        return;
    for (size_t i = 0; i < p->msgs.n; i++)
        fprintf(stderr, "  got: %s\n", p->msgs.v[i]);
    ck_abort_msg("missing diagnostic: %s", msg);
}

static void assert_clean(const struct parsed *p)
{
    for (size_t i = 0; i < p->msgs.n; i++)
        fprintf(stderr, "  unexpected: %s\n", p->msgs.v[i]);
    ck_assert_uint_eq(p->msgs.n, 0);
    ck_assert_int_eq(p->ret, 0);
    ck_assert(p->u->loaded);
}

/* ---- the kind and its defaults ------------------------------------------- */

START_TEST(test_kind)
{
    ck_assert_int_eq(unit_kind_of_name("web.socket"), UNIT_KIND_SOCKET);
    ck_assert_int_eq(unit_kind_of_name("a@b.socket"), UNIT_KIND_SOCKET);
    ck_assert_int_eq(unit_kind_of_name(".socket"), -1);
    ck_assert_int_eq(unit_kind_of_name("web.sockets"), -1);
    ck_assert(unit_socket_name_valid("web.socket"));
    ck_assert(unit_socket_name_valid("a-b_c:d@e.socket"));
    ck_assert(!unit_socket_name_valid("web.service"));
    ck_assert(!unit_socket_name_valid(".socket"));
    ck_assert(!unit_socket_name_valid("a b.socket"));
    ck_assert(!unit_socket_name_valid("../x.socket"));
    struct unit *u = unit_new("web.socket");
    ck_assert_int_eq(u->kind, UNIT_KIND_SOCKET);
    unit_free(u);
}
END_TEST

START_TEST(test_defaults)
{
    struct parsed p;
    load_text(&p, "[Socket]\nListenStream=80\n");
    assert_clean(&p);
    const struct unit_socket *s = unit_socket(p.u);
    ck_assert_uint_eq(s->n, 1);
    ck_assert_int_eq(s->v[0].kind, SOCKET_LISTEN_STREAM);
    ck_assert_str_eq(s->v[0].text, "80");
    ck_assert_int_eq(s->v[0].addr.sa.sa_family, AF_INET6);
    ck_assert_uint_eq(s->v[0].lineno, 2);
    ck_assert_int_eq(s->socket_mode, 0666);
    ck_assert_int_eq(s->directory_mode, 0755);
    ck_assert_uint_eq(s->backlog, SOMAXCONN);
    ck_assert_uint_eq(s->max_connections, 64);
    ck_assert_uint_eq(s->max_connections_per_source, 64);
    ck_assert_uint_eq(s->trigger_limit_interval_usec, 2 * USEC_PER_SEC);
    ck_assert_uint_eq(s->trigger_limit_burst, 20);
    ck_assert_uint_eq(unit_socket_trigger_burst(s), 20);
    ck_assert_int_eq(s->bind_ipv6_only, BIND_IPV6_DEFAULT);
    ck_assert(!s->accept && !s->remove_on_stop && !s->reuse_port && !s->free_bind);
    ck_assert(!s->pass_credentials && !s->keep_alive && !s->no_delay);
    ck_assert_ptr_null(s->service);
    ck_assert_ptr_null(s->fd_name);
    ck_assert_uint_eq(s->receive_buffer, 0);
    char buf[256];
    ck_assert_str_eq(unit_socket_activates(p.u, buf, sizeof(buf)), "web.service");
    parsed_free(&p);

    /* The shared default instance reads the same. */
    ck_assert_int_eq(unit_socket_default.socket_mode, 0666);
    ck_assert_uint_eq(unit_socket_trigger_burst(&unit_socket_default), 20);

    load_text(&p, "[Socket]\nListenStream=/run/web.sock\nAccept=yes\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_socket(p.u)->trigger_limit_burst, 200);
    ck_assert_str_eq(unit_socket_activates(p.u, buf, sizeof(buf)), "web@.service");
    parsed_free(&p);

    load_named(&p, "echo@x.socket", "[Socket]\nListenStream=7\nAccept=yes\n");
    assert_clean(&p);
    ck_assert_str_eq(unit_socket_activates(p.u, buf, sizeof(buf)), "echo@.service");
    parsed_free(&p);
    load_named(&p, "echo@x.socket", "[Socket]\nListenStream=7\n");
    ck_assert_str_eq(unit_socket_activates(p.u, buf, sizeof(buf)), "echo@x.service");
    ck_assert_ptr_null(unit_socket_activates(p.u, buf, 5));
    parsed_free(&p);
}
END_TEST

START_TEST(test_every_key)
{
    struct parsed p;
    load_text(&p,
              "[Unit]\nDescription=web\n"
              "[Socket]\n"
              "ListenStream=127.0.0.1:8080\n"
              "ListenStream=[::1]:8080\n"
              "ListenDatagram=/run/web.dgram\n"
              "ListenSequentialPacket=@web-seq\n"
              "ListenFIFO=/run//web.fifo\n"
              "Service=other.service\n"
              "FileDescriptorName=web-fds\n"
              "Backlog=128\n"
              "BindIPv6Only=ipv6-only\n"
              "ReusePort=yes\nFreeBind=yes\nRemoveOnStop=yes\n"
              "SocketUser=www-data\nSocketGroup=www\nSocketMode=0600\nDirectoryMode=0700\n"
              "Symlinks=/run/a.sock /run/b.sock\n"
              "MaxConnections=10\nMaxConnectionsPerSource=2\n"
              "PassCredentials=yes\nKeepAlive=yes\nNoDelay=yes\n"
              "ReceiveBuffer=64K\nSendBuffer=1.5M\n"
              "TriggerLimitIntervalSec=5s\nTriggerLimitBurst=7\n"
              "ExecStartPre=/bin/echo pre\nExecStartPost=/bin/echo post\n"
              "ExecStopPre=/bin/echo stoppre\nExecStopPost=/bin/echo stoppost\n"
              "User=nobody\nGroup=nogroup\nEnvironment=A=1\nUMask=0077\n"
              "WorkingDirectory=/tmp\nLimitNOFILE=1024\nTimeoutSec=5\n");
    assert_clean(&p);
    const struct unit_socket *s = unit_socket(p.u);
    ck_assert_uint_eq(s->n, 5);
    ck_assert_int_eq(s->v[0].addr.sa.sa_family, AF_INET);
    ck_assert_int_eq(ntohs(s->v[0].addr.in.sin_port), 8080);
    ck_assert_int_eq(s->v[1].addr.sa.sa_family, AF_INET6);
    ck_assert_int_eq(s->v[2].kind, SOCKET_LISTEN_DATAGRAM);
    ck_assert(sock_addr_is_path(&s->v[2].addr));
    ck_assert_int_eq(s->v[3].kind, SOCKET_LISTEN_SEQPACKET);
    ck_assert_int_eq(s->v[3].addr.un.sun_path[0], '\0');
    ck_assert_int_eq(s->v[4].kind, SOCKET_LISTEN_FIFO);
    ck_assert_str_eq(s->v[4].text, "/run/web.fifo"); /* normalized */
    ck_assert_uint_eq(s->v[4].lineno, 8);
    ck_assert_str_eq(s->service, "other.service");
    char buf[256];
    ck_assert_str_eq(unit_socket_activates(p.u, buf, sizeof(buf)), "other.service");
    ck_assert_str_eq(s->fd_name, "web-fds");
    ck_assert_uint_eq(s->backlog, 128);
    ck_assert_int_eq(s->bind_ipv6_only, BIND_IPV6_ONLY);
    ck_assert(s->reuse_port && s->free_bind && s->remove_on_stop);
    ck_assert_str_eq(s->socket_user, "www-data");
    ck_assert_str_eq(s->socket_group, "www");
    ck_assert_int_eq(s->socket_mode, 0600);
    ck_assert_int_eq(s->directory_mode, 0700);
    ck_assert_uint_eq(s->symlinks.n, 2);
    ck_assert_str_eq(s->symlinks.v[1], "/run/b.sock");
    ck_assert_uint_eq(s->max_connections, 10);
    ck_assert_uint_eq(s->max_connections_per_source, 2);
    ck_assert_uint_eq(unit_socket_max_per_source(s), 2);
    ck_assert(s->pass_credentials && s->keep_alive && s->no_delay);
    ck_assert_uint_eq(s->receive_buffer, 64 * 1024);
    ck_assert_uint_eq(s->send_buffer, 1536 * 1024);
    ck_assert_uint_eq(s->trigger_limit_interval_usec, 5 * USEC_PER_SEC);
    ck_assert_uint_eq(s->trigger_limit_burst, 7);
    const struct unit_cmds *c = unit_cmds(p.u);
    ck_assert_uint_eq(c->exec_start_pre.n, 1);
    ck_assert_str_eq(c->exec_start_pre.v[0].line, "/bin/echo pre");
    ck_assert_str_eq(c->exec_start_post.v[0].line, "/bin/echo post");
    ck_assert_str_eq(c->exec_stop.v[0].line, "/bin/echo stoppre");
    ck_assert_str_eq(c->exec_stop_post.v[0].line, "/bin/echo stoppost");
    const struct unit_exec *x = unit_exec(p.u);
    ck_assert_str_eq(x->user, "nobody");
    ck_assert_str_eq(x->group, "nogroup");
    ck_assert_str_eq(x->environment.v[0], "A=1");
    ck_assert_int_eq(x->umask, 0077);
    ck_assert_str_eq(x->working_directory, "/tmp");
    ck_assert(unit_limits(p.u)->set[RLIMIT_NOFILE]);
    ck_assert_uint_eq(p.u->timeout_stop_usec, 5 * USEC_PER_SEC);
    parsed_free(&p);
}
END_TEST

/* An empty Listen*= drops every entry, of every Listen*= key; Symlinks=
 * and the scalars reset too. Specifiers expand. */
START_TEST(test_empty_resets)
{
    struct parsed p;
    load_text(&p,
              "[Socket]\nListenStream=80\nListenDatagram=/run/d\nListenFIFO=\n"
              "ListenStream=%t/web.sock\nSymlinks=/run/x\nSymlinks=\nSymlinks=/run/y\n"
              "Backlog=5\nBacklog=\nMaxConnections=3\nMaxConnections=\n"
              "MaxConnectionsPerSource=1\nMaxConnectionsPerSource=\n"
              "TriggerLimitBurst=1\nTriggerLimitBurst=\nSocketMode=0600\nSocketMode=\n"
              "Service=a.service\nService=\nFileDescriptorName=x\nFileDescriptorName=\n"
              "ReceiveBuffer=1K\nReceiveBuffer=\nBindIPv6Only=both\nBindIPv6Only=\n"
              "Symlinks=/run/%N.link\n");
    assert_clean(&p);
    const struct unit_socket *s = unit_socket(p.u);
    ck_assert_uint_eq(s->n, 1);
    ck_assert_str_eq(s->v[0].text, "/run/web.sock");
    ck_assert_uint_eq(s->symlinks.n, 2);
    ck_assert_str_eq(s->symlinks.v[0], "/run/y");
    ck_assert_str_eq(s->symlinks.v[1], "/run/web.link");
    ck_assert_uint_eq(s->backlog, SOMAXCONN);
    ck_assert_uint_eq(s->max_connections, 64);
    ck_assert_uint_eq(s->max_connections_per_source, 64);
    ck_assert(!s->max_connections_per_source_set);
    ck_assert_uint_eq(s->trigger_limit_burst, 20);
    ck_assert_int_eq(s->socket_mode, 0666);
    ck_assert_ptr_null(s->service);
    ck_assert_ptr_null(s->fd_name);
    ck_assert_uint_eq(s->receive_buffer, 0);
    ck_assert_int_eq(s->bind_ipv6_only, BIND_IPV6_DEFAULT);
    parsed_free(&p);
}
END_TEST

struct bad_case {
    const char *line;
    const char *msg; /* after "E: web.socket:3: " */
};

static const struct bad_case bad_values[] = {
    {"ListenStream=0", "invalid value for ListenStream=: '0' (port out of range (1-65535))"},
    {"ListenStream=65536",
     "invalid value for ListenStream=: '65536' (port out of range (1-65535))"},
    {"ListenStream=1.2.3.4",
     "invalid value for ListenStream=: '1.2.3.4' (missing :PORT after "
     "the IPv4 address)"},
    {"ListenStream=run/x.sock",
     "invalid value for ListenStream=: 'run/x.sock' (not an address: write a port, ADDR:PORT, "
     "[ADDR]:PORT, an absolute path or @name (host names are not looked up))"},
    {"ListenStream=vsock:2:80",
     "invalid value for ListenStream=: 'vsock:2:80' (vsock addresses are not supported)"},
    {"ListenStream=@", "invalid value for ListenStream=: '@' (empty abstract socket name)"},
    {"ListenStream=/run/../etc/x",
     "invalid value for ListenStream=: '/run/../etc/x' (path is not normalized: \"..\" is not "
     "allowed)"},
    {"ListenDatagram=localhost:53",
     "invalid value for ListenDatagram=: 'localhost:53' (not an "
     "IPv4 address (host names are not looked up))"},
    {"ListenSequentialPacket=80",
     "invalid value for ListenSequentialPacket=: '80' (sequential packet sockets are unix "
     "sockets only: a path or @name)"},
    {"ListenFIFO=fifo", "invalid value for ListenFIFO=: 'fifo' (not an absolute path)"},
    {"Accept=maybe", "invalid value for Accept=: 'maybe' (not a boolean)"},
    {"Service=web", "invalid value for Service=: 'web' (not a .service unit name)"},
    {"Service=web.socket", "invalid value for Service=: 'web.socket' (not a .service unit name)"},
    {"Service=web@.service",
     "invalid value for Service=: 'web@.service' (a template: name a service, not a template)"},
    {"FileDescriptorName=a:b",
     "invalid value for FileDescriptorName=: 'a:b' (printable ASCII without ':' only)"},
    {"Backlog=-1", "invalid value for Backlog=: '-1' (not a number in range)"},
    {"BindIPv6Only=sometimes",
     "invalid value for BindIPv6Only=: 'sometimes' (want default, both or ipv6-only)"},
    {"ReusePort=2", "invalid value for ReusePort=: '2' (not a boolean)"},
    {"SocketUser=-x", "invalid value for SocketUser=: '-x' (not a valid user or group name)"},
    {"SocketMode=0999", "invalid value for SocketMode=: '0999' (not an octal mode)"},
    {"DirectoryMode=rwx", "invalid value for DirectoryMode=: 'rwx' (not an octal mode)"},
    {"Symlinks=/run/a rel", "invalid value for Symlinks=: '/run/a rel' (not an absolute path)"},
    {"MaxConnections=0", "invalid value for MaxConnections=: '0' (not a number above 0)"},
    {"MaxConnectionsPerSource=x",
     "invalid value for MaxConnectionsPerSource=: 'x' (not a "
     "number)"},
    {"ReceiveBuffer=lots",
     "invalid value for ReceiveBuffer=: 'lots' (not a size (bytes, or "
     "with K, M, G), at most 2G-1)"},
    {"SendBuffer=4G",
     "invalid value for SendBuffer=: '4G' (not a size (bytes, or with K, M, "
     "G), at most 2G-1)"},
    {"TriggerLimitIntervalSec=soon",
     "invalid value for TriggerLimitIntervalSec=: 'soon' (not a time span)"},
    {"TriggerLimitBurst=-3", "invalid value for TriggerLimitBurst=: '-3' (not a number)"},
    {"ListenStream=%q",
     "invalid value for ListenStream=: '%q' (unknown specifier '%q'; write "
     "%% for a literal %)"},
};

START_TEST(test_bad_value)
{
    char text[512], msg[512];
    struct parsed p;

    /* A valid entry besides, so only the bad line can make it fail. */
    snprintf(text, sizeof(text), "[Unit]\n[Socket]\n%s\nListenStream=/run/ok.sock\n",
             bad_values[_i].line);
    load_text(&p, text);
    snprintf(msg, sizeof(msg), "E: " PATH ":3: %s", bad_values[_i].msg);
    assert_msg(&p, msg);
    ck_assert(!p.u->loaded);
    ck_assert_int_lt(p.ret, 0);
    parsed_free(&p);
}
END_TEST

/* systemd's keys pxinit does not act on: warnings, the unit loads. */
START_TEST(test_not_enforced)
{
    struct parsed p;
    load_text(&p,
              "[Socket]\nListenStream=80\nBindToDevice=eth0\nIPTOS=low-delay\n"
              "SmackLabel=x\nDeferAcceptSec=5\nPrivateTmp=yes\nListenNetlink=route 1\n"
              "Bogus=1\n");
    ck_assert(p.u->loaded);
    ck_assert_int_eq(p.ret, 0);
    assert_msg(&p, "W: " PATH
                   ": accepted, not enforced: BindToDevice= (line 3), IPTOS= (line "
                   "4), SmackLabel= (line 5), DeferAcceptSec= (line 6), PrivateTmp= (line 7), "
                   "ListenNetlink= (line 8)");
    assert_msg(&p, "W: " PATH ":9: unknown key 'Bogus' in section [Socket], ignoring");
    parsed_free(&p);

    /* [Service]-only keys are not read in [Socket]. */
    load_text(&p, "[Socket]\nListenStream=80\nExecStart=/bin/true\nType=simple\n");
    assert_msg(&p, "W: " PATH ":3: unknown key 'ExecStart' in section [Socket], ignoring");
    ck_assert_uint_eq(p.u->exec_start.n, 0);
    parsed_free(&p);
}
END_TEST

/* [Socket] only in a .socket; [Service] not in a .socket. */
START_TEST(test_sections_of_other_kinds)
{
    struct parsed p;
    load_named(&p, "web.service", "[Service]\nExecStart=/bin/true\n[Socket]\nListenStream=80\n");
    assert_msg(&p, "W: web.service:3: unknown section [Socket], ignoring");
    ck_assert_ptr_null(p.u->socket);
    parsed_free(&p);
    load_text(&p, "[Socket]\nListenStream=80\n[Service]\nExecStart=/bin/true\n");
    assert_msg(&p, "W: " PATH ":3: unknown section [Service], ignoring");
    ck_assert(p.u->loaded);
    parsed_free(&p);
}
END_TEST

START_TEST(test_finalize)
{
    struct parsed p;
    load_text(&p, "[Unit]\nDescription=nothing\n");
    assert_msg(&p, "E: " PATH
                   ": Unit has no Listen setting (ListenStream=, ListenDatagram=, "
                   "ListenFIFO=, ...). Refusing.");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    load_text(&p, "[Socket]\nListenStream=80\nListenStream=\n");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    load_text(&p, "[Socket]\nAccept=yes\nListenStream=80\nListenDatagram=53\n");
    assert_msg(&p, "E: " PATH
                   ":4: Unit configured for accepting sockets, but sockets are "
                   "non-accepting. Refusing.");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    load_text(&p, "[Socket]\nAccept=yes\nListenFIFO=/run/f\n");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    load_text(&p, "[Socket]\nAccept=yes\nListenStream=80\nService=x.service\n");
    assert_msg(&p, "E: " PATH
                   ": Explicit service configuration for accepting socket units not "
                   "supported. Refusing.");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    /* Accept=yes with a stream and a sequential packet socket is fine;
     * a written TriggerLimitBurst= stays. */
    load_text(&p,
              "[Socket]\nAccept=yes\nListenStream=80\nListenSequentialPacket=/run/s\n"
              "TriggerLimitBurst=0\nMaxConnections=5\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_socket(p.u)->trigger_limit_burst, 0);
    ck_assert_uint_eq(unit_socket(p.u)->max_connections_per_source, 5);
    parsed_free(&p);
}
END_TEST

/* ---- [Service] keys that name sockets -------------------------------------- */

START_TEST(test_service_keys)
{
    struct parsed p;
    load_named(&p, "web.service",
               "[Service]\nExecStart=/bin/web\nSockets=web.socket admin.socket\n"
               "Sockets=web.socket\nFileDescriptorStoreMax=16\nStandardInput=socket\n");
    assert_clean(&p);
    const struct unit_deps *d = unit_deps(p.u);
    ck_assert_uint_eq(d->sockets.n, 2);
    ck_assert_str_eq(d->sockets.v[1], "admin.socket");
    ck_assert_uint_eq(unit_exec(p.u)->fd_store_max, 16);
    ck_assert_int_eq(unit_exec(p.u)->std_input, INPUT_SOCKET);
    ck_assert_int_eq(p.u->std_output, OUTPUT_SOCKET); /* follows stdin */
    ck_assert_int_eq(p.u->std_error, OUTPUT_SOCKET);  /* follows stdout */
    parsed_free(&p);

    load_named(&p, "web@.service",
               "[Service]\nExecStart=/bin/web\nStandardInput=socket\nStandardOutput=journal\n");
    assert_clean(&p);
    ck_assert_int_eq(p.u->std_output, OUTPUT_JOURNAL);
    ck_assert_int_eq(p.u->std_error, OUTPUT_JOURNAL);
    parsed_free(&p);

    load_named(&p, "web@.service",
               "[Service]\nExecStart=/bin/web\nStandardInput=socket\nStandardError=null\n");
    assert_clean(&p);
    ck_assert_int_eq(p.u->std_output, OUTPUT_SOCKET);
    ck_assert_int_eq(p.u->std_error, OUTPUT_NULL);
    parsed_free(&p);

    load_named(&p, "web.service",
               "[Service]\nExecStart=/bin/web\nStandardOutput=socket\nStandardError=socket\n");
    assert_clean(&p);
    ck_assert_int_eq(p.u->std_output, OUTPUT_SOCKET);
    ck_assert_int_eq(unit_exec(p.u)->std_input, INPUT_NULL);
    parsed_free(&p);

    load_named(&p, "web.service", "[Service]\nExecStart=/bin/web\nStandardInput=tty\n");
    ck_assert(p.u->loaded);
    assert_msg(&p, "W: web.service:3: StandardInput=tty is not supported, /dev/null is used");
    ck_assert_int_eq(unit_exec(p.u)->std_input, INPUT_NULL);
    ck_assert_int_eq(p.u->std_output, OUTPUT_JOURNAL);
    parsed_free(&p);

    load_named(&p, "web.service",
               "[Service]\nExecStart=/bin/web\nStandardInput=file:/etc/hosts\n"
               "StandardInput=socket\nStandardInput=\n");
    ck_assert(p.u->loaded);
    ck_assert_int_eq(unit_exec(p.u)->std_input, INPUT_NULL);
    parsed_free(&p);

    static const char *const bad[][2] = {
        {"Sockets=web.service",
         "invalid value for Sockets=: 'web.service' (not a .socket unit "
         "name)"},
        {"Sockets=a.socket web",
         "invalid value for Sockets=: 'a.socket web' (not a .socket "
         "unit name)"},
        {"FileDescriptorStoreMax=-1",
         "invalid value for FileDescriptorStoreMax=: '-1' (not a number in range)"},
        {"StandardInput=keyboard",
         "invalid value for StandardInput=: 'keyboard' (want null or socket)"},
        {"StandardOutput=sockets", "invalid value for StandardOutput=: 'sockets'"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[256], msg[256];
        snprintf(text, sizeof(text), "[Service]\nExecStart=/bin/web\n%s\n", bad[i][0]);
        load_named(&p, "web.service", text);
        snprintf(msg, sizeof(msg), "E: web.service:3: %s", bad[i][1]);
        assert_msg(&p, msg);
        ck_assert(!p.u->loaded);
        parsed_free(&p);
    }

    load_named(&p, "web.service", "[Service]\nExecStart=/bin/web\nSockets=a.socket\nSockets=\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_deps(p.u)->sockets.n, 0);
    parsed_free(&p);
}
END_TEST

/* ---- unit_equal() on sockets ----------------------------------------------- */

static const char base_text[] = "[Socket]\nListenStream=80\n";

/* Each differs from base_text in one way that changes how it runs. */
static const char *const changed_texts[] = {
    "[Socket]\nListenStream=81\n",
    "[Socket]\nListenDatagram=80\n",
    "[Socket]\nListenStream=[::]:80\nListenStream=/run/x\n",
    "[Socket]\nListenStream=80\nAccept=yes\n",
    "[Socket]\nListenStream=80\nService=x.service\n",
    "[Socket]\nListenStream=80\nFileDescriptorName=x\n",
    "[Socket]\nListenStream=80\nBacklog=5\n",
    "[Socket]\nListenStream=80\nBindIPv6Only=both\n",
    "[Socket]\nListenStream=80\nReusePort=yes\n",
    "[Socket]\nListenStream=80\nFreeBind=yes\n",
    "[Socket]\nListenStream=80\nSocketUser=nobody\n",
    "[Socket]\nListenStream=80\nSocketGroup=nogroup\n",
    "[Socket]\nListenStream=80\nSocketMode=0600\n",
    "[Socket]\nListenStream=80\nDirectoryMode=0700\n",
    "[Socket]\nListenStream=80\nRemoveOnStop=yes\n",
    "[Socket]\nListenStream=80\nSymlinks=/run/l\n",
    "[Socket]\nListenStream=80\nMaxConnections=5\n",
    "[Socket]\nListenStream=80\nMaxConnectionsPerSource=5\n",
    "[Socket]\nListenStream=80\nPassCredentials=yes\n",
    "[Socket]\nListenStream=80\nKeepAlive=yes\n",
    "[Socket]\nListenStream=80\nNoDelay=yes\n",
    "[Socket]\nListenStream=80\nReceiveBuffer=1K\n",
    "[Socket]\nListenStream=80\nSendBuffer=1K\n",
    "[Socket]\nListenStream=80\nTriggerLimitIntervalSec=3s\n",
    "[Socket]\nListenStream=80\nTriggerLimitBurst=3\n",
    "[Socket]\nListenStream=80\nExecStartPre=/bin/true\n",
    "[Socket]\nListenStream=80\nExecStopPost=/bin/true\n",
    "[Socket]\nListenStream=80\nUser=nobody\n",
};

START_TEST(test_equal_changed)
{
    struct parsed a, b;
    load_text(&a, base_text);
    load_text(&b, changed_texts[_i]);
    ck_assert(a.u->loaded && b.u->loaded);
    ck_assert_msg(!unit_equal(a.u, b.u), "equal: %s", changed_texts[_i]);
    ck_assert(unit_equal(a.u, a.u));
    parsed_free(&a);
    parsed_free(&b);
}
END_TEST

START_TEST(test_equal_same)
{
    struct parsed a, b;
    /* Moved lines, a written default, a reset: the same socket. */
    load_text(&a, "[Socket]\nListenStream=80\nBacklog=5\nBacklog=\n");
    load_text(&b,
              "[Unit]\n\n[Socket]\nListenDatagram=/x\nListenStream=\nListenStream=80\n"
              "SocketMode=0666\nTriggerLimitBurst=20\nMaxConnectionsPerSource=64\n");
    ck_assert(unit_equal(a.u, b.u));
    parsed_free(&a);
    parsed_free(&b);

    /* Services: Sockets=, FileDescriptorStoreMax=, StandardInput= count. */
    const char *svc[] = {
        "[Service]\nExecStart=/bin/x\n",
        "[Service]\nExecStart=/bin/x\nSockets=a.socket\n",
        "[Service]\nExecStart=/bin/x\nFileDescriptorStoreMax=1\n",
        "[Service]\nExecStart=/bin/x\nStandardInput=socket\nStandardOutput=journal\n",
    };
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 4; j++) {
            load_named(&a, "x.service", svc[i]);
            load_named(&b, "x.service", svc[j]);
            ck_assert_msg(unit_equal(a.u, b.u) == (i == j), "%zu %zu", i, j);
            parsed_free(&a);
            parsed_free(&b);
        }
}
END_TEST

/* ---- the loader ---------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static const struct unit *find_unit(struct unit **v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return v[i];
    return NULL;
}

static void free_units(struct unit **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        unit_free(v[i]);
    free(v);
}

static void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static bool has(const struct strv *l, const char *name)
{
    return strv_contains(l, name);
}

START_TEST(test_load_dirs)
{
    char a[] = "/tmp/check_unit_socket.XXXXXX", b[] = "/tmp/check_unit_socket.XXXXXX";
    char path[4200], target[4200];
    ck_assert_ptr_nonnull(mkdtemp(a));
    ck_assert_ptr_nonnull(mkdtemp(b));
    write_file(a, "web.socket", "[Socket]\nListenStream=8080\n");
    write_file(a, "web.service", "[Service]\nExecStart=/bin/web\n");
    write_file(a, "bad.socket", "[Socket]\nListenStream=0\n");
    write_file(a, "echo.socket", "[Socket]\nListenStream=7\nAccept=yes\n");
    write_file(a, "echo@.service", "[Service]\nExecStart=/bin/cat\nStandardInput=socket\n");
    write_file(a, "lonely.socket", "[Socket]\nListenStream=9\nAccept=yes\n");
    /* The socket's service is in the second directory only. */
    write_file(a, "api.socket", "[Socket]\nListenStream=/run/api.sock\nService=apid.service\n");
    write_file(b, "apid.service", "[Service]\nExecStart=/bin/apid\nSockets=api-admin.socket\n");
    write_file(b, "api-admin.socket",
               "[Socket]\nListenStream=/run/api-admin.sock\n"
               "Service=apid.service\n");
    write_file(b, "unused.socket", "[Socket]\nListenStream=1\n");
    /* A service naming sockets: one of them is a file here. */
    write_file(a, "db.service", "[Service]\nExecStart=/bin/db\nSockets=db.socket db-ro.socket\n");
    write_file(a, "db.socket", "[Socket]\nListenStream=/run/db.sock\n");
    write_file(a, "db-ro.socket", "[Socket]\nListenStream=/run/db-ro.sock\nService=db.service\n");
    /* sockets.target and its .wants/ link. */
    write_file(a, "sockets.target", "[Unit]\nDescription=sockets\n");
    snprintf(path, sizeof(path), "%s/sockets.target.wants", a);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/sockets.target.wants/web.socket", a);
    snprintf(target, sizeof(target), "%s/web.socket", a);
    ck_assert_int_eq(symlink(target, path), 0);

    struct strv dirs = {0};
    ck_assert_int_eq(strv_push(&dirs, a), 0);
    struct unit **v;
    size_t n;
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &v, &n), 0);
    const struct unit *s = find_unit(v, n, "web.socket");
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->kind, UNIT_KIND_SOCKET);
    const struct unit *x = find_unit(v, n, "web.service");
    ck_assert_ptr_nonnull(x);
    /* The implicit dependencies. */
    ck_assert(has(&unit_deps(s)->before, "web.service"));
    ck_assert(has(&unit_deps(x)->after, "web.socket"));
    ck_assert(!has(&unit_deps(x)->wants, "web.socket"));
    ck_assert(has(&unit_deps(find_unit(v, n, "sockets.target"))->wants, "web.socket"));
    ck_assert_ptr_null(find_unit(v, n, "bad.socket"));
    /* Accept=yes: the socket, not its template. */
    const struct unit *e = find_unit(v, n, "echo.socket");
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(find_unit(v, n, "echo@.service"));
    ck_assert_uint_eq(unit_deps(e)->before.n, 0);
    ck_assert_ptr_null(find_unit(v, n, "lonely.socket")); /* no lonely@.service */
    /* apid.service is not in the directories. */
    ck_assert_ptr_nonnull(find_unit(v, n, "api.socket"));
    ck_assert_ptr_null(find_unit(v, n, "apid.service"));
    const struct unit *db = find_unit(v, n, "db.service");
    ck_assert_ptr_nonnull(db);
    ck_assert(has(&unit_deps(db)->wants, "db.socket"));
    ck_assert(has(&unit_deps(db)->after, "db.socket"));
    ck_assert(has(&unit_deps(db)->wants, "db-ro.socket"));
    ck_assert(has(&unit_deps(db)->after, "db-ro.socket"));
    ck_assert(has(&unit_deps(find_unit(v, n, "db.socket"))->before, "db.service"));
    ck_assert(has(&unit_deps(find_unit(v, n, "db-ro.socket"))->before, "db.service"));
    ck_assert_uint_eq(n, 8);
    free_units(v, n);

    /* With the second directory: apid.service comes in, and the socket
     * its Sockets= names, though unused.socket does too by the scan. */
    ck_assert_int_eq(strv_push(&dirs, b), 0);
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &v, &n), 0);
    const struct unit *apid = find_unit(v, n, "apid.service");
    ck_assert_ptr_nonnull(apid);
    ck_assert(has(&unit_deps(apid)->after, "api.socket"));
    ck_assert(has(&unit_deps(apid)->after, "api-admin.socket"));
    ck_assert(has(&unit_deps(apid)->wants, "api-admin.socket"));
    ck_assert_ptr_nonnull(find_unit(v, n, "api-admin.socket"));
    ck_assert_uint_eq(n, 11);
    for (size_t i = 1; i < n; i++)
        ck_assert_str_lt(v[i - 1]->name, v[i]->name);
    free_units(v, n);
    strv_clear(&dirs);
    rm_rf(a);
    rm_rf(b);
}
END_TEST

/* `pxinit check FILE.socket`: unit_load_file() with errors and lines. */
START_TEST(test_load_file)
{
    char a[] = "/tmp/check_unit_socket.XXXXXX";
    char path[4200], msg[4400];
    ck_assert_ptr_nonnull(mkdtemp(a));
    write_file(a, "x.socket", "[Socket]\nListenStream=80\n\nListenDatagram=1.2.3.4\n");
    struct strv msgs = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &msgs};
    bool masked;
    snprintf(path, sizeof(path), "%s/x.socket", a);
    struct unit *u = unit_load_file(path, &sink, &masked);
    ck_assert_ptr_nonnull(u);
    ck_assert(!u->loaded);
    snprintf(msg, sizeof(msg),
             "E: %s/x.socket:4: invalid value for ListenDatagram=: '1.2.3.4' (missing :PORT "
             "after the IPv4 address)",
             a);
    ck_assert_msg(strv_contains(&msgs, msg), "missing: %s", msg);
    unit_free(u);
    strv_clear(&msgs);

    /* Accept=yes wants its template beside it. */
    write_file(a, "y.socket", "[Socket]\nListenStream=80\nAccept=yes\n");
    snprintf(path, sizeof(path), "%s/y.socket", a);
    u = unit_load_file(path, &sink, &masked);
    ck_assert(!u->loaded);
    snprintf(msg, sizeof(msg), "E: %s/y.socket: Accept=yes needs the template y@.service beside it",
             a);
    ck_assert_msg(strv_contains(&msgs, msg), "missing: %s", msg);
    unit_free(u);
    strv_clear(&msgs);
    write_file(a, "y@.service", "[Service]\nExecStart=/bin/cat\n");
    u = unit_load_file(path, &sink, &masked);
    ck_assert(u->loaded);
    ck_assert_uint_eq(msgs.n, 0);
    unit_free(u);
    rm_rf(a);
}
END_TEST

static Suite *unit_socket_suite(void)
{
    Suite *s = suite_create("unit_socket");
    TCase *keys = tcase_create("keys");
    TCase *model = tcase_create("model");
    TCase *load = tcase_create("load");

    tcase_add_test(keys, test_kind);
    tcase_add_test(keys, test_defaults);
    tcase_add_test(keys, test_every_key);
    tcase_add_test(keys, test_empty_resets);
    tcase_add_loop_test(keys, test_bad_value, 0, sizeof(bad_values) / sizeof(bad_values[0]));
    tcase_add_test(keys, test_not_enforced);
    tcase_add_test(keys, test_sections_of_other_kinds);
    tcase_add_test(keys, test_service_keys);
    suite_add_tcase(s, keys);

    tcase_add_test(model, test_finalize);
    tcase_add_loop_test(model, test_equal_changed, 0,
                        sizeof(changed_texts) / sizeof(changed_texts[0]));
    tcase_add_test(model, test_equal_same);
    suite_add_tcase(s, model);

    tcase_add_test(load, test_load_dirs);
    tcase_add_test(load, test_load_file);
    suite_add_tcase(s, load);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(unit_socket_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
