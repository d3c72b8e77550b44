/* wasi_abi.h - the WASI preview1 (and wasi_unstable) ABI as seen from guest memory.
 *
 * Owns: errno values, rights bits, flag sets, enums and the byte layout of every
 * structure a WASI call reads or writes in linear memory.  Written from the witx
 * of wasi_snapshot_preview1 (typenames.witx) and of wasi_unstable where the two
 * differ.  All multi-byte values in guest memory are little-endian and the shim
 * accesses them byte-wise through wasi_mem.h, never through these structs: the
 * structs below only document the layouts and pin them with _Static_assert.
 *
 * Names use a plain WASI_ prefix (not wasi-libc's __WASI_) so this header can be
 * included next to wasi-libc's <wasi/api.h> without redefinitions.
 */
#ifndef WASMC_WASI_ABI_H
#define WASMC_WASI_ABI_H

#include <stddef.h>
#include <stdint.h>

/* errno (u16) */
#define WASI_ERRNO_SUCCESS 0
#define WASI_ERRNO_2BIG 1
#define WASI_ERRNO_ACCES 2
#define WASI_ERRNO_ADDRINUSE 3
#define WASI_ERRNO_ADDRNOTAVAIL 4
#define WASI_ERRNO_AFNOSUPPORT 5
#define WASI_ERRNO_AGAIN 6
#define WASI_ERRNO_ALREADY 7
#define WASI_ERRNO_BADF 8
#define WASI_ERRNO_BADMSG 9
#define WASI_ERRNO_BUSY 10
#define WASI_ERRNO_CANCELED 11
#define WASI_ERRNO_CHILD 12
#define WASI_ERRNO_CONNABORTED 13
#define WASI_ERRNO_CONNREFUSED 14
#define WASI_ERRNO_CONNRESET 15
#define WASI_ERRNO_DEADLK 16
#define WASI_ERRNO_DESTADDRREQ 17
#define WASI_ERRNO_DOM 18
#define WASI_ERRNO_DQUOT 19
#define WASI_ERRNO_EXIST 20
#define WASI_ERRNO_FAULT 21
#define WASI_ERRNO_FBIG 22
#define WASI_ERRNO_HOSTUNREACH 23
#define WASI_ERRNO_IDRM 24
#define WASI_ERRNO_ILSEQ 25
#define WASI_ERRNO_INPROGRESS 26
#define WASI_ERRNO_INTR 27
#define WASI_ERRNO_INVAL 28
#define WASI_ERRNO_IO 29
#define WASI_ERRNO_ISCONN 30
#define WASI_ERRNO_ISDIR 31
#define WASI_ERRNO_LOOP 32
#define WASI_ERRNO_MFILE 33
#define WASI_ERRNO_MLINK 34
#define WASI_ERRNO_MSGSIZE 35
#define WASI_ERRNO_MULTIHOP 36
#define WASI_ERRNO_NAMETOOLONG 37
#define WASI_ERRNO_NETDOWN 38
#define WASI_ERRNO_NETRESET 39
#define WASI_ERRNO_NETUNREACH 40
#define WASI_ERRNO_NFILE 41
#define WASI_ERRNO_NOBUFS 42
#define WASI_ERRNO_NODEV 43
#define WASI_ERRNO_NOENT 44
#define WASI_ERRNO_NOEXEC 45
#define WASI_ERRNO_NOLCK 46
#define WASI_ERRNO_NOLINK 47
#define WASI_ERRNO_NOMEM 48
#define WASI_ERRNO_NOMSG 49
#define WASI_ERRNO_NOPROTOOPT 50
#define WASI_ERRNO_NOSPC 51
#define WASI_ERRNO_NOSYS 52
#define WASI_ERRNO_NOTCONN 53
#define WASI_ERRNO_NOTDIR 54
#define WASI_ERRNO_NOTEMPTY 55
#define WASI_ERRNO_NOTRECOVERABLE 56
#define WASI_ERRNO_NOTSOCK 57
#define WASI_ERRNO_NOTSUP 58
#define WASI_ERRNO_NOTTY 59
#define WASI_ERRNO_NXIO 60
#define WASI_ERRNO_OVERFLOW 61
#define WASI_ERRNO_OWNERDEAD 62
#define WASI_ERRNO_PERM 63
#define WASI_ERRNO_PIPE 64
#define WASI_ERRNO_PROTO 65
#define WASI_ERRNO_PROTONOSUPPORT 66
#define WASI_ERRNO_PROTOTYPE 67
#define WASI_ERRNO_RANGE 68
#define WASI_ERRNO_ROFS 69
#define WASI_ERRNO_SPIPE 70
#define WASI_ERRNO_SRCH 71
#define WASI_ERRNO_STALE 72
#define WASI_ERRNO_TIMEDOUT 73
#define WASI_ERRNO_TXTBSY 74
#define WASI_ERRNO_XDEV 75
#define WASI_ERRNO_NOTCAPABLE 76

