#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "CLinux.h"

int restgate_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int restgate_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int restgate_unsent_bytes(int fd) {
    int value = 0;
    return ioctl(fd, SIOCOUTQ, &value) == 0 ? value : -1;
}

int restgate_disable_huge_pages(void) {
    return prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0 ? 0 : -1;
}

void restgate_release_free_memory(void) {
    malloc_trim(0);
}

// Drops one mapping's pages if it qualified: code read from a file, with no page of its own
// (a page written since it was mapped, such as a debugger's breakpoint or a uprobe, is a
// private copy that MADV_DONTNEED would turn back into the file's bytes).
static long release_if_clean(unsigned long start, unsigned long end, int qualifies, long anonymous_kib) {
    if (!qualifies || anonymous_kib != 0 || end <= start) {
        return 0;
    }
    return madvise((void *)start, end - start, MADV_DONTNEED) == 0 ? (long)(end - start) : 0;
}

long restgate_release_mapped_code(void) {
    FILE *maps = fopen("/proc/self/smaps", "re");
    if (maps == NULL) {
        return -1;
    }
    char *line = NULL;
    size_t capacity = 0;
    long released = 0;
    unsigned long start = 0, end = 0;
    int qualifies = 0;
    long anonymous_kib = -1;  // unknown until the mapping's Anonymous line is read
    while (getline(&line, &capacity, maps) > 0) {
        unsigned long low = 0, high = 0;
        char permissions[5] = {0};
        int path = 0;
        long kib = 0;
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %n", &low, &high, permissions, &path) >= 3 && path > 0) {
            released += release_if_clean(start, end, qualifies, anonymous_kib);
            start = low;
            end = high;
            // Only code read from a file: never written, so the kernel maps it again from the
            // page cache on its next use. Data (even read-only after relocation) is left alone.
            qualifies = strcmp(permissions, "r-xp") == 0 && line[path] == '/';
            anonymous_kib = -1;
        } else if (sscanf(line, "Anonymous: %ld kB", &kib) == 1) {
            anonymous_kib = kib;
        }
    }
    released += release_if_clean(start, end, qualifies, anonymous_kib);
    free(line);
    fclose(maps);
    return released;
}

int restgate_lower_thread_priority(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

int restgate_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

#ifndef RESTGATE_COMMIT
#define RESTGATE_COMMIT "unknown"
#endif

const char *restgate_build_commit(void) {
    return RESTGATE_COMMIT;
}
