#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
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
