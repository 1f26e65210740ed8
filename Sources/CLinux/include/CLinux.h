#ifndef RESTGATE_CLINUX_H
#define RESTGATE_CLINUX_H

// Linux-only interfaces that Swift's Glibc module does not export.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/tcp.h>

// accept4 and pthread_setname_np are GNU extensions, declared only under _GNU_SOURCE,
// which the Glibc module is not built with; these wrappers are compiled with it.
int restgate_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
int restgate_set_thread_name(const char *name);

// Bytes written to a socket that the peer has not yet acknowledged (SIOCOUTQ; ioctl is
// variadic, which Swift cannot call). -1 on error.
int restgate_unsent_bytes(int fd);

// No transparent huge pages for this process (they would round touched heap regions up to
// 2 MiB). Returns 0, or -1 when the kernel refused.
int restgate_disable_huge_pages(void);

// Returns the heap freed so far (start-up's parse trees and schemas) to the kernel.
void restgate_release_free_memory(void);

// Allocations of at least `bytes` are mapped on their own and returned to the kernel when
// freed. Returns 1 on success.
int restgate_set_mmap_threshold(int bytes);

// Unmaps the pages of code read from files (the executable's and its libraries' text) that
// the process has touched; each is mapped again from the page cache when next run. A mapping
// with a page written since (a breakpoint, a uprobe) is left whole. Returns the bytes of the
// mappings so treated, or -1 when /proc/self/smaps cannot be read.
long restgate_release_mapped_code(void);

// Lowers the calling thread's scheduling priority by `nice` steps (Linux's nice is per
// thread). Returns 0, or -1 when refused.
int restgate_lower_thread_priority(int nice);

// The git commit the binary was built from (Package.swift defines it), or "unknown".
const char *restgate_build_commit(void);

#endif