/* rights (u64): bit n as in the witx flag order. */
#define WASI_RIGHT_FD_DATASYNC (UINT64_C(1) << 0)
#define WASI_RIGHT_FD_READ (UINT64_C(1) << 1)
#define WASI_RIGHT_FD_SEEK (UINT64_C(1) << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (UINT64_C(1) << 3)
#define WASI_RIGHT_FD_SYNC (UINT64_C(1) << 4)
#define WASI_RIGHT_FD_TELL (UINT64_C(1) << 5)
#define WASI_RIGHT_FD_WRITE (UINT64_C(1) << 6)
#define WASI_RIGHT_FD_ADVISE (UINT64_C(1) << 7)
#define WASI_RIGHT_FD_ALLOCATE (UINT64_C(1) << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (UINT64_C(1) << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (UINT64_C(1) << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (UINT64_C(1) << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (UINT64_C(1) << 12)
#define WASI_RIGHT_PATH_OPEN (UINT64_C(1) << 13)
#define WASI_RIGHT_FD_READDIR (UINT64_C(1) << 14)
#define WASI_RIGHT_PATH_READLINK (UINT64_C(1) << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (UINT64_C(1) << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (UINT64_C(1) << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (UINT64_C(1) << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (UINT64_C(1) << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (UINT64_C(1) << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (UINT64_C(1) << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (UINT64_C(1) << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (UINT64_C(1) << 23)
#define WASI_RIGHT_PATH_SYMLINK (UINT64_C(1) << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (UINT64_C(1) << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (UINT64_C(1) << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (UINT64_C(1) << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN (UINT64_C(1) << 28)
#define WASI_RIGHT_SOCK_ACCEPT (UINT64_C(1) << 29) /* preview1 only */
#define WASI_RIGHTS_ALL ((UINT64_C(1) << 30) - 1)

/* filetype (u8) */
#define WASI_FILETYPE_UNKNOWN 0
#define WASI_FILETYPE_BLOCK_DEVICE 1
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FILETYPE_DIRECTORY 3
#define WASI_FILETYPE_REGULAR_FILE 4
#define WASI_FILETYPE_SOCKET_DGRAM 5
#define WASI_FILETYPE_SOCKET_STREAM 6
#define WASI_FILETYPE_SYMBOLIC_LINK 7

/* fdflags (u16) */
#define WASI_FDFLAG_APPEND 0x1
#define WASI_FDFLAG_DSYNC 0x2
#define WASI_FDFLAG_NONBLOCK 0x4
#define WASI_FDFLAG_RSYNC 0x8
#define WASI_FDFLAG_SYNC 0x10

/* oflags (u16) */
#define WASI_OFLAG_CREAT 0x1
#define WASI_OFLAG_DIRECTORY 0x2
#define WASI_OFLAG_EXCL 0x4
#define WASI_OFLAG_TRUNC 0x8

/* lookupflags (u32) */
#define WASI_LOOKUPFLAG_SYMLINK_FOLLOW 0x1

