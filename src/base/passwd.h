/* passwd.h - users and groups: the system's database (NSS), and a reader of
 * /etc/passwd and /etc/group for when NSS cannot answer (a static binary in
 * an image without glibc's NSS modules: scratch, alpine, distroless). */
#ifndef PXINIT_PASSWD_H
#define PXINIT_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

struct passwd_entry {
    char name[64];
    uid_t uid;
    gid_t gid;
    char dir[256];
    char shell[256];
};

/* Finds a user by name (name != NULL) or by uid in a passwd(5) file.
 * Returns 0, or -1 with errno: ENOENT not there, else why the file failed. */
int passwd_file_find(const char *path, const char *name, uid_t uid, struct passwd_entry *e);
/* Finds a group's gid by name in a group(5) file. Returns 0 or -1 as above. */
int passwd_file_group(const char *path, const char *name, gid_t *gid);
/* Finds a group's name by gid in a group(5) file. Returns 0 or -1 as above. */
int passwd_file_group_name(const char *path, gid_t gid, char *buf, size_t size);
/* The groups listing user as a member, after gid itself, at most max.
 * Returns how many were stored, or -1 with errno. */
int passwd_file_grouplist(const char *path, const char *user, gid_t gid, gid_t *groups, size_t max);

/* NSS first (not in the static binary), then the files. */
int passwd_lookup(const char *name, uid_t uid, struct passwd_entry *e);
int passwd_lookup_group(const char *name, gid_t *gid);
int passwd_lookup_group_name(gid_t gid, char *buf, size_t size);
int passwd_lookup_grouplist(const char *user, gid_t gid, gid_t *groups, size_t max);

#endif
