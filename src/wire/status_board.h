/* status_board.h - the shared-memory status board ($RUNTIME_DIR/status).
 *
 * The daemon (the only writer) publishes every unit's state in a file it
 * writes with pwrite(); `pxinit status` and `list` map it read-only and need
 * no round trip through the control socket. Layout (doc/status-board.md), all integers
 * native-endian, the file is only meant for the machine that wrote it:
 *
 *   header  (SB_HEADER_SIZE bytes)  magic, version, sizes, capacity, used,
 *                                   daemon pid, generation, flags
 *   records (capacity x SB_RECORD_SIZE bytes)
 *   long names (capacity x SB_NAME_MAX bytes, at names_offset): the name of
 *           the unit in slot i when it does not fit the record's own field
 *
 * Records are small (64 bytes) because the board's pages count in memory
 * (a tmpfs /run): state and sub-state are codes (the reader is pxinit's own
 * client), and a name gets 32 bytes in the record. Longer names go to the
 * long-name area, whose pages, like the records', use memory only once
 * written: a board of short names never touches it.
 *
 * Each record carries a sequence counter used as a seqlock: the writer makes
 * it odd, writes the fields, makes it even again (release ordering); a reader
 * copies the record and accepts the copy only when the counter was even and
 * unchanged around it (acquire ordering), so it never sees a torn record.
 *
 * Whether the daemon is alive is not read from the file (a pid means nothing
 * across PID namespaces, and may be reused): the daemon holds an flock() on
 * the board for its whole life; a reader whose non-blocking shared lock
 * succeeds knows the data is stale.
 */
#ifndef PXINIT_STATUS_BOARD_H
#define PXINIT_STATUS_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "wire/unit_state.h"

struct proto_socket;

#define SB_MAGIC "PXSTATUS"
#define SB_VERSION 3u
#define SB_HEADER_SIZE 4096u
#define SB_RECORD_SIZE 64u
#define SB_CAPACITY 16384u
#define SB_NAME_MAX 256u   /* bytes of a name, NUL included (a long-name entry) */
#define SB_INLINE_NAME 32u /* bytes of the record's own name field, NUL included */
#define SB_NAMES_OFFSET (SB_HEADER_SIZE + SB_CAPACITY * SB_RECORD_SIZE)
/* The whole (sparse) file: a reader finding it shorter knows it was cut. */
#define SB_FILE_SIZE ((size_t)SB_NAMES_OFFSET + (size_t)SB_CAPACITY * SB_NAME_MAX)

/* Header flags. */
#define SB_FLAG_OVERFLOW 1u /* some units did not fit: ask the socket */
#define SB_FLAG_CLOSED 2u   /* the daemon exited cleanly */

/* Record flags. */
#define SB_REC_USED 1u
#define SB_REC_LONG_NAME 2u /* the name is in the long-name area, not the record */
#define SB_REC_TIMER 4u     /* a timer's record: its elapse times where pid..exit_signal are */

/* The values a record holds, as copied out by a reader. -1 means "none" for
 * pid, pgid, exit_code and exit_signal; since is 0 when unknown. A timer's
 * record (timer true) has no processes: pid, pgid, exit_code and
 * exit_signal are -1, restarts 0, and the times of its elapses hold. */
struct sb_unit {
    char name[SB_NAME_MAX]; /* short name: "web", not "web.service" */
    uint8_t state;          /* enum unit_state_code (unit_state.h): UNIT_STATE_ACTIVE, ... */
    uint8_t sub;            /* enum unit_sub_code: UNIT_SUB_RUNNING, ... */
    bool timer;             /* a .timer's record (SB_REC_TIMER) */
    int32_t pid, pgid;
    uint32_t restarts;
    int32_t exit_code, exit_signal;
    int64_t since;        /* Unix time, seconds */
    int64_t next_elapse;  /* a timer's next elapse, Unix microseconds; 0 for none */
    int64_t last_trigger; /* when it last started its unit, Unix microseconds; 0 for never */
    /* The unit a timer starts ("web.service"): the socket's `timer` line
     * carries it, the board does not (empty when read from it). */
    char activates[SB_NAME_MAX];
    /* A socket's listen addresses and counters (wire/proto_socket.h): the
     * socket's `socket` and `listen` lines carry them, the board does not
     * (NULL when read from it). Owned by whoever parsed the lines. */
    struct proto_socket *socket;
};

struct sb_header {
    char magic[8];
    uint32_t version;
    uint32_t header_size;
    uint32_t record_size;
    uint32_t capacity;
    uint32_t used;      /* records [0, used) may be in use */
    uint32_t flags;     /* SB_FLAG_* */
    int32_t daemon_pid; /* as the daemon sees itself (informational) */
    uint32_t reserved0;
    uint64_t generation;   /* bumped after every record update */
    int64_t started;       /* Unix time the daemon created the board */
    uint32_t names_offset; /* where the long-name area starts (page aligned) */
    uint32_t name_size;    /* bytes per slot in it (SB_NAME_MAX) */
};

