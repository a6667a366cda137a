/* spawn_arena.h - the heap marked MADV_DONTFORK and the arena a CLONE_VM
 * spawn's service reads its parameters from instead (spawn_arena.c); for
 * spawn.c only.
 */
#ifndef PXINIT_SPAWN_ARENA_H
#define PXINIT_SPAWN_ARENA_H

#include "exec/spawn_params.h"

/* Marks pxinit's heap MADV_DONTFORK and copies what q points to there into
 * the arena, pointing q at the copies; -1 (q as it was) when that cannot be
 * had: the caller then calls spawn_arena_heap_dofork(). */
int spawn_arena_prepare(struct spawn_params *q);
/* Undoes the mark, for a child that reads the heap (plain fork()). */
void spawn_arena_heap_dofork(void);

#endif