/* fstflags (u16) */
#define WASI_FSTFLAG_ATIM 0x1
#define WASI_FSTFLAG_ATIM_NOW 0x2
#define WASI_FSTFLAG_MTIM 0x4
#define WASI_FSTFLAG_MTIM_NOW 0x8

/* whence (u8): the numbering differs between the two module versions. */
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2
#define WASI_UNSTABLE_WHENCE_CUR 0
#define WASI_UNSTABLE_WHENCE_END 1
#define WASI_UNSTABLE_WHENCE_SET 2

/* clockid (u32) */
#define WASI_CLOCK_REALTIME 0
#define WASI_CLOCK_MONOTONIC 1
#define WASI_CLOCK_PROCESS_CPUTIME_ID 2
#define WASI_CLOCK_THREAD_CPUTIME_ID 3

/* advice (u8) */
#define WASI_ADVICE_NORMAL 0
#define WASI_ADVICE_SEQUENTIAL 1
#define WASI_ADVICE_RANDOM 2
#define WASI_ADVICE_WILLNEED 3
#define WASI_ADVICE_DONTNEED 4
#define WASI_ADVICE_NOREUSE 5

/* eventtype (u8), eventrwflags (u16), subclockflags (u16) */
#define WASI_EVENTTYPE_CLOCK 0
#define WASI_EVENTTYPE_FD_READ 1
#define WASI_EVENTTYPE_FD_WRITE 2
#define WASI_EVENTRWFLAG_FD_READWRITE_HANGUP 0x1
#define WASI_SUBCLOCKFLAG_ABSTIME 0x1

/* preopentype (u8) */
#define WASI_PREOPENTYPE_DIR 0

/* sockets: riflags (u16), roflags (u16), sdflags (u8) */
#define WASI_RIFLAG_RECV_PEEK 0x1
#define WASI_RIFLAG_RECV_WAITALL 0x2
#define WASI_ROFLAG_RECV_DATA_TRUNCATED 0x1
#define WASI_SDFLAG_RD 0x1
#define WASI_SDFLAG_WR 0x2

/* ---- Layouts (byte offsets in guest memory; all little-endian) ---- */

/* iovec / ciovec: { buf: u32 @0, buf_len: u32 @4 }, size 8, align 4 */
#define WASI_IOVEC_SIZE 8

/* fdstat, size 24, align 8 */
typedef struct WasiAbiFdstat {
    uint8_t fs_filetype;
    uint16_t fs_flags;
    uint64_t fs_rights_base;
    uint64_t fs_rights_inheriting;
} WasiAbiFdstat;
#define WASI_FDSTAT_SIZE 24

/* filestat (preview1), size 64: nlink is u64 */
typedef struct WasiAbiFilestat {
    uint64_t dev, ino;
    uint8_t filetype;
    uint64_t nlink, size, atim, mtim, ctim;
} WasiAbiFilestat;
#define WASI_FILESTAT_SIZE 64

/* filestat (wasi_unstable), size 56: nlink is u32 and everything after moves up */
typedef struct WasiAbiUnstableFilestat {
    uint64_t dev, ino;
    uint8_t filetype;
    uint32_t nlink;
    uint64_t size, atim, mtim, ctim;
} WasiAbiUnstableFilestat;
#define WASI_UNSTABLE_FILESTAT_SIZE 56

/* dirent header, size 24; the name (d_namlen bytes, no NUL) follows it */
typedef struct WasiAbiDirent {
    uint64_t d_next;  /* cookie of the next entry */
    uint64_t d_ino;
    uint32_t d_namlen;
    uint8_t d_type;
} WasiAbiDirent;
#define WASI_DIRENT_SIZE 24

/* prestat, size 8: { tag: u8 @0, dir.pr_name_len: u32 @4 } */
#define WASI_PRESTAT_SIZE 8

/* event (same in both versions), size 32:
 * userdata u64 @0, error u16 @8, type u8 @10, fd_readwrite.nbytes u64 @16,
 * fd_readwrite.flags u16 @24 */
