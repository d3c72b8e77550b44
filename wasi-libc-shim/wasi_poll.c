/* wasi_poll.c - poll_oneoff: clock subscriptions and fd_read/fd_write readiness.
 *
 * Both subscription layouts (preview1: 48 bytes, wasi_unstable: 56 bytes) are
 * decoded into one host form; the event layout is the same in both.  The call
 * returns as soon as at least one event is ready: per-subscription errors
 * (BADF, NOTCAPABLE, INVAL clock) are events too and end the wait at once.
 * Waiting uses ppoll with a nanosecond timeout, re-armed after EINTR and after
 * an early wake-up, until the earliest clock deadline has passed.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "wasi_internal.h"

typedef struct Sub {
    uint64_t userdata;
    uint8_t type;      /* WASI_EVENTTYPE_* */
    uint32_t clock;    /* clock id */
    uint64_t deadline; /* absolute, on `clock`, in ns */
    int pollix;        /* index into the pollfd array, -1 when none */
    uint16_t error;    /* decided before waiting (bad fd, bad clock) */
} Sub;

static void put_event(const WasiMem *mem, uint64_t out, uint32_t *n, const Sub *s,
                      uint16_t error, uint64_t nbytes, uint16_t flags)
{
    uint64_t p = out + (uint64_t)*n * WASI_EVENT_SIZE;
    memset(wasi_mem_at(mem, p), 0, WASI_EVENT_SIZE);
    wasi_st64(mem, p + 0, s->userdata);
    wasi_st16(mem, p + 8, error);
    wasi_st8(mem, p + 10, s->type);
    if (s->type != WASI_EVENTTYPE_CLOCK) {
        wasi_st64(mem, p + 16, nbytes);
        wasi_st16(mem, p + 24, flags);
    }
    (*n)++;
}

/* Bytes available to read: file size - offset for regular files, else FIONREAD. */
static uint64_t readable_bytes(int host, uint8_t filetype)
{
    if (filetype == WASI_FILETYPE_REGULAR_FILE) {
        struct stat st;
        off_t cur = lseek(host, 0, SEEK_CUR);
        if (cur >= 0 && fstat(host, &st) == 0 && st.st_size > cur)
            return (uint64_t)(st.st_size - cur);
        return 0;
    }
    int avail = 0;
    if (ioctl(host, FIONREAD, &avail) == 0 && avail > 0)
        return (uint64_t)avail;
    return 0;
}

