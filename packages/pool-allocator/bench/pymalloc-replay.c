/* Replays an allocation trace through CPython's own pymalloc (PyObject_Malloc and
 * PyObject_Free of libpython3.11, without initialising an interpreter, so no other block is in
 * the pools) and times each replay loop with clock_gettime.
 *
 * usage: pymalloc-replay TRACE ITERATIONS ARENAS
 *   TRACE       int32 little-endian: magic "MMTR", operations, slots, peak index, then
 *               operations x op (slot >= 0: allocate sizes[i] into it; ~slot: free it) and
 *               operations x size
 *   ITERATIONS  timed replays; after each, the blocks still live are freed (not timed)
 *   ARENAS      "prefaulted": arenas come from one region touched in advance, laid out as
 *               the page source of @mm/heap lays them out (4 KiB after a 1 MiB boundary,
 *               lowest free address first); "mmap": CPython's default, mmap and munmap;
 *               "bump": no pymalloc at all, a bump pointer over a touched region, to time
 *               the replay loop itself
 *
 * Prints one JSON object on stdout: the time of each replay in nanoseconds, failed
 * allocations, and the arenas mapped when the live bytes peak and when the trace ends. An
 * untimed first replay writes _PyObject_DebugMallocStats to stderr at the trace's end.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* Exported by libpython but declared only in its internal headers. */
int _PyObject_DebugMallocStats(FILE *out);

#define ARENA_SIZE (1 << 20)
#define PAGE 4096
#define MAX_ARENAS 4096

static char *region;
static size_t region_arenas;
static unsigned char in_use[MAX_ARENAS];
static long live_arenas;
static long exhausted;

static void *prefaulted_alloc(void *ctx, size_t size) {
  (void)ctx;
  for (size_t i = 0; i < region_arenas; i++) {
    if (!in_use[i]) {
      in_use[i] = 1;
      live_arenas++;
      return region + i * (size_t)ARENA_SIZE;
    }
  }
  (void)size;
  exhausted++;
  return NULL;
}

static void prefaulted_free(void *ctx, void *ptr, size_t size) {
  (void)ctx;
  (void)size;
  in_use[((char *)ptr - region) / ARENA_SIZE] = 0;
  live_arenas--;
}

static void *mmap_alloc(void *ctx, size_t size) {
  (void)ctx;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  live_arenas++;
  return p;
}

static void mmap_free(void *ctx, void *ptr, size_t size) {
  (void)ctx;
  munmap(ptr, size);
  live_arenas--;
}

static char *bump_base;
static size_t bump_next, bump_limit;

/* The bump allocator of @mm/bench-kit: never reuses, wraps around when full. */
static inline void *bump_malloc(size_t n) {
  size_t at = bump_next, end = at + ((n + 15) & ~(size_t)15);
  if (end > bump_limit) {
    at = 16;
    end = at + ((n + 15) & ~(size_t)15);
  }
  bump_next = end;
  return bump_base + at;
}

/* Keeps the address live, as a free does, so the compiler cannot drop the stores. */
static void *volatile bump_freed;
static inline void bump_free(void *p) { bump_freed = p; }

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s TRACE ITERATIONS prefaulted|mmap\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  int32_t header[4];
  if (f == NULL || fread(header, sizeof header, 1, f) != 1 || header[0] != 0x52544d4d) {
    fprintf(stderr, "cannot read trace %s\n", argv[1]);
    return 1;
  }
  int32_t n = header[1], slots = header[2], peak = header[3];
  int32_t *ops = malloc(sizeof(int32_t) * (size_t)n);
  int32_t *sizes = malloc(sizeof(int32_t) * (size_t)n);
  void **addr = calloc((size_t)slots, sizeof(void *));
  char *live = calloc((size_t)slots, 1);
  if (fread(ops, sizeof(int32_t), (size_t)n, f) != (size_t)n ||
      fread(sizes, sizeof(int32_t), (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "truncated trace %s\n", argv[1]);
    return 1;
  }
  fclose(f);
  int iterations = atoi(argv[2]);

  if (strcmp(argv[3], "bump") == 0) {
    bump_limit = (size_t)64 << 20;
    bump_base = mmap(NULL, bump_limit, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (bump_base == MAP_FAILED) return 1;
    memset(bump_base, 0, bump_limit);
    printf("{\"arenas\":\"bump\",\"failed\":0,\"peakArenas\":0,\"finalArenas\":0,\"ns\":[");
    for (int it = 0; it < iterations; it++) {
      bump_next = 16;
      double t0 = now_ns();
      for (int32_t i = 0; i < n; i++) {
        int32_t op = ops[i];
        if (op >= 0) addr[op] = bump_malloc((size_t)sizes[i]);
        else bump_free(addr[~op]);
      }
      double t1 = now_ns();
      printf("%s%.0f", it ? "," : "", t1 - t0);
    }
    printf("]}\n");
    return 0;
  }

  PyObjectArenaAllocator arenas = {NULL, mmap_alloc, mmap_free};
  if (strcmp(argv[3], "prefaulted") == 0) {
    region_arenas = 128;
    size_t bytes = (region_arenas + 2) * (size_t)ARENA_SIZE;
    char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return 1;
    memset(base, 0, bytes);
    region = (char *)(((uintptr_t)base + ARENA_SIZE - 1) & ~(uintptr_t)(ARENA_SIZE - 1)) + PAGE;
    arenas = (PyObjectArenaAllocator){NULL, prefaulted_alloc, prefaulted_free};
  }
  PyObject_SetArenaAllocator(&arenas);

  /* Untimed: footprint at the peak and at the end, and the stats at the end. */
  long peak_arenas = 0, failed = 0;
  for (int32_t i = 0; i < n; i++) {
    int32_t op = ops[i];
    if (op >= 0) {
      addr[op] = PyObject_Malloc((size_t)sizes[i]);
      live[op] = 1;
      if (addr[op] == NULL) failed++;
    } else {
      PyObject_Free(addr[~op]);
      live[~op] = 0;
    }
    if (i == peak) peak_arenas = live_arenas;
  }
  long final_arenas = live_arenas;
  _PyObject_DebugMallocStats(stderr);
  for (int32_t s = 0; s < slots; s++) if (live[s]) PyObject_Free(addr[s]);

  printf("{\"arenas\":\"%s\",\"failed\":%ld,\"peakArenas\":%ld,\"finalArenas\":%ld,\"ns\":[",
         argv[3], failed + exhausted, peak_arenas, final_arenas);
  for (int it = 0; it < iterations; it++) {
    memset(live, 0, (size_t)slots);
    double t0 = now_ns();
    for (int32_t i = 0; i < n; i++) {
      int32_t op = ops[i];
      if (op >= 0) addr[op] = PyObject_Malloc((size_t)sizes[i]);
      else PyObject_Free(addr[~op]);
    }
    double t1 = now_ns();
    for (int32_t i = 0; i < n; i++) live[ops[i] >= 0 ? ops[i] : ~ops[i]] = ops[i] >= 0;
    for (int32_t s = 0; s < slots; s++) if (live[s]) PyObject_Free(addr[s]);
    printf("%s%.0f", it ? "," : "", t1 - t0);
  }
  printf("]}\n");
  return 0;
}
