#include "ipc_namespace.hpp"

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "autograder/sandbox.hpp"

namespace autograder::sandbox {
namespace {

// The *_STAT_ANY commands take an index into the kernel's table (0 .. the highest index in use,
// which *_INFO returns) and give back the object's identifier, whatever its permission bits.
// IPC_RMID is allowed to the object's owner or creator: the caller acts as each run user in turn.
int clear_shared_memory() {
    shminfo limits{};
    int highest = ::shmctl(0, SHM_INFO, reinterpret_cast<shmid_ds*>(&limits));
    int removed = 0;
    for (int index = 0; index <= highest; ++index) {
        shmid_ds info{};
        int id = ::shmctl(index, SHM_STAT_ANY, &info);
        if (id >= 0 && ::shmctl(id, IPC_RMID, nullptr) == 0) ++removed;
    }
    return removed;
}

int clear_message_queues() {
    msginfo limits{};
    int highest = ::msgctl(0, MSG_INFO, reinterpret_cast<msqid_ds*>(&limits));
    int removed = 0;
    for (int index = 0; index <= highest; ++index) {
        msqid_ds info{};
        int id = ::msgctl(index, MSG_STAT_ANY, &info);
        if (id >= 0 && ::msgctl(id, IPC_RMID, nullptr) == 0) ++removed;
    }
    return removed;
}

int clear_semaphores() {
    seminfo limits{};
    int highest = ::semctl(0, 0, SEM_INFO, &limits);
    int removed = 0;
    for (int index = 0; index <= highest; ++index) {
        semid_ds info{};
        int id = ::semctl(index, 0, SEM_STAT_ANY, &info);
        if (id >= 0 && ::semctl(id, 0, IPC_RMID) == 0) ++removed;
    }
    return removed;
}

}  // namespace

int clear_ipc_objects() {
    int removed = 0;
    // init has no capability over the IPC namespace (it belongs to the outer user namespace), so
    // it removes each run user's objects as that user: only the effective uid changes, the saved
    // uid stays 0, and going back to 0 restores every capability. Raw system calls: glibc's
    // wrappers would signal other threads, and this process has none.
    for (long uid : {static_cast<long>(kSandboxUid), static_cast<long>(kGraderUid)}) {
        if (::syscall(SYS_setresuid, -1L, uid, -1L) != 0) continue;
        removed += clear_shared_memory() + clear_message_queues() + clear_semaphores();
        ::syscall(SYS_setresuid, -1L, 0L, -1L);
    }
    return removed;
}

}  // namespace autograder::sandbox
