#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <malloc.h>
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
