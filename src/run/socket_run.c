/* socket_run.c - socket units in the running daemon (socket_run.h). */
#include "run/socket_run.h"

int socket_run_attach(struct pxinit *px, struct service *s)
{
    (void)px;
    (void)s;
    return 0;
}

void socket_run_detach(struct pxinit *px, struct service *s)
{
    (void)px;
    (void)s;
}

void socket_run_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old)
{
    (void)px;
    (void)s;
    (void)old;
}

bool socket_run_activates(struct pxinit *px, const struct service *s)
{
    (void)px;
    (void)s;
    return false;
}

void socket_run_table_changed(struct pxinit *px)
{
    (void)px;
}

int socket_run_collect_fds(struct pxinit *px, struct service *s, struct fd_pass *fp)
{
    (void)px;
    (void)s;
    (void)fp;
    return 0;
}

void socket_run_free(struct pxinit *px)
{
    (void)px;
}
