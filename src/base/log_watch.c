/* log_watch.c - flushes pxinit's own log lines before the loop sleeps, and
 * watches stderr for writability while lines wait for it (log.c keeps them,
 * bounded, and counts what it drops). */
#include "base/log_watch.h"

#include "base/log.h"

/* Starts or stops waiting for stderr as lines wait or not. */
static void log_watch_update(struct ev_loop *loop, struct log_watch *lw)
{
    int fd = log_pending_fd();
    if (fd >= 0 && ev_is_active(&lw->writable) && lw->writable.fd != fd)
        ev_io_stop(loop, &lw->writable);
    if (fd >= 0 && !ev_is_active(&lw->writable)) {
        ev_io_set(&lw->writable, fd, EV_WRITE);
        ev_io_start(loop, &lw->writable);
    } else if (fd < 0 && ev_is_active(&lw->writable)) {
        ev_io_stop(loop, &lw->writable);
    }
}

static void flush_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
    (void)revents;
    log_flush();
    log_watch_update(loop, (struct log_watch *)w->data);
}

static void writable_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)revents;
    log_flush();
    log_watch_update(loop, (struct log_watch *)w->data);
}

void log_watch_start(struct ev_loop *loop, struct log_watch *lw)
{
    log_nonblocking();
    ev_prepare_init(&lw->flush, flush_cb);
    lw->flush.data = lw;
    ev_prepare_start(loop, &lw->flush);
    ev_unref(loop); /* it keeps nothing alive */
    ev_io_init(&lw->writable, writable_cb, -1, EV_WRITE);
    lw->writable.data = lw;
}
