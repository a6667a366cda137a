/* socket_list.c - `pxinit list-sockets` as systemctl list-sockets (v252)
 * prints it (socket_list.h): its order (systemctl's socket_info_compare),
 * its columns one space apart and as wide as their widest cell, the last
 * one without trailing blanks, its legend. Unlike systemctl, a wide table
 * is never cut to the terminal's width.
 */
#include "client/socket_list.h"

#include <stdlib.h>
#include <string.h>

#include "wire/escape.h"
#include "wire/proto_socket.h"

/* A displayed cell: a path of 4096 bytes, each escaped, fits. */
#define CELL_MAX (4 * 4096 + 8)

struct socket_row *socket_rows(const struct sb_unit *units, size_t n, bool all, size_t *nrows)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (units[i].socket && (all || units[i].state != UNIT_STATE_INACTIVE))
            count += units[i].socket->nlisten;
    *nrows = 0;
    if (count == 0)
        return NULL;
    struct socket_row *r = calloc(count, sizeof(*r));
    if (!r) {
        *nrows = (size_t)-1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct proto_socket *s = units[i].socket;
        if (!s || (!all && units[i].state == UNIT_STATE_INACTIVE))
            continue;
        for (size_t j = 0; j < s->nlisten; j++)
            r[k++] = (struct socket_row){
                .listen = s->listen[j].address,
                .type = s->listen[j].type,
                .unit = units[i].name,
                .activates = s->activates,
            };
    }
    socket_rows_sort(r, k);
    *nrows = k;
    return r;
}

/* systemd's path_compare(): component by component, so "/a/b" sorts
 * before "/a-b" (a plain strcmp would say '-' < '/'); repeated slashes
 * count once. */
static int path_cmp(const char *a, const char *b)
{
    for (;;) {
        while (*a == '/')
            a++;
        while (*b == '/')
            b++;
        if (!*a || !*b)
            return (*a != 0) - (*b != 0);
        size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
        int c = memcmp(a, b, la < lb ? la : lb);
        if (c)
            return c;
        if (la != lb)
            return la < lb ? -1 : 1;
        a += la;
        b += lb;
    }
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct socket_row *a = pa, *b = pb;
    bool abs_a = a->listen[0] == '/', abs_b = b->listen[0] == '/';
    if (abs_a != abs_b)
        return abs_a ? 1 : -1;
    int c = abs_a ? path_cmp(a->listen, b->listen) : strcmp(a->listen, b->listen);
    if (!c)
        c = strcmp(a->type, b->type);
    /* Not systemctl's: a fixed order for the same address in two units. */
    return c ? c : strcmp(a->unit, b->unit);
}

void socket_rows_sort(struct socket_row *r, size_t n)
{
    if (n > 1)
        qsort(r, n, sizeof(*r), row_cmp);
}

/* Columns a terminal gives s: one per character, not per byte of UTF-8. */
static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

enum { COL_LISTEN, COL_UNIT, COL_ACTIVATES, COLS };

static void row_print(FILE *f, const char *const cell[COLS], const int width[COLS])
{
    for (int c = 0; c < COLS; c++) {
        if (c > 0)
            fputc(' ', f);
        fputs(cell[c], f);
        if (c < COLS - 1) /* no trailing blanks */
            fprintf(f, "%*s", width[c] - text_width(cell[c]), "");
    }
    fputc('\n', f);
}

void socket_list_print_table(FILE *f, const struct socket_row *r, size_t n, bool all)
{
    static const char *const header[COLS] = {"LISTEN", "UNIT", "ACTIVATES"};
    char shown[CELL_MAX];
    int width[COLS];
    for (int c = 0; c < COLS; c++)
        width[c] = text_width(header[c]);
    for (size_t i = 0; i < n; i++) {
        esc_display(shown, sizeof(shown), r[i].listen);
        const char *cell[COLS] = {shown, r[i].unit, r[i].activates[0] ? r[i].activates : "-"};
        for (int c = 0; c < COLS; c++) {
            int w = text_width(cell[c]);
            width[c] = w > width[c] ? w : width[c];
        }
    }
    row_print(f, header, width);
    for (size_t i = 0; i < n; i++) {
        esc_display(shown, sizeof(shown), r[i].listen);
        const char *cell[COLS] = {shown, r[i].unit, r[i].activates[0] ? r[i].activates : "-"};
        row_print(f, cell, width);
    }
    fprintf(f, "\n%zu sockets listed.\n", n);
    if (!all)
        fputs("Pass --all to see loaded but inactive sockets, too.\n", f);
}

void socket_list_print_json(FILE *f, const struct socket_row *r, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",{\"listen\":" : "{\"listen\":", f);
        esc_json_string(f, r[i].listen);
        fputs(",\"type\":", f);
        esc_json_string(f, r[i].type);
        fputs(",\"unit\":", f);
        esc_json_string(f, r[i].unit);
        fputs(",\"activates\":", f);
        if (r[i].activates[0])
            esc_json_string(f, r[i].activates);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputs("]\n", f);
}