static int32_t poll_common(WasiCtx *ctx, const WasiMem *mem, uint32_t in, uint32_t out,
                           uint32_t nsubs, uint32_t nevents_out, bool unstable)
{
    uint32_t sub_size = unstable ? WASI_UNSTABLE_SUBSCRIPTION_SIZE : WASI_SUBSCRIPTION_SIZE;
    if (nsubs == 0)
        return WASI_ERRNO_INVAL; /* would block forever */
    if (!wasi_mem_ok_array(mem, in, nsubs, sub_size) ||
        !wasi_mem_ok_array(mem, out, nsubs, WASI_EVENT_SIZE) ||
        !wasi_mem_ok(mem, nevents_out, 4))
        return WASI_ERRNO_FAULT;
    Sub *subs = calloc(nsubs, sizeof *subs);
    struct pollfd *pfds = calloc(nsubs, sizeof *pfds);
    uint8_t *ftypes = calloc(nsubs, 1);
    if (!subs || !pfds || !ftypes) {
        free(subs), free(pfds), free(ftypes);
        return WASI_ERRNO_NOMEM;
    }
    nfds_t npfd = 0;
    bool have_clock = false, have_error = false;
    for (uint32_t i = 0; i < nsubs; i++) {
        uint64_t p = (uint64_t)in + (uint64_t)i * sub_size;
        Sub *s = &subs[i];
        s->userdata = wasi_ld64(mem, p);
        s->type = wasi_ld8(mem, p + 8);
        s->pollix = -1;
        if (s->type == WASI_EVENTTYPE_CLOCK) {
            uint64_t c = unstable ? p + 24 : p + 16; /* unstable: u64 identifier first */
            s->clock = wasi_ld32(mem, c);
            uint64_t timeout = wasi_ld64(mem, c + 8);
            uint16_t flags = wasi_ld16(mem, c + 24);
            uint64_t now;
            int32_t e = (s->clock == WASI_CLOCK_REALTIME || s->clock == WASI_CLOCK_MONOTONIC)
                            ? wasi_clock_now(s->clock, &now)
                            : WASI_ERRNO_NOTSUP; /* cputime clocks cannot be waited on */
            if (e == 0 && (flags & ~WASI_SUBCLOCKFLAG_ABSTIME))
                e = WASI_ERRNO_INVAL;
            if (e) {
                s->error = (uint16_t)e;
                have_error = true;
                continue;
            }
            if (flags & WASI_SUBCLOCKFLAG_ABSTIME)
                s->deadline = timeout;
            else
                s->deadline = timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
            have_clock = true;
        } else if (s->type == WASI_EVENTTYPE_FD_READ || s->type == WASI_EVENTTYPE_FD_WRITE) {
            int32_t e;
            WasiFd *f = wasi_fd_lookup(ctx, wasi_ld32(mem, p + 16),
                                       WASI_RIGHT_POLL_FD_READWRITE, &e);
            if (!f) {
                s->error = (uint16_t)e;
                have_error = true;
                continue;
            }
            s->pollix = (int)npfd;
            ftypes[npfd] = f->filetype;
            pfds[npfd].fd = f->host;
            pfds[npfd].events = s->type == WASI_EVENTTYPE_FD_READ ? POLLIN : POLLOUT;
            npfd++;
        } else {
            s->error = WASI_ERRNO_INVAL;
            have_error = true;
        }
    }

    uint32_t nev = 0;
    int32_t err = WASI_ERRNO_SUCCESS;
    for (;;) {
        /* Earliest deadline, as a relative timeout. */
        struct timespec ts, *tsp = NULL;
        if (have_error) {
            ts = (struct timespec){0, 0};
            tsp = &ts;
        } else if (have_clock) {
            uint64_t best = UINT64_MAX;
            for (uint32_t i = 0; i < nsubs; i++) {
                Sub *s = &subs[i];
                uint64_t now;
                if (s->type != WASI_EVENTTYPE_CLOCK || s->error)
                    continue;
                if (wasi_clock_now(s->clock, &now) != 0)
                    continue;
                uint64_t left = s->deadline > now ? s->deadline - now : 0;
                if (left < best)
                    best = left;
            }
            ts.tv_sec = (time_t)(best / 1000000000u);
            ts.tv_nsec = (long)(best % 1000000000u);
            tsp = &ts;
        }
        int r = ppoll(pfds, npfd, tsp, NULL);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            err = wasi_errno_from_host(errno);
            goto done;
        }
        for (uint32_t i = 0; i < nsubs; i++) {
            Sub *s = &subs[i];
            if (s->error) {
                put_event(mem, out, &nev, s, s->error, 0, 0);
            } else if (s->type == WASI_EVENTTYPE_CLOCK) {
                uint64_t now;
                if (wasi_clock_now(s->clock, &now) == 0 && now >= s->deadline)
                    put_event(mem, out, &nev, s, 0, 0, 0);
            } else {
                struct pollfd *pf = &pfds[s->pollix];
                if (pf->revents & POLLNVAL) {
                    put_event(mem, out, &nev, s, WASI_ERRNO_BADF, 0, 0);
                } else if (pf->revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)) {
                    uint16_t fl = (pf->revents & POLLHUP) ? WASI_EVENTRWFLAG_FD_READWRITE_HANGUP : 0;
                    uint64_t nb = s->type == WASI_EVENTTYPE_FD_READ
                                      ? readable_bytes(pf->fd, ftypes[s->pollix])
                                      : 0;
                    put_event(mem, out, &nev, s, 0, nb, fl);
                }
            }
        }
        if (nev > 0)
            break;
        if (!have_clock && npfd == 0)
            break; /* unreachable: nsubs > 0 means a clock, an fd or an error */
    }
done:
    if (err == 0)
        wasi_st32(mem, nevents_out, nev);
    free(subs), free(pfds), free(ftypes);
    return err;
}

int32_t wasi_poll_oneoff(WasiCtx *ctx, const WasiMem *mem, uint32_t in, uint32_t out,
                         uint32_t nsubscriptions, uint32_t nevents_out)
{
    return poll_common(ctx, mem, in, out, nsubscriptions, nevents_out, false);
}

int32_t wasi_unstable_poll_oneoff(WasiCtx *ctx, const WasiMem *mem, uint32_t in, uint32_t out,
                                  uint32_t nsubscriptions, uint32_t nevents_out)
{
    return poll_common(ctx, mem, in, out, nsubscriptions, nevents_out, true);
}