typedef struct WasiAbiEvent {
    uint64_t userdata;
    uint16_t error;
    uint8_t type;
    uint64_t nbytes;
    uint16_t flags;
} WasiAbiEvent;
#define WASI_EVENT_SIZE 32

/* subscription (preview1), size 48: userdata u64 @0, tag u8 @8, then the union
 * at @16: clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40}
 * or fd_readwrite {fd u32 @16}. */
typedef struct WasiAbiSubscriptionClock {
    uint32_t id;
    uint64_t timeout, precision;
    uint16_t flags;
} WasiAbiSubscriptionClock;
typedef struct WasiAbiSubscription {
    uint64_t userdata;
    uint8_t tag;
    union {
        WasiAbiSubscriptionClock clock;
        uint32_t fd;
    } u;
} WasiAbiSubscription;
#define WASI_SUBSCRIPTION_SIZE 48

/* subscription (wasi_unstable), size 56: the clock member starts with an extra
 * u64 `identifier`: clock {identifier u64 @16, id u32 @24, timeout u64 @32,
 * precision u64 @40, flags u16 @48}; fd_readwrite {fd u32 @16}. */
typedef struct WasiAbiUnstableSubscription {
    uint64_t userdata;
    uint8_t tag;
    union {
        struct {
            uint64_t identifier;
            WasiAbiSubscriptionClock c;
        } clock;
        uint32_t fd;
    } u;
} WasiAbiUnstableSubscription;
#define WASI_UNSTABLE_SUBSCRIPTION_SIZE 56

/* The C structs above have the witx layout on every host where u64 is 8-aligned
 * (all Linux LP64 targets); these asserts are the cross-check of the numbers. */
/* (C only: C++ embedders including wasi_shim.h get the same structs, unchecked.) */
#if !defined(__cplusplus) && (defined(__x86_64__) || defined(__aarch64__))
_Static_assert(sizeof(WasiAbiFdstat) == WASI_FDSTAT_SIZE, "fdstat size");
_Static_assert(offsetof(WasiAbiFdstat, fs_flags) == 2, "fdstat flags");
_Static_assert(offsetof(WasiAbiFdstat, fs_rights_inheriting) == 16, "fdstat rights");
_Static_assert(sizeof(WasiAbiFilestat) == WASI_FILESTAT_SIZE, "filestat size");
_Static_assert(offsetof(WasiAbiFilestat, nlink) == 24, "filestat nlink");
_Static_assert(offsetof(WasiAbiFilestat, ctim) == 56, "filestat ctim");
_Static_assert(sizeof(WasiAbiUnstableFilestat) == WASI_UNSTABLE_FILESTAT_SIZE, "u filestat");
_Static_assert(offsetof(WasiAbiUnstableFilestat, nlink) == 20, "u filestat nlink");
_Static_assert(offsetof(WasiAbiUnstableFilestat, size) == 24, "u filestat size");
_Static_assert(sizeof(WasiAbiDirent) == WASI_DIRENT_SIZE, "dirent size");
_Static_assert(offsetof(WasiAbiDirent, d_type) == 20, "dirent type");
_Static_assert(sizeof(WasiAbiEvent) == WASI_EVENT_SIZE, "event size");
_Static_assert(offsetof(WasiAbiEvent, type) == 10, "event type");
_Static_assert(offsetof(WasiAbiEvent, flags) == 24, "event flags");
_Static_assert(sizeof(WasiAbiSubscription) == WASI_SUBSCRIPTION_SIZE, "sub size");
_Static_assert(offsetof(WasiAbiSubscription, u) == 16, "sub union");
_Static_assert(offsetof(WasiAbiSubscription, u.clock.flags) == 40, "sub clock flags");
_Static_assert(sizeof(WasiAbiUnstableSubscription) == WASI_UNSTABLE_SUBSCRIPTION_SIZE, "u sub");
_Static_assert(offsetof(WasiAbiUnstableSubscription, u.clock.c.id) == 24, "u sub id");
_Static_assert(offsetof(WasiAbiUnstableSubscription, u.clock.c.flags) == 48, "u sub flags");
#endif

#endif /* WASMC_WASI_ABI_H */
