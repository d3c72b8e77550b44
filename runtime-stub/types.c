/* types.c — canonical function-type ids.
 *
 * A signature string (grammar in wasmc_rt.h) is interned into a process-wide id so that
 * identical types of different modules compare equal in call_indirect and import checks.
 * Ids are dense, start at 1 (0 never matches), and are never freed. A mutex guards the
 * table; interning happens at instantiation only, never in a signal handler.
 */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static char **slots;     /* open addressing: interned strings, NULL = empty */
static uint32_t *slot_id; /* id of slots[i] */
static uint32_t cap, count;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static bool grow(void) {
  uint32_t ncap = cap ? cap * 2 : 64;
  char **ns = calloc(ncap, sizeof *ns);
  uint32_t *nid = calloc(ncap, sizeof *nid);
  if (!ns || !nid) {
    free(ns);
    free(nid);
    return false;
  }
  for (uint32_t i = 0; i < cap; i++) {
    if (!slots[i]) continue;
    uint32_t j = (uint32_t)hash_str(slots[i]) & (ncap - 1);
    while (ns[j]) j = (j + 1) & (ncap - 1);
    ns[j] = slots[i];
    nid[j] = slot_id[i];
  }
  free(slots);
  free(slot_id);
  slots = ns;
  slot_id = nid;
  cap = ncap;
  return true;
}

uint32_t wasmc_rt_intern_signature(const char *sig) {
  uint32_t id = 0;
  pthread_mutex_lock(&intern_lock);
  if ((count + 1) * 2 > cap && !grow()) goto out;
  uint32_t j = (uint32_t)hash_str(sig) & (cap - 1);
  for (; slots[j]; j = (j + 1) & (cap - 1)) {
    if (strcmp(slots[j], sig) == 0) {
      id = slot_id[j];
      goto out;
    }
  }
  if (!(slots[j] = strdup(sig))) goto out;
  slot_id[j] = id = ++count;
out:
  pthread_mutex_unlock(&intern_lock);
  return id;
}

uint32_t rt_sig_params(const char *sig) {
  const char *colon = strchr(sig, ':');
  return colon ? (uint32_t)(colon - sig) : (uint32_t)strlen(sig);
}

uint32_t rt_sig_results(const char *sig) {
  const char *colon = strchr(sig, ':');
  return colon ? (uint32_t)strlen(colon + 1) : 0;
}

static bool is_ref(uint8_t t) { return t == WASMC_TYPE_FUNCREF || t == WASMC_TYPE_EXTERNREF; }

bool rt_valtype_sub(uint8_t ta, const WasmcRefType *a, uint8_t tb, const WasmcRefType *b) {
  if (ta != tb) return false; /* also keeps the func and extern hierarchies apart */
  if (!is_ref(ta)) return true;
  if (!a->non_null && b->non_null) return false;
  if (b->heap == WASMC_HEAP_TOP || a->heap == WASMC_HEAP_BOTTOM) return true;
  return a->heap == WASMC_HEAP_TYPE && b->heap == WASMC_HEAP_TYPE && a->type == b->type;
}

bool rt_valtype_eq(uint8_t ta, const WasmcRefType *a, uint8_t tb, const WasmcRefType *b) {
  return rt_valtype_sub(ta, a, tb, b) && rt_valtype_sub(tb, b, ta, a);
}