/* 64 bytes; the fields of struct sb_unit, packed. A timer has no
 * processes, so its record (SB_REC_TIMER) holds its two times where a
 * service's holds pid and pgid (8 bytes at offset 8) and restarts and the
 * last exit (8 bytes at offset 16): the record stays 64 bytes. */
struct sb_record {
    uint32_t seq;  /* seqlock: odd while being written */
    uint8_t flags; /* SB_REC_* */
    uint8_t state; /* enum unit_state_code, or UNIT_CODE_NONE */
    uint8_t sub;   /* enum unit_sub_code, or UNIT_CODE_NONE */
    uint8_t reserved;
    union {
        struct { /* without SB_REC_TIMER */
            int32_t pid, pgid;
            uint32_t restarts;
            int16_t exit_code, exit_signal;
        };
        struct {                  /* with SB_REC_TIMER */
            int64_t next_elapse;  /* Unix microseconds, 0 for none */
            int64_t last_trigger; /* Unix microseconds, 0 for never */
        };
    };
    int64_t since;
    char name[SB_INLINE_NAME]; /* NUL-terminated; empty with SB_REC_LONG_NAME */
};

/* The writer's (daemon's) view. The daemon writes the file with pwrite()
 * and never maps it (status_board.c says why); it keeps each record's
 * sequence counter itself. */
struct status_board {
    int fd; /* -1 when there is no board */
    char *path;
    bool broken; /* a write failed: the board was taken away, nothing more is written */
    uint32_t used;
    uint32_t flags; /* the header's, as written */
    uint64_t generation;
    uint32_t nfree; /* freed slots below used */
    uint32_t *free_slots;
    uint32_t *seqs; /* each slot's counter */
    /* The long-name area's pages reserved so far, a bit each. */
    uint8_t names_reserved[SB_CAPACITY * SB_NAME_MAX / 4096 / 8];
};

/* Creates (replacing) path, sized for SB_CAPACITY records, takes the lock.
 * mode is the file's permission bits. 0, or -1 with errno (b stays empty). */
int sb_create(struct status_board *b, const char *path, mode_t mode);
/* Marks the board closed, releases the lock. */
void sb_close(struct status_board *b);
/* A free slot for a new unit, or -1 when the board is full or out of space
 * (then the header says so and readers fall back to the socket). */
int sb_slot_alloc(struct status_board *b);
/* Writes the record at slot under the seqlock (u NULL: frees it) and bumps
 * the generation. 0, or -1 with errno the first time a write fails: the
 * board is then taken away (unlinked) and readers ask the socket. */
int sb_slot_free(struct status_board *b, int slot);
int sb_publish(struct status_board *b, int slot, const struct sb_unit *u);

/* The reader's view: a read-only mapping of someone else's board. */
struct sb_reader {
    int fd;
    const void *map;
    size_t size;
    const struct sb_header *hdr;
    const void *names; /* the long-name entries of the records mapped, once needed */
    size_t names_size;
    uint32_t nrec;         /* records mapped */
    bool stale;            /* no daemon holds the board's lock */
    int faults;            /* the guard's count when opened */
    struct timespec ctime; /* the file's status change time when opened */
};

enum sb_open_result {
    SB_OPEN_OK,
    SB_OPEN_MISSING, /* no board (no runtime dir, or the daemon has none) */
    SB_OPEN_INVALID, /* unknown magic, version or sizes */
};

enum sb_open_result sb_reader_open(struct sb_reader *r, const char *path);
void sb_reader_close(struct sb_reader *r);
/* Copies the record at slot into *out. Returns 1 when it holds a unit, 0 when
 * the slot is free, -1 when the writer kept it busy too long. */
int sb_reader_get(struct sb_reader *r, uint32_t slot, struct sb_unit *out);
/* Finds the unit with short name name. 1 found, 0 not found, -1 busy. */
int sb_reader_find(struct sb_reader *r, const char *name, struct sb_unit *out);
/* Number of slots a reader should scan. */
uint32_t sb_reader_used(const struct sb_reader *r);
/* Whether what was read since sb_reader_open() can be trusted: the file is
 * whole (not cut short, header intact), no access faulted, and nothing
 * changed the file since (its ctime: a truncation and a restore between
 * open and now would not show otherwise; a daemon's write changes it too,
 * which only costs a trip to the socket). A
 * reader checks it before saying a unit does not exist, or before showing a
 * list, and asks the socket when it is false.
 *
 * While a reader is open, SIGBUS from its mappings (a board truncated under
 * it) is caught: the page reads as zeros and this turns false. */
bool sb_reader_intact(const struct sb_reader *r);

#endif
