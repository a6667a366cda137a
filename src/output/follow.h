/* follow.h - the memory of a unit's recent output and its readers: the ring
 * of its last lines (`pxinit logs`) and the followers that get each new line
 * (`pxinit logs -f`). Knows nothing of pipes or sinks: capture.c hands it
 * every line as it is cut.
 */
#ifndef PXINIT_OUTPUT_FOLLOW_H
#define PXINIT_OUTPUT_FOLLOW_H

#include <stddef.h>

#include "base/logbuf.h"
#include "output/output.h"

struct output_memory {
    struct logbuf *ring; /* allocated at the first line: an idle unit needs none */
    size_t lines, bytes; /* the ring's bounds */
    struct output_follower *followers;
};

void memory_init(struct output_memory *m, size_t lines, size_t bytes);
/* A new line (text, then a marker when it goes on in the next one): into the
 * ring, then to every follower. Out of memory, followers still get it (the
 * text without its marker). */
void memory_add(struct output_memory *m, const char *line, size_t len, const char *marker,
                size_t mlen, const struct logbuf_meta *meta);
size_t memory_tail(const struct output_memory *m, size_t n, output_line_fn emit, void *ctx);
void memory_follow(struct output_memory *m, struct output_follower *f, output_line_fn fn,
                   void *ctx);
/* Detaches every follower (each gets a NULL line) and frees the ring. */
void memory_free(struct output_memory *m);

#endif
