/* A bump allocator freed whole. Used per module (frontend) and per function
 * (IR). Allocation failure aborts: a compiler cannot recover from OOM and
 * sizes are always validated against the input length before allocating. */
#ifndef WASMC_SUPPORT_ARENA_H
#define WASMC_SUPPORT_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;

typedef struct Arena {
    ArenaChunk *head;
    size_t total; /* bytes handed out, for statistics */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Zeroed, 16-byte aligned memory. */
void *arena_alloc(Arena *a, size_t size);
/* n elements of size each; aborts on multiplication overflow. */
void *arena_array(Arena *a, size_t n, size_t size);
char *arena_strndup(Arena *a, const char *s, size_t n);

/* Process-wide helpers for the few heap allocations outside arenas. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

#endif
