/* fdstore.h - the fd store (sd_notify(3) FDSTORE=1): descriptors a service
 * hands to pxinit, held close-on-exec while it restarts and given back to
 * its next main process after its sockets' (fd_pass.h), each under its
 * FDNAME=. A full stop (the unit ends inactive or failed, with no restart
 * on the way) closes them, as systemd 252 does.
 *
 * FileDescriptorStoreMax= bounds each service (default 0: nothing is kept),
 * and one cap bounds all stores together, half of the descriptors pxinit
 * had left when the first was stored, so that no service can use up PID 1's
 * table. Unless FDPOLL=0, a stored fd is watched for EPOLLERR/EPOLLHUP and
 * dropped when either comes (the other end went away).
 *
 * px->fdstores stays NULL until the first fd is offered.
 */
#ifndef PXINIT_FDSTORE_H
#define PXINIT_FDSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/service.h"
#include "run/fd_pass.h"
#include "run/pxinit.h"

#define FDSTORE_NAME_MAX 255
#define FDSTORE_NAME_DEFAULT "stored"

/* Whether name[0..len) may name an fd in LISTEN_FDNAMES: 1 to 255
 * printable ASCII characters but ':'. */
bool fdstore_name_valid(const char *name, size_t len);

/* FDSTORE=1 from s: the n fds in fds (received close-on-exec) under name
 * (name_len bytes, NULL for the default), watched unless !poll. Takes each
 * fd it keeps, setting its slot to -1; the caller closes the rest. A
 * refusal (no room, an inactive unit) is logged, rate-limited. Returns how
 * many were kept. */
size_t fdstore_add(struct pxinit *px, struct service *s, int *fds, size_t n, const char *name,
                   size_t name_len, bool poll);
/* FDSTOREREMOVE=1: closes and forgets s's fds named name[0..len). */
void fdstore_remove(struct pxinit *px, struct service *s, const char *name, size_t len);
/* Appends s's stored fds to fp, in the order stored. 0, or -1 (ENOMEM). */
int fdstore_collect(struct pxinit *px, struct service *s, struct fd_pass *fp);
/* How many fds s has stored (all services: s NULL). */
size_t fdstore_count(const struct pxinit *px, const struct service *s);

/* s changed state (svc_ops.changed): once it settles inactive or failed
 * without a restart starting in the same step, its fds are closed (checked
 * before the loop next waits, so that a restart's stop does not count). */
void fdstore_unit_changed(struct pxinit *px, struct service *s);
/* s is being freed: its fds are closed now. */
void fdstore_forget(struct pxinit *px, struct service *s);
void fdstore_free(struct pxinit *px);

#endif
